"""The subsidy's law in one place: what is paid for (by stage, procedure and kind of designation), the
difficulties that add to it, the quality multiplier, the recipient's share, and `calculate`, a pure
function from a schedule, the facts of a case and its grade to the lines of the calculation.

Bases: M 8 (the agency pays the lawyer's subsidy promptly, by the standard set under LAL 52); N2018
(the standard by stage, difficulty and quality: "差异化办案补贴"); LAL 52 (the province sets the
standard and adjusts it); M 9 (cost sharing by the recipient where the jurisdiction applies it)."""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CENT = Decimal("0.01")


def plain(value: Decimal) -> str:
    """1.20 → "1.2", 10.00 → "10" (never "1E+1")."""
    return format(value.normalize(), "f")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Item(models.TextChoices):
    """What a subsidy is paid for: the stage of the proceedings, or duty-lawyer work."""

    INVESTIGATION = "investigation", gettext_lazy("Investigation stage")
    PROSECUTION = "prosecution", gettext_lazy("Prosecution review stage")
    FIRST_INSTANCE = "first_instance", gettext_lazy("Trial, first instance")
    SECOND_INSTANCE = "second_instance", gettext_lazy("Trial, second instance")
    RETRIAL = "retrial", gettext_lazy("Retrial")
    DEATH_PENALTY_REVIEW = "death_penalty_review", gettext_lazy("Death penalty review")
    DUTY_LAWYER = "duty_lawyer", gettext_lazy("Duty lawyer's legal help")


class Addition(models.TextChoices):
    """Difficulties that add to the base amount (N2018)."""

    LIFE_OR_DEATH = "life_or_death", gettext_lazy("Possible life imprisonment or death sentence")
    MANY_DEFENDANTS = "many_defendants", gettext_lazy("Many defendants in the case")
    CROSS_REGION = "cross_region", gettext_lazy("Lawyer travels from another prefecture")
    MINORITY_LANGUAGE = "minority_language", gettext_lazy("Minority or sign language needed")


BASIS_ITEM = "M 8; N2018; LAL 52"
BASIS_ADDITION = "N2018"
BASIS_QUALITY = "N2018; LAL 57-59"
BASIS_SHARE = "M 9"


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    basis: str
    amount: Decimal


@dataclass(frozen=True)
class Calculation:
    lines: list
    amount: Decimal  # what the lawyer is owed
    recipient_share: Decimal  # what the recipient bears (M 9)
    payable: Decimal  # what the legal aid fund pays
    complete: bool  # False when the schedule has no base amount for the case
    missing: str = ""


def additions_that_apply(facts: dict, many_defendants_from: int) -> list:
    codes = []
    if facts.get("life_or_death"):
        codes.append(Addition.LIFE_OR_DEATH)
    if facts.get("defendants", 1) >= many_defendants_from:
        codes.append(Addition.MANY_DEFENDANTS)
    if facts.get("cross_region"):
        codes.append(Addition.CROSS_REGION)
    if facts.get("minority_language"):
        codes.append(Addition.MINORITY_LANGUAGE)
    return codes


def calculate(*, schedule, items: dict, additions: dict, facts: dict, grade: str) -> Calculation:
    """The subsidy for a case. `items`: {(item, procedure): amount} of the schedule (procedure ""
    for any); `additions`: {code: amount}; `facts`: item, procedure, life_or_death, defendants,
    cross_region, minority_language, cost_sharing (the case is one the recipient may share in);
    `grade`: the case's quality grade (quality.models.Grade; "pass" when none was computed)."""
    item, procedure = facts["item"], facts.get("procedure", "")
    base = items.get((item, procedure), items.get((item, "")))
    lines = []
    if base is None:
        return Calculation([], money(0), money(0), money(0), False,
                           missing=_("The schedule %(schedule)s has no amount for %(item)s (%(procedure)s).")
                           % {"schedule": schedule.name, "item": Item(item).label, "procedure": procedure or "—"})
    lines.append(Line("base", str(Item(item).label), BASIS_ITEM, money(base)))
    for code in additions_that_apply(facts, schedule.many_defendants_from):
        if code in additions:
            label = str(Addition(code).label)
            if code == Addition.MANY_DEFENDANTS:
                label = _("%(label)s (%(n)s defendants)") % {"label": label, "n": facts["defendants"]}
            lines.append(Line(code, label, BASIS_ADDITION, money(additions[code])))
    subtotal = sum((line.amount for line in lines), money(0))
    multiplier = schedule.multiplier(grade)
    adjustment = money(subtotal * multiplier) - subtotal
    lines.append(Line("quality", _("Quality grade %(grade)s: × %(multiplier)s")
                      % {"grade": grade_label(grade), "multiplier": plain(multiplier)}, BASIS_QUALITY, adjustment))
    amount = subtotal + adjustment
    share = money(0)
    if facts.get("cost_sharing") and schedule.recipient_share_percent:
        share = money(amount * schedule.recipient_share_percent / 100)
        lines.append(Line("recipient_share", _("Borne by the recipient (%(percent)s%%)")
                          % {"percent": plain(schedule.recipient_share_percent)}, BASIS_SHARE, -share))
    return Calculation(lines, amount, share, amount - share, True)


def grade_label(grade: str) -> str:
    from quality.models import Grade

    return str(Grade(grade).label) if grade in Grade.values else grade


def facts_of(*, designation, notice, defendants: int) -> dict:
    """The facts the schedule reads, from the notice as it stood at closing."""
    from assignments.rules import wanted_languages
    from cases.models import Category

    case, defendant = notice.case, notice.defendant
    if designation.kind == designation.Kind.DUTY:
        item, procedure = Item.DUTY_LAWYER, ""
    else:
        item = case.stage if case.stage in Item.values else Item.FIRST_INSTANCE
        procedure = case.procedure if item == Item.FIRST_INSTANCE else ""
    lawyer_region = designation.lawyer.region
    return {
        "item": item,
        "procedure": procedure,
        "life_or_death": "life_or_death" in (notice.grounds or []) or bool(defendant.may_face_life_or_death),
        "defendants": defendants,
        "cross_region": bool(lawyer_region and lawyer_region.code[:4] != notice.court.region.code[:4]),
        "minority_language": bool(wanted_languages(conditions=defendant.conditions or [],
                                                   ethnicity=defendant.ethnicity)),
        # Cost sharing (M 9) only where the law does not require counsel: never for mandatory defence.
        "cost_sharing": notice.category == Category.FULL_COVERAGE,
    }
