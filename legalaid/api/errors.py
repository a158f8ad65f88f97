"""Every API error in the one shape docs/court-api.md fixes:
`{"errors": [{"field": "<dotted.path or null>", "code": "<machine_code>", "message": "<text>"}]}`."""
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from legalaid.errors import DomainError

# DRF's own codes, renamed where the contract's vocabulary is clearer.
_CODES = {
    "parse_error": "malformed_json",
    "not_authenticated": "not_authenticated",
    "authentication_failed": "authentication_failed",
    "null": "required",
    "blank": "required",
}


def flatten(detail, path=None):
    """Turn DRF's nested error detail into a flat list of {field, code, message}."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in ("non_field_errors", "detail"):
                out.extend(flatten(value, path))
            else:
                out.extend(flatten(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                out.extend(flatten(value, f"{path}.{index}" if path else str(index)))
            else:
                out.extend(flatten(value, path))
    else:
        code = getattr(detail, "code", None) or "invalid"
        out.append({"field": path, "code": _CODES.get(code, code), "message": str(detail)})
    return out


def error_body(errors, **extra):
    return {"errors": errors, **extra}


def too_big_error(exc):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE (413) or with too many form fields (400): Django
    raises these as suspicious operations, which would otherwise get its HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        message = _("The request body is too large (at most %(kib)s KiB).") % {"kib": limit}
        return 413, {"field": None, "code": "body_too_large", "message": message}
    return 400, {"field": None, "code": "too_many_fields", "message": _("The request has too many fields.")}


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        status_code, error = too_big_error(exc)
        return Response(error_body([error]), status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, DomainError):
        set_rollback()
        return Response(
            error_body([{"field": exc.field, "code": exc.code, "message": str(exc.message)}], **exc.extra),
            status=exc.status,
        )
    if not isinstance(exc, exceptions.APIException):
        return None  # a real fault: let Django answer 500 and log it

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail) or [{"field": None, "code": "invalid", "message": _("Invalid input.")}]
    elif isinstance(exc, exceptions.ParseError) and exc.get_codes() == "parse_error":
        errors = [{"field": None, "code": "malformed_json", "message": _("The request body is not valid JSON.")}]
    else:
        errors = flatten(exc.detail)
        if isinstance(exc, exceptions.NotFound):
            errors = [{"field": None, "code": "not_found", "message": _("Not found.")}]
    set_rollback()
    code = exc.status_code
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code = status.HTTP_401_UNAUTHORIZED
    return Response(error_body(errors), status=code, headers=headers)
