"""The court's feedback (docs/court-api.md events): it decided not to hold a hearing (the lawyer's
10-day written-opinion clock starts, M 20), its judgment and whether it adopted the defence opinion
(reasons when not, M 18), major procedural decisions (M 14), and its decision on the lawyer's
evidence or witness request (M 16: within 3 days). Each appears on the lawyer's and the staff's
case page, and the lawyer is told."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assignments.work import rules
from assignments.work.models import CourtFeedback, WorkLogEntry
from assignments.work.rules import EntryKind, OpinionAdopted
from assignments.work.services import common
from cases.deadlines import services as deadlines
from cases.models import Notice
from cases.services import NoticeNotOpen, event_log, lock
from legalaid import clock
from legalaid.errors import Conflict, IllegalTransition, InvalidInput

NO_HEARING_RULE = "lawyer_written_opinion_no_hearing"
DECISION_RULE = "court_decide_evidence_request"


def _require_assigned(notice):
    if not notice.is_open:
        raise NoticeNotOpen(_("The notice is %(status)s: nothing more can be reported on it.")
                            % {"status": notice.get_status_display()})
    if notice.status != Notice.Status.ASSIGNED:
        raise IllegalTransition(_("No lawyer is designated on this notice yet."), code="notice_not_assigned")


def _not_before_acceptance(notice, day, field):
    if day < notice.case.accepted_on:
        raise InvalidInput(_("This date is before the court accepted the case."), code="before_acceptance",
                           field=field)


def _tell(notice, feedback, **params):
    recipients = [*common.current_lawyer_users(notice), *common.staff_of(notice)]
    common.notify(f"court-feedback:{feedback.pk}", recipients, "court_feedback", notice,
                  what=feedback.get_kind_display(), **params)


def _create(feedback, code):
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise Conflict(_("The court already reported this on the notice."), code=code) from None


def notice_not_heard(*, notice, notified_on, actor, now=None) -> CourtFeedback:
    """`not_heard`: the court decided not to open a hearing. The lawyer's written opinion is due
    10 days from the court's notice (M 20); an opinion submitted since then meets it at once."""
    now = now or clock.now()
    with transaction.atomic():
        notice = lock(notice)
        _require_assigned(notice)
        _not_before_acceptance(notice, notified_on, "notified_on")
        feedback = CourtFeedback(notice=notice, kind=CourtFeedback.Kind.NOT_HEARD, notified_on=notified_on,
                                 reported_by=actor, reported_at=now)
        _create(feedback, "already_reported")
        event_log(notice=notice, code="not_heard", actor=actor, at=now,
                  data={"feedback": feedback.pk, "notified_on": notified_on.isoformat()})
        common.touch(notice, actor, now)
        deadline = deadlines.deadline_open(notice=notice, code=NO_HEARING_RULE, start=notified_on, now=now)
        submitted = (WorkLogEntry.objects.filter(notice=notice, kind=EntryKind.WRITTEN_OPINION,
                                                 started_at__gte=deadline.trigger_at).order_by("started_at").first())
        if submitted is not None:
            deadlines.deadline_close(notice=notice, code=NO_HEARING_RULE, at=submitted.started_at, actor=actor)
        _tell(notice, feedback, detail=_("Written opinion due %(due)s (M 20).")
              % {"due": clock.to_beijing(deadline.due_at).strftime("%Y-%m-%d")})
    return feedback


def notice_judgment(*, notice, pronounced_on, outcome: str, adopted: str, reasons: str, actor,
                    now=None) -> CourtFeedback:
    """`judgment`: the outcome and whether the defence opinion was adopted; when not in full, the
    court gives its reasons (M 18)."""
    now = now or clock.now()
    outcome, reasons = (outcome or "").strip(), (reasons or "").strip()
    if not outcome:
        raise InvalidInput(_("Give the outcome."), code="required", field="outcome")
    if adopted != OpinionAdopted.FULL and not reasons:
        raise InvalidInput(_("Give the reasons the defence opinion was not adopted (Measures Art. 18)."),
                           code="required", field="reasons_if_not_adopted")
    with transaction.atomic():
        notice = lock(notice)
        _require_assigned(notice)
        _not_before_acceptance(notice, pronounced_on, "pronounced_on")
        feedback = CourtFeedback(notice=notice, kind=CourtFeedback.Kind.JUDGMENT, pronounced_on=pronounced_on,
                                 outcome=outcome, opinion_adopted=adopted,
                                 reasons_not_adopted=reasons if adopted != OpinionAdopted.FULL else "",
                                 reported_by=actor, reported_at=now)
        _create(feedback, "judgment_already_reported")
        event_log(notice=notice, code="judgment", actor=actor, at=now, data={
            "feedback": feedback.pk, "pronounced_on": pronounced_on.isoformat(), "outcome": outcome,
            "defense_opinion_adopted": adopted, "reasons_if_not_adopted": feedback.reasons_not_adopted})
        common.touch(notice, actor, now)
        _tell(notice, feedback, detail=f"{outcome} · {OpinionAdopted(adopted).label}")
    return feedback


def notice_procedural_decision(*, notice, decision: str, decided_on, summary: str, actor,
                               now=None) -> CourtFeedback:
    """`procedural_decision`: a major procedural decision the court tells the lawyer of (M 14)."""
    now = now or clock.now()
    summary = (summary or "").strip()
    if decision == rules.ProceduralDecision.OTHER and not summary:
        raise InvalidInput(_("Describe the decision."), code="required", field="summary")
    with transaction.atomic():
        notice = lock(notice)
        if not notice.is_open:
            raise NoticeNotOpen(_("The notice is %(status)s: nothing more can be reported on it.")
                                % {"status": notice.get_status_display()})
        _not_before_acceptance(notice, decided_on, "decided_on")
        feedback = CourtFeedback.objects.create(
            notice=notice, kind=CourtFeedback.Kind.PROCEDURAL_DECISION, decision=decision, decided_on=decided_on,
            summary=summary, reported_by=actor, reported_at=now)
        event_log(notice=notice, code="procedural_decision", actor=actor, at=now, data={
            "feedback": feedback.pk, "decision": decision, "decided_on": decided_on.isoformat(), "summary": summary,
            "basis": rules.PROCEDURAL_DECISION_BASIS})
        common.touch(notice, actor, now)
        _tell(notice, feedback, detail=f"{rules.ProceduralDecision(decision).label} {summary}".strip())
    return feedback


def _pending_requests(notice):
    return (WorkLogEntry.objects.select_for_update(of=("self",))
            .filter(notice=notice, kind__in=rules.COURT_REQUEST_KINDS, status=WorkLogEntry.Status.AWAITING)
            .order_by("started_at", "pk"))


def court_request_decide(*, notice, request_id=None, decision: str, decided_on, reasons: str = "", actor,
                         now=None) -> WorkLogEntry:
    """`evidence_request_decided`: the court's decision on an evidence-collection or witness
    request (M 16). The 3-day clock follows the oldest undecided request: deciding it meets that
    clock, and the next undecided request, if any, has its own from when it was filed."""
    now = now or clock.now()
    reasons = (reasons or "").strip()
    with transaction.atomic():
        notice = lock(notice)
        if not notice.is_open:
            raise NoticeNotOpen(_("The notice is %(status)s: nothing more can be reported on it.")
                                % {"status": notice.get_status_display()})
        requests = (WorkLogEntry.objects.select_for_update(of=("self",))
                    .filter(notice=notice, kind__in=rules.COURT_REQUEST_KINDS).order_by("started_at", "pk"))
        if request_id is not None:
            entry = requests.filter(pk=request_id).first()
            if entry is None:
                raise InvalidInput(_("This notice has no request with this id."), code="unknown_request",
                                   field="request")
            if entry.status != WorkLogEntry.Status.AWAITING:
                raise Conflict(_("The court already decided this request."), code="request_already_decided")
        else:
            pending = list(_pending_requests(notice))
            if not pending:
                raise Conflict(_("The lawyer has no request awaiting the court's decision."),
                               code="no_pending_request")
            if len(pending) > 1:
                raise InvalidInput(_("Several requests await a decision: say which (request)."), code="required",
                                   field="request")
            entry = pending[0]
        if decided_on < clock.beijing_date(entry.started_at):
            raise InvalidInput(_("The decision cannot be before the request."), code="before_request",
                               field="decided_on")
        entry.status, entry.decision, entry.decided_on, entry.decision_reasons, entry.updated_at = (
            WorkLogEntry.Status.ANSWERED, decision, decided_on, reasons, now)
        common.save(entry, ["status", "decision", "decided_on", "decision_reasons", "updated_at"], actor)
        event_log(notice=notice, code="court_request_decided", actor=actor, at=now, data={
            "entry": entry.pk, "kind": entry.kind, "decision": decision, "decided_on": decided_on.isoformat(),
            "reasons": reasons})
        common.touch(notice, actor, now)
        _follow_clock(notice, actor=actor, now=now, decided_at=min(now, clock.end_of_day(decided_on)))
        common.notify(f"work-entry:{entry.pk}:decided", common.current_lawyer_users(notice), "court_request_decided",
                      notice, what=entry.get_kind_display(), decision=str(rules.CourtDecision(decision).label),
                      reasons=reasons)
    return entry


def _follow_clock(notice, *, actor, now, decided_at):
    running = deadlines.open_deadline(notice, DECISION_RULE)
    oldest = _pending_requests(notice).first()
    if running is not None and (oldest is None or oldest.started_at != running.trigger_at):
        deadlines.deadline_close(notice=notice, code=DECISION_RULE, at=decided_at, actor=actor)
        running = None
    if oldest is not None and running is None:
        deadlines.deadline_open(notice=notice, code=DECISION_RULE, start=oldest.started_at, now=now)
