"""Domain operations on notices: receive, supplement, hearing changes, withdrawal, documents,
supplement requests. Each runs guard → transaction → save → event row → follow-up after commit."""
import hashlib

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases import case_numbers
from cases import eligibility as rules_of_eligibility
from cases.deadlines import services as deadlines
from cases.models import (
    Category,
    CourtCase,
    CustodyStatus,
    Defendant,
    Document,
    Notice,
    NoticeEvent,
    Stage,
    SupplementRequest,
)
from legalaid import clock
from legalaid.errors import Conflict, DomainError, IllegalTransition, InvalidInput
from legalaid.models import Role

_STAGE_OF_PROCEDURE = {
    "ordinary": Stage.FIRST_INSTANCE, "summary": Stage.FIRST_INSTANCE, "fast_track": Stage.FIRST_INSTANCE,
    "second_instance": Stage.SECOND_INSTANCE, "retrial": Stage.RETRIAL,
    "death_penalty_review": Stage.DEATH_PENALTY_REVIEW,
}


class DuplicateNotice(DomainError):
    code = "duplicate_notice"

    def __init__(self, existing: Notice):
        super().__init__(_("An open notice for this defendant in this case already exists."),
                         extra={"existing": f"/api/v1/notices/{existing.pk}/"})
        self.existing = existing


class NoticeNotOpen(IllegalTransition):
    code = "notice_not_open"


# --- Helpers ------------------------------------------------------------------------------------

def event_log(*, notice, code, actor=None, from_status="", to_status="", data=None, at=None) -> NoticeEvent:
    return NoticeEvent.objects.create(notice=notice, code=code, actor=actor, from_status=from_status,
                                      to_status=to_status, data=data or {}, created_at=at or clock.now())


def _save(obj, fields, actor):
    obj._history_user = actor  # simple-history: who made the change, also outside a request
    obj.save(update_fields=fields)


def lock(notice: Notice) -> Notice:
    """Re-read a notice under a row lock, so that a guard and the change it guards are one step."""
    return (Notice.objects.select_for_update(of=("self",)).select_related("case", "defendant", "court__region", "agency")
            .get(pk=notice.pk))


def transition(notice: Notice, to: str, *, actor, code: str, data=None, now=None) -> Notice:
    """Move a locked notice to `to` if the transition table allows it, logging the event."""
    now = now or clock.now()
    if not notice.can_become(to):
        raise IllegalTransition(
            _("A notice that is %(status)s cannot become %(to)s.")
            % {"status": notice.get_status_display(), "to": Notice.Status(to).label})
    before = notice.status
    notice.status, notice.updated_at = to, now
    fields = ["status", "updated_at"]
    if to in (Notice.Status.CLOSED, Notice.Status.WITHDRAWN, Notice.Status.TERMINATED):
        notice.closed_at = now
        fields.append("closed_at")
    _save(notice, fields, actor)
    event_log(notice=notice, code=code, actor=actor, from_status=before, to_status=to, data=data, at=now)
    from notifications.services import notice_state_changed

    notice_state_changed(notice=notice, event_code=code)  # the court's webhook, sent after commit
    return notice


def _require_open(notice):
    if not notice.is_open:
        raise NoticeNotOpen(_("The notice is %(status)s: nothing more can be reported on it.")
                            % {"status": notice.get_status_display()})


def _touch(notice, actor, now):
    notice.updated_at = now
    _save(notice, ["updated_at"], actor)


def _refresh_materials(notice, *, actor, now, log=True):
    """Recompute what the notice lacks; when nothing is, an incomplete notice is received again and
    the court's supplement clock is met."""
    uploaded = notice.documents.values_list("kind", flat=True)
    missing = rules_of_eligibility.missing_materials(procedure=notice.case.procedure,
                                                     promised=notice.documents_promised, uploaded_kinds=uploaded)
    if missing != notice.missing_materials:
        notice.missing_materials = missing
        _save(notice, ["missing_materials"], actor)
    if not missing:
        deadlines.deadline_close(notice=notice, code="court_supplement_materials", at=now, actor=actor)
        if notice.status == Notice.Status.INCOMPLETE:
            transition(notice, Notice.Status.RECEIVED, actor=actor, code="materials_complete", now=now)


def _classify(notice):
    d = notice.defendant
    result = rules_of_eligibility.classify(
        procedure=notice.case.procedure, accepted_on=notice.case.accepted_on, birth_date=d.birth_date,
        conditions=d.conditions, may_face_life_or_death=d.may_face_life_or_death)
    notice.category, notice.grounds = result.category, result.ground_codes
    notice.category_differs = bool(notice.court_reason) and notice.court_reason != result.category
    return result


# --- Receiving a notice -------------------------------------------------------------------------

def _case_fields(data):
    hearing = data.get("hearing") or {}
    return {
        "procedure": data["procedure"], "stage": _STAGE_OF_PROCEDURE[data["procedure"]],
        "accepted_on": data["accepted_on"], "hearing_starts_at": hearing.get("starts_at"),
        "hearing_place": hearing.get("place", ""), "judge_name": data["judge"]["name"],
        "judge_phone": data["judge"]["phone"],
    }


def _defendant_fields(data):
    d = data["defendant"]
    custody = d.get("custody") or {}
    return {
        "name": d["name"].strip(), "id_number": d.get("id_number", ""), "gender": d.get("gender") or "",
        "birth_date": d["birth_date"], "ethnicity": d.get("ethnicity", ""),
        "custody_status": custody.get("status", ""), "custody_place": custody.get("place", ""),
        "residence": d.get("residence", ""), "conditions": d.get("conditions", []),
        "may_face_life_or_death": d.get("may_face_life_or_death", False), "charges": data["charges"],
    }


def _apply(obj, fields: dict, actor) -> list:
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed and obj.pk:
        _save(obj, changed, actor)
    return changed


def notice_receive(*, court, data: dict, actor, source: str = Notice.Source.API, now=None) -> Notice:
    """A court's notice of defence arrives (validated by NoticeCreateSerializer). Groups it into its
    case, classifies it, checks its materials and starts its clocks. Raises DuplicateNotice while
    another notice for the same defendant is open."""
    now = now or clock.now()
    if case_numbers.belongs_elsewhere(data["case_number"], court.code):
        carried = case_numbers.court_code(data["case_number"])
        raise InvalidInput(_("This case number carries another court's code (%(carried)s); this court's is "
                             "%(code)s.") % {"carried": carried, "code": court.code},
                           code="case_number_of_another_court", field="case_number")
    with transaction.atomic():
        case, created = CourtCase.objects.get_or_create(court=court, case_number=data["case_number"].strip(),
                                                        defaults=_case_fields(data))
        hearing_moved = False
        if not created:
            case = CourtCase.objects.select_for_update().get(pk=case.pk)
            before = case.hearing_starts_at
            _apply(case, _case_fields(data) if data.get("hearing") else
                   {k: v for k, v in _case_fields(data).items() if not k.startswith("hearing")}, actor)
            hearing_moved = case.hearing_starts_at != before
        fields = _defendant_fields(data)
        key = Defendant.make_identity_key(name=fields["name"], id_number=fields["id_number"],
                                          birth_date=fields["birth_date"])
        if created:
            # A new case: its defendant and the notice are new too, nothing can be open for them.
            defendant = Defendant(case=case, identity_key=key, **fields)
            defendant._history_user = actor
            defendant.save()
        else:
            defendant, _created = Defendant.objects.get_or_create(case=case, identity_key=key, defaults=fields)
            existing = Notice.objects.filter(defendant=defendant, status__in=Notice.OPEN_STATUSES).first()
            if existing:
                raise DuplicateNotice(existing)
            _apply(defendant, fields, actor)
        notice = Notice(court=court, agency_id=court.agency_id, case=case, defendant=defendant, source=source,
                        received_at=now, received_by=actor, updated_at=now, court_reason=data.get("reason") or "",
                        documents_promised=data.get("documents_attached", []))
        _classify(notice)
        notice.missing_materials = rules_of_eligibility.missing_materials(
            procedure=case.procedure, promised=notice.documents_promised, uploaded_kinds=[])
        notice._history_user = actor
        try:
            with transaction.atomic(savepoint=not created):
                notice.save()
        except IntegrityError:
            # Another request for the same defendant committed first (the partial unique index).
            raise DuplicateNotice(
                Notice.objects.filter(defendant=defendant, status__in=Notice.OPEN_STATUSES).first()) from None
        event_log(notice=notice, code="received", actor=actor, to_status=notice.status, at=now, data={
            "source": source, "category": notice.category, "grounds": notice.grounds,
            "court_reason": notice.court_reason, "differs": notice.category_differs})
        _start_clocks(notice, now=now, actor=actor)
        if hearing_moved:
            _hearing_moved(case, actor=actor, now=now, except_notice=notice)
        _tell_agency(notice)
        if notice.category == Category.DUTY_LAWYER:
            # Summary and fast-track notices go to the duty lawyer on shift (M 2(4)), once committed.
            from assignments.tasks import duty_route
            from legalaid import dispatch

            # Queued after the commit; while the broker is down, kept for the catch-up instead of
            # failing the court's request (legalaid.dispatch).
            dispatch.on_commit(duty_route, str(notice.pk))
    return notice


def _start_clocks(notice, *, now, actor):
    """The clocks of a notice just received, with nothing running yet: the agency's 3 working days;
    the court's duty to inform the defendant, which runs from acceptance and is taken as done by
    the notice itself (see the rule's inference note); and, with a hearing set, the court's
    materials 15 days before it, done already when nothing is missing. Kept on the notice as
    `new_deadlines` for the answer to the court."""
    clocks = [("agency_assign_lawyer", notice.received_at, None, None),
              ("court_inform_rights", notice.case.accepted_on, now, None)]
    if notice.case.hearing_starts_at:
        clocks.append(("court_supplement_materials", notice.case.hearing_starts_at,
                       None if notice.missing_materials else now, None if notice.missing_materials else actor))
    notice.new_deadlines = deadlines.deadlines_start(notice=notice, clocks=clocks, now=now)


def _open_supplement_clock(notice, *, now, actor):
    existing = deadlines.open_deadline(notice, "court_supplement_materials")
    if existing:
        deadlines.deadline_recompute(deadline=existing, start=notice.case.hearing_starts_at, now=now)
        return
    deadlines.deadline_open(notice=notice, code="court_supplement_materials", start=notice.case.hearing_starts_at,
                            now=now)
    if not notice.missing_materials:
        deadlines.deadline_close(notice=notice, code="court_supplement_materials", at=now, actor=actor)


def _tell_agency(notice):
    from notifications.services import notify

    from legalaid.models import User

    staff = (User.objects.filter(agency_id=notice.agency_id, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR],
                                 is_active=True).select_related("digest_subscription"))
    notify(key=f"notice:{notice.pk}:received", recipients=staff, kind="notice_received", notice=notice, new=True,
           link=f"/notices/{notice.pk}/", params={
               "case": notice.case.case_number, "court": notice.court.name, "defendant": notice.defendant.name,
               "category": notice.category})


# --- Court events ------------------------------------------------------------------------------

def notice_hearing_set(*, notice, starts_at, place, actor, code="hearing_scheduled", now=None) -> Notice:
    """`hearing_scheduled` / `hearing_changed`: the hearing of the notice's case is set; every open
    notice of the case recounts its 15-days-before clock."""
    now = now or clock.now()
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        case = notice.case = CourtCase.objects.select_for_update().get(pk=notice.case_id)
        if code == "hearing_scheduled" and case.hearing_starts_at:
            raise Conflict(_("A hearing is already scheduled; report a change with hearing_changed."),
                           code="hearing_already_scheduled")
        if code == "hearing_changed" and not case.hearing_starts_at:
            raise Conflict(_("No hearing is scheduled yet; report it with hearing_scheduled."),
                           code="no_hearing_scheduled")
        if clock.beijing_date(starts_at) < case.accepted_on:
            raise InvalidInput(_("The hearing cannot be before the case was accepted."),
                               code="hearing_before_acceptance", field="starts_at")
        before = case.hearing_starts_at
        _apply(case, {"hearing_starts_at": starts_at, "hearing_place": place}, actor)
        data = {"starts_at": clock.to_beijing(starts_at).isoformat(), "place": place,
                "before": clock.to_beijing(before).isoformat() if before else None}
        event_log(notice=notice, code=code, actor=actor, data=data, at=now)
        _touch(notice, actor, now)
        _open_supplement_clock(notice, now=now, actor=actor)
        _hearing_moved(case, actor=actor, now=now, except_notice=notice, data=data, code=code)
    return notice


def _hearing_moved(case, *, actor, now, except_notice, data=None, code="hearing_changed"):
    siblings = Notice.objects.filter(case=case, status__in=Notice.OPEN_STATUSES).exclude(pk=except_notice.pk)
    for sibling in siblings.select_related("case", "defendant", "court__region"):
        event_log(notice=sibling, code=code, actor=actor, at=now,
                  data={**(data or {}), "via": str(except_notice.pk)})
        _touch(sibling, actor, now)
        _open_supplement_clock(sibling, now=now, actor=actor)


def notice_materials_supplemented(*, notice, data: dict, fields_given, documents_attached, actor, now=None) -> Notice:
    """The court supplements the notice: `data` is the whole notice re-validated with the
    corrections applied; `fields_given` names what the court sent."""
    now = now or clock.now()
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        case = notice.case = CourtCase.objects.select_for_update().get(pk=notice.case_id)
        hearing_before = case.hearing_starts_at
        changed = _apply(case, _case_fields(data), actor)
        changed += _apply(notice.defendant, {k: v for k, v in _defendant_fields(data).items()}, actor)
        notice.court_reason = data.get("reason") or notice.court_reason
        before = (notice.category, list(notice.grounds))
        _classify(notice)
        notice.documents_promised = list(dict.fromkeys([*notice.documents_promised, *documents_attached]))
        notice.updated_at = now
        _save(notice, ["court_reason", "category", "grounds", "category_differs", "documents_promised",
                       "updated_at"], actor)
        event_log(notice=notice, code="materials_supplemented", actor=actor, at=now, data={
            "fields": sorted(fields_given), "changed": sorted(set(changed)), "documents_attached": documents_attached,
            "category_before": before[0], "category": notice.category})
        if case.hearing_starts_at != hearing_before and case.hearing_starts_at:
            _open_supplement_clock(notice, now=now, actor=actor)
            _hearing_moved(case, actor=actor, now=now, except_notice=notice)
        _refresh_materials(notice, actor=actor, now=now)
    return notice


def notice_retained_counsel(*, notice, lawyer_name, firm, actor, now=None) -> Notice:
    """The defendant or family retained a lawyer: legal aid for the notice is withdrawn (N2018;
    LAL 48) and its clocks stop."""
    now = now or clock.now()
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        transition(notice, Notice.Status.WITHDRAWN, actor=actor, code="retained_counsel", now=now,
                   data={"lawyer_name": lawyer_name, "firm": firm})
        deadlines.deadlines_waive_all(notice=notice, actor=actor,
                                      reason=_("Legal aid withdrawn: the defendant retained counsel."))
        _after_withdrawal(notice, now=now)
    return notice


def _after_withdrawal(notice, *, now):
    try:
        from assignments.services import designation_end_for_notice
    except ImportError:
        return
    designation_end_for_notice(notice=notice, reason="retained_counsel", now=now)


# --- Documents ----------------------------------------------------------------------------------

# Magic numbers of the accepted types: the content decides, not the name (docs/court-api.md).
_SIGNATURES = [(b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
               (b"\x89PNG\r\n\x1a\n", "image/png")]


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_upload(upload, *, max_bytes: int, accepted=("application/pdf", "image/jpeg", "image/png"), field="file"):
    """Guard an upload: size first (413), then type from its first bytes (415). Returns the type."""
    from legalaid.errors import PayloadTooLarge, UnsupportedMediaType

    if upload.size > max_bytes:
        raise PayloadTooLarge(_("A document may be at most %(mib)s MiB.") % {"mib": max_bytes // (1024 * 1024)},
                              field="file")
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type not in accepted:
        raise UnsupportedMediaType(_("Only PDF, JPEG or PNG files are accepted; this file is not one."), field="file")
    refuse_active_content(upload, content_type=content_type, field=field)
    return content_type


def refuse_active_content(upload, *, content_type, field="file"):
    """A PDF with scripts, launch actions, embedded files… or any file that is also a web page is
    refused with what was found (legalaid.pdfcheck)."""
    from legalaid.pdfcheck import active_content

    data = b"".join(upload.chunks())
    upload.seek(0)
    found = active_content(data, is_pdf=content_type == "application/pdf")
    if found:
        raise InvalidInput(_("This file holds active content (%(what)s), which is not accepted. Print it to a new "
                             "PDF (or save it as an image) and upload that.") % {"what": ", ".join(found)},
                           code="active_content", field=field)


def document_upload(*, notice, kind, upload, actor, max_bytes, now=None) -> Document:
    now = now or clock.now()
    content_type = check_upload(upload, max_bytes=max_bytes)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        document = Document(notice=notice, kind=kind, original_name=upload.name[:255], content_type=content_type,
                            size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor, uploaded_at=now)
        document.file.save(upload.name, upload, save=False)
        document.save()
        event_log(notice=notice, code="document_uploaded", actor=actor, at=now,
                  data={"kind": kind, "document": document.pk, "size": upload.size, "content_type": content_type})
        _touch(notice, actor, now)
        _refresh_materials(notice, actor=actor, now=now)
    return document


# --- Supplement requests (the agency asks the court) ----------------------------------------------

def supplement_request_create(*, notice, items, note, ask_move_hearing=False, actor, now=None) -> SupplementRequest:
    """Staff ask the court to supplement the materials (M 5(3)): the notice becomes incomplete and
    the request, with what was asked, is recorded and sent to the court."""
    now = now or clock.now()
    items = [i for i in dict.fromkeys(items) if i]
    if not items and not (note or "").strip():
        raise InvalidInput(_("Say what the court should supplement."), code="required", field="items")
    with transaction.atomic():
        notice = lock(notice)
        _require_open(notice)
        request = SupplementRequest.objects.create(
            notice=notice, items=items, note=(note or "").strip(), ask_move_hearing=ask_move_hearing,
            status=SupplementRequest.Status.SENT, created_by=actor, sent_by=actor, created_at=now, sent_at=now)
        if notice.status == Notice.Status.RECEIVED:
            transition(notice, Notice.Status.INCOMPLETE, actor=actor, code="supplement_requested", now=now,
                       data={"items": items, "note": request.note, "request": request.pk,
                             "ask_move_hearing": ask_move_hearing})
        else:
            event_log(notice=notice, code="supplement_requested", actor=actor, at=now,
                      data={"items": items, "note": request.note, "request": request.pk,
                            "ask_move_hearing": ask_move_hearing})
            _touch(notice, actor, now)
        _tell_court(notice, request)
    return request


def supplement_request_draft(*, notice, now=None) -> SupplementRequest | None:
    """On the 15-day materials breach: draft the agency's request to supplement or move the hearing,
    for staff to review and send (M 5(3)). One draft per notice at a time."""
    now = now or clock.now()
    if not notice.missing_materials or not notice.is_open:
        return None
    draft, created = SupplementRequest.objects.get_or_create(
        notice=notice, status=SupplementRequest.Status.DRAFT,
        defaults={"items": list(notice.missing_materials), "ask_move_hearing": True, "created_at": now,
                  "note": _("The materials are still incomplete 15 days before the hearing. We ask the court to "
                            "supplement them and, if they cannot be supplied in time, to consider moving the "
                            "hearing (Measures Art. 5).")})
    if created:
        event_log(notice=notice, code="supplement_drafted", at=now, data={"request": draft.pk, "items": draft.items})
        from notifications.services import notify

        from legalaid.models import User

        notify(key=f"supplement-draft:{draft.pk}", kind="supplement_drafted", notice=notice,
               link=f"/notices/{notice.pk}/",
               recipients=User.objects.filter(agency=notice.agency, role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR]),
               params={"case": notice.case.case_number, "items": ", ".join(draft.items)})
    return draft


def supplement_request_send(*, request: SupplementRequest, actor, note=None, now=None) -> SupplementRequest:
    now = now or clock.now()
    with transaction.atomic():
        notice = lock(request.notice)
        request = SupplementRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != SupplementRequest.Status.DRAFT:
            raise IllegalTransition(_("This request was already sent."))
        _require_open(notice)
        if note is not None and note.strip():
            request.note = note.strip()
        request.status, request.sent_by, request.sent_at = SupplementRequest.Status.SENT, actor, now
        request.save(update_fields=["status", "sent_by", "sent_at", "note"])
        data = {"items": request.items, "note": request.note, "request": request.pk,
                "ask_move_hearing": request.ask_move_hearing}
        if notice.status == Notice.Status.RECEIVED:
            transition(notice, Notice.Status.INCOMPLETE, actor=actor, code="supplement_requested", now=now, data=data)
        else:
            event_log(notice=notice, code="supplement_requested", actor=actor, at=now, data=data)
            _touch(notice, actor, now)
        _tell_court(notice, request)
    return request


def _tell_court(notice, request):
    from notifications.services import notify

    from legalaid.models import User

    notify(key=f"supplement-request:{request.pk}", kind="supplement_requested", notice=notice,
           link=f"/api/v1/notices/{notice.pk}/",
           recipients=User.objects.filter(court=notice.court, role=Role.COURT, is_active=True),
           params={"case": notice.case.case_number, "items": ", ".join(request.items), "note": request.note})


def in_custody(defendant) -> bool:
    return defendant.custody_status in (CustodyStatus.DETAINED, CustodyStatus.RESIDENTIAL_SURVEILLANCE)
