"""`python manage.py due_date <code> <start>` (docs/court-api.md): the due moment as ISO 8601 with its
offset on the first line, followed by " provisional" when provisional."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.deadlines.models import JurisdictionRule


def run(*args):
    out = StringIO()
    call_command("due_date", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_the_due_moment_on_the_first_line(db):
    assert run("agency_assign_lawyer", "2026-09-30")[0] == "2026-10-10T23:59:59+08:00"
    assert run("agency_assign_lawyer", "2026-09-30T10:00:00+08:00")[0] == "2026-10-10T23:59:59+08:00"
    assert run("court_supplement_materials", "2026-11-16T09:00")[0] == "2026-10-30T23:59:59+08:00"
    assert run("detention_arrange_meeting", "2026-10-01T10:20:00+08:00")[0] == "2026-10-03T11:00:00+08:00"


def test_it_says_provisional_after_the_moment(db):
    lines = run("agency_assign_lawyer", "2026-12-30")
    assert lines[0] == "2027-01-04T23:59:59+08:00 provisional"


def test_it_applies_a_region_and_custody(world):
    JurisdictionRule.objects.create(region=world.henan, code="court_inform_rights", period=3, unit="calendar_days",
                                    basis="CPL 105", custody_period=True)
    assert run("court_inform_rights", "2026-09-28", "--region", "411702")[0] == "2026-10-08T23:59:59+08:00"
    assert run("court_inform_rights", "2026-09-28", "--region", "411702", "--in-custody")[0] == \
        "2026-10-01T23:59:59+08:00"


@pytest.mark.parametrize("args", [
    ("no_such_rule", "2026-09-30"),
    ("agency_assign_lawyer", "tomorrow"),
    ("agency_assign_lawyer", "2026-02-30"),
    ("agency_assign_lawyer", "2026-09-30", "--region", "999999"),
])
def test_bad_arguments_fail_with_a_message(db, args):
    with pytest.raises(CommandError):
        run(*args)
