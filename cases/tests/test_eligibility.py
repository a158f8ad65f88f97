"""Classification of notices (docs/RULES.md §1)."""
import datetime as dt

import pytest

from cases.eligibility import classify, is_minor_on, missing_materials


def kinds(**kwargs):
    args = {"procedure": "ordinary", "accepted_on": dt.date(2026, 9, 28), "birth_date": dt.date(1990, 3, 7),
            "conditions": [], "may_face_life_or_death": False, **kwargs}
    result = classify(**args)
    return result.category, result.ground_codes


def test_ordinary_first_instance_is_full_coverage():
    assert kinds() == ("full_coverage", ["ordinary_first_instance"])


@pytest.mark.parametrize("procedure, ground", [("second_instance", "second_instance"), ("retrial", "retrial")])
def test_appeals_and_retrials_are_full_coverage(procedure, ground):
    assert kinds(procedure=procedure) == ("full_coverage", [ground])


@pytest.mark.parametrize("procedure", ["summary", "fast_track"])
def test_summary_and_fast_track_get_a_duty_lawyer(procedure):
    assert kinds(procedure=procedure) == ("duty_lawyer", ["summary_or_fast_track"])


def test_death_penalty_review_is_mandatory():
    assert kinds(procedure="death_penalty_review") == ("mandatory", ["death_penalty_review"])


@pytest.mark.parametrize("condition", ["blind", "deaf", "mute", "mental_partial"])
def test_each_condition_is_mandatory(condition):
    assert kinds(conditions=[condition]) == ("mandatory", [condition, "ordinary_first_instance"])


def test_life_or_death_is_mandatory_even_in_summary_procedure():
    assert kinds(procedure="summary", may_face_life_or_death=True) == (
        "mandatory", ["life_or_death", "summary_or_fast_track"])


def test_every_ground_is_listed_strongest_first():
    category, grounds = kinds(birth_date=dt.date(2010, 1, 1), conditions=["deaf", "mute"],
                              may_face_life_or_death=True)
    assert category == "mandatory"
    assert grounds == ["minor", "deaf", "mute", "life_or_death", "ordinary_first_instance"]


def test_on_the_eighteenth_birthday_a_defendant_is_still_a_minor():
    birth = dt.date(2008, 9, 28)
    assert is_minor_on(birth, dt.date(2026, 9, 28))
    assert not is_minor_on(birth, dt.date(2026, 9, 29))
    assert kinds(birth_date=birth)[0] == "mandatory"
    assert kinds(birth_date=birth, accepted_on=dt.date(2026, 9, 29))[0] == "full_coverage"


def test_a_leap_day_birth_comes_of_age_after_the_first_of_march():
    birth = dt.date(2008, 2, 29)
    assert is_minor_on(birth, dt.date(2026, 3, 1))
    assert not is_minor_on(birth, dt.date(2026, 3, 2))


@pytest.mark.parametrize("procedure, promised, uploaded, missing", [
    ("ordinary", [], [], ["indictment_copy"]),
    ("ordinary", ["indictment"], ["indictment"], []),
    ("second_instance", [], [], ["first_instance_judgment_copy"]),
    ("second_instance", ["protest"], ["first_instance_judgment"], ["protest_copy"]),
    ("retrial", [], ["indictment"], ["retrial_notice_copy"]),
])
def test_missing_materials(procedure, promised, uploaded, missing):
    assert missing_materials(procedure=procedure, promised=promised, uploaded_kinds=uploaded) == missing
