"""Who is owed counsel, and on what ground (docs/RULES.md §1). Pure: the law as data and one function.

A notice is classified by its strongest category: `mandatory` when any mandatory ground applies (the
law requires assigned counsel), else `full_coverage` (the pilot measures require it at trial), else
`duty_lawyer` (legal help from a duty lawyer). Every ground that applies is listed with its basis."""
import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Category, Condition, Procedure

MAJORITY_AGE = 18


@dataclass(frozen=True)
class Ground:
    code: str
    category: str
    basis: str
    title: Promise


_GROUNDS = [
    # Mandatory: CPL 35, 278; LAL 25(1); SPCI 47.
    Ground("minor", Category.MANDATORY, "CPL 278; LAL 25(1)(i)", _("Minor on the day the case was accepted")),
    Ground("blind", Category.MANDATORY, "CPL 35(2); LAL 25(1)(ii); SPCI 47(1)", _("Blind")),
    Ground("deaf", Category.MANDATORY, "CPL 35(2); LAL 25(1)(ii); SPCI 47(1)", _("Deaf")),
    Ground("mute", Category.MANDATORY, "CPL 35(2); LAL 25(1)(ii); SPCI 47(1)", _("Mute")),
    Ground("mental_partial", Category.MANDATORY, "CPL 35(2); LAL 25(1)(iii); SPCI 47(2)",
           _("Mental illness without full loss of capacity")),
    Ground("life_or_death", Category.MANDATORY, "CPL 35(3); LAL 25(1)(iv); SPCI 47(3)",
           _("May face life imprisonment or the death penalty")),
    Ground("death_penalty_review", Category.MANDATORY, "LAL 25(1)(v); SPCI 47", _("Death penalty review")),
    # Full coverage at trial: Measures Art. 2(3) — the court shall notify where no counsel is retained.
    Ground("ordinary_first_instance", Category.FULL_COVERAGE, "M 2(3)",
           _("First instance under the ordinary procedure")),
    Ground("second_instance", Category.FULL_COVERAGE, "M 2(3)", _("Second instance")),
    Ground("retrial", Category.FULL_COVERAGE, "M 2(3)", _("Retrial")),
    # Duty lawyer: Measures Art. 2(4); CPL 36.
    Ground("summary_or_fast_track", Category.DUTY_LAWYER, "M 2(4); CPL 36",
           _("Summary or fast-track procedure: legal help from a duty lawyer")),
]
GROUNDS = {g.code: g for g in _GROUNDS}

_PROCEDURE_GROUND = {
    Procedure.ORDINARY: "ordinary_first_instance",
    Procedure.SECOND_INSTANCE: "second_instance",
    Procedure.RETRIAL: "retrial",
    Procedure.DEATH_PENALTY_REVIEW: "death_penalty_review",
    Procedure.SUMMARY: "summary_or_fast_track",
    Procedure.FAST_TRACK: "summary_or_fast_track",
}
_CATEGORY_RANK = {Category.MANDATORY: 0, Category.FULL_COVERAGE: 1, Category.DUTY_LAWYER: 2}


@dataclass(frozen=True)
class Eligibility:
    category: str
    grounds: tuple  # of Ground, strongest first

    @property
    def ground_codes(self):
        return [g.code for g in self.grounds]


def nth_birthday(birth: dt.date, years: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # born on 29 February; the anniversary in a common year is 1 March (inference)
        return dt.date(birth.year + years, 3, 1)


def is_minor_on(birth: dt.date, day: dt.date) -> bool:
    """已满18周岁 holds from the day after the 18th birthday (SPC interpretation on juvenile cases,
    2006, Art. 2): on the birthday itself the person is still a minor."""
    return day <= nth_birthday(birth, MAJORITY_AGE)


def classify(*, procedure: str, accepted_on: dt.date, birth_date: dt.date, conditions=(),
             may_face_life_or_death: bool = False) -> Eligibility:
    codes = []
    if is_minor_on(birth_date, accepted_on):
        codes.append("minor")
    codes.extend(c for c in (Condition.BLIND, Condition.DEAF, Condition.MUTE, Condition.MENTAL_PARTIAL)
                 if c in conditions)
    if may_face_life_or_death:
        codes.append("life_or_death")
    codes.append(_PROCEDURE_GROUND[procedure])
    grounds = sorted((GROUNDS[c] for c in dict.fromkeys(codes)), key=lambda g: _CATEGORY_RANK[g.category])
    return Eligibility(category=grounds[0].category, grounds=tuple(grounds))


def grounds_for(codes):
    return [GROUNDS[c] for c in codes if c in GROUNDS]


# Materials the court sends with its notice (Measures Art. 4; SPCI 49): the notice letter and a copy
# of the document that brings the case to this court.
MATERIALS_BASIS = "M 4; SPCI 49"
_REQUIRED_COPY = {
    Procedure.ORDINARY: "indictment",
    Procedure.SUMMARY: "indictment",
    Procedure.FAST_TRACK: "indictment",
    Procedure.SECOND_INSTANCE: "first_instance_judgment",
    Procedure.RETRIAL: "retrial_notice",
    Procedure.DEATH_PENALTY_REVIEW: "first_instance_judgment",
}


def missing_materials(*, procedure: str, promised, uploaded_kinds) -> list:
    """Copies the notice still lacks, as `<kind>_copy` codes. A second-instance case brought by the
    procuratorate's protest needs the protest too."""
    required = [_REQUIRED_COPY[procedure]]
    if procedure == Procedure.SECOND_INSTANCE and "protest" in promised:
        required.append("protest")
    uploaded = set(uploaded_kinds)
    return [f"{kind}_copy" for kind in required if kind not in uploaded]
