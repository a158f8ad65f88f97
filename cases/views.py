"""Staff pages for notices of defence: the inbox, a notice's detail and its actions (show the full ID
number, request a supplement, send a drafted request, download a document), and the entry of a
notice that arrived on paper.

Reads go through cases.selectors, which scope them to the user: a notice the user may not see
answers 404, exactly as one that does not exist. Writes go through cases.services; the views only
translate between HTTP and those calls."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import services
from cases.deadlines import rules as registry
from cases.deadlines.models import Deadline
from cases.eligibility import MATERIALS_BASIS, grounds_for
from cases.forms import (
    DESIGNATION_RULE,
    NoticeInboxFilter,
    PaperNoticeForm,
    SupplementRequestForm,
    SupplementSendForm,
    material_label,
)
from cases.models import Category, Condition, CourtCase, Defendant, Document, Notice, SupplementRequest
from cases.selectors import notice_get_for_user, notice_list_for_user, notices_first_by_agency
from cases.validators import mask_id_number, mask_text
from legalaid import clock
from legalaid.errors import DomainError
from legalaid.services import personal_data_access_record
from legalaid.views import staff_required, writer_required

INBOX_PAGE_SIZE = 50
# The designation panel comes from the assignments app: a template there that extends
# cases/notice_detail.html and fills {% block assignment_panel %} is used when it exists.
DETAIL_TEMPLATES = ["assignments/notice_detail.html", "cases/notice_detail.html"]

# What the case log calls each event code; a code not listed is shown as it is.
EVENT_LABELS = {
    "received": gettext_lazy("Notice received"),
    "supplement_requested": gettext_lazy("Supplement requested from the court"),
    "supplement_drafted": gettext_lazy("Supplement request drafted"),
    "materials_supplemented": gettext_lazy("Court supplemented the materials"),
    "materials_complete": gettext_lazy("Materials complete"),
    "document_uploaded": gettext_lazy("Document uploaded"),
    "hearing_scheduled": gettext_lazy("Hearing scheduled"),
    "hearing_changed": gettext_lazy("Hearing changed"),
    "retained_counsel": gettext_lazy("Defendant retained counsel"),
    # The lawyer's work and the court's feedback (assignments.work)
    "work_logged": gettext_lazy("Lawyer logged work"),
    "work_updated": gettext_lazy("Work-log entry corrected"),
    "work_document_added": gettext_lazy("File added to the work log"),
    "work_verified": gettext_lazy("Work confirmed by the detention centre or file system"),
    "work_record_received": gettext_lazy("Record received from a detention centre or file system"),
    "meeting_unconfirmed": gettext_lazy("Meeting not confirmed by the detention centre"),
    "complaint_answered": gettext_lazy("Complaint of obstructed rights answered"),
    "court_request_decided": gettext_lazy("Court decided the lawyer's request"),
    "not_heard": gettext_lazy("Court decided not to hold a hearing"),
    "judgment": gettext_lazy("Judgment"),
    "procedural_decision": gettext_lazy("Major procedural decision"),
    "closing_submitted": gettext_lazy("Lawyer submitted the closing"),
    "closing_returned": gettext_lazy("Closing returned to the lawyer"),
    "closing_accepted": gettext_lazy("Closing accepted: case closed"),
    "closing_amended": gettext_lazy("Accepted closing amended"),
}


def _notice_or_404(request, notice_id) -> Notice:
    try:
        return notice_get_for_user(user=request.user, notice_id=notice_id)
    except Notice.DoesNotExist:
        raise Http404 from None


def _designation_clock(notice):
    """The agency's running designation deadline of a notice, from the prefetched deadlines."""
    for deadline in notice.deadlines.all():
        if deadline.rule_code == DESIGNATION_RULE and deadline.status in Deadline.ACTIVE_STATUSES:
            return deadline
    return None


# --- Inbox ----------------------------------------------------------------------------------------

@never_cache
@staff_required
def inbox(request):
    ordering = ("-received_at", "-pk")
    notices = notice_list_for_user(user=request.user).order_by(*ordering)
    filterset = NoticeInboxFilter(request.GET or None, queryset=notices, request=request)
    page = Paginator(filterset.qs, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    if page.paginator.count:
        # The page's rows are among each agency's first notices down to the page's end.
        first = (page.number - 1) * INBOX_PAGE_SIZE
        page.object_list = notices_first_by_agency(filterset.qs, user=request.user, ordering=ordering,
                                                   count=first + INBOX_PAGE_SIZE)[first:first + INBOX_PAGE_SIZE]
    now = clock.now()
    rows = []
    for notice in page.object_list:
        clock_ = _designation_clock(notice)
        rows.append({
            "notice": notice,
            "id_number": mask_id_number(notice.defendant.id_number),
            "residence": mask_text(notice.defendant.residence),
            "designation": clock_,
            "overdue": bool(clock_ and clock_.due_at < now),
        })
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/notice_inbox.html", {
        "filter": filterset, "page": page, "rows": rows, "query": query.urlencode(),
        "can_write": request.user.can_write_cases,
    })


# --- Detail ---------------------------------------------------------------------------------------

# Fields of the history that say nothing to a reader (bookkeeping), and personal data the history
# shows only masked, whoever reads it.
_HISTORY_SKIP = {"id", "updated_at", "identity_key", "created_at"}
_HISTORY_MASK = {"id_number": mask_id_number, "residence": mask_text, "custody_place": mask_text}


def _show(value, field):
    if field.name in _HISTORY_MASK:
        return _HISTORY_MASK[field.name](value or "")
    if value in (None, "", []):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return clock.to_beijing(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _record_changes(records, model):
    """django-simple-history records of one object, oldest first → one entry per change, with
    each changed field's old and new value."""
    fields = [f for f in model._meta.concrete_fields if f.name not in _HISTORY_SKIP]
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            for field in fields:
                before, after = getattr(previous, field.attname), getattr(record, field.attname)
                if before != after:
                    changes.append({"field": field.verbose_name, "before": _show(before, field),
                                    "after": _show(after, field)})
        if record.history_type != "~" or changes:
            entries.append({"at": record.history_date, "user": record.history_user,
                            "object": model._meta.verbose_name, "type": record.history_type,
                            "changes": changes})
        previous = record
    return entries


def _history(notice):
    entries = []
    for model, pk in ((Notice, notice.pk), (CourtCase, notice.case_id), (Defendant, notice.defendant_id)):
        records = (model.history.filter(id=pk).select_related("history_user")
                   .order_by("history_date", "history_id"))
        entries.extend(_record_changes(records, model))
    return sorted(entries, key=lambda e: e["at"])


def _event_data(data) -> list:
    """An event's data as (key, text) pairs, for the case log."""
    pairs = []
    for key, value in sorted((data or {}).items()):
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        pairs.append((key, "—" if value in (None, "") else value))
    return pairs


def _deadline_rows(notice, now):
    rows = []
    for deadline in notice.deadlines.all():
        rule = registry.REGISTRY.get(deadline.rule_code)
        rows.append({
            "deadline": deadline, "code": deadline.rule_code, "title": rule.title if rule else deadline.rule_code,
            "inference": rule.inference if rule else "",
            "overdue": deadline.status in Deadline.ACTIVE_STATUSES and deadline.due_at < now,
        })
    return rows


def _render_detail(request, notice, *, reveal=False, supplement_form=None, action_error=None, status=200):
    user = request.user
    defendant = notice.defendant
    statuses = dict(Notice.Status.choices)
    events = [{"event": e, "label": EVENT_LABELS.get(e.code, e.code), "data": _event_data(e.data),
               "from": statuses.get(e.from_status, e.from_status), "to": statuses.get(e.to_status, e.to_status)}
              for e in notice.events.select_related("actor").order_by("created_at", "id")]
    supplements = list(notice.supplement_requests.select_related("created_by", "sent_by"))
    if supplement_form is None:
        supplement_form = SupplementRequestForm(initial={"items": notice.missing_materials})
    conditions = dict(Condition.choices)
    context = {
        "notice": notice,
        "case": notice.case,
        "defendant": defendant,
        "id_number": defendant.id_number if reveal else mask_id_number(defendant.id_number),
        "revealed": reveal,
        # Read-only roles (auditors, evaluators) see neither the full ID number nor where the
        # defendant lives or is held.
        "residence": defendant.residence if user.can_write_cases else mask_text(defendant.residence),
        "custody_place": defendant.custody_place if user.can_write_cases else mask_text(defendant.custody_place, 3),
        "conditions": [conditions.get(c, c) for c in defendant.conditions],
        "grounds": grounds_for(notice.grounds),
        "court_reason": Category(notice.court_reason).label if notice.court_reason else "",
        "missing": [{"code": code, "label": material_label(code)} for code in notice.missing_materials],
        "materials_basis": MATERIALS_BASIS,
        "deadlines": _deadline_rows(notice, clock.now()),
        "documents": notice.documents.all(),
        "events": events,
        "history": _history(notice),
        "supplements": supplements,
        "supplement_form": supplement_form,
        "action_error": action_error,
        "can_write": user.can_write_cases,
        "may_reveal": user.can_write_cases and bool(defendant.id_number) and not reveal,
    }
    return render(request, DETAIL_TEMPLATES, context, status=status)


@never_cache
@staff_required
def detail(request, notice_id):
    return _render_detail(request, _notice_or_404(request, notice_id))


@never_cache
@require_POST
@writer_required
def reveal_id_number(request, notice_id):
    """Show the defendant's full identity number, recording who saw it (auditors never do)."""
    notice = _notice_or_404(request, notice_id)
    if notice.defendant.id_number:
        personal_data_access_record(user=request.user, defendant=notice.defendant, field="id_number",
                                    channel="page")
    return _render_detail(request, notice, reveal=True)


def _domain_error_to_form(form, exc: DomainError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, ValidationError(str(exc.message), code=exc.code))


@require_POST
@writer_required
def supplement_request(request, notice_id):
    """Ask the court to supplement the materials, and maybe to move the hearing (M 5(3))."""
    notice = _notice_or_404(request, notice_id)
    form = SupplementRequestForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.supplement_request_create(
                notice=notice, items=form.cleaned_data["items"], note=form.cleaned_data["note"],
                ask_move_hearing=form.cleaned_data["ask_move_hearing"], actor=request.user)
        except DomainError as exc:
            _domain_error_to_form(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The request to supplement the materials was sent to the court."))
            return redirect("notice-detail", notice_id=notice.pk)
    return _render_detail(request, notice, supplement_form=form, status=status)


@require_POST
@writer_required
def supplement_send(request, notice_id, request_id):
    """Send a drafted supplement request (drafted by the 15-day materials check) to the court."""
    notice = _notice_or_404(request, notice_id)
    draft = get_object_or_404(SupplementRequest, pk=request_id, notice=notice)
    form = SupplementSendForm(request.POST)
    if not form.is_valid():
        error = form.errors.as_data()["note"][0]
        return _render_detail(request, notice, action_error={"code": error.code, "message": error.messages[0]},
                              status=400)
    try:
        services.supplement_request_send(request=draft, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        return _render_detail(request, notice, action_error={"code": exc.code, "message": exc.message},
                              status=exc.status)
    messages.success(request, _("The request to supplement the materials was sent to the court."))
    return redirect("notice-detail", notice_id=notice.pk)


@staff_required
def document_download(request, notice_id, document_id):
    """A document of a notice the user may see. Files live outside the web root: this view is the
    only way to them."""
    notice = _notice_or_404(request, notice_id)
    document = get_object_or_404(Document, pk=document_id, notice=notice)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Paper notices ------------------------------------------------------------------------------------

@never_cache
@writer_required
def notice_new(request):
    """Enter a notice that arrived on paper. The API's serializer validates it (one set of rules),
    and the same service receives it."""
    form = PaperNoticeForm(request.POST or None, user=request.user)
    duplicate = None
    if request.method == "POST":
        if form.is_valid():
            try:
                notice = services.notice_receive(court=form.cleaned_data["court"], data=form.validated_data,
                                                 actor=request.user, source=Notice.Source.PAPER)
            except services.DuplicateNotice as exc:
                duplicate = exc.existing
                form.add_error(None, ValidationError(str(exc.message), code=exc.code))
            except DomainError as exc:
                _domain_error_to_form(form, exc)
            else:
                messages.success(request, _("The notice was entered."))
                return redirect("notice-detail", notice_id=notice.pk)
        status = 409 if duplicate else 400
    else:
        status = 200
    return render(request, "cases/notice_new.html", {"form": form, "duplicate": duplicate}, status=status)
