"""The quality standard per case (issue 6 part 1): each item met / late / missing / not applicable
from the lawyer's work log, the court's feedback and the closing, with the entries as evidence and
the local rule for "met within N days" from the nearest region's settings."""
import datetime as dt

import pytest
import time_machine

from assignments.tests.work import at, designated_case
from quality.models import QualitySettings
from quality.selectors import settings_for, standard_items
from quality.tests.helpers import case, judgment, work  # noqa: F401

pytestmark = pytest.mark.usefixtures("uploads")


def statuses(case):
    case.designation.refresh_from_db()
    return {i["code"]: i["status"] for i in standard_items(designation=case.designation)}


def test_it_finds_every_item_met_when_the_work_was_done_in_time(world, case):
    work(case)
    items = {i["code"]: i for i in standard_items(designation=case.designation)}
    assert {c: i["status"] for c, i in items.items()} == {
        "met_defendant": "met", "file_reviewed": "met", "prepared": "met", "hearing_in_full": "met",
        "written_opinion": "met", "closing": "missing"}
    assert items["met_defendant"]["basis"] == "M 20; local rule"
    [evidence] = items["met_defendant"]["evidence"]
    assert evidence["url"] == f"/work/entries/{evidence['entry']}/edit/"


def test_it_marks_each_item_missing_when_nothing_was_logged(world, case):
    assert set(statuses(case).values()) == {"missing"}


def test_it_marks_the_meeting_late_after_the_local_number_of_days(world, case):
    work(case, meeting_day=4)
    assert statuses(case)["met_defendant"] == "late"


def test_it_takes_the_number_of_days_from_the_nearest_regions_settings(world, case):
    work(case, meeting_day=4)
    QualitySettings.objects.create(region=world.henan, meeting_within_days=2)
    QualitySettings.objects.create(region=world.city, meeting_within_days=5)
    assert settings_for(region=world.yicheng)["meeting_within_days"] == 5
    assert settings_for(region=world.yicheng)["region"] == world.city.name
    assert statuses(case)["met_defendant"] == "met"


def test_it_falls_back_to_the_defaults_without_settings(world):
    assert settings_for(region=world.yicheng)["meeting_within_days"] == 3
    assert settings_for(region=world.yicheng)["region"] is None


def test_part_of_the_hearing_missed_is_not_met(world, case):
    work(case, whole=False)
    assert statuses(case)["hearing_in_full"] == "late"


def test_preparation_after_the_hearing_began_is_late(world, case):
    from cases.models import CourtCase

    CourtCase.objects.filter(pk=case.notice.case_id).update(hearing_starts_at=at(case, days=2))
    work(case, preparation_day=3)
    assert statuses(case)["prepared"] == "late"


def test_a_written_opinion_after_the_judgment_is_late(world, case):
    work(case, opinion_day=None)
    judgment(world, case, day=3)
    work(case, meeting_day=None, file_review=False, preparation_day=None, hearing=False, opinion_day=4)
    assert statuses(case)["written_opinion"] == "late"


def test_the_hearing_does_not_apply_when_the_court_did_not_hear_the_case(world, case):
    from assignments.work.services import court

    work(case, hearing=False, preparation_day=None)
    court.notice_not_heard(notice=case.notice, notified_on=at(case, days=3).date(), actor=world.court_user)
    result = statuses(case)
    assert result["hearing_in_full"] == "not_applicable" and result["prepared"] == "not_applicable"


def test_the_standard_takes_a_fixed_number_of_queries(world, case, django_assert_num_queries):
    work(case)
    from assignments.models import Designation

    designation = Designation.objects.select_related("notice__case").get(pk=case.designation.pk)
    settings = settings_for(region=world.yicheng)
    with django_assert_num_queries(3):
        standard_items(designation=designation, settings=settings)
