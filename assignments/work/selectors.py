"""Reads of the lawyer's work, each in a fixed number of queries whatever the number of rows."""
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from assignments.models import Designation
from assignments.work import rules
from assignments.work.models import Closing, CourtFeedback, VerifiedRecord, WorkDocument, WorkLogEntry
from assignments.work.rules import EntryKind
from cases.deadlines.models import Deadline, Party
from cases.models import Notice
from assignments.selectors import notice_list_for_user, notice_scope
from legalaid import clock
from legalaid.models import Role

PAST_LIMIT = 100


class Stage:
    """Where a designated case stands, for the lawyer's list."""

    LABELS = {
        "pending": _("Awaiting your answer"), "working": _("In progress"),
        "closing_submitted": _("Closing under review"), "closing_returned": _("Closing returned"),
        "closed": _("Closed"), "ended": _("Designation ended"),
    }

    PENDING = "pending"  # waiting for the lawyer's answer
    WORKING = "working"
    CLOSING_SUBMITTED = "closing_submitted"
    CLOSING_RETURNED = "closing_returned"
    CLOSED = "closed"
    ENDED = "ended"  # the designation ended otherwise (replaced, withdrawn, terminated)


def _closing_or_none(notice):
    try:
        return notice.closing
    except Closing.DoesNotExist:
        return None


def lawyer_designations(user, *, past: bool = False):
    """The lawyer's designations for the portal list (declined ones are not the lawyer's cases):
    current ones, or the past ones (most recent first, at most PAST_LIMIT). Three queries."""
    qs = (Designation.objects.filter(lawyer__user=user)
          .exclude(status=Designation.Status.DECLINED)
          .select_related("notice__case", "notice__defendant", "notice__court", "notice__closing", "lawyer")
          .prefetch_related(Prefetch("notice__deadlines", to_attr="active_deadlines",
                                     queryset=Deadline.objects.filter(status__in=Deadline.ACTIVE_STATUSES)
                                     .order_by("due_at", "id"))))
    if past:
        return qs.filter(status=Designation.Status.ENDED).order_by("-designated_at", "-id")[:PAST_LIMIT]
    return qs.filter(status__in=Designation.CURRENT).order_by("-designated_at", "-id")


def lawyer_case_rows(user, *, past: bool = False) -> list:
    """Each designation with its stage and its next deadline (the lawyer's own next duty, else the
    case's next clock still to come), pending ones first, then by that due moment."""
    rows, now = [], clock.now()
    for designation in lawyer_designations(user, past=past):
        notice = designation.notice
        deadlines = notice.active_deadlines
        stage = _stage_of(designation)
        # The lawyer's own next duty first; else whatever comes next on the case.
        own = [d for d in deadlines if d.party == Party.LAWYER]
        upcoming = own[0] if own else next((d for d in deadlines if d.due_at >= now), None)
        rows.append({"designation": designation, "notice": notice, "next_deadline": upcoming, "stage": stage,
                     "stage_label": Stage.LABELS[stage], "overdue": bool(upcoming and upcoming.due_at < now)})
    if not past:
        rows.sort(key=lambda r: (r["stage"] != Stage.PENDING, r["next_deadline"] is None,
                                 r["next_deadline"].due_at if r["next_deadline"] else r["designation"].designated_at))
    return rows


def _stage_of(designation) -> str:
    notice = designation.notice
    closing = _closing_or_none(notice)
    if designation.status == Designation.Status.PENDING:
        return Stage.PENDING
    if designation.status == Designation.Status.ENDED:
        return Stage.CLOSED if designation.end_reason == Designation.EndReason.CLOSED else Stage.ENDED
    if closing is not None and closing.status == Closing.Status.SUBMITTED:
        return Stage.CLOSING_SUBMITTED
    if closing is not None and closing.status == Closing.Status.RETURNED:
        return Stage.CLOSING_RETURNED
    return Stage.WORKING


def lawyer_notice(user, notice_id) -> Notice:
    """A notice designated to the lawyer (now or before), or Notice.DoesNotExist."""
    return notice_list_for_user(user=user).get(pk=notice_id)


def my_designation(user, notice) -> Designation | None:
    """The lawyer's latest designation on the notice (not a declined one)."""
    return (Designation.objects.filter(notice=notice, lawyer__user=user).exclude(status=Designation.Status.DECLINED)
            .select_related("lawyer__firm").order_by("-designated_at", "-id").first())


def lawyer_case_detail(user, notice) -> dict:
    """The lawyer's case page as data (the page and the API share it): the notice, the court's
    contact, documents, deadlines, the court's feedback, the lawyer's own work log, the closing and,
    while the lawyer works on it, the duties check. Raises Notice.DoesNotExist for a notice never
    designated to the lawyer."""
    designation = my_designation(user, notice)
    if designation is None:
        raise Notice.DoesNotExist
    current = designation.is_current
    case, defendant, court = notice.case, notice.defendant, notice.court
    closing = closing_of(notice)
    duties = []
    if designation.status == Designation.Status.ACCEPTED and notice.status == Notice.Status.ASSIGNED:
        attached = bool(closing and any(d.kind == WorkDocument.Kind.JUDGMENT for d in closing.documents.all()))
        duties = duties_check(notice=notice, designation=designation, judgment_attached=attached)
    return {
        "id": notice.pk, "case_number": case.case_number, "status": notice.status, "category": notice.category,
        "procedure": case.procedure, "charges": defendant.charges, "defendant": defendant.name,
        # Where the defendant is held, and the court's documents, only while the lawyer acts for them.
        "custody": {"status": defendant.custody_status, "place": defendant.custody_place}
        if current and defendant.custody_status else None,
        "court": {"name": court.name, "code": court.code, "judge": case.judge_name, "judge_phone": case.judge_phone,
                  "liaison": court.liaison_name, "liaison_phone": court.liaison_phone},
        "hearing": {"starts_at": case.hearing_starts_at, "place": case.hearing_place}
        if case.hearing_starts_at else None,
        "designation": designation, "documents": list(notice.documents.all()) if current else [],
        "deadlines": list(notice.deadlines.all()), "feedback": court_feedback(notice),
        "entries": work_entries(notice, lawyer=designation.lawyer), "closing": closing, "duties": duties,
    }


def work_entries(notice, *, lawyer=None) -> list:
    """A notice's work log, newest first, with each entry's files and the records that verify it
    (three queries). With `lawyer`, only that lawyer's entries."""
    qs = (WorkLogEntry.objects.filter(notice=notice)
          .select_related("lawyer", "answered_by", "expected_source")
          .prefetch_related(Prefetch("documents", queryset=WorkDocument.objects.order_by("uploaded_at", "id")),
                            Prefetch("verified_records", queryset=VerifiedRecord.objects.select_related("source"))))
    if lawyer is not None:
        qs = qs.filter(lawyer=lawyer)
    return list(qs.order_by("-started_at", "-id"))


def court_feedback(notice) -> list:
    return list(CourtFeedback.objects.filter(notice=notice).select_related("reported_by").order_by("reported_at", "id"))


# --- The duties of M 20, from the work log ------------------------------------------------------------

@dataclass(frozen=True)
class DutyRecord:
    """What the work log and the court's feedback show of a designation's duties: the one reading
    the closing's check (M 20) and the quality standard (quality.selectors.standard_items) share."""

    entries: list  # [{pk, kind, started_at, whole_hearing}], in time order
    feedback: dict  # {kind: {kind, pronounced_on, notified_on, reported_at}}: the judgment, not heard

    def of_kind(self, kind) -> list:
        return [e for e in self.entries if e["kind"] == kind]

    @property
    def not_heard(self) -> bool:
        return CourtFeedback.Kind.NOT_HEARD in self.feedback

    def m20(self) -> dict:
        """{duty code: (met, entry ids)} for the duties of M 20 the work log shows (rules.DUTIES);
        `met` is None for the whole hearing when the court did not hear the case."""
        ids = {kind: [e["pk"] for e in self.of_kind(kind)] for kind in EntryKind.values}
        hearings = self.of_kind(EntryKind.HEARING)
        return {
            "meeting": (bool(ids[EntryKind.MEETING]), ids[EntryKind.MEETING]),
            "file_review": (bool(ids[EntryKind.FILE_REVIEW]), ids[EntryKind.FILE_REVIEW]),
            "hearing_in_full": (None, ids[EntryKind.HEARING]) if self.not_heard
            else (bool(hearings) and all(e["whole_hearing"] for e in hearings), ids[EntryKind.HEARING]),
            "written_opinion": (bool(ids[EntryKind.WRITTEN_OPINION]), ids[EntryKind.WRITTEN_OPINION]),
        }


def duty_record(*, notice_id, designation, of_lawyer: bool = False) -> DutyRecord:
    """The work log of a designation on its notice (with `of_lawyer`, every entry its lawyer logged
    there) and the court's judgment or decision not to hear the case. Two queries."""
    entries = WorkLogEntry.objects.filter(notice_id=notice_id, kind__in=rules.DUTY_EVIDENCE)
    entries = (entries.filter(lawyer_id=designation.lawyer_id) if of_lawyer else entries.filter(designation=designation))
    feedback = CourtFeedback.objects.filter(notice_id=notice_id,
                                            kind__in=[CourtFeedback.Kind.JUDGMENT, CourtFeedback.Kind.NOT_HEARD])
    return DutyRecord(
        entries=list(entries.order_by("started_at", "pk").values("pk", "kind", "started_at", "whole_hearing")),
        feedback={f["kind"]: f for f in feedback.values("kind", "pronounced_on", "notified_on", "reported_at")})


def duties_check(*, notice, designation, judgment_attached: bool = False) -> list:
    """Each duty the closing checks for this designation: {code, title, basis, inference, met,
    entries}. `met` is None for a duty that does not apply (the hearing, when the court did not
    hear the case). Two queries."""
    record = duty_record(notice_id=notice.pk, designation=designation, of_lawyer=True)
    results = {**record.m20(), "judgment": (CourtFeedback.Kind.JUDGMENT in record.feedback or judgment_attached, [])}
    out = []
    for code in rules.DUTIES_BY_DESIGNATION_KIND.get(designation.kind, rules.DUTIES_BY_DESIGNATION_KIND["defence"]):
        duty = rules.DUTIES[code]
        met, ids = results[code]
        out.append({"code": code, "title": str(duty.title), "basis": duty.basis, "inference": str(duty.inference),
                    "met": met, "entries": ids})
    return out


def missing_duties(duties) -> list:
    return [d for d in duties if d["met"] is False]


def duty_rows(duties) -> list:
    """A stored duties check with each duty's title and reading in the reader's language."""
    out = []
    for duty in duties or []:
        known = rules.DUTIES.get(duty.get("code"))
        out.append({**duty, "title": str(known.title), "inference": str(known.inference)} if known else duty)
    return out


def closing_of(notice) -> Closing | None:
    return (Closing.objects.filter(notice=notice).select_related("lawyer", "reviewed_by", "submitted_by")
            .prefetch_related(Prefetch("documents", queryset=WorkDocument.objects.order_by("uploaded_at", "id")))
            .first())


def court_requests(notice) -> list:
    """The lawyer's evidence and witness requests on a notice, as the court sees them."""
    return list(WorkLogEntry.objects.filter(notice=notice, kind__in=rules.COURT_REQUEST_KINDS)
                .select_related("lawyer").order_by("started_at", "id"))


def work_document_for(user, notice_id, document_id) -> WorkDocument:
    """A file of the lawyer's work, for someone who may see the notice: the agency's roles and the
    lawyers designated to it (never a court: the meeting record is the defence's). Raises
    WorkDocument.DoesNotExist otherwise."""
    if user.role != Role.LAWYER and not (user.is_agency_member or user.is_administrator):
        raise WorkDocument.DoesNotExist
    return WorkDocument.objects.select_related("notice").get(
        pk=document_id, notice_id=notice_id, notice__in=Notice.objects.filter(notice_scope(user)))


def complaints_for(user, *, limit=200) -> list:
    """Complaints of obstructed rights (M 19) on notices the user may see, unanswered first."""
    return list(WorkLogEntry.objects.filter(kind=EntryKind.OBSTRUCTION_COMPLAINT)
                .filter(notice__in=Notice.objects.filter(notice_scope(user)))
                .select_related("notice__case", "notice__defendant", "lawyer", "answered_by")
                .order_by("-status", "-started_at", "-id")[:limit])
