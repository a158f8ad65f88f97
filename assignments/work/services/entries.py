"""Work-log entries. The designated lawyer logs them (each kind's rules in assignments.work.rules);
the lawyer edits them until the case is closed, a supervisor after it, with a reason; files are
added to them; a supervisor answers a complaint (M 19). Each write logs a NoticeEvent, and the
entry's own history (simple-history) keeps every version."""
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from assignments.work import rules
from assignments.work.models import ReportingSource, WorkLogEntry
from assignments.work.rules import SPECS, EntryKind
from assignments.work.services import common
from assignments.work.services.verification import entry_match_records
from assignments.work.uploads import check_work_upload, work_document_store
from cases.services import event_log, lock
from cases.services import touch
from legalaid.permissions import is_supervisor
from legalaid import clock, history
from legalaid.errors import IllegalTransition, InvalidInput, NotPermitted
from notifications.recipients import agency_supervisors, court_accounts

_TEXT = ("place", "subject", "copied", "notes", "absence_reason", "obstructed_by")
_CHOICE = ("mode", "obstructed_right")


def _spec(kind):
    spec = SPECS.get(kind)
    if spec is None:
        raise InvalidInput(_("Choose a kind of entry."), code="invalid_choice", field="kind")
    return spec


def check_files(files, *, required=False) -> list:
    """[(upload, content type)] for files that pass the type and size checks; raises otherwise."""
    files = [f for f in (files or []) if f]
    if required and not files:
        raise InvalidInput(_("Attach the document."), code="required", field="files")
    if len(files) > common.MAX_FILES:
        raise InvalidInput(_("At most %(n)s files at a time.") % {"n": common.MAX_FILES}, code="too_many_files",
                           field="files")
    return [(upload, check_work_upload(upload)) for upload in files]


def clean_values(spec, values: dict, *, designation, now) -> dict:
    """The model fields of an entry from what was given, by the kind's rules: which fields it takes
    and needs, its end or duration, and its time — not in the future, not before the designation."""
    unknown = sorted(set(values) - set(spec.fields))
    if unknown:
        raise InvalidInput(_("This field does not belong to this kind of entry."), code="unknown_field",
                           field=unknown[0])
    out = {}
    for name in _TEXT + _CHOICE:
        out[name] = (values.get(name) or "").strip() if name in spec.fields else ""
    out["whole_hearing"] = values.get("whole_hearing") if "whole_hearing" in spec.fields else None
    for name in spec.required:
        if out.get(name) in (None, ""):
            raise InvalidInput(_("This field is required for this kind of entry."), code="required", field=name)
    if spec.kind == EntryKind.HEARING and out["whole_hearing"] is False and not out["absence_reason"]:
        raise InvalidInput(_("Say why you did not attend the whole hearing."), code="required",
                           field="absence_reason")

    started, ended, minutes = values.get("started_at"), values.get("ended_at"), values.get("duration_minutes")
    if started is None:
        raise InvalidInput(_("Give the date and time."), code="required", field="started_at")
    if minutes is not None:
        if not 1 <= minutes <= rules.MAX_DURATION_MINUTES:
            raise InvalidInput(_("The duration must be between 1 minute and 24 hours."), code="invalid_duration",
                               field="duration_minutes")
        by_minutes = started + dt.timedelta(minutes=minutes)
        if ended is not None and ended != by_minutes:
            raise InvalidInput(_("Give the end or the duration, not two that disagree."), code="end_and_duration",
                               field="duration_minutes")
        ended = by_minutes
    if spec.needs_end and ended is None:
        raise InvalidInput(_("Give the duration or the end."), code="required", field="duration_minutes")
    if ended is not None:
        if ended < started:
            raise InvalidInput(_("The end is before the start."), code="ends_before_start", field="ended_at")
        if ended - started > dt.timedelta(minutes=rules.MAX_DURATION_MINUTES):
            raise InvalidInput(_("The duration must be between 1 minute and 24 hours."), code="invalid_duration",
                               field="ended_at")
    if started > now:
        raise InvalidInput(_("This time is in the future."), code="future_time", field="started_at")
    if ended is not None and ended > now:
        raise InvalidInput(_("This time is in the future."), code="future_time", field="ended_at")
    if started < designation.designated_at:
        raise InvalidInput(_("This is before you were designated (%(at)s).")
                           % {"at": clock.to_beijing(designation.designated_at).strftime("%Y-%m-%d %H:%M")},
                           code="before_designation", field="started_at")
    out["started_at"], out["ended_at"] = started, ended
    return out


def _expected_source(notice, entry):
    """The detention centre expected to confirm a meeting: the one holding the defendant (or named
    as the place), if it reports through the API since before the meeting."""
    if entry.kind != EntryKind.MEETING:
        return None
    names = {name for name in (notice.defendant.custody_place.strip(), entry.place.strip()) if name}
    return (ReportingSource.objects.filter(kind=ReportingSource.Kind.DETENTION_CENTRE, active=True, name__in=names,
                                           reporting_since__lte=entry.started_at).order_by("pk").first())


def _expect_confirmation(notice, entry):
    source = _expected_source(notice, entry)
    entry.expected_source = source
    entry.verify_by = (entry.ended_at or entry.started_at) + rules.MEETING_VERIFY_GRACE if source else None


def _iso(moment):
    return clock.to_beijing(moment).isoformat() if moment else None


def _after_logging(notice, entry, spec, *, actor, now):
    """The statutory clocks an entry starts or meets, and who hears of it."""
    if spec.opens:
        common.clock_start_unless_running(notice, spec.opens, start=entry.started_at, now=now)
    for code in spec.closes:
        common.clock_meet(notice, code, at=entry.started_at, actor=actor)
    if spec.kind in rules.COURT_REQUEST_KINDS:
        touch(notice, actor, now)  # the court's `updated_since` finds the request
        common.notify(f"work-entry:{entry.pk}:court", court_accounts(notice.court_id), "court_request_filed", notice,
                      link=f"/api/v1/notices/{notice.pk}/court-requests/", request=entry.pk,
                      what=str(spec.title), subject=entry.subject, lawyer=entry.lawyer.name)
    elif spec.kind == EntryKind.OBSTRUCTION_COMPLAINT:
        common.notify(f"work-entry:{entry.pk}:complaint", agency_supervisors(notice.agency_id), "obstruction_complaint",
                      notice,
                      link=f"/notices/{notice.pk}/#work", lawyer=entry.lawyer.name,
                      right=entry.get_obstructed_right_display(), by=entry.obstructed_by, facts=entry.subject)


def work_entry_log(*, notice, kind: str, values: dict, files=(), actor, now=None) -> WorkLogEntry:
    """The designated lawyer logs a piece of work on the notice."""
    now = now or clock.now()
    spec = _spec(kind)
    checked = check_files(files, required=spec.needs_file)
    with transaction.atomic():
        notice = lock(notice)
        designation = common.lawyer_designation(notice, actor)
        fields = clean_values(spec, values, designation=designation, now=now)
        waits = kind in rules.COURT_REQUEST_KINDS or kind == EntryKind.OBSTRUCTION_COMPLAINT
        entry = WorkLogEntry(notice=notice, designation=designation, lawyer=designation.lawyer, kind=kind,
                             status=WorkLogEntry.Status.AWAITING if waits else WorkLogEntry.Status.RECORDED,
                             created_at=now, created_by=actor, updated_at=now, **fields)
        _expect_confirmation(notice, entry)
        history.save(entry, actor=actor)
        documents = [work_document_store(notice=notice, entry=entry, upload=upload, content_type=content_type,
                                         actor=actor, now=now) for upload, content_type in checked]
        event_log(notice=notice, code="work_logged", actor=actor, at=now, data={
            "entry": entry.pk, "kind": kind, "started_at": _iso(entry.started_at), "ended_at": _iso(entry.ended_at),
            "documents": [d.pk for d in documents]})
        entry_match_records(entry, actor=actor, now=now)
        _after_logging(notice, entry, spec, actor=actor, now=now)
    return entry


def _current_values(entry, spec) -> dict:
    return {name: getattr(entry, name) for name in spec.fields if name != "duration_minutes"}


def _shown(value):
    if isinstance(value, dt.datetime):
        return _iso(value)
    if isinstance(value, str) and len(value) > 200:
        return value[:200] + "…"
    return value


def work_entry_update(*, entry, changes: dict, actor, reason: str = "", now=None) -> WorkLogEntry:
    """Correct an entry. Until the case is closed only its lawyer may, while designated; after the
    closing is accepted only a supervisor may, and must say why. The change and its reason are in
    the case log, every version in the entry's history."""
    now = now or clock.now()
    reason = (reason or "").strip()
    spec = _spec(entry.kind)
    with transaction.atomic():
        notice = lock(entry.notice)
        entry = WorkLogEntry.objects.select_for_update(of=("self",)).select_related("designation").get(pk=entry.pk)
        if notice.is_open:
            designation = common.lawyer_designation(notice, actor)
            if entry.lawyer_id != designation.lawyer_id:
                raise NotPermitted(_("Only the lawyer who logged this entry may correct it."))
            if entry.status == WorkLogEntry.Status.ANSWERED:
                raise IllegalTransition(_("This entry was answered: it stays as it was when answered."),
                                        code="entry_answered")
        else:
            if not is_supervisor(actor):
                raise NotPermitted(_("The case is closed: only a supervisor may correct its work log."),
                                   code="closed_needs_supervisor")
            if not reason:
                raise InvalidInput(_("Say why the entry of a closed case is corrected."), code="reason_required",
                                   field="reason")
            designation = entry.designation
        base = _current_values(entry, spec)
        if "duration_minutes" in changes and "ended_at" not in changes:
            base.pop("ended_at", None)
        elif "started_at" in changes and "ended_at" not in changes and entry.ended_at is not None:
            # A corrected start keeps the entry's length.
            base.pop("ended_at")
            base["duration_minutes"] = entry.duration_minutes
        fields = clean_values(spec, {**base, **changes}, designation=designation, now=now)
        changed = {name: (getattr(entry, name), value) for name, value in fields.items()
                   if getattr(entry, name) != value}
        if not changed:
            return entry
        for name, (_before, after) in changed.items():
            setattr(entry, name, after)
        entry.updated_at = now
        update = [*changed, "updated_at"]
        if {"started_at", "ended_at", "place"} & set(changed) and entry.verification != entry.Verification.VERIFIED:
            _expect_confirmation(notice, entry)
            update += ["expected_source", "verify_by"]
        history.save(entry, actor=actor, fields=update)
        event_log(notice=notice, code="work_updated", actor=actor, at=now, data={
            "entry": entry.pk, "kind": entry.kind, "reason": reason,
            "changes": {name: [_shown(before), _shown(after)] for name, (before, after) in changed.items()}})
        entry_match_records(entry, actor=actor, now=now)
    return entry


def work_entry_attach(*, entry, files, actor, now=None) -> list:
    """The lawyer adds files to an entry of theirs (the case still open)."""
    now = now or clock.now()
    checked = check_files(files, required=True)
    with transaction.atomic():
        notice = lock(entry.notice)
        designation = common.lawyer_designation(notice, actor)
        if entry.lawyer_id != designation.lawyer_id:
            raise NotPermitted(_("Only the lawyer who logged this entry may add files to it."))
        documents = [work_document_store(notice=notice, entry=entry, upload=upload, content_type=content_type,
                                         actor=actor, now=now) for upload, content_type in checked]
        event_log(notice=notice, code="work_document_added", actor=actor, at=now,
                  data={"entry": entry.pk, "kind": entry.kind, "documents": [d.pk for d in documents]})
    return documents


def complaint_answer(*, entry, answer: str, actor, now=None) -> WorkLogEntry:
    """A supervisor answers a lawyer's complaint that their rights were obstructed (M 19); the
    lawyer is told."""
    now = now or clock.now()
    answer = (answer or "").strip()
    if not is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor answers complaints of obstructed rights."))
    if not answer:
        raise InvalidInput(_("Write the answer."), code="required", field="answer")
    with transaction.atomic():
        notice = lock(entry.notice)
        entry = WorkLogEntry.objects.select_for_update(of=("self",)).select_related("lawyer__user").get(pk=entry.pk)
        if entry.kind != EntryKind.OBSTRUCTION_COMPLAINT:
            raise InvalidInput(_("This entry is not a complaint."), code="not_a_complaint", field="entry")
        if entry.status != WorkLogEntry.Status.AWAITING:
            raise IllegalTransition(_("This complaint was already answered."), code="complaint_already_answered")
        entry.status, entry.answer, entry.answered_at, entry.answered_by = (
            WorkLogEntry.Status.ANSWERED, answer, now, actor)
        entry.updated_at = now
        history.save(entry, actor=actor, fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
        event_log(notice=notice, code="complaint_answered", actor=actor, at=now,
                  data={"entry": entry.pk, "answer": _shown(answer)})
        user = entry.lawyer.user
        if user and user.is_active:
            common.notify(f"work-entry:{entry.pk}:answered", [user], "complaint_answered", notice,
                          right=entry.get_obstructed_right_display(), answer=answer)
    return entry
