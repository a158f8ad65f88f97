"""Subsidy pages (agency accounts): the list with its filters and the finance export, and a
subsidy's page with the calculation line by line and the actions the user's role may take."""
import datetime as dt

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from legalaid.errors import DomainError
from legalaid.views import staff_required
from quality.subsidies import exports, selectors, services
from quality.subsidies.forms import CorrectionForm, FilterForm, PayForm
from quality.subsidies.models import Subsidy

PAGE_SIZE = 50


def subsidies_required(view):
    """A staff page about money: staff, supervisors, auditors and administrators (not evaluators)."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not selectors.may_see_subsidies(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request):
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.subsidy_list_for_user(user=request.user, status=data.get("status", ""),
                                         paid_from=data.get("paid_from"), paid_to=data.get("paid_to"))
    return form, qs


@subsidies_required
def subsidy_list(request):
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "subsidies/list.html", {"form": form, "page": page, "query": query.urlencode()},
                            status=400 if form.is_bound and not form.is_valid() else 200)


@subsidies_required
def subsidy_export(request):
    """The filtered list as an Excel workbook for finance: one row per subsidy, and its lines."""
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        return TemplateResponse(request, "subsidies/list.html", {"form": form, "page": None, "query": ""}, status=400)
    content = exports.subsidies_xlsx(list(qs), form.cleaned_data if form.is_bound else {})
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="subsidies-{dt.date.today():%Y%m%d}.xlsx"'
    return response


def _subsidy(request, pk) -> Subsidy:
    try:
        return selectors.subsidy_get_for_user(user=request.user, pk=pk)
    except Subsidy.DoesNotExist:
        raise Http404


@subsidies_required
def subsidy_detail(request, pk, pay_form=None, correction_form=None, status=200):
    subsidy = _subsidy(request, pk)
    context = {"subsidy": subsidy, "lines": list(subsidy.lines.all()),
               "may_approve": services.may_approve(request.user) and subsidy.status == Subsidy.Status.PENDING,
               "may_act": services.may_record_payment(request.user),
               "pay_form": pay_form or PayForm(), "correction_form": correction_form or CorrectionForm(),
               "corrections": list(Subsidy.objects.filter(corrects=subsidy).order_by("computed_at"))}
    return TemplateResponse(request, "subsidies/detail.html", context, status=status)


def _act(request, pk, action):
    subsidy = _subsidy(request, pk)
    try:
        result = action(subsidy)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return subsidy_detail(request, pk, status=exc.status)
    if isinstance(result, tuple):  # a form with errors
        return subsidy_detail(request, pk, status=400, **result[1])
    return redirect("subsidies:detail", pk=result.pk)


@subsidies_required
@require_POST
def subsidy_approve(request, pk):
    def approve(subsidy):
        done = services.subsidy_approve(subsidy=subsidy, actor=request.user)
        messages.success(request, _("The subsidy was approved."))
        return done
    return _act(request, pk, approve)


@subsidies_required
@require_POST
def subsidy_recompute(request, pk):
    def recompute(subsidy):
        done = services.subsidy_recompute(subsidy=subsidy, actor=request.user)
        messages.success(request, _("The subsidy was computed again."))
        return done
    return _act(request, pk, recompute)


def _form_act(request, pk, form_class, context_key, perform, success):
    """A POST action with a form: the form's errors and the service's 400s stay on the page (400)."""
    def act(subsidy):
        form = form_class(request.POST)
        if not form.is_valid():
            return None, {context_key: form}
        try:
            done = perform(subsidy, form.cleaned_data)
        except DomainError as exc:
            if exc.status != 400:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            return None, {context_key: form}
        messages.success(request, success)
        return done
    return _act(request, pk, act)


@subsidies_required
@require_POST
def subsidy_pay(request, pk):
    return _form_act(request, pk, PayForm, "pay_form",
                     lambda subsidy, data: services.subsidy_pay(subsidy=subsidy, paid_on=data["paid_on"],
                                                                reference=data["reference"], actor=request.user),
                     _("The payment was recorded."))


@subsidies_required
@require_POST
def subsidy_correct(request, pk):
    return _form_act(request, pk, CorrectionForm, "correction_form",
                     lambda subsidy, data: services.subsidy_correct(subsidy=subsidy, amount=data["amount"],
                                                                    reason=data["reason"], actor=request.user),
                     _("The correction was entered as a new subsidy entry."))
