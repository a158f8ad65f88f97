"""The project's own pages (home, health check) and the access rules every staff page shares."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from legalaid.models import Role


def may_use_staff_pages(user) -> bool:
    """Staff pages are for the agency roles (staff, supervisors, auditors, evaluators) and
    administrators. Court accounts use the API; lawyers get their own pages."""
    return user.is_authenticated and user.is_active and (user.is_agency_member or user.is_administrator)


def staff_required(view):
    """A staff page: anonymous users go to the login page, other roles get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_use_staff_pages(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def writer_required(view):
    """A staff page that changes cases: staff, supervisors and administrators; auditors and
    evaluators only read (User.can_write_cases)."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.can_write_cases:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def url_exists(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


@login_required
def home(request):
    user = request.user
    if may_use_staff_pages(user):
        return redirect("notice-inbox")
    if user.role == Role.LAWYER and url_exists("lawyer-home"):
        return redirect("lawyer-home")
    # Court accounts (and roles whose pages come later) have nothing here yet: say where to go.
    return render(request, "home.html", {"is_court": user.role == Role.COURT})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Error pages: the API answers in its own error shape -------------------------------------------

def _api_error(status, code, message):
    from legalaid.api.errors import error_body

    return JsonResponse(error_body([{"field": None, "code": code, "message": str(message)}]), status=status)


def page_not_found(request, exception=None):
    """A path that matches no URL: under /api/ the contract's JSON error (docs/court-api.md), elsewhere the
    site's 404 page."""
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", _("Not found."))
    from django.views.defaults import page_not_found as default

    return default(request, exception)


def bad_request(request, exception=None):
    """Django's own 400s (a body too large, too many fields, a bad Host header): under /api/ in the
    contract's error shape — 413 for a body too large, as for an oversized upload."""
    if request.path.startswith("/api/"):
        from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

        from legalaid.api.errors import error_body, too_big_error

        if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
            status, error = too_big_error(exception)
            return JsonResponse(error_body([error]), status=status)
        return _api_error(400, "bad_request", _("Bad request."))
    from django.views.defaults import bad_request as default

    return default(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return _api_error(500, "server_error", _("A server error occurred. It has been logged."))
    from django.views.defaults import server_error as default

    return default(request)
