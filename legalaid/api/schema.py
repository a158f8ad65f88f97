"""OpenAPI descriptions of the project's own API pieces."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as _AutoSchema


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "legalaid.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`: a key belongs to one account (a court, a lawyer, a system)."}


# --- Errors every operation can answer ------------------------------------------------------------

# docs/court-api.md fixes this shape; the description below is published in the schema as it was.
ERROR_BODY = {
    "type": "object",
    "description": "court-api.md: every error, in one shape.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True,
                              "description": "Dotted path of the field at fault, or null."},
                    "code": {"type": "string", "description": "Machine code, e.g. unknown_field."},
                    "message": {"type": "string", "description": "Human text in the Accept-Language."},
                },
                "required": ["field", "code", "message"],
            },
        },
    },
    "required": ["errors"],
}
_REF = {"$ref": "#/components/schemas/Errors"}
# What any operation may answer whatever it does: a body or query that breaks a rule, missing or bad
# credentials, a role that may not act, what the caller may not see (or a path that matches nothing),
# a method the path does not take, a body in an unsupported media type, and throttling.
COMMON = {"400": "Invalid input.", "401": "No valid credentials.", "403": "This role may not act.",
          "404": "Not found, or not the caller's to see.", "405": "Method not allowed.",
          "415": "Unsupported media type.", "429": "Throttled: see Retry-After."}
# And what any POST may answer: an oversized body, an Idempotency-Key reused with another body.
POST_ONLY = {"413": "The body is too large.", "422": "Idempotency-Key reused with a different body."}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the errors it can answer, in
    the contract's error shape. A documented response of another shape for one of those codes (e.g.
    the roster import's report for 400) is kept, as one of the shapes the answer may take."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Errors"] = ERROR_BODY
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = {**COMMON, **(POST_ONLY if method == "post" else {})}
            for code, description in codes.items():
                documented = responses.get(code)
                if documented is None:
                    responses[code] = {"description": description,
                                       "content": {"application/json": {"schema": _REF}}}
                    continue
                content = documented.setdefault("content", {})
                json_body = content.get("application/json")
                if json_body is None:
                    content["application/json"] = {"schema": _REF}
                elif json_body.get("schema") != _REF:
                    json_body["schema"] = {"anyOf": [json_body["schema"], _REF]} if json_body.get("schema") else _REF
    return result


# --- Nullable as answered -------------------------------------------------------------------------

def may_be_null(field) -> bool:
    """Whether a response field can be null: it defaults to None (a `source` through a relation that
    may be missing, e.g. `override_by.display_name`), or it reads a nullable model column or goes
    through a nullable relation (e.g. a `decided_at` redeclared for its time zone, which drops the
    model's null=True)."""
    from django.core.exceptions import FieldDoesNotExist
    from rest_framework.fields import empty

    if getattr(field, "default", empty) is None:
        return True
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or field.source == "*" or not getattr(field, "source_attrs", None):
        return False
    for attr in field.source_attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if getattr(model_field, "null", False):
            return True
        if not model_field.is_relation:
            return False
        model = model_field.related_model
    return False


class AutoSchema(_AutoSchema):
    """drf-spectacular's, declaring nullable every response field that may answer null (schemathesis
    checks every answer against the schema)."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and not meta.get("nullable") and may_be_null(field):
            meta["nullable"] = True
        return meta


def allow_empty_query_values(result, generator, request, public):
    """drf-spectacular post-processing hook: an optional query parameter given empty (`?status=`)
    means "no filter", as in every Django filter; the schema says so (allowEmptyValue), so that a
    client, and the fuzzing, know that an empty value is accepted."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
