"""The working-day calendar: the arithmetic (pure), and the calendar as the database holds it
(seeded from chinesecalendar by migration 0004; 2027 not entered)."""
import datetime as dt

import pytest

from cases.deadlines.calendar import WorkingCalendar
from cases.deadlines.models import CalendarDay, CalendarYear
from cases.deadlines.services import calendar_seed_from_package, current_calendar

D = dt.date


@pytest.fixture
def cal(db):
    return current_calendar()


def test_it_has_the_known_years_entered_by_the_migration(db):
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2024, 2025, 2026} <= years
    assert 2027 not in years
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == "workday"  # 国庆节 make-up Saturday


@pytest.mark.parametrize("day, working", [
    (D(2026, 9, 30), True),  # Wednesday before National Day
    (D(2026, 10, 1), False),  # National Day
    (D(2026, 10, 7), False),  # Wednesday, still the holiday
    (D(2026, 10, 8), True),
    (D(2026, 10, 10), True),  # Saturday, make-up working day
    (D(2026, 10, 11), False),  # Sunday
    (D(2026, 9, 20), True),  # Sunday, make-up working day
    (D(2026, 2, 14), True),  # Saturday before Spring Festival, make-up working day
    (D(2026, 2, 16), False),  # Spring Festival
    (D(2026, 2, 23), False),  # Monday, last day of the break
    (D(2026, 2, 24), True),
    (D(2026, 11, 16), True),  # an ordinary Monday
    (D(2026, 11, 15), False),  # an ordinary Sunday
])
def test_is_working_day(cal, day, working):
    assert cal.is_working_day(day) is working


def test_add_working_days_crosses_national_day_to_the_make_up_saturday(cal):
    assert cal.add_working_days(D(2026, 9, 30), 3) == (D(2026, 10, 10), False)
    # A weekday-only count would end on Monday 12 October.
    assert WorkingCalendar().add_working_days(D(2026, 9, 30), 3).date == D(2026, 10, 5)
    weekdays_minus_holidays = WorkingCalendar(holidays=cal.holidays, known_years=cal.known_years)
    assert weekdays_minus_holidays.add_working_days(D(2026, 9, 30), 3).date == D(2026, 10, 12)


def test_add_working_days_backwards(cal):
    assert cal.add_working_days(D(2026, 10, 8), -1) == (D(2026, 9, 30), False)
    assert cal.add_working_days(D(2026, 2, 24), -1) == (D(2026, 2, 14), False)


def test_the_start_day_is_not_counted_even_on_a_rest_day(cal):
    assert cal.add_working_days(D(2026, 10, 3), 1).date == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 11, 14), 1).date == D(2026, 11, 16)  # Saturday → Monday


def test_roll_forward_and_backward(cal):
    assert cal.roll_forward(D(2026, 10, 1)) == (D(2026, 10, 8), False)
    assert cal.roll_forward(D(2026, 10, 8)) == (D(2026, 10, 8), False)
    assert cal.roll_backward(D(2026, 10, 4)) == (D(2026, 9, 30), False)
    assert cal.roll_backward(D(2026, 11, 1)) == (D(2026, 10, 30), False)  # Sunday → Friday


def test_a_year_without_a_calendar_counts_weekends_only_and_is_provisional(cal):
    # 2027-01-01 is a Friday: with weekends only it counts as a working day.
    assert cal.add_working_days(D(2026, 12, 30), 3) == (D(2027, 1, 4), True)
    assert cal.add_working_days(D(2026, 12, 28), 3) == (D(2026, 12, 31), False)
    assert cal.roll_forward(D(2027, 1, 2)) == (D(2027, 1, 4), True)
    assert cal.add_days(D(2026, 12, 30), 3) == (D(2027, 1, 2), True)
    assert cal.is_working_day(D(2027, 1, 1)) is True
    assert not cal.is_known(D(2027, 1, 1))


def test_working_days_between(cal):
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert cal.working_days_between(D(2026, 10, 10), D(2026, 10, 10)) == 0


def test_a_calendar_without_any_working_day_fails_instead_of_looping():
    every_day = frozenset(D(2026, 1, 1) + dt.timedelta(days=n) for n in range(4000))
    with pytest.raises(ValueError):
        WorkingCalendar(holidays=every_day).roll_forward(D(2026, 1, 1))


def test_the_calendar_is_reloaded_when_a_year_changes(db, django_assert_num_queries):
    first = current_calendar()
    with django_assert_num_queries(1):  # the version check only
        assert current_calendar() is first
    year = CalendarYear.objects.get(year=2026)
    CalendarDay.objects.create(year=year, date=D(2026, 11, 16), kind="holiday", name="test")
    from cases.deadlines.services import calendar_year_changed

    calendar_year_changed(year=year)
    assert current_calendar().is_working_day(D(2026, 11, 16)) is False


def test_seeding_from_the_package_keeps_entered_years(db):
    assert calendar_seed_from_package() == []  # the migration entered them all
    CalendarYear.objects.filter(year=2025).delete()
    assert calendar_seed_from_package() == [2025]
    assert CalendarYear.objects.get(year=2025).source == "package"
    assert CalendarDay.objects.filter(year__year=2025, kind="workday").exists()
