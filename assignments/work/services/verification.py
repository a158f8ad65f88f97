"""Verified work. A detention centre reports the meetings it booked and held, an e-file-review
system the files lawyers accessed; each record is matched to the lawyer's own entry — same lawyer,
same notice, overlapping time (give or take rules.MATCH_TOLERANCE) — in whichever order the two
arrive. A self-reported meeting that the reporting centre holding the defendant has not confirmed
within rules.MEETING_VERIFY_GRACE is flagged by an hourly sweep, once."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assignments.models import Designation, Lawyer
from assignments.work import rules
from assignments.work.models import ReportingSource, VerifiedRecord, WorkLogEntry
from assignments.work.rules import EntryKind
from assignments.work.services import common
from cases.services import event_log, lock
from legalaid import clock, history
from legalaid.errors import Conflict, InvalidInput, NotPermitted
from notifications.recipients import agency_staff

RECORD_KIND_OF_ENTRY = {EntryKind.MEETING: VerifiedRecord.Kind.MEETING,
                        EntryKind.FILE_REVIEW: VerifiedRecord.Kind.FILE_ACCESS}
ENTRY_KIND_OF_RECORD = {record: entry for entry, record in RECORD_KIND_OF_ENTRY.items()}
RECORD_KIND_OF_SOURCE = {ReportingSource.Kind.DETENTION_CENTRE: VerifiedRecord.Kind.MEETING,
                         ReportingSource.Kind.FILE_SYSTEM: VerifiedRecord.Kind.FILE_ACCESS}
CLOCK_OF_RECORD = {VerifiedRecord.Kind.MEETING: "detention_arrange_meeting",
                   VerifiedRecord.Kind.FILE_ACCESS: "court_arrange_file_review"}


def overlap(entry, record) -> dt.timedelta | None:
    """How long the entry (widened by the tolerance) and the record overlap; None if they do not."""
    tolerance = rules.MATCH_TOLERANCE
    start = max(entry.started_at - tolerance, record.started_at)
    end = min((entry.ended_at or entry.started_at) + tolerance, record.ended_at or record.started_at)
    return end - start if end >= start else None


def _best(entry_or_record, candidates, *, entry_side):
    scored = []
    for candidate in candidates:
        amount = overlap(entry_or_record, candidate) if entry_side else overlap(candidate, entry_or_record)
        if amount is not None:
            scored.append((amount, -candidate.pk, candidate))
    return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None


def _verify(entry, record, *, actor, now):
    record.entry = entry
    record.save(update_fields=["entry"])
    entry.verification, entry.updated_at = WorkLogEntry.Verification.VERIFIED, now
    history.save(entry, actor=actor, fields=["verification", "updated_at"])
    event_log(notice=entry.notice, code="work_verified", actor=actor, at=now, data={
        "entry": entry.pk, "kind": entry.kind, "record": record.pk, "source": record.source.name,
        "reference": record.reference})


def entry_match_records(entry, *, actor, now) -> VerifiedRecord | None:
    """After an entry is logged or corrected: keep the records that still overlap it, and match an
    unmatched record if it has none."""
    if entry.kind not in RECORD_KIND_OF_ENTRY:
        return None
    matched = list(entry.verified_records.select_related("source"))
    still = [record for record in matched if overlap(entry, record) is not None]
    for record in matched:
        if record not in still:
            record.entry = None
            record.save(update_fields=["entry"])
    if still:
        return still[0]
    if entry.verification == WorkLogEntry.Verification.VERIFIED:
        entry.verification = WorkLogEntry.Verification.SELF_REPORTED
        history.save(entry, actor=actor, fields=["verification"])
    candidates = (VerifiedRecord.objects.select_related("source")
                  .filter(notice_id=entry.notice_id, lawyer_id=entry.lawyer_id, kind=RECORD_KIND_OF_ENTRY[entry.kind],
                          entry__isnull=True, held=True, started_at__isnull=False))
    record = _best(entry, candidates, entry_side=True)
    if record is not None:
        _verify(entry, record, actor=actor, now=now)
    return record


def _record_match_entry(record, *, actor, now):
    if not record.held or record.started_at is None:
        return None
    candidates = (WorkLogEntry.objects.filter(notice=record.notice, lawyer=record.lawyer,
                                              kind=ENTRY_KIND_OF_RECORD[record.kind])
                  .exclude(verification=WorkLogEntry.Verification.VERIFIED).select_related("notice"))
    entry = _best(record, candidates, entry_side=False)
    if entry is not None:
        _verify(entry, record, actor=actor, now=now)
    return entry


def _check_times(data, now):
    held = data.get("held", True)
    started, ended, booked = data.get("started_at"), data.get("ended_at"), data.get("booked_at")
    if held:
        for name in ("started_at", "ended_at"):
            if data.get(name) is None:
                raise InvalidInput(_("Give when it started and ended."), code="required", field=name)
        if ended < started:
            raise InvalidInput(_("The end is before the start."), code="ends_before_start", field="ended_at")
    elif booked is None:
        raise InvalidInput(_("Give when the meeting was booked."), code="required", field="booked_at")
    for name in ("booked_at", "started_at", "ended_at"):
        if data.get(name) is not None and data[name] > now:
            raise InvalidInput(_("This time is in the future."), code="future_time", field=name)


def _designation_for(source, kind, lawyer, data) -> Designation:
    designations = (Designation.objects.filter(lawyer=lawyer).exclude(status=Designation.Status.DECLINED)
                    .select_related("notice").order_by("-designated_at", "-id"))
    if kind == VerifiedRecord.Kind.MEETING:
        defendant = data.get("defendant") or {}
        name, id_number = (defendant.get("name") or "").strip(), (defendant.get("id_number") or "").strip().upper()
        same = Q(notice__defendant__name=name, notice__defendant__id_number="")
        if id_number:
            same |= Q(notice__defendant__id_number=id_number)
        field = "defendant"
        designation = designations.filter(same).first()
    else:
        field = "case_number"
        designation = designations.filter(notice__case__case_number=(data.get("case_number") or "").strip(),
                                           notice__court__region__code__startswith=source.region.prefix).first()
    if designation is None:
        raise InvalidInput(_("No legal aid case of this lawyer matches this record."), code="no_matching_case",
                           field=field)
    return designation


def verified_record_receive(*, source: ReportingSource, data: dict, actor, payload=None, now=None) -> VerifiedRecord:
    """A detention centre or an e-file-review system reports a record (validated by
    VerifiedRecordSerializer). It is stored only when it belongs to a legal aid case: the lawyer
    on the roster, designated to the defendant (or to the case in a court the system serves)."""
    now = now or clock.now()
    if not source.active:
        raise NotPermitted(_("This reporting system is not active."), code="source_inactive")
    kind = data["type"]
    if RECORD_KIND_OF_SOURCE[source.kind] != kind:
        raise InvalidInput(_("This system does not report records of this type."), code="type_not_allowed",
                           field="type")
    _check_times(data, now)
    lawyer = Lawyer.objects.filter(licence_number=data["lawyer_licence"].strip()).first()
    if lawyer is None:
        raise InvalidInput(_("No lawyer on the roster has this licence number."), code="unknown_lawyer",
                           field="lawyer_licence")
    designation = _designation_for(source, kind, lawyer, data)
    with transaction.atomic():
        notice = lock(designation.notice)
        existing = VerifiedRecord.objects.filter(source=source, reference=data["reference"]).first()
        if existing is not None:
            raise Conflict(_("A record with this reference was already reported."), code="duplicate_record",
                           field="reference", extra={"existing": existing.pk})
        record = VerifiedRecord(
            source=source, kind=kind, reference=data["reference"], lawyer=lawyer, notice=notice,
            booked_at=data.get("booked_at"), held=data.get("held", True), started_at=data.get("started_at"),
            ended_at=data.get("ended_at"), mode=data.get("mode") or "", received_at=now,
            payload=payload or {})
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise Conflict(_("A record with this reference was already reported."), code="duplicate_record",
                           field="reference") from None
        entry = _record_match_entry(record, actor=actor, now=now)
        done_at = record.booked_at or record.started_at
        common.clock_meet(notice, CLOCK_OF_RECORD[kind], at=done_at, actor=actor)
        event_log(notice=notice, code="work_record_received", actor=actor, at=now, data={
            "record": record.pk, "kind": kind, "source": source.name, "reference": record.reference,
            "held": record.held, "entry": entry.pk if entry else None})
    return record


def meetings_flag_unverified(*, now=None, batch_size: int = 500) -> int:
    """Flag the self-reported meetings whose detention centre sent no record in the grace period,
    and tell the agency: each once (the row lock and the state check make a second sweep, or a
    second worker, find nothing to do)."""
    now = now or clock.now()
    due = list(WorkLogEntry.objects.filter(verification=WorkLogEntry.Verification.SELF_REPORTED,
                                           verify_by__isnull=False, verify_by__lte=now)
               .order_by("verify_by", "pk").values_list("pk", flat=True)[:batch_size])
    flagged = 0
    for pk in due:
        with transaction.atomic():
            entry = (WorkLogEntry.objects.select_for_update(of=("self",))
                     .select_related("notice__case", "notice__defendant", "notice__court", "notice__agency", "lawyer",
                                     "expected_source")
                     .filter(pk=pk, verification=WorkLogEntry.Verification.SELF_REPORTED).first())
            if entry is None:
                continue
            entry.verification, entry.flagged_at = WorkLogEntry.Verification.UNCONFIRMED, now
            history.save(entry, actor=None, fields=["verification", "flagged_at"])
            centre = entry.expected_source.name if entry.expected_source else ""
            event_log(notice=entry.notice, code="meeting_unconfirmed", at=now, data={
                "entry": entry.pk, "started_at": clock.to_beijing(entry.started_at).isoformat(),
                "centre": centre, "grace_hours": int(rules.MEETING_VERIFY_GRACE.total_seconds() // 3600)})
            common.notify(f"work-entry:{entry.pk}:unconfirmed", agency_staff(entry.notice.agency_id), "meeting_unconfirmed",
                          entry.notice, link=f"/notices/{entry.notice_id}/#work", lawyer=entry.lawyer.name,
                          centre=centre, at=clock.to_beijing(entry.started_at).strftime("%Y-%m-%d %H:%M"))
            flagged += 1
    return flagged
