"""Writes of the quality app: evaluations, the grade recompute (and the suspension proposal it may
make), confirming or dismissing a proposal, training records, and clients' complaints (LAL 55).
Each: guard → transaction.atomic → save → event/history."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assignments.models import Designation, Lawyer
from assignments.services.designations import designation_replace
from assignments.services.roster import lawyer_suspend
from assignments.work.models import CourtFeedback
from cases.services import event_log, lock
from legalaid import clock, history, transitions
from legalaid.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted
from legalaid.permissions import is_supervisor, require_writer
from quality import rules, selectors
from quality.models import CaseGrade, Complaint, Evaluation, SuspensionProposal, TrainingRecord
from quality.rules import EvaluationKind
from notifications.recipients import supervisors_in_regions


def _text(value) -> str:
    return (value or "").strip()


def _int_in(value, low, high, *, field, message):
    """An integer within [low, high], else InvalidInput on the field (a score outside its scale)."""
    if isinstance(value, bool):
        raise InvalidInput(message, code="out_of_range", field=field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(message, code="invalid", field=field) from None
    if number != number.to_integral_value() or not (low <= number <= high):
        raise InvalidInput(message, code="out_of_range", field=field)
    return int(number)


# --- Evaluations ------------------------------------------------------------------------------------

def evaluation_create(*, notice, kind: str, score, comments: str = "", reached=None, satisfaction=None,
                      complaint: str = "", actor, now=None) -> Evaluation:
    """An evaluation of the notice's defence by one of the roles that may give its kind
    (rules.EVALUATIONS); the case's grade is recomputed in the same transaction. The caller has
    checked the notice is in the actor's scope (else 404)."""
    now = now or clock.now()
    if kind not in rules.EVALUATIONS:
        raise InvalidInput(_("Choose the kind of evaluation."), code="invalid_choice", field="kind")
    if actor is None or not rules.may_give(actor, kind):
        raise NotPermitted(_("Your role may not give this kind of evaluation."), code="evaluation_role")
    score = _int_in(score, rules.SCORE_MIN, rules.SCORE_MAX, field="score",
                    message=_("The score is a whole number from 0 to 100."))
    values = {"comments": _text(comments)}
    if kind == EvaluationKind.CLIENT_FOLLOW_UP:
        if reached is None:
            raise InvalidInput(_("Say whether the client was reached."), code="required", field="reached")
        values["reached"] = bool(reached)
        if reached:
            if satisfaction in (None, ""):
                raise InvalidInput(_("Give the client's satisfaction (1-5)."), code="required", field="satisfaction")
            values["satisfaction"] = _int_in(satisfaction, rules.SATISFACTION_MIN, rules.SATISFACTION_MAX,
                                             field="satisfaction",
                                             message=_("Satisfaction is a whole number from 1 to 5."))
        values["complaint"] = _text(complaint)
    elif satisfaction not in (None, "") or reached is not None:
        raise InvalidInput(_("Only a follow-up with the client records reach and satisfaction."),
                           code="not_for_kind", field="satisfaction" if satisfaction not in (None, "") else "reached")
    with transaction.atomic():
        notice = lock(notice)
        designation = selectors.quality_designation(notice)
        if designation is None:
            raise Conflict(_("No lawyer has taken up this case yet: there is no defence to evaluate."),
                           code="no_designation")
        evaluation = Evaluation(notice=notice, designation=designation, kind=kind, score=score, author=actor,
                                created_at=now, **values)
        history.save(evaluation, actor=actor)
        event_log(notice=notice, code="quality_evaluated", actor=actor, at=now,
                  data={"evaluation": evaluation.pk, "kind": kind, "score": score})
        case_grade_recompute(designation=designation, now=now, actor=actor)
    return evaluation


def _court_feedback_evaluation(designation, now):
    """The court-feedback evaluation, made once from the judgment when it says whether the defence
    opinion was adopted (M 18). There is no hook when the court reports a judgment, so the
    recompute makes it."""
    judgment = (CourtFeedback.objects.filter(notice_id=designation.notice_id, kind=CourtFeedback.Kind.JUDGMENT,
                                             opinion_adopted__in=list(rules.COURT_FEEDBACK_SCORES))
                .filter(evaluation__isnull=True).first())
    if judgment is None:
        return
    judged = selectors.quality_designation(designation.notice)
    if judged is None or judged.pk != designation.pk:
        return  # the judgment speaks of the defence of the lawyer designated when it came, not of one replaced
    note = _text(judgment.reasons_not_adopted)
    try:
        with transaction.atomic():
            Evaluation.objects.create(
                notice_id=designation.notice_id, designation=designation, kind=EvaluationKind.COURT_FEEDBACK,
                score=rules.COURT_FEEDBACK_SCORES[judgment.opinion_adopted], court_feedback=judgment, created_at=now,
                comments=f"{judgment.get_opinion_adopted_display()}{'：' + note if note else ''}")
    except IntegrityError:
        pass  # made by a concurrent recompute


def case_grade_recompute(*, designation, now=None, actor=None) -> CaseGrade:
    """Recompute the designation's grade from its standard and evaluations (rules.grade_formula)
    and store it with how it was computed; then propose a suspension if the lawyer's record now
    shows the pattern. Runs after every evaluation and when a closing is accepted."""
    now = now or clock.now()
    designation = (Designation.objects.select_related("notice__agency__region", "notice__case", "lawyer__region")
                   .get(pk=designation.pk))
    notice = designation.notice
    settings = selectors.settings_for(region=notice.agency.region)
    with transaction.atomic():
        # One recompute at a time per designation (the grade row may not exist yet to lock).
        Designation.objects.select_for_update().filter(pk=designation.pk).first()
        _court_feedback_evaluation(designation, now)
        items = selectors.standard_items(designation=designation, settings=settings)
        evaluations = list(Evaluation.objects.filter(designation=designation).order_by("created_at", "id")
                           .values("pk", "kind", "score"))
        result = rules.grade_formula(items=items, evaluations=evaluations, settings=settings)
        missed = selectors.missed_duties(items)
        details = {
            "items": [{k: i[k] for k in ("code", "basis", "status", "evidence")} for i in items],
            "evaluations": evaluations, "missed_duties": missed, "settings_from": settings.get("region"),
            "formula": {k: v for k, v in result.items() if k not in ("score", "grade")},
        }
        grade = CaseGrade.objects.select_for_update().filter(designation=designation).first()
        before = grade.grade if grade else ""
        if grade is None:
            grade = CaseGrade(designation=designation, notice=notice)
        grade.grade, grade.score, grade.details = result["grade"], result["score"], details
        grade.computed_at, grade.missed_duties = now, len(missed)
        history.save(grade, actor=actor)
        if before != grade.grade:
            event_log(notice=notice, code="quality_graded", actor=actor, at=now,
                      data={"from": before, "to": grade.grade, "score": str(grade.score)})
        suspension_propose_if_pattern(lawyer=designation.lawyer, now=now)
    return grade


def on_closing_accepted(*, closing, actor, now):
    """legalaid/hooks.py, `closing_accepted`: grade the closed case first (the subsidy reads the grade)."""
    case_grade_recompute(designation=closing.designation, now=now, actor=actor)


# --- Suspensions ------------------------------------------------------------------------------------

def suspension_propose_if_pattern(*, lawyer, now) -> SuspensionProposal | None:
    """Propose suspending the lawyer when the window shows the pattern (fails or cases with a
    missed duty), unless a proposal is open or a suspension runs. The partial unique index keeps it
    to one open proposal per lawyer under concurrency."""
    settings = selectors.settings_for(region=lawyer.region)
    pattern = selectors.pattern_for(lawyer=lawyer, now=now, settings=settings)
    if pattern is None:
        return None
    today = clock.beijing_date(now)
    if SuspensionProposal.objects.filter(lawyer=lawyer, status=SuspensionProposal.Status.PROPOSED).exists():
        return None
    if lawyer.suspensions.filter(starts_on__lte=today, lifted_at__isnull=True).exclude(ends_on__lt=today).exists():
        return None
    # A proposal decided on after the grades it counted is not made again for the same grades.
    last = SuspensionProposal.objects.filter(lawyer=lawyer).order_by("-proposed_at").first()
    if last is not None and set(pattern["grades"]) <= set(last.pattern.get("grades", [])):
        return None
    try:
        with transaction.atomic():
            proposal = SuspensionProposal(lawyer=lawyer, pattern=pattern, proposed_at=now)
            history.save(proposal, actor=None)
    except IntegrityError:
        return None
    _tell_supervisors(proposal)
    return proposal


def _tell_supervisors(proposal):
    """The supervisors of the agencies over the lawyer's region (county, prefecture, province) are
    told a proposal awaits their decision; sent after the commit, once per proposal."""
    from django.urls import reverse

    from notifications.services import notify

    lawyer, pattern = proposal.lawyer, proposal.pattern
    code = lawyer.region.code
    chain = {code[:2].ljust(6, "0"), code[:4].ljust(6, "0"), code}
    notify(key=f"suspension_proposal:{proposal.pk}", recipients=supervisors_in_regions(chain),
           kind="suspension_proposed", link=reverse("quality:proposals"), params={
               "lawyer": lawyer.name, "fails": pattern["fails"], "missed_cases": pattern["missed_cases"],
               "months": pattern["window_months"]})


def _lock_proposal(proposal, actor, to):
    if not is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor decides on a suspension."), code="supervisor_required")
    proposal = SuspensionProposal.objects.select_for_update().select_related("lawyer").get(pk=proposal.pk)
    if not transitions.can_become(proposal, to):
        raise IllegalTransition(_("This proposal was already decided."), code="proposal_decided")
    return proposal


def suspension_proposal_confirm(*, proposal, reason: str, starts_on, ends_on=None, actor,
                                now=None) -> SuspensionProposal:
    """A supervisor confirms: the lawyer is suspended from designations for the period (the
    recommendation's filter honours it)."""
    now = now or clock.now()
    reason = _text(reason)
    if not is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor decides on a suspension."), code="supervisor_required")
    if not reason:
        raise InvalidInput(_("Give the reason for the suspension."), code="required", field="reason")
    if not isinstance(starts_on, dt.date):
        raise InvalidInput(_("Give the first day."), code="required", field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("The period ends before it starts."), code="ends_before_start", field="ends_on")
    with transaction.atomic():
        proposal = _lock_proposal(proposal, actor, SuspensionProposal.Status.CONFIRMED)
        suspension = lawyer_suspend(lawyer=proposal.lawyer, starts_on=starts_on, ends_on=ends_on, reason=reason,
                                    actor=actor)
        transitions.transition(proposal, SuspensionProposal.Status.CONFIRMED, actor=actor, code="suspension_confirmed",
                               now=now, changes={"decided_at": now, "decided_by": actor, "decision_reason": reason,
                                                 "starts_on": starts_on, "ends_on": ends_on, "suspension": suspension})
    return proposal


def suspension_proposal_dismiss(*, proposal, reason: str, actor, now=None) -> SuspensionProposal:
    now = now or clock.now()
    reason = _text(reason)
    if not is_supervisor(actor):
        raise NotPermitted(_("Only a supervisor decides on a suspension."), code="supervisor_required")
    if not reason:
        raise InvalidInput(_("Say why the proposal is dismissed."), code="required", field="reason")
    with transaction.atomic():
        proposal = _lock_proposal(proposal, actor, SuspensionProposal.Status.DISMISSED)
        transitions.transition(proposal, SuspensionProposal.Status.DISMISSED, actor=actor, code="suspension_dismissed",
                               now=now, changes={"decided_at": now, "decided_by": actor, "decision_reason": reason})
    return proposal


# --- Training ---------------------------------------------------------------------------------------

def training_record_add(*, lawyer, course: str, held_on, hours, provider: str = "", actor,
                        now=None) -> TrainingRecord:
    now = now or clock.now()
    require_writer(actor, _("Only agency staff record training."))
    course = _text(course)
    if not isinstance(lawyer, Lawyer):
        raise InvalidInput(_("Choose the lawyer."), code="required", field="lawyer")
    if not course:
        raise InvalidInput(_("Name the course."), code="required", field="course")
    if not isinstance(held_on, dt.date):
        raise InvalidInput(_("Give the date of the session."), code="required", field="held_on")
    if held_on > clock.beijing_date(now):
        raise InvalidInput(_("This date is in the future."), code="future_date", field="held_on")
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Give the hours, e.g. 3 or 1.5."), code="invalid", field="hours") from None
    if not (Decimal("0.5") <= hours <= Decimal("100")) or hours != hours.quantize(Decimal("0.1")):
        raise InvalidInput(_("Hours run from 0.5 to 100, in tenths."), code="out_of_range", field="hours")
    with transaction.atomic():
        record = TrainingRecord(lawyer=lawyer, course=course, held_on=held_on, hours=hours,
                                provider=_text(provider), recorded_by=actor, recorded_at=now)
        history.save(record, actor=actor)
    return record


# --- Complaints (LAL 55) ------------------------------------------------------------------------------

def complaint_receive(*, notice, complainant: str, relation: str, summary: str, received_on=None, actor,
                      now=None) -> Complaint:
    """Staff record a complaint from the client or the family about the lawyer designated."""
    now = now or clock.now()
    require_writer(actor, _("Only agency staff receive complaints."))
    complainant, summary = _text(complainant), _text(summary)
    received_on = received_on or clock.beijing_date(now)
    if not complainant:
        raise InvalidInput(_("Give the complainant's name."), code="required", field="complainant")
    if relation not in Complaint.Relation.values:
        raise InvalidInput(_("Choose who complains."), code="invalid_choice", field="relation")
    if not summary:
        raise InvalidInput(_("Write what the complaint says."), code="required", field="summary")
    if not isinstance(received_on, dt.date) or received_on > clock.beijing_date(now):
        raise InvalidInput(_("The complaint cannot be received in the future."), code="future_date",
                           field="received_on")
    with transaction.atomic():
        notice = lock(notice)
        designation = selectors.quality_designation(notice)
        if designation is None:
            raise Conflict(_("No lawyer has taken up this case: there is no lawyer to complain about."),
                           code="no_designation")
        complaint = Complaint(notice=notice, designation=designation, lawyer=designation.lawyer,
                              complainant=complainant, relation=relation, summary=summary, received_on=received_on,
                              received_by=actor, created_at=now)
        history.save(complaint, actor=actor)
        event_log(notice=notice, code="client_complaint_received", actor=actor, at=now,
                  to_status=complaint.status, data={"complaint": complaint.pk, "lawyer": designation.lawyer.name})
    return complaint


def _lock_complaint(complaint, actor, to):
    require_writer(actor, _("Only agency staff handle complaints."))
    notice = lock(complaint.notice)
    complaint = Complaint.objects.select_for_update().select_related("lawyer").get(pk=complaint.pk)
    if not transitions.can_become(complaint, to):
        raise complaint.transition_refused(to)
    return notice, complaint


def complaint_investigate(*, complaint, note: str = "", actor, now=None) -> Complaint:
    now = now or clock.now()
    with transaction.atomic():
        notice, complaint = _lock_complaint(complaint, actor, Complaint.Status.INVESTIGATING)
        transitions.transition(complaint, Complaint.Status.INVESTIGATING, actor=actor,
                               code="client_complaint_investigating", now=now, data={"complaint": complaint.pk},
                               changes={"investigation_note": _text(note)})
    return complaint


def complaint_decide(*, complaint, outcome: str, decision: str, replace_with=None, override_reason: str = "",
                     actor, now=None) -> Complaint:
    """Decide the complaint. Upheld with a lawyer to replace with: the lawyer is replaced through
    assignments' designation_replace (ground client_request, LAL 55) in the same transaction; any
    refusal there (e.g. the SPCI 311 limit) rolls the decision back."""
    now = now or clock.now()
    decision = _text(decision)
    if outcome not in Complaint.Outcome.values:
        raise InvalidInput(_("Choose upheld or dismissed."), code="invalid_choice", field="outcome")
    if not decision:
        raise InvalidInput(_("Write the decision."), code="required", field="decision")
    if replace_with is not None and outcome != Complaint.Outcome.UPHELD:
        raise InvalidInput(_("Only an upheld complaint replaces the lawyer."), code="replace_needs_upheld",
                           field="replace_with")
    with transaction.atomic():
        notice, complaint = _lock_complaint(complaint, actor, Complaint.Status.DECIDED)
        replacement = None
        if replace_with is not None:
            current = notice.designations.filter(status__in=Designation.CURRENT).first()
            if current is None or current.pk != complaint.designation_id:
                raise Conflict(_("The lawyer complained of is no longer designated on this case."),
                               code="designation_not_current")
            replacement = designation_replace(notice=notice, lawyer=replace_with, ground="client_request",
                                              note=decision, override_reason=override_reason, actor=actor, now=now)
        transitions.transition(complaint, Complaint.Status.DECIDED, actor=actor, code="client_complaint_decided",
                               now=now, data={"complaint": complaint.pk, "outcome": outcome,
                                              "replaced": replacement is not None},
                               changes={"outcome": outcome, "decision": decision, "decided_by": actor,
                                        "decided_at": now, "replacement": replacement})
    return complaint
