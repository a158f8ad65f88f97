"""Reading what people type or file: a start moment for the due-date calculator (API and
`manage.py due_date`), and a year's calendar file for `manage.py load_calendar`.

The calendar file (YAML, JSON or CSV) holds one year as the State Council's holiday notice
announces it: the public holidays (放假) and the weekend days that are working days (调休上班).

YAML (`.yaml`/`.yml`) or JSON (`.json`)::

    year: 2027
    announcement: 国务院办公厅关于2027年部分节假日安排的通知   # optional, up to 128 characters
    holidays:
      - {date: 2027-01-01, name: 元旦}
      - {from: 2027-02-06, to: 2027-02-13, name: 春节}      # a range, both ends included
    workdays:
      - {date: 2027-02-20, name: 春节调休上班}

CSV (`.csv`, UTF-8, a header row, one day a row; the year is the one every date is in)::

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-20,workday,春节调休上班

A holiday may fall on any day (the notice lists the whole break, weekends included); a make-up
working day must be a Saturday or Sunday; a day may not be both."""
import csv
import datetime as dt
import json
from pathlib import Path

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from legalaid import clock
from legalaid.errors import InvalidInput

MAX_RANGE_DAYS = 366


def parse_start(raw) -> dt.date | dt.datetime | None:
    """A Beijing date (YYYY-MM-DD) or an ISO 8601 time (Beijing time when it has no offset);
    None when it is neither."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.BEIJING)


class CalendarFile:
    """A parsed calendar file: year, announcement, {holiday: name}, {workday: name}."""

    def __init__(self, year, announcement, holidays, workdays):
        self.year, self.announcement, self.holidays, self.workdays = year, announcement, holidays, workdays


def _error(message, code="invalid_calendar_file"):
    return InvalidInput(message, code=code, field="file")


def _date(value, where):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _error(_("%(where)s: %(value)r is not a date (YYYY-MM-DD).") % {"where": where, "value": value}) \
            from None


def _entries(items, where) -> dict:
    """{date: name} from a list of {date, name} or {from, to, name}."""
    if items is None:
        return {}
    if not isinstance(items, list):
        raise _error(_("%(where)s must be a list.") % {"where": where})
    days = {}
    for index, item in enumerate(items, start=1):
        place = f"{where} #{index}"
        if not isinstance(item, dict):
            raise _error(_("%(where)s must be a mapping with a date.") % {"where": place})
        unknown = set(item) - {"date", "from", "to", "name"}
        if unknown:
            raise _error(_("%(where)s: unknown key %(key)s.") % {"where": place, "key": sorted(unknown)[0]})
        name = str(item.get("name") or "").strip()
        if "date" in item and not ({"from", "to"} & set(item)):
            span = [_date(item["date"], place)]
        elif {"from", "to"} <= set(item) and "date" not in item:
            first, last = _date(item["from"], place), _date(item["to"], place)
            if last < first or (last - first).days >= MAX_RANGE_DAYS:
                raise _error(_("%(where)s: the range %(first)s to %(last)s is not valid.")
                             % {"where": place, "first": first, "last": last})
            span = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        else:
            raise _error(_("%(where)s: give either a date, or from and to.") % {"where": place})
        for day in span:
            if day in days:
                raise _error(_("%(where)s: %(day)s is listed twice.") % {"where": place, "day": day},
                             code="duplicate_day")
            days[day] = name
    return days


def _from_mapping(data) -> CalendarFile:
    if not isinstance(data, dict):
        raise _error(_("The file must hold a mapping with year, holidays and workdays."))
    unknown = set(data) - {"year", "announcement", "holidays", "workdays"}
    if unknown:
        raise _error(_("Unknown key %(key)s.") % {"key": sorted(unknown)[0]})
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise _error(_("Give the year as a number, e.g. year: 2027."), code="invalid_year")
    holidays = _entries(data.get("holidays"), "holidays")
    workdays = _entries(data.get("workdays"), "workdays")
    if not holidays and not workdays:
        raise _error(_("The file lists no holiday and no working day."), code="empty_calendar")
    return CalendarFile(year, str(data.get("announcement") or "").strip(), holidays, workdays)


def _from_csv(text) -> CalendarFile:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or {"date", "kind"} - {f.strip() for f in reader.fieldnames}:
        raise _error(_("The CSV file needs a header row with the columns date, kind and name."))
    holidays, workdays = {}, {}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        place = _("line %(n)s") % {"n": line}
        day = _date(row.get("date"), place)
        kind = row.get("kind")
        if kind not in ("holiday", "workday"):
            raise _error(_("%(where)s: kind must be holiday or workday, not %(kind)r.")
                         % {"where": place, "kind": kind})
        target = holidays if kind == "holiday" else workdays
        if day in holidays or day in workdays:
            raise _error(_("%(where)s: %(day)s is listed twice.") % {"where": place, "day": day}, code="duplicate_day")
        target[day] = row.get("name", "")
    years = {d.year for d in [*holidays, *workdays]}
    if not years:
        raise _error(_("The file lists no holiday and no working day."), code="empty_calendar")
    if len(years) > 1:
        raise _error(_("A calendar file holds one year; this one has days in %(years)s.")
                     % {"years": ", ".join(map(str, sorted(years)))}, code="wrong_year")
    return CalendarFile(years.pop(), "", holidays, workdays)


def read_calendar_file(path) -> CalendarFile:
    """Parse a calendar file by its extension. Raises InvalidInput with a message naming the place."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date like 2027-02-30
            raise _error(_("Not valid YAML: %(error)s") % {"error": exc}) from None
        return _from_mapping(data)
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _error(_("Not valid JSON: %(error)s") % {"error": exc}) from None
        return _from_mapping(data)
    if suffix == ".csv":
        return _from_csv(text)
    raise _error(_("Use a .yaml, .yml, .json or .csv file."), code="unsupported_file_type")
