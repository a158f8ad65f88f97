"""`calculate`: worked cases of stage × difficulty × grade, each amount asserted to the fen, with the
lines a lawyer reads. The same cases are the table in docs/subsidies.md."""
from decimal import Decimal
from types import SimpleNamespace

import pytest

from quality.subsidies.rules import calculate, facts_of
from quality.subsidies.tests.factories import ADDITIONS, ITEMS, MULTIPLIERS

SCHEDULE = SimpleNamespace(name="驻马店市标准", many_defendants_from=3, recipient_share_percent=Decimal("10"),
                           **{f"multiplier_{g}": Decimal(m) for g, m in MULTIPLIERS.items()})
SCHEDULE.multiplier = lambda grade: getattr(SCHEDULE, f"multiplier_{grade}")
AMOUNTS = {(item, procedure): Decimal(amount) for item, procedure, amount in ITEMS}
EXTRA = {code: Decimal(amount) for code, amount in ADDITIONS.items()}


def facts(item="first_instance", procedure="ordinary", **kw):
    return {"item": item, "procedure": procedure, "life_or_death": False, "defendants": 1, "cross_region": False,
            "minority_language": False, "cost_sharing": False, **kw}


WORKED = [
    # (what, facts, grade, lines [(code, amount)], owed, recipient, payable)
    ("ordinary first instance, no difficulty, good", facts(), "good",
     [("base", "1200.00"), ("quality", "0.00")], "1200.00", "0.00", "1200.00"),
    ("ordinary first instance, possible death sentence, excellent", facts(life_or_death=True), "excellent",
     [("base", "1200.00"), ("life_or_death", "1000.00"), ("quality", "440.00")], "2640.00", "0.00", "2640.00"),
    ("second instance, four defendants, lawyer from another prefecture, pass, cost sharing 10%",
     facts("second_instance", "", defendants=4, cross_region=True, cost_sharing=True), "pass",
     [("base", "1000.00"), ("many_defendants", "300.00"), ("cross_region", "200.00"), ("quality", "-150.00"),
      ("recipient_share", "-135.00")], "1350.00", "135.00", "1215.00"),
    ("fast-track, Uyghur interpreter needed, good, cost sharing 10%",
     facts(procedure="fast_track", minority_language=True, cost_sharing=True), "good",
     [("base", "500.00"), ("minority_language", "200.00"), ("quality", "0.00"), ("recipient_share", "-70.00")],
     "700.00", "70.00", "630.00"),
    ("death penalty review, three defendants, failed", facts("death_penalty_review", "", life_or_death=True,
                                                             defendants=3), "fail",
     [("base", "3000.00"), ("life_or_death", "1000.00"), ("many_defendants", "300.00"), ("quality", "-4300.00")],
     "0.00", "0.00", "0.00"),
    ("duty lawyer, excellent", facts("duty_lawyer", ""), "excellent",
     [("base", "300.00"), ("quality", "60.00")], "360.00", "0.00", "360.00"),
    ("summary procedure, two defendants (under the threshold), pass", facts(procedure="summary", defendants=2),
     "pass", [("base", "800.00"), ("quality", "-80.00")], "720.00", "0.00", "720.00"),
]


@pytest.mark.parametrize("what, case_facts, grade, lines, owed, recipient, payable", WORKED,
                         ids=[w[0] for w in WORKED])
def test_a_worked_case(what, case_facts, grade, lines, owed, recipient, payable):
    result = calculate(schedule=SCHEDULE, items=AMOUNTS, additions=EXTRA, facts=case_facts, grade=grade)

    assert result.complete
    assert [(line.code, str(line.amount)) for line in result.lines] == lines
    assert (str(result.amount), str(result.recipient_share), str(result.payable)) == (owed, recipient, payable)
    assert sum(line.amount for line in result.lines) == result.payable
    assert all(line.basis for line in result.lines)


def test_rounding_is_half_up_to_the_fen():
    odd = SimpleNamespace(**vars(SCHEDULE))
    odd.multiplier = lambda grade: Decimal("1.15")
    result = calculate(schedule=odd, items={("first_instance", "ordinary"): Decimal("1234.57")}, additions={},
                       facts=facts(), grade="excellent")

    assert str(result.amount) == "1419.76"  # 1,419.7555 rounds up
    assert [str(line.amount) for line in result.lines] == ["1234.57", "185.19"]


def test_a_procedure_without_its_own_amount_takes_the_stage_amount():
    result = calculate(schedule=SCHEDULE, items={("first_instance", ""): Decimal("1100")}, additions={},
                       facts=facts(procedure="summary"), grade="good")

    assert str(result.amount) == "1100.00"


def test_a_schedule_with_no_amount_for_the_case_says_so():
    result = calculate(schedule=SCHEDULE, items={("second_instance", ""): Decimal("1000")}, additions={},
                       facts=facts("death_penalty_review", ""), grade="good")

    assert not result.complete and result.lines == [] and result.amount == 0
    assert "驻马店市标准" in result.missing


def test_an_addition_the_schedule_does_not_pay_is_left_out():
    result = calculate(schedule=SCHEDULE, items=AMOUNTS, additions={}, facts=facts(life_or_death=True), grade="good")

    assert [line.code for line in result.lines] == ["base", "quality"]


@pytest.mark.django_db
def test_the_facts_come_from_the_notice_and_the_lawyer(world):
    from assignments.tests import factories as af

    notice = af.notice(world, defendant={**_defendant(), "ethnicity": "维吾尔族"})
    far = af.lawyer(world, region=world.henan)
    designation = af.designate(world, notice, far, reason="省内跨市指派")

    got = facts_of(designation=designation, notice=notice, defendants=1)

    assert got["item"] == "first_instance" and got["procedure"] == notice.case.procedure
    assert got["minority_language"] is True
    assert got["cross_region"] is True  # a lawyer of the province's roll, not of Zhumadian
    assert got["cost_sharing"] is (notice.category == "full_coverage")


def _defendant():
    from cases.tests.factories import notice_payload

    return notice_payload()["defendant"]
