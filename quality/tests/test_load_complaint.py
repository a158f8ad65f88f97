"""The lawyer's load (assignments.load) when an upheld complaint replaces the lawyer: the quality
app's service ends one designation and opens another (the other services: assignments/tests/test_load.py)."""
from assignments.tests import factories as f
from assignments.tests.test_load import matches, row
from assignments.tests.work import designated_case
from quality.services import complaint_decide, complaint_receive


def test_the_upheld_complaint_replaces(world):
    case = designated_case(world)
    other = f.lawyer(world)
    complaint = complaint_receive(notice=case.notice, complainant="李母", relation="family",
                                  summary="律师从未会见被告人。", actor=world.staff)
    complaint_decide(complaint=complaint, outcome="upheld", decision="更换律师。", replace_with=other,
                     actor=world.staff)
    assert row(case.lawyer)["open_cases"] == 0 and row(other)["open_cases"] == 1 and matches()
