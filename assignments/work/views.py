"""The lawyer's portal (my cases; a case with the notice, the court's contact, documents, deadlines,
the court's feedback, the work log and the closing; forms to log work and to close), and the staff's
actions on the lawyer's work (review a closing, answer a complaint, correct a closed case's log).
Views parse, call a service, and show its result or its error: no business logic here."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assignments.work import selectors, services
from assignments.work import forms as f
from assignments.work.models import Closing, WorkDocument, WorkLogEntry
from assignments.work.rules import SPECS, EntryKind
from cases.deadlines.models import Deadline
from cases.models import Document, Notice
from assignments.selectors import notice_get_for_user
from legalaid import clock
from legalaid.errors import DomainError
from legalaid.models import Role
from legalaid.views import staff_required, writer_required


def lawyer_required(view):
    """A lawyer's page: anonymous users go to the login page, other roles get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.LAWYER:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _notice(request, pk) -> Notice:
    try:
        return notice_get_for_user(user=request.user, notice_id=pk)
    except Notice.DoesNotExist:
        raise Http404 from None


def _to_form(form, exc: DomainError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, ValidationError(str(exc.message), code=exc.code))


def _download(owner, name, content_type):
    try:
        handle = owner.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- The lawyer's pages ---------------------------------------------------------------------------

@never_cache
@lawyer_required
def home(request):
    """My cases: open ones with their next deadline (answers awaited first), then past ones."""
    return render(request, "lawyer/home.html", {
        "rows": selectors.lawyer_case_rows(request.user),
        "past": selectors.lawyer_case_rows(request.user, past=True),
        "decline_form_name": "reason",
    })


def _case_context(request, notice):
    try:
        data = selectors.lawyer_case_detail(request.user, notice)
    except Notice.DoesNotExist:
        raise Http404 from None
    designation = data["designation"]
    working = designation.status == designation.Status.ACCEPTED and notice.status == Notice.Status.ASSIGNED
    now = clock.now()
    overdue = {d.pk for d in data["deadlines"] if d.status in Deadline.ACTIVE_STATUSES and d.due_at < now}
    closing_duties = selectors.duty_rows(data["closing"].duties) if data["closing"] else []
    return {**data, "notice": notice, "case": notice.case, "working": working, "overdue": overdue,
            "closing_duties": closing_duties,
            "kinds": [SPECS[k] for k in EntryKind.values] if working else [],
            "missing": [d for d in data["duties"] if d["met"] is False]}


@never_cache
@lawyer_required
def case(request, pk):
    notice = _notice(request, pk)
    if selectors.my_designation(request.user, notice) is None:
        raise Http404
    return render(request, "lawyer/case.html", _case_context(request, notice))


@never_cache
@lawyer_required
def log(request, pk, kind):
    """Log one kind of work on the case."""
    if kind not in SPECS:
        raise Http404
    notice = _notice(request, pk)
    form = f.WorkEntryForm(request.POST or None, request.FILES or None, kind=kind)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.work_entry_log(notice=notice, kind=kind, values=form.values,
                                        files=form.cleaned_data.get("files") or [], actor=request.user)
            except DomainError as exc:
                _to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Logged: %(what)s.") % {"what": SPECS[kind].title})
                return redirect(f"/lawyer/cases/{notice.pk}/#work")
        else:
            status = 400
    return render(request, "lawyer/entry_form.html", {"notice": notice, "case": notice.case, "spec": SPECS[kind],
                                                      "form": form, "editing": False}, status=status)


@never_cache
@lawyer_required
def closing(request, pk):
    """Close the case: the closing report, materials and the judgment; refused with what is missing."""
    notice = _notice(request, pk)
    form = f.ClosingForm(request.POST or None, request.FILES or None)
    missing, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.closing_submit(notice=notice, summary=form.cleaned_data["summary"],
                                        materials=form.cleaned_data.get("materials") or [],
                                        judgment=form.cleaned_data.get("judgment"), actor=request.user)
            except DomainError as exc:
                missing = exc.extra.get("missing", [])
                _to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The closing was submitted to the agency."))
                return redirect(f"/lawyer/cases/{notice.pk}/#closing")
        else:
            status = 400
    context = _case_context(request, notice)
    return render(request, "lawyer/closing_form.html", {**context, "form": form, "refused": missing},
                  status=status)


@lawyer_required
def document(request, pk, document_id):
    """A document the court uploaded, for the lawyer designated now."""
    notice = _notice(request, pk)
    designation = selectors.my_designation(request.user, notice)
    if designation is None or not designation.is_current:
        raise Http404
    doc = get_object_or_404(Document, pk=document_id, notice=notice)
    return _download(doc, doc.original_name, doc.content_type)


# --- Shared: files, corrections --------------------------------------------------------------------

@login_required
def work_document(request, pk, document_id):
    """A file of the work log or the closing: the lawyers designated to the notice and the agency."""
    try:
        doc = selectors.work_document_for(request.user, pk, document_id)
    except WorkDocument.DoesNotExist:
        raise Http404 from None
    return _download(doc, doc.original_name, doc.content_type)


def _case_url(user, notice):
    return f"/lawyer/cases/{notice.pk}/#work" if user.role == Role.LAWYER else f"/notices/{notice.pk}/#work"


@never_cache
@login_required
def entry_edit(request, entry_id):
    """Correct an entry: its lawyer while the case is open, a supervisor (with a reason) after."""
    user = request.user
    if not (user.role == Role.LAWYER or user.is_agency_member or user.is_administrator):
        raise PermissionDenied
    entry = get_object_or_404(WorkLogEntry.objects.select_related("notice"), pk=entry_id)
    notice = _notice(request, entry.notice_id)
    if user.role == Role.LAWYER and entry.lawyer.user_id != user.pk:
        raise Http404
    needs_reason = not notice.is_open
    form = f.WorkEntryForm(request.POST or None, kind=entry.kind, editing=True, needs_reason=needs_reason,
                           initial=f.entry_initial(entry))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.work_entry_update(entry=entry, changes=form.values, actor=user,
                                           reason=form.cleaned_data.get("reason", ""))
            except DomainError as exc:
                _to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The entry was corrected."))
                return redirect(_case_url(user, notice))
        else:
            status = 400
    return render(request, "lawyer/entry_form.html", {"notice": notice, "case": notice.case, "spec": SPECS[entry.kind],
                                                      "form": form, "editing": True, "entry": entry,
                                                      "back": _case_url(user, notice)}, status=status)


# --- Staff: closings, complaints ---------------------------------------------------------------------

@require_POST
@writer_required
def closing_review(request, pk, verb):
    if verb not in ("accept", "return"):
        raise Http404
    notice = _notice(request, pk)
    closing_ = get_object_or_404(Closing, notice=notice)
    form = f.ReviewForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if verb == "accept":
            services.closing_accept(closing=closing_, note=note, actor=request.user)
            messages.success(request, _("The closing is accepted: the case is closed."))
        else:
            services.closing_return(closing=closing_, note=note, actor=request.user)
            messages.success(request, _("The closing was returned to the lawyer."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"/notices/{notice.pk}/#closing")


@require_POST
@staff_required
def closing_amend(request, pk):
    notice = _notice(request, pk)
    closing_ = get_object_or_404(Closing, notice=notice)
    form = f.AmendForm(request.POST)
    form.is_valid()
    try:
        services.closing_amend(closing=closing_, summary=form.cleaned_data.get("summary", ""),
                               reason=form.cleaned_data.get("reason", ""), actor=request.user)
        messages.success(request, _("The closing was amended."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"/notices/{notice.pk}/#closing")


@require_POST
@staff_required
def complaint_answer(request, entry_id):
    entry = get_object_or_404(WorkLogEntry, pk=entry_id, kind=EntryKind.OBSTRUCTION_COMPLAINT)
    notice = _notice(request, entry.notice_id)
    form = f.AnswerForm(request.POST)
    form.is_valid()
    try:
        services.complaint_answer(entry=entry, answer=form.cleaned_data.get("answer", ""), actor=request.user)
        messages.success(request, _("The answer was sent to the lawyer."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(request.POST.get("back") if request.POST.get("back") == "/work/complaints/"
                    else f"/notices/{notice.pk}/#work")


@never_cache
@staff_required
def complaints(request):
    """Complaints that lawyers' rights were obstructed (M 19), unanswered first."""
    return render(request, "lawyer/complaints.html", {"complaints": selectors.complaints_for(request.user),
                                                      "answer_form": f.AnswerForm()})
