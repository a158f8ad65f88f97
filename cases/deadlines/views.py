"""The staff deadline board (/deadlines/): due today, overdue and at risk, by party, with filters;
the breach register; and the waive action. Agency roles and administrators only, scoped like the
notices they may see. Views only read request data and call selectors and services."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.deadlines import selectors
from cases.deadlines.filters import BreachRegisterFilter, DeadlineBoardFilter
from cases.deadlines.forms import WaiveForm
from cases.deadlines.services import deadline_waive
from legalaid.errors import DomainError

REGISTER_PAGE_SIZE = 50


def staff_only(view):
    """Agency roles and administrators; anyone else signed in is refused (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_agency_member or user.is_administrator):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _base():
    # The site's layout once it exists; until then a minimal one of our own.
    return select_template(["base.html", "deadlines/_layout.html"])


@staff_only
def board(request):
    scoped = selectors.deadlines_for_user(user=request.user)
    filters = DeadlineBoardFilter(request.GET or None, queryset=scoped, request=request)
    queryset = filters.qs if filters.is_bound and filters.is_valid() else scoped
    windows = selectors.board_windows()
    context = {
        "base_template": _base(), "filter": filters, "windows": windows,
        "at_risk_days": selectors.AT_RISK_WORKING_DAYS, "limit": selectors.SECTION_LIMIT,
        "can_waive": request.user.can_write_cases,
        **selectors.deadline_board(queryset=queryset, windows=windows),
    }
    return TemplateResponse(request, "deadlines/board.html", context)


@staff_only
def breaches(request):
    register = selectors.breach_register(user=request.user)
    filters = BreachRegisterFilter(request.GET or None, queryset=register, request=request)
    queryset = filters.qs if filters.is_bound and filters.is_valid() else register
    page = Paginator(queryset, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"base_template": _base(), "filter": filters, "page": page,
               "query": query.urlencode()}
    return TemplateResponse(request, "deadlines/breaches.html", context)


@staff_only
@require_http_methods(["GET", "POST"])
def waive(request, pk):
    """Waive a running clock, with the reason (recorded with who waived it)."""
    if not request.user.can_write_cases:
        raise PermissionDenied
    deadline = get_object_or_404(selectors.deadlines_for_user(user=request.user).select_related(
        "notice__case", "notice__defendant", "notice__court"), pk=pk)
    form = WaiveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                deadline_waive(deadline=deadline, actor=request.user, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("The deadline was waived."))
                target = request.POST.get("next", "")
                safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
                return redirect(target if target and safe else "deadline-board")
        else:
            status = 400
    context = {"base_template": _base(), "deadline": deadline, "form": form,
               "next": request.GET.get("next") or request.POST.get("next") or ""}
    return TemplateResponse(request, "deadlines/waive.html", context, status=status)
