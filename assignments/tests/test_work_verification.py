"""POST /api/v1/verified-records/ — detention centres and e-file-review systems report what they
recorded, with their own tokens; each record is matched to the lawyer's own entry (same lawyer, same
notice, overlapping time) in either order; a self-reported meeting the centre has no record of is
flagged once the grace period has passed."""
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from assignments.models import ReportingSource, VerifiedRecord, WorkLogEntry
from assignments.tasks import meetings_flag_unverified
from assignments.tests import factories as f
from assignments.tests.work import FILE_REVIEW, MEETING, at, codes, designated_case, fields, iso, log, post
from assignments.work import rules
from cases.deadlines.models import Deadline
from cases.models import NoticeEvent
from cases.tests.factories import UserFactory
from conftest import token_client
from legalaid import clock
from legalaid.models import Role
from notifications.models import Message

pytestmark = pytest.mark.usefixtures("uploads")


def source(world, kind=ReportingSource.Kind.DETENTION_CENTRE, name="驻马店市看守所", since_days=60):
    role = Role.DETENTION_CENTRE if kind == ReportingSource.Kind.DETENTION_CENTRE else Role.FILE_SYSTEM
    return ReportingSource.objects.create(kind=kind, name=name, region=world.city, account=UserFactory(role=role),
                                          reporting_since=clock.now() - dt.timedelta(days=since_days))


@pytest.fixture
def centre(world):
    return source(world)


@pytest.fixture
def centre_client(centre):
    return token_client(centre.account)


@pytest.fixture
def case(world):
    return designated_case(world)


def meeting_record(case, start, minutes=60, reference="HJ-2026-0001", **extra):
    defendant = case.notice.defendant
    return {"type": "meeting", "reference": reference, "lawyer_licence": case.lawyer.licence_number,
            "defendant": {"name": defendant.name, "id_number": defendant.id_number},
            "booked_at": iso(start - dt.timedelta(hours=20)), "started_at": iso(start),
            "ended_at": iso(start + dt.timedelta(minutes=minutes)), "mode": "in_person", **extra}


def send(client, body, **headers):
    return post(client, "/api/v1/verified-records/", body, **headers)


def logged_meeting(case, days=2):
    response = log(token_client(case.user), case.notice, "meeting", started_at=iso(at(case, days=days)), **MEETING)
    assert response.status_code == 201, response.content
    return WorkLogEntry.objects.get(pk=response.json()["id"])


# --- Matching --------------------------------------------------------------------------------------------

def test_a_centres_record_verifies_the_lawyers_meeting(case, centre_client, client):
    entry = logged_meeting(case)
    response = send(centre_client, meeting_record(case, at(case, days=2) - dt.timedelta(minutes=10)))
    assert response.status_code == 201, response.content
    assert response.json()["matched_entry"] == entry.pk and response.json()["notice"] == str(case.notice.pk)
    entry.refresh_from_db()
    assert entry.verification == "verified"
    assert NoticeEvent.objects.filter(notice=case.notice, code="work_verified").exists()
    client.force_login(case.user)
    html = client.get(f"/lawyer/cases/{case.notice.pk}/").content.decode()
    assert f'data-entry="{entry.pk}"' in html and 'data-verification="verified"' in html


def test_a_record_that_came_first_verifies_the_meeting_logged_later(case, centre_client):
    send(centre_client, meeting_record(case, at(case, days=2) + dt.timedelta(minutes=20)))
    record = VerifiedRecord.objects.get()
    assert record.entry is None
    entry = logged_meeting(case)
    assert entry.verification == "verified"
    record.refresh_from_db()
    assert record.entry == entry


def test_times_that_do_not_overlap_do_not_match(case, centre_client):
    entry = logged_meeting(case)
    response = send(centre_client, meeting_record(case, at(case, days=3)))
    assert response.status_code == 201 and response.json()["matched_entry"] is None
    entry.refresh_from_db()
    assert entry.verification == "self_reported"


def test_the_tolerance_allows_round_numbers(case, centre_client):
    entry = logged_meeting(case)  # logged 60 minutes from at(2 days)
    start = at(case, days=2) + dt.timedelta(minutes=60) + rules.MATCH_TOLERANCE - dt.timedelta(minutes=1)
    assert send(centre_client, meeting_record(case, start)).json()["matched_entry"] == entry.pk


def test_a_correction_that_moves_the_meeting_away_unverifies_it(case, centre_client):
    entry = logged_meeting(case)
    send(centre_client, meeting_record(case, at(case, days=2)))
    response = token_client(case.user).patch(f"/api/v1/work-entries/{entry.pk}/",
                                             {"started_at": iso(at(case, days=4))}, format="json")
    assert response.status_code == 200 and response.json()["verification"] == "self_reported"
    assert VerifiedRecord.objects.get().entry is None


def test_a_booking_meets_the_centres_48_hours(case, centre_client):
    log(token_client(case.user), case.notice, "meeting_request", started_at=iso(at(case, days=1)),
        place="驻马店市看守所")
    booked = {"type": "meeting", "reference": "YY-1", "lawyer_licence": case.lawyer.licence_number,
              "defendant": {"name": case.notice.defendant.name, "id_number": case.notice.defendant.id_number},
              "booked_at": iso(at(case, days=1, hours=5)), "held": False}
    response = send(centre_client, booked)
    assert response.status_code == 201, response.content
    assert Deadline.objects.get(notice=case.notice, rule_code="detention_arrange_meeting").status == "met"


def test_an_e_file_system_verifies_a_file_review(world, case):
    system = source(world, kind=ReportingSource.Kind.FILE_SYSTEM, name="河南法院电子卷宗阅卷系统")
    response = log(token_client(case.user), case.notice, "file_review", started_at=iso(at(case, days=2)),
                   **FILE_REVIEW)
    body = {"type": "file_access", "reference": "YJ-77", "lawyer_licence": case.lawyer.licence_number,
            "case_number": case.notice.case.case_number, "started_at": iso(at(case, days=2, hours=1)),
            "ended_at": iso(at(case, days=2, hours=3))}
    record = send(token_client(system.account), body)
    assert record.status_code == 201, record.content
    assert record.json()["matched_entry"] == response.json()["id"]
    assert WorkLogEntry.objects.get(pk=response.json()["id"]).verification == "verified"


# --- Refusals ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("change, field, code", [
    ({"lawyer_licence": "00000000000000000"}, "lawyer_licence", "unknown_lawyer"),
    ({"defendant": {"name": "张三", "id_number": "110101199001011234"}}, "defendant", "no_matching_case"),
    ({"defendant": None}, "defendant", "required"),
    ({"started_at": None}, "started_at", "required"),
    ({"type": "file_access", "case_number": "（2026）豫1702刑初1号"}, "type", "type_not_allowed"),
    ({"colour": "red"}, "colour", "unknown_field"),
])
def test_a_record_that_breaks_a_rule_is_refused_and_not_stored(case, centre_client, change, field, code):
    body = {**meeting_record(case, at(case, days=2)), **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = send(centre_client, body)
    assert response.status_code == 400, response.content
    assert code in codes(response) and field in fields(response)
    assert not VerifiedRecord.objects.exists()


def test_a_record_in_the_future_or_ending_before_it_starts_is_refused(case, centre_client):
    future = send(centre_client, meeting_record(case, clock.now() + dt.timedelta(hours=1)))
    assert future.status_code == 400 and codes(future) == {"future_time"}
    backwards = send(centre_client, meeting_record(case, at(case, days=2), minutes=-30))
    assert backwards.status_code == 400 and codes(backwards) == {"ends_before_start"}
    assert not VerifiedRecord.objects.exists()


def test_a_lawyer_not_designated_to_the_defendant_matches_nothing(world, case, centre_client):
    stranger = f.lawyer(world)
    response = send(centre_client, {**meeting_record(case, at(case, days=2)), "lawyer_licence": stranger.licence_number})
    assert response.status_code == 400 and codes(response) == {"no_matching_case"}


def test_the_same_reference_twice_is_409_and_a_replayed_key_is_not(case, centre_client):
    body = meeting_record(case, at(case, days=2))
    first = send(centre_client, body, HTTP_IDEMPOTENCY_KEY="rec-1")
    replay = send(centre_client, body, HTTP_IDEMPOTENCY_KEY="rec-1")
    assert first.status_code == replay.status_code == 201 and first.json() == replay.json()
    again = send(centre_client, body)
    assert again.status_code == 409 and codes(again) == {"duplicate_record"}
    assert again.json()["existing"] == first.json()["id"]
    assert VerifiedRecord.objects.count() == 1


def test_only_reporting_systems_post_records(world, case):
    body = meeting_record(case, at(case, days=2))
    for user in (world.court_user, world.staff, case.user, UserFactory(role=Role.DETENTION_CENTRE)):
        response = send(token_client(user), body)
        assert response.status_code == 403 and codes(response) == {"permission_denied"}, user
    assert post(token_client(world.court_user), "/api/v1/verified-records/").status_code == 403
    assert not VerifiedRecord.objects.exists()


def test_an_inactive_system_is_refused(case, centre, centre_client):
    ReportingSource.objects.filter(pk=centre.pk).update(active=False)
    response = send(centre_client, meeting_record(case, at(case, days=2)))
    assert response.status_code == 403 and codes(response) == {"source_inactive"}


# --- Flagging ----------------------------------------------------------------------------------------------

def test_a_meeting_the_centre_never_confirms_is_flagged_once_after_the_grace_period(world, case, centre):
    entry = logged_meeting(case)
    assert entry.expected_source == centre
    assert entry.verify_by == entry.ended_at + rules.MEETING_VERIFY_GRACE
    with time_machine.travel(entry.verify_by - dt.timedelta(minutes=1), tick=False):
        assert meetings_flag_unverified() == 0
    with time_machine.travel(entry.verify_by + dt.timedelta(minutes=1), tick=False):
        assert meetings_flag_unverified() == 1
        assert meetings_flag_unverified() == 0
    entry.refresh_from_db()
    assert entry.verification == "unconfirmed" and entry.flagged_at
    assert NoticeEvent.objects.filter(notice=case.notice, code="meeting_unconfirmed").count() == 1
    assert Message.objects.filter(kind="meeting_unconfirmed", recipient=world.staff).count() == 1
    assert Message.objects.filter(kind="meeting_unconfirmed", recipient=world.supervisor).count() == 1
    # A record that arrives late still verifies it.
    send(token_client(centre.account), meeting_record(case, entry.started_at))
    entry.refresh_from_db()
    assert entry.verification == "verified"


def test_meetings_no_reporting_centre_could_confirm_are_never_flagged(world):
    source(world, name="驻马店市看守所", since_days=1)  # reports only since yesterday
    elsewhere = designated_case(world, defendant__custody={"status": "detained", "place": "西平县看守所"})
    before = designated_case(world)
    first, second = logged_meeting(elsewhere), logged_meeting(before)
    assert first.verify_by is None and second.verify_by is None
    with time_machine.travel(clock.now() + dt.timedelta(days=30), tick=False):
        assert meetings_flag_unverified() == 0


# --- Tokens ---------------------------------------------------------------------------------------------

def test_the_command_issues_a_systems_key_that_posts_records(world, case):
    out = io.StringIO()
    call_command("issue_system_token", "驻马店市看守所", "--kind", "detention_centre", "--region", "411700",
                 stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    centre = ReportingSource.objects.get(name="驻马店市看守所")
    assert centre.account.role == Role.DETENTION_CENTRE and not centre.account.has_usable_password()
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert send(client, meeting_record(case, at(case, days=2))).status_code == 201
    out = io.StringIO()
    call_command("issue_system_token", "驻马店市看守所", stdout=out)  # a second key for the same system
    assert ReportingSource.objects.count() == 1 and centre.account.api_tokens.count() == 2
