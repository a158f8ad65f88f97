"""Closing a case (结案). The lawyer submits the closing report with the closing materials (and the
judgment when the court did not report it); the system checks the duties of M 20 from the work log
and refuses with the list of what is missing; staff accept (the notice is closed, the designation
ends, the subsidy hook runs) or return it with a note. After acceptance only a supervisor may
amend it, with a reason."""
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.load import load_designation_moved
from assignments.models import Designation
from assignments.work import rules
from assignments.work.models import Closing, CourtFeedback, WorkDocument, WorkLogEntry
from assignments.work.rules import EntryKind
from assignments.work.services import common
from assignments.work.services.entries import check_files
from assignments.work.uploads import work_document_store
from cases.deadlines import services as deadlines
from cases.models import Notice
from cases.services import event_log, lock, transition
from legalaid import clock
from legalaid.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted

# --- The hook the quality app fills -----------------------------------------------------------------

# Called, in order, inside the transaction that accepts a closing, as receiver(closing=, actor=, now=).
# The quality app appends its subsidy computation here from its AppConfig.ready(); an exception
# rolls the acceptance back.
CLOSING_ACCEPTED_RECEIVERS: list = []


def on_closing_accepted(*, closing, actor, now):
    """A closing was accepted: whatever follows from it (the subsidy, issue 6) runs here."""
    for receiver in CLOSING_ACCEPTED_RECEIVERS:
        receiver(closing=closing, actor=actor, now=now)


# --- The duties check ---------------------------------------------------------------------------------

def duties_check(*, notice, designation, judgment_attached: bool = False) -> list:
    """Each duty the closing checks for this designation: {code, title, basis, inference, met,
    entries}. `met` is None for a duty that does not apply (the hearing, when the court did not
    hear the case). Two queries."""
    entries = list(WorkLogEntry.objects.filter(notice=notice, lawyer_id=designation.lawyer_id,
                                               kind__in=[EntryKind.MEETING, EntryKind.FILE_REVIEW,
                                                         EntryKind.HEARING, EntryKind.WRITTEN_OPINION])
                   .order_by("started_at", "pk").values("pk", "kind", "whole_hearing"))
    feedback = set(CourtFeedback.objects.filter(notice=notice, kind__in=[CourtFeedback.Kind.JUDGMENT,
                                                                         CourtFeedback.Kind.NOT_HEARD])
                   .values_list("kind", flat=True))
    of_kind = {kind: [e["pk"] for e in entries if e["kind"] == kind] for kind in EntryKind.values}
    hearings = [e for e in entries if e["kind"] == EntryKind.HEARING]
    results = {
        "meeting": (bool(of_kind[EntryKind.MEETING]), of_kind[EntryKind.MEETING]),
        "file_review": (bool(of_kind[EntryKind.FILE_REVIEW]), of_kind[EntryKind.FILE_REVIEW]),
        "hearing_in_full": (None, [e["pk"] for e in hearings]) if CourtFeedback.Kind.NOT_HEARD in feedback
        else (bool(hearings) and all(e["whole_hearing"] for e in hearings), [e["pk"] for e in hearings]),
        "written_opinion": (bool(of_kind[EntryKind.WRITTEN_OPINION]), of_kind[EntryKind.WRITTEN_OPINION]),
        "judgment": (CourtFeedback.Kind.JUDGMENT in feedback or judgment_attached, []),
    }
    out = []
    for code in rules.DUTIES_BY_DESIGNATION_KIND.get(designation.kind, rules.DUTIES_BY_DESIGNATION_KIND["defence"]):
        duty = rules.DUTIES[code]
        met, ids = results[code]
        out.append({"code": code, "title": str(duty.title), "basis": duty.basis, "inference": str(duty.inference),
                    "met": met, "entries": ids})
    return out


def missing_duties(duties) -> list:
    return [d for d in duties if d["met"] is False]


class DutiesMissing(Conflict):
    code = "duties_missing"


# --- Submitting, reviewing, amending --------------------------------------------------------------

def closing_submit(*, notice, summary: str, materials=(), judgment=None, actor, now=None) -> Closing:
    """The lawyer closes the case. Refused (409, duties_missing, with the list) while a duty of
    M 20 is not in the work log; nothing is stored then."""
    now = now or clock.now()
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("Write the closing report."), code="required", field="summary")
    checked_materials = check_files(materials)
    checked_judgment = check_files([judgment] if judgment else [])
    with transaction.atomic():
        notice = lock(notice)
        designation = common.lawyer_designation(notice, actor)
        closing = Closing.objects.select_for_update().filter(notice=notice).first()
        if closing is not None and closing.status == Closing.Status.SUBMITTED:
            raise IllegalTransition(_("The closing is already with the agency for review."),
                                    code="closing_under_review")
        has_judgment = bool(checked_judgment) or (closing is not None and closing.documents.filter(
            kind=WorkDocument.Kind.JUDGMENT).exists())
        duties = duties_check(notice=notice, designation=designation, judgment_attached=has_judgment)
        missing = missing_duties(duties)
        if missing:
            raise DutiesMissing(
                _("The case cannot be closed yet. Missing: %(missing)s.")
                % {"missing": "; ".join(f"{d['title']} ({d['basis']})" for d in missing)},
                field="duties", extra={"missing": [d["code"] for d in missing]})
        before = closing.status if closing else ""
        if closing is None:
            closing = Closing(notice=notice, designation=designation, lawyer=designation.lawyer)
        closing.designation, closing.lawyer = designation, designation.lawyer
        closing.status, closing.summary, closing.duties = Closing.Status.SUBMITTED, summary, duties
        closing.submitted_at, closing.submitted_by = now, actor
        closing.reviewed_at = closing.reviewed_by = None
        closing._history_user = actor
        closing.save()
        stored = [work_document_store(notice=notice, closing=closing, upload=upload, content_type=content_type,
                                      actor=actor, now=now, kind=WorkDocument.Kind.CLOSING_MATERIAL)
                  for upload, content_type in checked_materials]
        stored += [work_document_store(notice=notice, closing=closing, upload=upload, content_type=content_type,
                                       actor=actor, now=now, kind=WorkDocument.Kind.JUDGMENT)
                   for upload, content_type in checked_judgment]
        event_log(notice=notice, code="closing_submitted", actor=actor, at=now, data={
            "closing": closing.pk, "resubmitted": before == Closing.Status.RETURNED,
            "duties": {d["code"]: d["met"] for d in duties}, "documents": [d.pk for d in stored]})
        common.notify(f"closing:{closing.pk}:submitted:{now.timestamp():.0f}", common.staff_of(notice),
                      "closing_submitted", notice, link=f"/notices/{notice.pk}/#closing", lawyer=designation.lawyer.name)
    return closing


def _lock_closing(closing, actor):
    if actor is None or not actor.can_write_cases:
        raise NotPermitted(_("Only agency staff review closings."))
    notice = lock(closing.notice)
    closing = Closing.objects.select_for_update(of=("self",)).select_related("lawyer__user").get(pk=closing.pk)
    return notice, closing


def closing_accept(*, closing, actor, note: str = "", now=None) -> Closing:
    """Staff accept the closing: the notice is closed (cases.services.transition), the designation
    ends as completed, clocks still running stop, and on_closing_accepted runs."""
    now = now or clock.now()
    with transaction.atomic():
        notice, closing = _lock_closing(closing, actor)
        if closing.status != Closing.Status.SUBMITTED:
            raise IllegalTransition(_("Only a submitted closing can be accepted."), code="closing_not_submitted")
        designation = Designation.objects.select_for_update(of=("self",)).get(pk=closing.designation_id)
        if not designation.is_current:
            raise IllegalTransition(_("The lawyer who submitted this closing is no longer designated: return it."),
                                    code="closing_designation_ended")
        closing.status, closing.reviewed_at, closing.reviewed_by, closing.accepted_at = (
            Closing.Status.ACCEPTED, now, actor, now)
        closing.review_note = (note or "").strip()
        common.save(closing, ["status", "reviewed_at", "reviewed_by", "accepted_at", "review_note"], actor)
        transition(notice, Notice.Status.CLOSED, actor=actor, code="closing_accepted", now=now,
                   data={"closing": closing.pk, "lawyer": closing.lawyer.name})
        was = designation.status
        designation.status, designation.ended_at, designation.ended_by = Designation.Status.ENDED, now, actor
        designation.end_reason = Designation.EndReason.CLOSED
        common.save(designation, ["status", "ended_at", "ended_by", "end_reason"], actor)
        load_designation_moved(designation=designation, was=was)
        deadlines.deadlines_waive_all(notice=notice, actor=actor, reason=_("The case is closed."))
        on_closing_accepted(closing=closing, actor=actor, now=now)
        user = closing.lawyer.user
        if user and user.is_active:
            common.notify(f"closing:{closing.pk}:accepted", [user], "closing_accepted", notice)
    return closing


def closing_return(*, closing, note: str, actor, now=None) -> Closing:
    """Staff return the closing to the lawyer with what to fix."""
    now = now or clock.now()
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Say what the lawyer should fix."), code="required", field="note")
    with transaction.atomic():
        notice, closing = _lock_closing(closing, actor)
        if closing.status != Closing.Status.SUBMITTED:
            raise IllegalTransition(_("Only a submitted closing can be returned."), code="closing_not_submitted")
        closing.status, closing.reviewed_at, closing.reviewed_by, closing.review_note = (
            Closing.Status.RETURNED, now, actor, note)
        common.save(closing, ["status", "reviewed_at", "reviewed_by", "review_note"], actor)
        event_log(notice=notice, code="closing_returned", actor=actor, at=now,
                  data={"closing": closing.pk, "note": note})
        user = closing.lawyer.user
        if user and user.is_active:
            common.notify(f"closing:{closing.pk}:returned:{now.timestamp():.0f}", [user], "closing_returned",
                          notice, note=note)
    return closing


def closing_amend(*, closing, summary: str, reason: str, actor, now=None) -> Closing:
    """A supervisor amends an accepted closing's report, saying why (the old text stays in the
    history)."""
    now = now or clock.now()
    summary, reason = (summary or "").strip(), (reason or "").strip()
    if not common.is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor may amend an accepted closing."), code="closed_needs_supervisor")
    if not summary:
        raise InvalidInput(_("Write the closing report."), code="required", field="summary")
    if not reason:
        raise InvalidInput(_("Say why the closing is amended."), code="reason_required", field="reason")
    with transaction.atomic():
        notice, closing = _lock_closing(closing, actor)
        if closing.status != Closing.Status.ACCEPTED:
            raise IllegalTransition(_("Only an accepted closing is amended; the lawyer resubmits the others."),
                                    code="closing_not_accepted")
        closing.summary = summary
        common.save(closing, ["summary"], actor)
        event_log(notice=notice, code="closing_amended", actor=actor, at=now,
                  data={"closing": closing.pk, "reason": reason})
    return closing
