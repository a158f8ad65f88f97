"""Staff pages: the designation page of a notice (ranked candidates with reasons, designate,
replace, terminate, the full history), the roster (lawyers, firms, import), duty rosters and the
fairness report; and the lawyer's page to accept or decline. Views parse, call a service, and show
its result or its error: no business logic here."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import rules, selectors, services
from assignments import forms as f
from assignments.imports import read_rows
from assignments.models import Designation, DutyStation, LawFirm, Lawyer
from assignments.recommendation import recommend
from cases.models import Notice
from assignments.selectors import notice_get_for_user
from cases.selectors import visible_agencies
from legalaid import clock
from legalaid.errors import DomainError
from legalaid.models import Role


def _agency_member(request):
    user = request.user
    if not (user.is_agency_member or user.is_administrator):
        raise PermissionDenied


def _writer(request):
    """A change (designate, roster, duty shifts): staff, supervisors and administrators. Auditors and
    evaluators read only, and are refused before anything is tried (docs/permissions.md)."""
    _agency_member(request)
    if not request.user.can_write_cases:
        raise PermissionDenied


def _notice(request, pk, *, write=False) -> Notice:
    if write:
        _writer(request)
    else:
        _agency_member(request)
    try:
        return notice_get_for_user(user=request.user, notice_id=pk)
    except Notice.DoesNotExist:
        raise Http404 from None


def _fail(request, exc: DomainError):
    messages.error(request, str(exc.message))


# --- The designation page of a notice -----------------------------------------------------------

@login_required
def designation_page(request, pk):
    notice = _notice(request, pk)
    pool = request.GET.get("pool") if request.GET.get("pool") in ("prefecture", "province") else None
    rec = recommend(notice=notice, pool=pool)
    return render(request, "assignments/designation.html", {
        "notice": notice, "rec": rec, "current": selectors.current_designation(notice),
        "history": selectors.designation_history(notice), "refusals": selectors.refusals(notice),
        "designate_form": f.DesignateForm(), "terminate_form": f.TerminateForm(), "replace_form": f.ReplaceForm(),
        "party_form": f.CasePartyForm(), "parties": notice.case.parties.all(), "filters": rules.FILTERS.values(),
        "pool": pool or rec.weights.pool,
    })


@login_required
@require_POST
def designate(request, pk):
    notice = _notice(request, pk, write=True)
    form = f.DesignateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("designation-page", pk=pk)
    try:
        designation = services.lawyer_designate(notice=notice, lawyer=form.cleaned_data["lawyer"], actor=request.user,
                                                reason=form.cleaned_data["reason"],
                                                override_reason=form.cleaned_data["override_reason"])
        messages.success(request, _("%(lawyer)s is designated. The letter to the court is ready.")
                         % {"lawyer": designation.lawyer.name})
    except DomainError as exc:
        _fail(request, exc)
    return redirect("designation-page", pk=pk)


@login_required
@require_POST
def terminate(request, pk):
    notice = _notice(request, pk, write=True)
    form = f.TerminateForm(request.POST)
    if form.is_valid():
        try:
            services.notice_aid_terminate(notice=notice, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Legal aid is terminated."))
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Choose a ground and write the reasons."))
    return redirect("designation-page", pk=pk)


@login_required
@require_POST
def replace(request, pk):
    notice = _notice(request, pk, write=True)
    form = f.ReplaceForm(request.POST)
    if form.is_valid():
        try:
            services.designation_replace(notice=notice, actor=request.user, lawyer=form.cleaned_data["lawyer"],
                                         ground=form.cleaned_data["ground"], note=form.cleaned_data["note"],
                                         override_reason=form.cleaned_data["override_reason"])
            messages.success(request, _("The lawyer is replaced."))
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("designation-page", pk=pk)


@login_required
@require_POST
def add_party(request, pk):
    notice = _notice(request, pk, write=True)
    form = f.CasePartyForm(request.POST)
    if form.is_valid():
        try:
            services.case_party_add(case=notice.case, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
    return redirect("designation-page", pk=pk)


# --- The roster ----------------------------------------------------------------------------------

@login_required
def lawyer_list(request):
    _agency_member(request)
    search = request.GET.get("q", "").strip()
    lawyers = selectors.lawyer_list(search=search)[:200]
    return render(request, "assignments/lawyer_list.html", {"lawyers": lawyers, "q": search})


def _lawyer_data(form):
    data = dict(form.cleaned_data)
    if not data.get("status"):
        data.pop("status", None)
    return data


@login_required
def lawyer_new(request):
    _writer(request)
    form = f.LawyerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lawyer = services.lawyer_create(data=_lawyer_data(form), actor=request.user)
            return redirect("lawyer-detail", pk=lawyer.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "assignments/lawyer_form.html", {"form": form})


@login_required
def lawyer_detail(request, pk):
    if request.method == "POST":
        _writer(request)
    else:
        _agency_member(request)
    try:
        lawyer = selectors.lawyer_detail(pk=pk)
    except Lawyer.DoesNotExist:
        raise Http404 from None
    initial = {name: getattr(lawyer, name) for name in f.LawyerForm.base_fields if hasattr(lawyer, name)}
    form = f.LawyerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lawyer_update(lawyer=lawyer, data=_lawyer_data(form), actor=request.user)
            messages.success(request, _("Saved."))
            return redirect("lawyer-detail", pk=pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "assignments/lawyer_detail.html", {
        "lawyer": lawyer, "form": form, "leave_form": f.LeaveForm(), "suspension_form": f.SuspensionForm(),
        "client_form": f.ClientForm(), "history": lawyer.history.select_related("history_user")[:20],
        "open_cases": selectors.lawyer_list().get(pk=pk).open_cases})


@login_required
@require_POST
def lawyer_period(request, pk, kind):
    _writer(request)
    if kind not in ("leave", "suspension", "client"):
        raise Http404
    lawyer = get_object_or_404(Lawyer, pk=pk)
    form = {"leave": f.LeaveForm, "suspension": f.SuspensionForm, "client": f.ClientForm}[kind](request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("lawyer-detail", pk=pk)
    try:
        if kind == "leave":
            services.lawyer_leave_add(lawyer=lawyer, actor=request.user, **form.cleaned_data)
        elif kind == "suspension":
            services.lawyer_suspend(lawyer=lawyer, actor=request.user, **form.cleaned_data)
        else:
            services.lawyer_client_add(lawyer=lawyer, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("lawyer-detail", pk=pk)


@login_required
def firm_list(request):
    if request.method == "POST":
        _writer(request)
    else:
        _agency_member(request)
    form = f.LawFirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lawfirm_create(actor=request.user, **form.cleaned_data)
            return redirect("firm-list")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "assignments/firm_list.html", {
        "firms": LawFirm.objects.select_related("region").order_by("name")[:500], "form": form})


@login_required
def roster_import(request):
    _writer(request)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.roster_import(rows=read_rows(form.cleaned_data["file"]), actor=request.user)
        except DomainError as exc:
            form.add_error("file", str(exc.message))
    return render(request, "assignments/import.html", {"form": form, "report": report})


# --- Duty rosters --------------------------------------------------------------------------------

@login_required
def duty_roster(request):
    if request.method == "POST":
        _writer(request)
    else:
        _agency_member(request)
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = clock.today()
    end = start + dt.timedelta(days=13)
    agencies = visible_agencies(request.user) if request.user.agency_id else None
    stations = DutyStation.objects.filter(agency__in=agencies) if agencies is not None else DutyStation.objects.all()
    shift_form = f.ShiftForm(request.POST or None)
    shift_form.fields["station"].queryset = stations
    if request.method == "POST" and shift_form.is_valid():
        lawyer = Lawyer.objects.filter(licence_number=shift_form.cleaned_data["licence_number"]).first()
        if lawyer is None:
            shift_form.add_error("licence_number", _("No lawyer on the roster has this licence number."))
        else:
            try:
                services.duty_shift_add(station=shift_form.cleaned_data["station"], date=shift_form.cleaned_data["date"],
                                        lawyer=lawyer, actor=request.user)
                return redirect(f"{request.path}?from={start.isoformat()}")
            except DomainError as exc:
                shift_form.add_error(None, str(exc.message))
    shifts = selectors.shifts_for(agency_ids=stations.values("agency_id"), start=start, end=end)
    return render(request, "assignments/duty.html", {"shifts": shifts, "start": start, "end": end,
                                                      "shift_form": shift_form, "stations": stations})


# --- Fairness --------------------------------------------------------------------------------------

@login_required
def fairness(request):
    _agency_member(request)
    form = f.FairnessForm(request.GET or None)
    report = None
    if form.is_valid() and request.user.agency_id:
        if form.cleaned_data["end"] < form.cleaned_data["start"]:
            form.add_error("end", _("The period ends before it starts."))
        else:
            report = selectors.fairness_report(agency=request.user.agency, start=form.cleaned_data["start"],
                                               end=form.cleaned_data["end"])
    return render(request, "assignments/fairness.html", {"form": form, "report": report})


# --- The lawyer's designations ---------------------------------------------------------------------

@login_required
def my_designations(request):
    if request.user.role != Role.LAWYER:
        raise PermissionDenied
    return render(request, "assignments/mine.html", {
        "designations": selectors.designations_for_lawyer(request.user)[:100], "decline_form": f.DeclineForm()})


@login_required
@require_POST
def answer(request, pk, verb):
    if verb not in ("accept", "decline"):
        raise Http404
    designation = get_object_or_404(Designation, pk=pk, lawyer__user=request.user)
    try:
        if verb == "accept":
            services.designation_accept(designation=designation, actor=request.user)
        else:
            form = f.DeclineForm(request.POST)
            services.designation_decline(designation=designation, actor=request.user,
                                         reason=form.data.get("reason", ""))
    except DomainError as exc:
        _fail(request, exc)
    back = request.POST.get("next", "")
    if back.startswith("/lawyer/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)  # answered from the lawyer's portal
    return redirect("my-designations")
