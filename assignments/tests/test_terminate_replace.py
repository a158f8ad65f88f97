"""POST /api/v1/notices/<id>/terminate/ (LAL 48) and /replace/ (LAL 55; SPCI 311)."""
import pytest

from assignments.models import Designation
from assignments.tests import factories as f
from cases.models import Notice
from notifications.models import Message


@pytest.fixture
def assigned(world):
    lawyers = [f.lawyer(world, name=f"律师{i}", account=True) for i in range(4)]
    notice = f.notice(world)
    f.designate(world, notice, lawyers[0], reason="首次指派")
    return notice, lawyers


def test_terminating_on_a_lal48_ground(world, assigned, staff_client):
    notice, lawyers = assigned
    url = f"/api/v1/notices/{notice.pk}/terminate/"
    assert f.codes(f.post(staff_client, url, {"ground": "bogus", "note": "x"})) == {"invalid_choice"}
    assert f.codes(f.post(staff_client, url, {"ground": "proceedings_ended"})) == {"required"}
    notice.refresh_from_db()
    assert notice.status == "assigned"
    response = f.post(staff_client, url, {"ground": "proceedings_ended", "note": "检察院撤回起诉"})
    assert response.status_code == 200, response.content
    notice.refresh_from_db()
    assert notice.status == Notice.Status.TERMINATED
    assert Designation.objects.get(notice=notice).end_ground == "proceedings_ended"
    assert Message.objects.filter(kind="aid_terminated", recipient=world.court_user).exists()
    assert Message.objects.filter(kind="designation_ended", recipient=lawyers[0].user).exists()
    again = f.post(staff_client, url, {"ground": "proceedings_ended", "note": "x"})
    assert again.status_code == 409


def test_replacing_the_lawyer(world, assigned, staff_client):
    notice, lawyers = assigned
    url = f"/api/v1/notices/{notice.pk}/replace/"
    same = f.post(staff_client, url, {"lawyer": lawyers[0].pk, "ground": "lawyer_unable", "note": "病假"})
    assert same.status_code == 400 and f.codes(same) == {"same_lawyer"}
    response = f.post(staff_client, url, {"lawyer": lawyers[1].pk, "ground": "lawyer_unable", "note": "律师住院"})
    assert response.status_code == 201, response.content
    assert response.json()["replaces"] is not None
    history = staff_client.get(f"/api/v1/notices/{notice.pk}/designations/").json()
    assert [(d["lawyer"]["name"], d["status"], d["end_reason"]) for d in history] == [
        ("律师0", "ended", "replaced"), ("律师1", "pending", "")]
    notice.refresh_from_db()
    assert notice.status == "assigned"


def test_replacements_the_defendant_asks_for_count_towards_two_changes(world, assigned, staff_client):
    notice, lawyers = assigned
    url = f"/api/v1/notices/{notice.pk}/replace/"
    for i in (1, 2):
        response = f.post(staff_client, url, {"lawyer": lawyers[i].pk, "ground": "client_request", "note": "投诉"})
        assert response.status_code == 201, response.content
    third = f.post(staff_client, url, {"lawyer": lawyers[3].pk, "ground": "client_request", "note": "又投诉"})
    assert third.status_code == 409 and f.codes(third) == {"change_limit_reached"}
    assert Designation.objects.filter(notice=notice).count() == 3


def test_replace_needs_a_designation(world, staff_client):
    lawyer = f.lawyer(world)
    notice = f.notice(world)
    response = f.post(staff_client, f"/api/v1/notices/{notice.pk}/replace/",
                      {"lawyer": lawyer.pk, "ground": "lawyer_unable", "note": "x"})
    assert response.status_code == 409 and f.codes(response) == {"no_designation"}
