"""The quality rules, as data with their legal basis (STYLE: the law lives in one place).

- STANDARD: the items each case is held to (M 20's trial-stage duties; N2018's service standards;
  the local rule "met the defendant within N days of designation"; PR2023's closing materials).
- EVALUATIONS: the sources of evaluations, the roles that may give each, and what each records.
- DEFAULTS: the numbers a jurisdiction may change (quality.models.QualitySettings); the nearest
  ancestor region's settings apply, else these.
- The grade formula (`grade_formula`), documented in docs/quality.md.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from legalaid.models import Role


class ItemStatus(models.TextChoices):
    """How a case fared on one item of the standard."""

    MET = "met", _("Met")
    LATE = "late", _("Met late")
    MISSING = "missing", _("Missing")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Points an item earns in the standard's score; a not-applicable item does not count.
ITEM_POINTS = {ItemStatus.MET: 100, ItemStatus.LATE: 50, ItemStatus.MISSING: 0}


@dataclass(frozen=True)
class StandardItem:
    code: str
    basis: str
    title: str
    explanation: str
    duty: str = ""  # the duty of M 20 it measures (assignments.work.rules.DUTIES), read as the closing reads it


STANDARD = [
    StandardItem("met_defendant", "M 20; local rule",
                 _("Met the defendant"),
                 _("A meeting is in the work log; on time when it began within the local number of days "
                   "of the designation (default 3)."), duty="meeting"),
    StandardItem("file_reviewed", "M 20; M 15",
                 _("Reviewed the file, with notes"),
                 _("A file review is in the work log, with notes on what was read (the work log requires "
                   "them)."), duty="file_review"),
    StandardItem("prepared", "M 20",
                 _("Prepared the defence before the hearing"),
                 _("A defence preparation entry before the hearing began; after it, late. Not applicable when "
                   "the court did not hold a hearing.")),
    StandardItem("hearing_in_full", "M 20",
                 _("Attended the whole hearing"),
                 _("Every hearing entry says the lawyer attended the whole hearing. Not applicable when the "
                   "court decided not to hold a hearing."), duty="hearing_in_full"),
    StandardItem("written_opinion", "M 20",
                 _("Submitted a written defence opinion"),
                 _("A written opinion is in the work log; late when it came after the judgment was "
                   "pronounced."), duty="written_opinion"),
    StandardItem("closing", "PR2023; N2018",
                 _("Closing materials complete and on time"),
                 _("A closing accepted by the agency, submitted within the local number of days of the "
                   "judgment (default 30); missing while there is none.")),
]
STANDARD_BY_CODE = {item.code: item for item in STANDARD}
# The items that measure an M 20 duty: a missing one counts as a missed duty for the lawyer's
# record and the suspension pattern.
DUTY_ITEMS = tuple(item.code for item in STANDARD if item.duty)


class EvaluationKind(models.TextChoices):
    HEARING_OBSERVATION = "hearing_observation", _("Hearing observation")  # 旁听庭审
    CLIENT_FOLLOW_UP = "client_follow_up", _("Follow-up with the client")  # 回访受援人
    COURT_FEEDBACK = "court_feedback", _("Court feedback")
    FILE_CHECK = "file_check", _("File check")  # 卷宗检查
    PEER_REVIEW = "peer_review", _("Peer review")  # 同行评估


@dataclass(frozen=True)
class EvaluationSpec:
    kind: str
    basis: str
    roles: frozenset  # who may give it; empty: only the system (from the court's judgment)
    explanation: str


# The one table of who may give which evaluation (LAL 57-59; N2018). Administrators may give any
# evaluation a person gives.
EVALUATIONS = {spec.kind: spec for spec in [
    EvaluationSpec(EvaluationKind.HEARING_OBSERVATION, "LAL 58; N2018",
                   frozenset({Role.AGENCY_STAFF, Role.SUPERVISOR, Role.EVALUATOR}),
                   _("Agency staff or a third-party evaluator watch the hearing and score the defence.")),
    EvaluationSpec(EvaluationKind.CLIENT_FOLLOW_UP, "LAL 58; N2018",
                   frozenset({Role.AGENCY_STAFF, Role.SUPERVISOR}),
                   _("The agency calls the client or the family: reached or not, satisfaction (1-5), complaints.")),
    EvaluationSpec(EvaluationKind.COURT_FEEDBACK, "M 18; N2018", frozenset(),
                   _("From the judgment the court reported: whether the defence opinion was adopted, and why not.")),
    EvaluationSpec(EvaluationKind.FILE_CHECK, "LAL 58; N2018",
                   frozenset({Role.AGENCY_STAFF, Role.SUPERVISOR}),
                   _("The agency checks the case file.")),
    EvaluationSpec(EvaluationKind.PEER_REVIEW, "N2018",
                   frozenset({Role.EVALUATOR}),
                   _("A senior lawyer, acting as evaluator, reviews the defence.")),
]}

SCORE_MIN, SCORE_MAX = 0, 100
SATISFACTION_MIN, SATISFACTION_MAX = 1, 5

# The court-feedback evaluation's score, by whether the judgment adopted the defence opinion (M 18).
# When not adopted in full the court gives its reasons (the court API requires them); they become
# the evaluation's comments, for the agency to weigh in its own evaluations.
COURT_FEEDBACK_SCORES = {"full": 100, "partial": 80, "none": 50}


def may_give(user, kind) -> bool:
    spec = EVALUATIONS.get(kind)
    if spec is None or not spec.roles:
        return False
    return user.role in spec.roles or user.is_administrator


# --- What a jurisdiction may change ---------------------------------------------------------------

DEFAULTS = dict(
    meeting_within_days=3,        # local rule: met the defendant within N days of designation
    closing_within_days=30,       # PR2023: closing materials within 30 days of the case's end
    training_minimum=4,           # sessions a year (local rule; N2018 requires training)
    excellent_min=90,
    good_min=75,
    pass_min=60,
    standard_weight=60,           # percent; evaluations weigh the rest
    suspension_fails=2,           # fails in the window propose a suspension ...
    suspension_missed_cases=3,    # ... or this many cases with a missed M 20 duty
    suspension_window_months=12,
)


def _round(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade_for(score, settings) -> str:
    from quality.models import Grade

    if score >= settings["excellent_min"]:
        return Grade.EXCELLENT
    if score >= settings["good_min"]:
        return Grade.GOOD
    if score >= settings["pass_min"]:
        return Grade.PASS
    return Grade.FAIL


def grade_formula(*, items: list, evaluations: list, settings: dict) -> dict:
    """The grade from the standard's items ({status}) and the evaluations ({kind, score}).

    standard  = mean of the applicable items' points (met 100, late 50, missing 0)
    evaluated = mean over the kinds present of each kind's mean score (so ten observations do not
                outweigh one file check)
    score     = standard × w + evaluated × (1 − w), w = standard_weight / 100; without evaluations,
                score = standard
    grade     = excellent ≥ excellent_min, good ≥ good_min, pass ≥ pass_min, else fail
    """
    applicable = [ITEM_POINTS[i["status"]] for i in items if i["status"] in ITEM_POINTS]
    standard = _round(sum(applicable) / len(applicable)) if applicable else _round(100)
    by_kind: dict = {}
    for e in evaluations:
        by_kind.setdefault(e["kind"], []).append(Decimal(e["score"]))
    kind_means = {k: sum(v) / len(v) for k, v in by_kind.items()}
    evaluated = _round(sum(kind_means.values()) / len(kind_means)) if kind_means else None
    weight = Decimal(settings["standard_weight"]) / 100
    score = standard if evaluated is None else _round(standard * weight + evaluated * (1 - weight))
    return {
        "standard": str(standard), "evaluated": None if evaluated is None else str(evaluated),
        "kind_means": {k: str(_round(v)) for k, v in kind_means.items()},
        "standard_weight": settings["standard_weight"], "score": score,
        "grade": grade_for(score, settings),
        "thresholds": {"excellent": settings["excellent_min"], "good": settings["good_min"],
                       "pass": settings["pass_min"]},
    }
