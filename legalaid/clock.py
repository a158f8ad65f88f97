"""The one source of "now" for domain code, and conversions between stored UTC moments and the
Beijing dates the law counts in. Tests move time with time-machine; nothing calls date.today()."""
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

BEIJING = ZoneInfo(settings.LEGAL_TIME_ZONE)


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today's Beijing date."""
    return now().astimezone(BEIJING).date()


def beijing_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BEIJING).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of a Beijing day: where a period counted in days ends."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=BEIJING)


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=BEIJING)


def to_beijing(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BEIJING)
