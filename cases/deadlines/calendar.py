"""Working-day arithmetic on the Chinese calendar (docs/RULES.md §5). Pure: a WorkingCalendar is built
from data (the CalendarDay rows, see `from_rows`), and every answer says whether it is *provisional*,
i.e. touched a year whose holidays have not been entered yet (then only weekends are rest days)."""
import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

ONE_DAY = dt.timedelta(days=1)
# No real period walks further than this; a longer walk means a calendar without working days.
MAX_WALK_DAYS = 3660


class Day(NamedTuple):
    date: dt.date
    provisional: bool


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset = frozenset()  # public holidays (rest days, whatever the weekday)
    workdays: frozenset = frozenset()  # weekend days that are make-up working days (调休补班)
    known_years: frozenset = frozenset()  # years whose State Council holiday notice has been entered

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def is_known(self, day: dt.date) -> bool:
        return day.year in self.known_years

    def _walk(self, start: dt.date, step: int, stop) -> Day:
        day, provisional = start, not self.is_known(start)
        for _i in range(MAX_WALK_DAYS):
            if stop(day):
                return Day(day, provisional)
            day += step * ONE_DAY
            provisional = provisional or not self.is_known(day)
        raise ValueError(f"no working day within {MAX_WALK_DAYS} days of {start}")

    def roll_forward(self, day: dt.date) -> Day:
        """The day itself if it is a working day, else the first working day after it (CPL 105)."""
        return self._walk(day, 1, self.is_working_day)

    def roll_backward(self, day: dt.date) -> Day:
        """The day itself if it is a working day, else the last working day before it."""
        return self._walk(day, -1, self.is_working_day)

    def add_working_days(self, start: dt.date, count: int) -> Day:
        """The count-th working day after `start` (the start day itself is not counted, CPL 105);
        a negative count goes backwards. Provisional when a day walked over is in an unknown year."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        day, provisional = start, False
        for _i in range(MAX_WALK_DAYS):
            if not remaining:
                return Day(day, provisional)
            day += step * ONE_DAY
            provisional = provisional or not self.is_known(day)
            if self.is_working_day(day):
                remaining -= 1
        raise ValueError(f"fewer than {count} working days within {MAX_WALK_DAYS} days of {start}")

    def add_days(self, start: dt.date, count: int) -> Day:
        """`count` calendar days after (or, negative, before) `start`. Only the last day's year
        matters for provisional: calendar days do not depend on the holidays in between."""
        day = start + count * ONE_DAY
        return Day(day, not self.is_known(day))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`."""
        days, day = 0, start
        while day < end:
            day += ONE_DAY
            days += self.is_working_day(day)
        return days


def from_rows(rows, known_years) -> WorkingCalendar:
    """Build a calendar from (date, kind) pairs, kind being 'holiday' or 'workday'."""
    holidays, workdays = set(), set()
    for day, kind in rows:
        (holidays if kind == "holiday" else workdays).add(day)
    return WorkingCalendar(frozenset(holidays), frozenset(workdays), frozenset(known_years))
