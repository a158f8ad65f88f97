"""Clients' complaints about their lawyer (LAL 55), /api/v1/complaints/: received by staff, then
investigating, then decided (upheld / dismissed); upheld with a lawyer to replace with, the lawyer is
replaced through the assignment workflow in the same transaction."""
import pytest

from assignments.models import Designation
from assignments.tests import factories as f
from assignments.tests.work import codes, designated_case, fields, post
from cases.models import NoticeEvent
from conftest import token_client
from quality.models import Complaint
from quality.tests.helpers import case  # noqa: F401

pytestmark = pytest.mark.usefixtures("uploads")

BODY = {"complainant": "李母", "relation": "family", "summary": "律师从未会见被告人，电话也不接。"}


def receive(client, notice, **overrides):
    return post(client, "/api/v1/complaints/", {"notice": str(notice.pk), **BODY, **overrides})


def test_staff_receive_a_complaint_about_the_designated_lawyer(world, case):
    response = receive(token_client(world.staff), case.notice)
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get()
    assert complaint.lawyer == case.lawyer and complaint.status == "received" and complaint.received_by == world.staff
    assert NoticeEvent.objects.filter(notice=case.notice, code="client_complaint_received").exists()


@pytest.mark.parametrize("overrides, field", [
    ({"complainant": " "}, "complainant"),
    ({"summary": ""}, "summary"),
    ({"relation": "neighbour"}, "relation"),
    ({"received_on": "2099-01-01"}, "received_on"),
])
def test_it_refuses_a_complaint_missing_what_it_needs(world, case, overrides, field):
    response = receive(token_client(world.staff), case.notice, **overrides)
    assert response.status_code == 400 and fields(response) == {field}
    assert not Complaint.objects.exists()


def test_auditors_and_evaluators_do_not_receive_complaints(world, case):
    assert receive(token_client(world.auditor), case.notice).status_code == 403
    assert not Complaint.objects.exists()


def test_a_notice_outside_the_scope_is_404(world, case):
    assert receive(token_client(world.outsider), case.notice).status_code == 404
    assert not Complaint.objects.exists()


def test_it_goes_from_received_through_investigating_to_decided(world, case):
    client = token_client(world.staff)
    pk = receive(client, case.notice).json()["id"]
    response = post(client, f"/api/v1/complaints/{pk}/investigate/", {"note": "已电话询问律师。"})
    assert response.status_code == 200 and response.json()["status"] == "investigating"
    response = post(client, f"/api/v1/complaints/{pk}/decide/", {"outcome": "dismissed", "decision": "律师已按时会见。"})
    assert response.status_code == 200 and response.json()["status"] == "decided"
    assert Designation.objects.get(pk=case.designation.pk).is_current
    response = post(client, f"/api/v1/complaints/{pk}/investigate/", {})
    assert response.status_code == 409 and codes(response) == {"complaint_transition"}


def test_an_upheld_complaint_replaces_the_lawyer_in_the_same_step(world, case):
    client = token_client(world.staff)
    pk = receive(client, case.notice).json()["id"]
    other = f.lawyer(world, account=True)
    response = post(client, f"/api/v1/complaints/{pk}/decide/",
                    {"outcome": "upheld", "decision": "律师未履行会见义务，更换律师。", "replace_with": other.pk})
    assert response.status_code == 200, response.json()
    complaint = Complaint.objects.get()
    assert complaint.outcome == "upheld" and complaint.replacement.lawyer == other
    old = Designation.objects.get(pk=case.designation.pk)
    assert old.end_reason == "replaced" and not old.is_current


def test_a_refused_replacement_leaves_the_complaint_undecided(world, case):
    client = token_client(world.staff)
    pk = receive(client, case.notice).json()["id"]
    response = post(client, f"/api/v1/complaints/{pk}/decide/",
                    {"outcome": "upheld", "decision": "更换律师。", "replace_with": case.lawyer.pk})
    assert response.status_code == 400 and codes(response) == {"same_lawyer"}
    complaint = Complaint.objects.get()
    assert complaint.status == "received" and complaint.outcome == "" and complaint.replacement is None
    assert Designation.objects.get(pk=case.designation.pk).is_current


def test_a_dismissed_complaint_replaces_nobody(world, case):
    client = token_client(world.staff)
    pk = receive(client, case.notice).json()["id"]
    other = f.lawyer(world)
    response = post(client, f"/api/v1/complaints/{pk}/decide/",
                    {"outcome": "dismissed", "decision": "不成立。", "replace_with": other.pk})
    assert response.status_code == 400 and fields(response) == {"replace_with"}
    assert Complaint.objects.get().status == "received"


def test_the_list_shows_the_scopes_complaints_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    client = token_client(world.staff)
    for _ in range(2):
        assert receive(client, designated_case(world).notice).status_code == 201
    reader = token_client(world.supervisor)
    reader.get("/api/v1/complaints/")
    with django_assert_num_queries(3):
        assert len(reader.get("/api/v1/complaints/").json()) == 2
    assert receive(client, designated_case(world).notice).status_code == 201
    with django_assert_num_queries(3):
        assert len(reader.get("/api/v1/complaints/").json()) == 3
    assert token_client(world.outsider).get("/api/v1/complaints/").json() == []


@pytest.mark.parametrize("body, field", [({"outcome": "upheld", "decision": " "}, "decision"),
                                         ({"outcome": "maybe", "decision": "不成立"}, "outcome")])
def test_a_decision_needs_an_outcome_and_its_text(world, case, body, field):
    client = token_client(world.staff)
    pk = receive(client, case.notice).json()["id"]
    response = post(client, f"/api/v1/complaints/{pk}/decide/", body)
    assert response.status_code == 400 and fields(response) == {field}
    complaint = Complaint.objects.get()
    assert complaint.status == "received" and complaint.decision == "" and complaint.decided_by is None


def test_a_replacement_needs_the_lawyer_complained_of_to_be_still_designated(world, case):
    client = token_client(world.staff)
    pk = receive(client, case.notice).json()["id"]
    first_replacement, second = f.lawyer(world), f.lawyer(world)
    from assignments.services.designations import designation_replace

    designation_replace(notice=case.notice, lawyer=first_replacement, ground="lawyer_unable", note="律师生病",
                        actor=world.staff)
    response = post(client, f"/api/v1/complaints/{pk}/decide/",
                    {"outcome": "upheld", "decision": "更换律师", "replace_with": second.pk})
    assert response.status_code == 409 and codes(response) == {"designation_not_current"}
    assert Complaint.objects.get().status == "received"
    assert not Designation.objects.filter(lawyer=second).exists()


def test_only_writers_investigate_and_decide(world, case):
    pk = receive(token_client(world.staff), case.notice).json()["id"]
    for user in (world.auditor,):
        assert post(token_client(user), f"/api/v1/complaints/{pk}/investigate/", {}).status_code == 403
        assert post(token_client(user), f"/api/v1/complaints/{pk}/decide/",
                    {"outcome": "dismissed", "decision": "不成立"}).status_code == 403
    assert Complaint.objects.get().status == "received"
