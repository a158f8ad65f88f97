"""Subsidy pages (agency accounts): the list with its filters and the finance export, and a
subsidy's page with the calculation line by line and the actions the user's role may take."""
import datetime as dt

from django.contrib import messages
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


def _filtered(request):
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.subsidy_list_for_user(user=request.user, status=data.get("status", ""),
                                         paid_from=data.get("paid_from"), paid_to=data.get("paid_to"))
    return form, qs


@staff_required
def subsidy_list(request):
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "subsidies/list.html", {"form": form, "page": page, "query": query.urlencode()},
                            status=400 if form.is_bound and not form.is_valid() else 200)


@staff_required
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


@staff_required
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


@staff_required
@require_POST
def subsidy_approve(request, pk):
    def approve(subsidy):
        done = services.subsidy_approve(subsidy=subsidy, actor=request.user)
        messages.success(request, _("The subsidy was approved."))
        return done
    return _act(request, pk, approve)


@staff_required
@require_POST
def subsidy_recompute(request, pk):
    def recompute(subsidy):
        done = services.subsidy_recompute(subsidy=subsidy, actor=request.user)
        messages.success(request, _("The subsidy was computed again."))
        return done
    return _act(request, pk, recompute)


@staff_required
@require_POST
def subsidy_pay(request, pk):
    def pay(subsidy):
        form = PayForm(request.POST)
        if not form.is_valid():
            return None, {"pay_form": form}
        try:
            done = services.subsidy_pay(subsidy=subsidy, paid_on=form.cleaned_data["paid_on"],
                                        reference=form.cleaned_data["reference"], actor=request.user)
        except DomainError as exc:
            if exc.status != 400:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            return None, {"pay_form": form}
        messages.success(request, _("The payment was recorded."))
        return done
    return _act(request, pk, pay)


@staff_required
@require_POST
def subsidy_correct(request, pk):
    def correct(subsidy):
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            return None, {"correction_form": form}
        try:
            done = services.subsidy_correct(subsidy=subsidy, amount=form.cleaned_data["amount"],
                                            reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            if exc.status != 400:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            return None, {"correction_form": form}
        messages.success(request, _("The correction was entered as a new subsidy entry."))
        return done
    return _act(request, pk, correct)
