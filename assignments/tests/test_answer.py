"""The lawyer accepts or declines (with a reason): decline sends the notice back to recommendation
and the agency's clock keeps running from where it started."""
import pytest

from assignments.models import Designation
from assignments.tests import factories as f
from cases.deadlines.models import Deadline
from cases.models import Notice
from conftest import token_client
from notifications.models import Message


@pytest.fixture
def pending(world):
    lawyer = f.lawyer(world, name="王律师", account=True)
    f.lawyer(world, name="李律师", region=world.xiping)
    notice = f.notice(world)
    return f.designate(world, notice, lawyer), lawyer, notice


def test_the_lawyer_accepts_and_the_papers_clock_starts(pending):
    designation, lawyer, notice = pending
    client = token_client(lawyer.user)
    response = f.post(client, f"/api/v1/designations/{designation.pk}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert Deadline.objects.get(notice=notice, rule_code="lawyer_file_papers").status == "open"
    again = f.post(client, f"/api/v1/designations/{designation.pk}/accept/")
    assert again.status_code == 409 and f.codes(again) == {"designation_not_pending"}


def test_declining_needs_a_reason_and_keeps_the_clock(world, pending):
    designation, lawyer, notice = pending
    first_clock = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")
    client = token_client(lawyer.user)
    bad = f.post(client, f"/api/v1/designations/{designation.pk}/decline/", {"reason": ""})
    assert bad.status_code == 400 and f.codes(bad) == {"required"}
    designation.refresh_from_db()
    assert designation.status == "pending"
    response = f.post(client, f"/api/v1/designations/{designation.pk}/decline/", {"reason": "与被害人有亲属关系"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED
    reopened = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer", status="open")
    assert reopened.due_at == first_clock.due_at  # the clock keeps running
    assert Message.objects.filter(kind="designation_declined", recipient=world.staff).exists()
    from assignments.recommendation import recommend

    assert lawyer.pk not in [c.lawyer.pk for c in recommend(notice=notice).candidates]


def test_only_the_designated_lawyer_answers(world, pending):
    designation, _lawyer, _notice = pending
    other = f.lawyer(world, account=True)
    response = f.post(token_client(other.user), f"/api/v1/designations/{designation.pk}/accept/")
    assert response.status_code == 404
    assert f.post(token_client(world.staff), f"/api/v1/designations/{designation.pk}/accept/").status_code == 404
    designation.refresh_from_db()
    assert designation.status == Designation.Status.PENDING


def test_the_lawyer_sees_the_notice_designated_to_them(world, pending):
    designation, lawyer, notice = pending
    client = token_client(lawyer.user)
    assert client.get(f"/api/v1/notices/{notice.pk}/").status_code == 200
    other = f.notice(world)
    assert client.get(f"/api/v1/notices/{other.pk}/").status_code == 404
    from assignments.selectors import lawyer_users_for_notices

    assert lawyer_users_for_notices([notice.pk, other.pk]) == {notice.pk: [lawyer.user]}
