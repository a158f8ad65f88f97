"""`manage.py load_calendar FILE` enters a year the package does not know (2027), recounts the
provisional deadlines and tells their owners; every bad file is refused and changes nothing."""
import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cases.deadlines.models import CalendarDay, CalendarYear, Deadline
from cases.models import NoticeEvent
from cases.tests.factories import receive
from legalaid.clock import BEIJING
from notifications.models import Message

YAML_2027 = """\
year: 2027
announcement: 测试用 2027 年安排
holidays:
  - {from: 2027-01-01, to: 2027-01-03, name: 元旦}
  - {date: 2027-02-08, name: 春节}
workdays:
  - {date: 2027-02-20, name: 春节补班}
"""


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


def load(path, *args):
    out = StringIO()
    call_command("load_calendar", str(path), *args, stdout=out)
    return out.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def provisional(world):
    """Received Wednesday 30 December 2026: 3 working days reach into 2027, not entered — counted on
    weekends alone, Friday 1 January is a working day and the clock ends Monday 4 January."""
    with time_machine.travel(bj(2026, 12, 30, 10, 0), tick=False):
        notice = receive(world)
    deadline = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")
    assert (deadline.due_at, deadline.provisional) == (bj(2027, 1, 4, 23, 59, 59), True)
    return deadline


def test_entering_2027_recounts_the_provisional_deadline_and_tells_its_owners(provisional, tmp_path, world):
    with time_machine.travel(bj(2026, 12, 30, 15, 0), tick=False):
        load(write(tmp_path, "2027.yaml", YAML_2027))
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.announcement) == ("file", "测试用 2027 年安排")
    assert CalendarDay.objects.filter(year=year, kind="holiday").count() == 4
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 20)).kind == "workday"
    provisional.refresh_from_db()
    # 1 January is now a holiday: 31 December, 4 and 5 January.
    assert (provisional.due_at, provisional.provisional) == (bj(2027, 1, 5, 23, 59, 59), False)
    assert provisional.next_action_at == bj(2027, 1, 4, 9, 0)
    moved = Message.objects.filter(kind="deadline_moved")
    assert sorted(moved.values_list("recipient__username", flat=True)) == ["colleague", "staff", "supervisor"]
    assert moved.first().params["before"] == "2027-01-04" and moved.first().params["due"] == "2027-01-05 23:59"
    event = NoticeEvent.objects.get(notice=provisional.notice, code="deadline_moved")
    assert event.data["before"] == "2027-01-04T23:59:59+08:00"
    assert event.data["due_at"] == "2027-01-05T23:59:59+08:00"


def test_re_entering_the_same_days_moves_nothing_and_tells_no_one_again(provisional, tmp_path):
    path = write(tmp_path, "2027.yaml", YAML_2027)
    load(path)
    version = CalendarYear.objects.get(year=2027).version
    load(path, "--replace")
    assert CalendarYear.objects.get(year=2027).version != version  # entered again, seen by every process
    assert Message.objects.filter(kind="deadline_moved").count() == 3
    assert NoticeEvent.objects.filter(code="deadline_moved").count() == 1


def test_a_corrected_year_recounts_deadlines_that_are_no_longer_provisional(provisional, tmp_path):
    load(write(tmp_path, "2027.yaml", YAML_2027))
    # The notice is corrected: 4 January is a holiday as well.
    corrected = YAML_2027.replace("to: 2027-01-03", "to: 2027-01-04")
    load(write(tmp_path, "2027b.yaml", corrected), "--replace")
    provisional.refresh_from_db()
    assert provisional.due_at == bj(2027, 1, 6, 23, 59, 59)
    assert NoticeEvent.objects.filter(code="deadline_moved").count() == 2


def test_it_reads_json_and_csv(db, tmp_path):
    load(write(tmp_path, "2027.json", json.dumps({
        "year": 2027, "holidays": [{"date": "2027-01-01", "name": "元旦"}], "workdays": []})))
    assert CalendarYear.objects.get(year=2027).days.count() == 1
    load(write(tmp_path, "2027.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-20,workday,补班\n"),
         "--replace", "--announcement", "国办发明电〔2026〕X号")
    year = CalendarYear.objects.get(year=2027)
    assert year.days.count() == 2 and year.announcement == "国办发明电〔2026〕X号"


BAD_FILES = [
    ("wrong.yaml", "year: 2027\nholidays:\n  - {date: 2028-01-01}\n"),
    ("weekday.yaml", "year: 2027\nworkdays:\n  - {date: 2027-02-17}\n"),  # a Wednesday
    ("both.yaml", "year: 2027\nholidays:\n  - {date: 2027-02-20}\nworkdays:\n  - {date: 2027-02-20}\n"),
    ("key.yaml", "year: 2027\nholiday:\n  - {date: 2027-01-01}\n"),
    ("itemkey.yaml", "year: 2027\nholidays:\n  - {day: 2027-01-01}\n"),
    ("noyear.yaml", "holidays:\n  - {date: 2027-01-01}\n"),
    ("textyear.yaml", "year: next\nholidays:\n  - {date: 2027-01-01}\n"),
    ("baddate.yaml", "year: 2027\nholidays:\n  - {date: 2027-02-30}\n"),
    ("reversed.yaml", "year: 2027\nholidays:\n  - {from: 2027-02-10, to: 2027-02-01}\n"),
    ("twice.yaml", "year: 2027\nholidays:\n  - {from: 2027-02-01, to: 2027-02-03}\n  - {date: 2027-02-02}\n"),
    ("empty.yaml", "year: 2027\nholidays: []\n"),
    ("notalist.yaml", "year: 2027\nholidays: 2027-01-01\n"),
    ("broken.yaml", "year: 2027\nholidays: [\n"),
    ("list.yaml", "- 2027-01-01\n"),
    ("broken.json", "{\"year\": 2027,"),
    ("kind.csv", "date,kind,name\n2027-01-01,rest,元旦\n"),
    ("years.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n"),
    ("header.csv", "2027-01-01,holiday,元旦\n"),
    ("twice.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n"),
    ("days.txt", "2027-01-01 holiday"),
]


@pytest.mark.parametrize("name, text", BAD_FILES, ids=[n for n, _t in BAD_FILES])
def test_a_bad_file_is_refused_and_changes_nothing(provisional, tmp_path, name, text):
    with pytest.raises(CommandError):
        load(write(tmp_path, name, text))
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year__gte=2027).exists()
    provisional.refresh_from_db()
    assert (provisional.due_at, provisional.provisional) == (bj(2027, 1, 4, 23, 59, 59), True)
    assert not Message.objects.filter(kind="deadline_moved").exists()


def test_an_entered_year_is_not_replaced_without_asking(db, tmp_path):
    before = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    with pytest.raises(CommandError):
        load(write(tmp_path, "2026.yaml", "year: 2026\nholidays:\n  - {date: 2026-11-16}\n"))
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind")) == before
    assert CalendarYear.objects.get(year=2026).source == "package"


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError):
        load(tmp_path / "nowhere.yaml")


def test_the_example_file_loads(db):
    load("cases/deadlines/calendars/example-2027.yaml")
    assert CalendarYear.objects.get(year=2027).days.count() == 3


def test_seed_calendar_enters_what_the_package_knows_once(db):
    CalendarYear.objects.filter(year=2024).delete()
    call_command("seed_calendar", stdout=StringIO())
    assert CalendarYear.objects.get(year=2024).days.exists()
    call_command("seed_calendar", stdout=StringIO())
    assert CalendarYear.objects.filter(year=2024).count() == 1
