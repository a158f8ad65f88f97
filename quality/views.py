"""Staff pages of quality: a case's quality (the standard, the evaluations, the grade and the
evaluation form), a lawyer's quality record, suspension proposals to confirm or dismiss, training
records and the yearly report, clients' complaints. Views parse, call a service, and show its result
or its error: no business logic here."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assignments.models import Lawyer
from cases.models import Notice
from cases.selectors import notice_get_for_user
from legalaid import clock
from legalaid.errors import DomainError
from legalaid.models import Role
from legalaid.views import staff_required, writer_required
from quality import forms as f
from quality import rules, selectors, services
from quality.models import SuspensionProposal


def _notice(request, pk) -> Notice:
    try:
        return notice_get_for_user(user=request.user, notice_id=pk)
    except Notice.DoesNotExist:
        raise Http404 from None


def _to_form(form, exc: DomainError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, ValidationError(str(exc.message), code=exc.code))


def _is_supervisor(user) -> bool:
    return user.role == Role.SUPERVISOR or user.is_administrator


@never_cache
@staff_required
def case_quality(request, pk):
    """The case's quality: each item of the standard with its evidence, the evaluations, the grade,
    and the evaluation form for a role that may give one."""
    notice = _notice(request, pk)
    form = f.EvaluationForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind in rules.EVALUATIONS and not rules.may_give(request.user, kind):
            raise PermissionDenied  # a role that may not give this kind of evaluation
        if form.is_valid():
            try:
                services.evaluation_create(notice=notice, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                _to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The evaluation was recorded and the grade recomputed."))
                return redirect("quality:case", pk=notice.pk)
        else:
            status = 400
    data = selectors.case_quality(notice=notice)
    return render(request, "quality/case.html", {
        **data, "notice": notice, "case": notice.case, "form": form, "may_evaluate": bool(form.fields["kind"].choices),
        "kinds": [(rules.EvaluationKind(k).label, spec) for k, spec in rules.EVALUATIONS.items()],
        "complaint_form": f.ComplaintForm(), "can_write": request.user.can_write_cases,
    }, status=status)


@require_POST
@writer_required
def complaint_new(request, pk):
    notice = _notice(request, pk)
    form = f.ComplaintForm(request.POST)
    if form.is_valid():
        try:
            complaint = services.complaint_receive(notice=notice, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The complaint was recorded."))
            return redirect("quality:complaint", pk=complaint.pk)
    else:
        messages.error(request, _("The complaint was not recorded: %(errors)s")
                       % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)})
    return redirect("quality:case", pk=notice.pk)


@never_cache
@staff_required
def lawyer_record(request, lawyer_id):
    lawyer = get_object_or_404(Lawyer.objects.select_related("firm", "region"), pk=lawyer_id)
    return render(request, "quality/lawyer.html", selectors.lawyer_record(lawyer=lawyer))


@never_cache
@staff_required
def proposals(request):
    return render(request, "quality/proposals.html", {
        "proposals": selectors.proposals_list(), "may_decide": _is_supervisor(request.user),
        "confirm_form": f.ConfirmForm(initial={"starts_on": clock.today()}), "dismiss_form": f.DismissForm()})


@require_POST
@staff_required
def proposal_decide(request, pk, verb):
    if verb not in ("confirm", "dismiss"):
        raise Http404
    if not _is_supervisor(request.user):
        raise PermissionDenied  # only a supervisor decides on a suspension
    proposal = get_object_or_404(SuspensionProposal, pk=pk)
    form = (f.ConfirmForm if verb == "confirm" else f.DismissForm)(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("quality:proposals")
    try:
        if verb == "confirm":
            services.suspension_proposal_confirm(proposal=proposal, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The lawyer is suspended from designations."))
        else:
            services.suspension_proposal_dismiss(proposal=proposal, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The proposal was dismissed."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("quality:proposals")


# Training records start with the full-coverage pilot; a year outside this range (0, -1, 99999, "abc")
# cannot be a query date and gets the current year with a clear message (400).
FIRST_TRAINING_YEAR = 2017


def _year(request) -> tuple[int, str | None]:
    this_year = clock.today().year
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        return this_year, None
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not FIRST_TRAINING_YEAR <= year <= this_year + 1:
        return this_year, _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_TRAINING_YEAR,
                                                                             "last": this_year + 1}
    return year, None


@never_cache
@staff_required
def training(request):
    """Training records of a year, the form to add one, and the report: lawyers under the minimum."""
    year, year_error = _year(request)
    form = f.TrainingForm(request.POST or None)
    status = 200
    if year_error:
        messages.error(request, year_error)
        status = 400
    if request.method == "POST":
        if not request.user.can_write_cases:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("licence_number")
            try:
                services.training_record_add(actor=request.user, **data)
            except DomainError as exc:
                _to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The training session was recorded."))
                return redirect(f"{request.path}?year={data['held_on'].year}")
        else:
            status = 400
    report = selectors.training_report(year=year)
    return render(request, "quality/training.html", {
        "year": year, "records": selectors.training_list(year=year), "report": report,
        "under": sum(1 for r in report if r["under"]), "form": form, "can_write": request.user.can_write_cases,
    }, status=status)


@never_cache
@staff_required
def complaints(request):
    return render(request, "quality/complaints.html", {"complaints": selectors.complaints_for(request.user)})


def _complaint(request, pk):
    complaint = selectors.complaints_for(request.user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


@never_cache
@staff_required
def complaint_detail(request, pk):
    complaint = _complaint(request, pk)
    return render(request, "quality/complaint.html", {
        "complaint": complaint, "can_write": request.user.can_write_cases,
        "investigate_form": f.InvestigateForm(), "decide_form": f.DecideForm(),
        "history": complaint.history.select_related("history_user").order_by("-history_date")})


@require_POST
@writer_required
def complaint_act(request, pk, verb):
    if verb not in ("investigate", "decide"):
        raise Http404
    complaint = _complaint(request, pk)
    form = (f.InvestigateForm if verb == "investigate" else f.DecideForm)(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("quality:complaint", pk=complaint.pk)
    data = dict(form.cleaned_data)
    try:
        if verb == "investigate":
            services.complaint_investigate(complaint=complaint, actor=request.user, **data)
            messages.success(request, _("The complaint is under investigation."))
        else:
            data.pop("replace_licence", None)
            services.complaint_decide(complaint=complaint, actor=request.user, **data)
            messages.success(request, _("The complaint was decided."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("quality:complaint", pk=complaint.pk)
