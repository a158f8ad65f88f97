"""The rule registry and compute_due on the calendar as announced (docs/RULES.md §2, §5), and the
jurisdiction overrides and local rules."""
import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from cases.deadlines import rules as registry
from cases.deadlines.models import JurisdictionRule
from cases.deadlines.services import current_calendar
from cases.models import Region
from legalaid.clock import BEIJING

D = dt.date


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


def due(code, start, **kwargs):
    return registry.compute_due(registry.REGISTRY[code], start, current_calendar(), **kwargs)


@pytest.fixture
def cal(db):
    return current_calendar()


def test_the_registry_holds_the_contract_codes_with_their_basis():
    for code in registry.CONTRACT_CODES:
        rule = registry.REGISTRY[code]
        assert rule.basis and rule.period > 0 and rule.unit and rule.party
    assert registry.REGISTRY["agency_assign_lawyer"].unit == "working_days"
    assert registry.REGISTRY["court_supplement_materials"].unit == "days_before_event"
    assert registry.REGISTRY["lawyer_written_opinion_no_hearing"].period == 10


def test_agency_designation_crosses_national_day_to_the_make_up_saturday(cal):
    result = due("agency_assign_lawyer", bj(2026, 9, 30, 10, 0))
    assert result.due_at == bj(2026, 10, 10, 23, 59, 59)
    assert result.due_at.astimezone(dt.UTC) == dt.datetime(2026, 10, 10, 15, 59, 59, tzinfo=dt.UTC)
    assert result.provisional is False


@pytest.mark.parametrize("received, expected", [
    (bj(2026, 9, 11, 20, 0), D(2026, 9, 16)),  # an ordinary Friday evening → Wednesday
    (bj(2026, 9, 18, 20, 30), D(2026, 9, 22)),  # Friday evening; Sunday the 20th is a make-up working day
    (bj(2026, 10, 9, 23, 30), D(2026, 10, 13)),  # Friday 23:30 (15:30 UTC); Saturday the 10th is worked
    # 00:30 on Saturday in Beijing is still Friday in UTC: the Beijing date counts.
    (bj(2026, 10, 10, 0, 30), D(2026, 10, 14)),
])
def test_a_notice_received_on_a_friday_evening(cal, received, expected):
    assert due("agency_assign_lawyer", received).last_day == expected


def test_a_notice_received_on_the_last_working_days_before_spring_festival(cal):
    # Saturday 14 February 2026 is the last (make-up) working day before the break of 15–23 February.
    assert due("agency_assign_lawyer", bj(2026, 2, 14, 17, 0)).last_day == D(2026, 2, 26)
    assert due("agency_assign_lawyer", bj(2026, 2, 13, 17, 0)).last_day == D(2026, 2, 25)


def test_a_calendar_day_period_ending_in_a_holiday_rolls_to_the_first_working_day(cal):
    # Accepted Monday 28 September: 3 days end on 1 October, National Day → Thursday 8 October.
    assert due("court_inform_rights", D(2026, 9, 28)).last_day == D(2026, 10, 8)
    # Ending on a weekday that is not a holiday: no roll.
    assert due("court_inform_rights", D(2026, 11, 9)).last_day == D(2026, 11, 12)


def test_a_custody_period_does_not_roll(cal):
    custody_rule = replace(registry.REGISTRY["court_inform_rights"], custody_period=True)
    assert registry.compute_due(custody_rule, D(2026, 9, 28), cal, in_custody=True).last_day == D(2026, 10, 1)
    # Not in custody, the same rule rolls; an unflagged rule rolls in custody too.
    assert registry.compute_due(custody_rule, D(2026, 9, 28), cal, in_custody=False).last_day == D(2026, 10, 8)
    assert due("court_inform_rights", D(2026, 9, 28), in_custody=True).last_day == D(2026, 10, 8)


def test_a_rule_that_does_not_roll_ends_on_its_last_day(cal):
    assert due("new_counsel_preparation", D(2026, 9, 16)).last_day == D(2026, 10, 1)


def test_fifteen_days_before_a_monday_hearing_moves_back_to_the_friday(cal):
    # Monday 16 November → Sunday 1 November → the working day before: Friday 30 October.
    assert due("court_supplement_materials", bj(2026, 11, 16, 9, 0)).last_day == D(2026, 10, 30)
    assert due("court_supplement_materials", bj(2026, 11, 23, 9, 0)).last_day == D(2026, 11, 6)
    # 15 days before Friday 16 October is Thursday 1 October (holiday) → Wednesday 30 September.
    assert due("court_supplement_materials", bj(2026, 10, 16, 9, 0)).last_day == D(2026, 9, 30)


def test_a_period_crossing_into_a_year_without_a_calendar_is_provisional(cal):
    result = due("agency_assign_lawyer", bj(2026, 12, 30, 10, 0))
    assert result.provisional is True
    assert result.last_day == D(2027, 1, 4)  # weekends only
    assert due("agency_assign_lawyer", bj(2026, 12, 25, 10, 0)).provisional is False


@pytest.mark.parametrize("start, expected", [
    (bj(2026, 10, 1, 10, 20), bj(2026, 10, 3, 11, 0)),  # from 11:00, 48 hours; holidays do not matter
    (bj(2026, 10, 1, 10, 0), bj(2026, 10, 3, 11, 0)),  # the start hour itself is not counted
    (bj(2026, 12, 31, 23, 59), bj(2027, 1, 3, 0, 0)),
])
def test_hours_rules_run_from_the_next_whole_hour(cal, start, expected):
    result = due("detention_arrange_meeting", start)
    assert result.due_at == expected
    assert result.provisional is False  # hours do not depend on the working-day calendar


def test_a_due_moment_is_the_end_of_the_beijing_day():
    assert registry.breach_moment(bj(2026, 10, 10, 23, 59, 59)) == bj(2026, 10, 11, 0, 0, 0)


# --- Jurisdictions ---------------------------------------------------------------------------

def _override(region, code="agency_assign_lawyer", **kwargs):
    defaults = {"period": 3, "unit": "calendar_days", "rolls_over": True, "basis": "LAL 36; PR2023 24"}
    return JurisdictionRule.objects.create(region=region, code=code, **{**defaults, **kwargs})


def test_a_province_may_choose_lal_36_three_calendar_days(world):
    _override(world.henan)
    rule = registry.rule_for("agency_assign_lawyer", world.yicheng)
    assert (rule.period, rule.unit, rule.basis) == (3, "calendar_days", "LAL 36; PR2023 24")
    result = registry.compute_due(rule, bj(2026, 9, 30, 10, 0), current_calendar())
    assert result.last_day == D(2026, 10, 8)  # 3 October is a holiday → first working day after
    # The registry itself is unchanged, and so is the rule elsewhere.
    assert registry.REGISTRY["agency_assign_lawyer"].unit == "working_days"
    other = Region.objects.create(code="420000", name="湖北省", level="province")
    assert registry.rule_for("agency_assign_lawyer", other).unit == "working_days"


def test_the_most_local_override_wins_and_an_inactive_one_is_ignored(world):
    _override(world.henan, period=3)
    _override(world.city, period=5)
    assert registry.rule_for("agency_assign_lawyer", world.yicheng).period == 5
    assert registry.rule_for("agency_assign_lawyer", world.xiping).period == 5
    assert registry.rule_for("agency_assign_lawyer", world.henan).period == 3
    _override(world.yicheng, period=2, active=False)
    assert registry.rule_for("agency_assign_lawyer", world.yicheng).period == 5


def test_a_prefecture_may_add_a_local_24_hour_rule(world):
    _override(world.city, code="local_file_provision", period=24, unit="hours", basis="驻马店市规定 3",
              title_zh="提供案卷材料", title_en="Provide the case file", party="court", trigger="file_requested")
    rule = registry.rule_for("local_file_provision", world.yicheng)
    assert rule.local and rule.unit == "hours" and rule.party == "court"
    assert rule.reminders == (("hours", 6),)
    assert registry.compute_due(rule, bj(2026, 9, 30, 16, 45), current_calendar()).due_at == bj(2026, 10, 1, 17, 0)
    assert registry.rule_for("local_file_provision") is None  # not a national rule
    codes = [r.code for r in registry.rules_for_region(world.yicheng)]
    assert codes[-1] == "local_file_provision" and set(registry.REGISTRY) <= set(codes)
    assert "local_file_provision" in [r.code for r in registry.rules_for_region(world.xiping)]  # same prefecture
    elsewhere = Region.objects.create(code="420000", name="湖北省", level="province")
    assert "local_file_provision" not in [r.code for r in registry.rules_for_region(elsewhere)]
    assert registry.rule_for("local_file_provision", elsewhere) is None


@pytest.mark.parametrize("fields, errors", [
    ({"code": "local_x", "period": 24, "unit": "hours", "party": "court"}, {"title_zh"}),
    ({"code": "local_x", "period": 24, "unit": "hours", "title_zh": "某规则"}, {"party"}),
    ({"code": "local_x", "period": 5, "unit": "days_before_event", "title_zh": "某规则", "party": "court"}, {"unit"}),
    ({"code": "agency_assign_lawyer", "period": 0, "unit": "calendar_days"}, {"period"}),
])
def test_a_jurisdiction_rule_that_breaks_a_rule_is_refused(world, fields, errors):
    row = JurisdictionRule(region=world.city, basis="x", **fields)
    with pytest.raises(ValidationError) as info:
        row.full_clean()
    assert errors <= set(info.value.message_dict)
