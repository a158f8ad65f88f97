"""Duty lawyers: duty notices go to the lawyer on shift; interim-help requests are routed; plea-signing
sessions are recorded against the shift (CPL 174)."""
import datetime as dt

import pytest

from assignments.models import InterimHelpRequest, PleaSession
from assignments.recommendation import recommend
from assignments.services import duty_route_notice, duty_shift_add, lawyer_leave_add
from assignments.tests import factories as f
from cases.tests.factories import notice_payload
from legalaid import clock
from legalaid.errors import InvalidInput
from notifications.models import Message


@pytest.fixture
def rostered(world):
    station = f.court_station(world)
    on_shift = f.lawyer(world, name="值班律师", account=True, region=world.xiping)
    off = f.lawyer(world, name="休息律师")  # same county: would rank first
    shift = duty_shift_add(station=station, date=clock.today(), lawyer=on_shift, actor=world.staff)
    return station, shift, on_shift, off


def test_a_summary_notice_goes_to_the_duty_lawyer_on_shift(world, rostered, court_client):
    _station, shift, on_shift, off = rostered
    notice = f.notice(world, procedure="summary")
    assert notice.category == "duty_lawyer"
    rec = recommend(notice=notice)
    assert [c.lawyer for c in rec.candidates] == [on_shift]
    assert "not_on_duty" in [x["code"] for c in rec.excluded if c.lawyer == off for x in c.failed]
    designation = duty_route_notice(notice=notice, actor=world.staff)
    assert designation.kind == "duty" and designation.shift == shift and designation.lawyer == on_shift
    assert court_client.get(f"/api/v1/notices/{notice.pk}/").json()["assignment"]["lawyer"]["name"] == "值班律师"


def test_a_duty_notice_posted_by_the_court_is_routed_once_committed(world, rostered, court_client,
                                                                   django_capture_on_commit_callbacks):
    _station, shift, on_shift, _off = rostered
    with django_capture_on_commit_callbacks(execute=True):
        response = f.post(court_client, "/api/v1/notices/", notice_payload(procedure="fast_track"))
    assert response.status_code == 201
    data = court_client.get(response["Location"]).json()
    assert data["status"] == "assigned"
    assert data["assignment"]["lawyer"]["name"] == "值班律师"
    from cases.models import NoticeEvent

    event = NoticeEvent.objects.get(notice_id=data["id"], code="duty_lawyer_routed")
    assert event.actor is None and event.data["lawyer"] == on_shift.name


def test_an_ordinary_notice_is_not_routed_to_the_duty_lawyer(world, rostered, court_client,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = f.post(court_client, "/api/v1/notices/", notice_payload())
    assert court_client.get(response["Location"]).json()["status"] == "received"


def test_without_anyone_on_shift_the_notice_waits(world):
    f.lawyer(world)
    notice = f.notice(world, procedure="fast_track")
    assert duty_route_notice(notice=notice, actor=world.staff) is None


def test_a_lawyer_on_leave_is_not_put_on_shift(world):
    station = f.court_station(world)
    lawyer = f.lawyer(world)
    lawyer_leave_add(lawyer=lawyer, starts_on=clock.today(), ends_on=clock.today(), actor=world.staff)
    with pytest.raises(InvalidInput) as exc:
        duty_shift_add(station=station, date=clock.today(), lawyer=lawyer, actor=world.staff)
    assert exc.value.code == "lawyer_on_leave"


def test_shifts_through_the_api(world, rostered, staff_client):
    station, _shift, on_shift, _off = rostered
    dup = f.post(staff_client, "/api/v1/duty-shifts/",
                 {"station": station.pk, "date": clock.today().isoformat(), "lawyer": on_shift.pk})
    assert dup.status_code == 400 and f.codes(dup) == {"duplicate_shift"}
    listed = staff_client.get(f"/api/v1/duty-shifts/?date={clock.today().isoformat()}").json()
    assert [s["lawyer_name"] for s in listed] == ["值班律师"]


def test_an_interim_help_request_is_routed_to_the_lawyer_on_shift(world, rostered, staff_client):
    station, shift, on_shift, _off = rostered
    response = f.post(staff_client, "/api/v1/interim-help-requests/",
                      {"station": station.pk, "person_name": "刘某", "details": "申请变更强制措施"})
    assert response.status_code == 201 and response.json()["lawyer"] == "值班律师"
    assert InterimHelpRequest.objects.get().shift == shift
    assert Message.objects.filter(recipient=on_shift.user, kind="help_request_routed").exists()
    empty = f.post(staff_client, "/api/v1/interim-help-requests/", {"station": station.pk, "person_name": "刘某",
                                                                     "details": ""})
    assert empty.status_code == 400 and InterimHelpRequest.objects.count() == 1


def test_a_help_request_with_no_one_on_shift_tells_the_staff(world, staff_client):
    station = f.detention_station(world)
    response = f.post(staff_client, "/api/v1/interim-help-requests/",
                      {"station": station.pk, "person_name": "刘某", "details": "咨询"})
    assert response.status_code == 201 and response.json()["lawyer"] is None
    assert Message.objects.filter(recipient=world.staff, kind="help_request_unrouted").exists()


def test_a_plea_signing_session_is_recorded_against_the_shift(world, rostered):
    from conftest import token_client

    _station, shift, on_shift, _off = rostered
    client = token_client(on_shift.user)
    signed = clock.to_beijing(clock.now()).replace(second=0, microsecond=0)
    if clock.beijing_date(signed) != shift.date:
        signed = clock.start_of_day(shift.date)
    body = {"shift": shift.pk, "case_number": "（2026）豫1702刑初9号", "defendant_name": "刘某",
            "signed_at": signed.isoformat(), "charge_opinion": "对罪名无异议", "sentence_opinion": "建议从轻",
            "recording_reference": "AV-2026-0001"}
    for over, code in [({"signed_at": (signed - dt.timedelta(days=2)).isoformat()}, "outside_shift"),
                       ({"lawyer_present": False}, "lawyer_not_present"),
                       ({"recording_reference": ""}, "required"),
                       ({"charge_opinion": " "}, "required")]:
        response = f.post(client, "/api/v1/plea-sessions/", {**body, **over})
        assert response.status_code == 400 and code in f.codes(response), (over, response.content)
    assert not PleaSession.objects.exists()
    response = f.post(client, "/api/v1/plea-sessions/", body)
    assert response.status_code == 201, response.content
    assert PleaSession.objects.get().shift == shift
    stranger = f.lawyer(world, account=True)
    assert f.post(token_client(stranger.user), "/api/v1/plea-sessions/", body).status_code == 403
