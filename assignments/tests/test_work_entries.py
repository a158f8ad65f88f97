"""POST /api/v1/notices/<id>/work/ — the lawyer logs each kind of work: what it must say, the
statutory clock it starts or meets, its place in the case history; and every refusal (a time
before the designation or in the future, a case that is not the lawyer's, a wrong file)."""
import datetime as dt

import pytest

from assignments.models import WorkDocument, WorkLogEntry
from assignments.tests import factories as f
from assignments.tests.work import (
    ELF,
    FILE_REVIEW,
    MEETING,
    PDF,
    PNG,
    at,
    codes,
    designated_case,
    docx_bytes,
    fields,
    iso,
    log,
    log_files,
    post,
)
from cases.deadlines.models import Deadline
from cases.models import NoticeEvent
from conftest import token_client
from legalaid import clock
from notifications.models import Message

pytestmark = pytest.mark.usefixtures("uploads")


@pytest.fixture
def case(world):
    return designated_case(world)


@pytest.fixture
def lawyer_client(case):
    return token_client(case.user)


def nothing_logged(case):
    return not WorkLogEntry.objects.filter(notice=case.notice).exists() and not NoticeEvent.objects.filter(
        notice=case.notice, code="work_logged").exists()


# --- Each kind -----------------------------------------------------------------------------------------

def test_it_logs_a_meeting_with_its_record_in_the_history(case, lawyer_client):
    response = log(lawyer_client, case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "meeting" and body["basis"] == "M 20; CPL 39" and body["duration_minutes"] == 60
    assert body["verification"] == "self_reported" and body["lawyer"] == case.lawyer.name
    entry = WorkLogEntry.objects.get(pk=body["id"])
    assert entry.place == "驻马店市看守所" and entry.mode == "in_person" and entry.notes.startswith("被告人陈述")
    assert entry.ended_at - entry.started_at == dt.timedelta(hours=1)
    assert entry.designation == case.designation and entry.created_by == case.user
    event = NoticeEvent.objects.get(notice=case.notice, code="work_logged")
    assert event.actor == case.user and event.data["entry"] == entry.pk and event.data["kind"] == "meeting"
    assert entry.history.count() == 1 and entry.history.first().history_user == case.user
    assert response["Location"] == f"/api/v1/work-entries/{entry.pk}/"


def test_a_meeting_meets_the_detention_centres_48_hours(case, lawyer_client):
    request = log(lawyer_client, case.notice, "meeting_request", started_at=iso(at(case, days=1)),
                  place="驻马店市看守所")
    assert request.status_code == 201, request.content
    clock_ = Deadline.objects.get(notice=case.notice, rule_code="detention_arrange_meeting")
    assert clock_.status == "open" and clock_.basis == "CPL 39" and clock_.unit == "hours"
    assert log(lawyer_client, case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING).status_code == 201
    clock_.refresh_from_db()
    assert clock_.status == "met"


def test_a_file_review_after_a_request_meets_the_courts_clock(case, lawyer_client):
    assert log(lawyer_client, case.notice, "file_review_request", started_at=iso(at(case, days=1))).status_code == 201
    assert Deadline.objects.get(notice=case.notice, rule_code="court_arrange_file_review").status == "open"
    response = log(lawyer_client, case.notice, "file_review", started_at=iso(at(case, days=2)), **FILE_REVIEW)
    assert response.status_code == 201, response.content
    entry = WorkLogEntry.objects.get(pk=response.json()["id"])
    assert entry.subject == "起诉书、讯问笔录、证人证言" and entry.copied == "全部证据材料" and entry.notes
    assert Deadline.objects.get(notice=case.notice, rule_code="court_arrange_file_review").status == "met"


@pytest.mark.parametrize("kind", ["evidence_request", "witness_request"])
def test_a_request_to_the_court_starts_its_three_day_clock_and_tells_the_court(world, case, lawyer_client, kind):
    response = log(lawyer_client, case.notice, kind, started_at=iso(at(case, days=9)), subject="调取案发现场监控录像")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "awaiting"
    clock_ = Deadline.objects.get(notice=case.notice, rule_code="court_decide_evidence_request")
    assert clock_.status == "open" and clock_.basis == "M 16" and clock_.party == "court"
    assert clock_.trigger_at == at(case, days=9) and clock_.period == 3 and clock_.unit == "calendar_days"
    message = Message.objects.get(recipient=world.court_user, kind="court_request_filed")
    assert message.params["request"] == response.json()["id"]


def test_a_second_request_does_not_restart_the_running_clock(case, lawyer_client):
    log(lawyer_client, case.notice, "evidence_request", started_at=iso(at(case, days=8)), subject="监控录像")
    first = Deadline.objects.get(notice=case.notice, rule_code="court_decide_evidence_request")
    log(lawyer_client, case.notice, "witness_request", started_at=iso(at(case, days=9)), subject="证人王某出庭")
    same = Deadline.objects.get(notice=case.notice, rule_code="court_decide_evidence_request", status="open")
    assert same.pk == first.pk and same.due_at == first.due_at


def test_the_legal_aid_papers_meet_the_lawyers_three_days(case, lawyer_client):
    assert Deadline.objects.get(notice=case.notice, rule_code="lawyer_file_papers").status == "open"
    assert log(lawyer_client, case.notice, "papers_filed", started_at=iso(at(case, days=1))).status_code == 201
    assert Deadline.objects.get(notice=case.notice, rule_code="lawyer_file_papers").status == "met"


def test_preparation_and_a_whole_hearing(case, lawyer_client):
    prep = log(lawyer_client, case.notice, "preparation", started_at=iso(at(case, days=3)), notes="辩护提纲：无罪辩护")
    assert prep.status_code == 201 and prep.json()["ended_at"] is None
    hearing = log(lawyer_client, case.notice, "hearing", started_at=iso(at(case, days=5)),
                  ended_at=iso(at(case, days=5, hours=3)), whole_hearing=True, place="第三审判庭")
    assert hearing.status_code == 201, hearing.content
    assert hearing.json()["whole_hearing"] is True and hearing.json()["duration_minutes"] == 180


def test_a_partial_hearing_needs_the_reason(case, lawyer_client):
    body = {"started_at": iso(at(case, days=5)), "ended_at": iso(at(case, days=5, hours=1)), "whole_hearing": False}
    refused = log(lawyer_client, case.notice, "hearing", **body)
    assert refused.status_code == 400 and fields(refused) == {"absence_reason"} and codes(refused) == {"required"}
    assert nothing_logged(case)
    ok = log(lawyer_client, case.notice, "hearing", absence_reason="另案开庭冲突，下午到庭", **body)
    assert ok.status_code == 201 and ok.json()["whole_hearing"] is False


@pytest.mark.parametrize("name, content, content_type", [
    ("辩护意见.pdf", PDF, "application/pdf"), ("scan.png", PNG, "image/png"),
    ("辩护意见.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")])
def test_a_written_opinion_with_its_document(case, lawyer_client, uploads, name, content, content_type):
    response = log_files(lawyer_client, case.notice, "written_opinion", [(name, content)],
                         started_at=iso(at(case, days=6)), notes="无罪辩护意见")
    assert response.status_code == 201, response.content
    document = WorkDocument.objects.get(entry_id=response.json()["id"])
    assert document.content_type == content_type and document.original_name == name
    assert name not in document.file.name and (uploads / document.file.name).read_bytes() == content
    assert response.json()["documents"][0]["url"] == f"/api/v1/notices/{case.notice.pk}/work-documents/{document.pk}/"


def test_a_complaint_goes_to_the_supervisor_and_is_answered(world, case, lawyer_client):
    response = log(lawyer_client, case.notice, "obstruction_complaint", started_at=iso(at(case, days=2)),
                   obstructed_right="meeting", obstructed_by="驻马店市看守所", subject="以“系统维护”为由拒绝安排会见")
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    assert response.json()["status"] == "awaiting"
    message = Message.objects.get(recipient=world.supervisor, kind="obstruction_complaint")
    assert message.params["facts"].startswith("以“系统维护”") and not Message.objects.filter(
        recipient=world.staff, kind="obstruction_complaint").exists()
    staff = f.post(token_client(world.staff), f"/api/v1/work-entries/{entry_id}/answer/", {"answer": "已处理"})
    assert staff.status_code == 403
    answered = f.post(token_client(world.supervisor), f"/api/v1/work-entries/{entry_id}/answer/",
                      {"answer": "已与看守所沟通，明日安排会见。"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered" and answered.json()["answer"].startswith("已与看守所")
    assert Message.objects.filter(recipient=case.user, kind="complaint_answered").exists()
    assert NoticeEvent.objects.filter(notice=case.notice, code="complaint_answered", actor=world.supervisor).exists()
    again = f.post(token_client(world.supervisor), f"/api/v1/work-entries/{entry_id}/answer/", {"answer": "再答"})
    assert again.status_code == 409 and codes(again) == {"complaint_already_answered"}


def test_the_kinds_and_their_basis_are_published(lawyer_client):
    kinds = {k["kind"]: k for k in lawyer_client.get("/api/v1/work-kinds/").json()}
    assert kinds["meeting"]["basis"] == "M 20; CPL 39" and "notes" in kinds["meeting"]["required"]
    assert kinds["evidence_request"]["opens"] == "court_decide_evidence_request"
    assert kinds["written_opinion"]["needs_file"] is True


# --- Refusals: error code, and nothing changed ----------------------------------------------------------

def test_a_meeting_before_the_designation_is_refused(case, lawyer_client):
    response = log(lawyer_client, case.notice, "meeting", started_at=iso(case.start - dt.timedelta(hours=2)),
                   **MEETING)
    assert response.status_code == 400 and codes(response) == {"before_designation"}
    assert fields(response) == {"started_at"}
    assert nothing_logged(case)


def test_a_meeting_in_the_future_is_refused(case, lawyer_client):
    response = log(lawyer_client, case.notice, "meeting", started_at=iso(clock.now() + dt.timedelta(hours=2)),
                   **MEETING)
    assert response.status_code == 400 and codes(response) == {"future_time"}
    ends_later = log(lawyer_client, case.notice, "meeting", started_at=iso(clock.now() - dt.timedelta(minutes=30)),
                     **{**MEETING, "duration_minutes": 90})
    assert ends_later.status_code == 400 and codes(ends_later) == {"future_time"} and fields(ends_later) == {"ended_at"}
    assert nothing_logged(case)


@pytest.mark.parametrize("change, field, code", [
    ({"notes": ""}, "notes", "required"),
    ({"place": "   "}, "place", "required"),
    ({"mode": "carrier_pigeon"}, "mode", "invalid_choice"),
    ({"duration_minutes": 0}, "duration_minutes", "invalid_duration"),
    ({"duration_minutes": 24 * 60 + 1}, "duration_minutes", "invalid_duration"),
    ({"duration_minutes": None}, "duration_minutes", "required"),
    ({"whole_hearing": True}, "whole_hearing", "unknown_field"),
    ({"colour": "red"}, "colour", "unknown_field"),
    ({"started_at": "yesterday"}, "started_at", "invalid"),
])
def test_a_meeting_that_breaks_a_rule_is_refused(case, lawyer_client, change, field, code):
    body = {"started_at": iso(at(case, days=2)), **MEETING, **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = log(lawyer_client, case.notice, "meeting", **body)
    assert response.status_code == 400, response.content
    assert code in codes(response) and field in fields(response)
    assert nothing_logged(case)


def test_an_end_before_the_start_and_an_unknown_kind_are_refused(case, lawyer_client):
    bad_end = log(lawyer_client, case.notice, "hearing", started_at=iso(at(case, days=5)),
                  ended_at=iso(at(case, days=4)), whole_hearing=True)
    assert bad_end.status_code == 400 and codes(bad_end) == {"ends_before_start"}
    unknown = log(lawyer_client, case.notice, "lunch", started_at=iso(at(case, days=5)))
    assert unknown.status_code == 400 and fields(unknown) == {"kind"}
    assert nothing_logged(case)


def test_logging_on_a_case_that_is_not_theirs_is_404(world, case):
    other = f.lawyer(world, account=True)
    response = log(token_client(other.user), case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING)
    assert response.status_code == 404 and codes(response) == {"not_found"}
    assert nothing_logged(case)


def test_staff_and_courts_do_not_log_work(world, case):
    for user, status in ((world.staff, 403), (world.court_user, 403), (world.outsider, 404)):
        response = log(token_client(user), case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING)
        assert response.status_code == status, (user, response.content)
    assert nothing_logged(case)


def test_a_pending_designation_cannot_log_until_accepted(world):
    case = designated_case(world, accept=False)
    response = log(token_client(case.user), case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING)
    assert response.status_code == 409 and codes(response) == {"designation_not_accepted"}
    assert nothing_logged(case)


def test_a_replaced_lawyer_sees_the_case_but_logs_nothing(world, case):
    from assignments.services import designation_replace

    successor = f.lawyer(world, account=True)
    designation_replace(notice=case.notice, lawyer=successor, ground="lawyer_unable", note="律师生病", actor=world.staff,
                        reason="接替")
    client = token_client(case.user)
    assert client.get(f"/api/v1/lawyer/cases/{case.notice.pk}/").status_code == 200
    response = log(client, case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING)
    assert response.status_code == 409 and codes(response) == {"designation_not_current"}
    assert nothing_logged(case)


def test_a_written_opinion_needs_its_document(case, lawyer_client):
    response = log(lawyer_client, case.notice, "written_opinion", started_at=iso(at(case, days=6)))
    assert response.status_code == 400 and codes(response) == {"required"} and fields(response) == {"files"}
    assert nothing_logged(case)


@pytest.mark.parametrize("name, content", [("opinion.pdf", ELF), ("opinion.docx", docx_bytes(with_document=False)),
                                           ("opinion.docx", b"PK\x03\x04 not really a zip")])
def test_an_opinion_of_a_wrong_type_is_415(case, lawyer_client, uploads, name, content):
    response = log_files(lawyer_client, case.notice, "written_opinion", [(name, content)],
                         started_at=iso(at(case, days=6)))
    assert response.status_code == 415 and codes(response) == {"unsupported_media_type"}
    assert nothing_logged(case) and not WorkDocument.objects.exists()
    assert not any(path.is_file() for path in uploads.rglob("*"))


def test_an_opinion_over_20_mib_is_413(case, lawyer_client, settings):
    big = PDF + b"\0" * (settings.MAX_UPLOAD_BYTES + 1 - len(PDF))
    response = log_files(lawyer_client, case.notice, "written_opinion", [("big.pdf", big)],
                         started_at=iso(at(case, days=6)))
    assert response.status_code == 413 and codes(response) == {"file_too_large"}
    assert nothing_logged(case) and not WorkDocument.objects.exists()


def test_an_idempotency_key_replay_logs_once(case, lawyer_client):
    url = f"/api/v1/notices/{case.notice.pk}/work/"
    body = {"kind": "meeting", "started_at": iso(at(case, days=2)), **MEETING}
    first = post(lawyer_client, url, body, HTTP_IDEMPOTENCY_KEY="meeting-1")
    again = post(lawyer_client, url, body, HTTP_IDEMPOTENCY_KEY="meeting-1")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert WorkLogEntry.objects.filter(notice=case.notice).count() == 1
    other = post(lawyer_client, url, {**body, "notes": "另一次会见"}, HTTP_IDEMPOTENCY_KEY="meeting-1")
    assert other.status_code == 422
    assert WorkLogEntry.objects.filter(notice=case.notice).count() == 1


# --- Corrections and files -----------------------------------------------------------------------------

def test_the_lawyer_corrects_an_entry_and_the_change_is_in_the_history(case, lawyer_client):
    entry_id = log(lawyer_client, case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING).json()["id"]
    response = lawyer_client.patch(f"/api/v1/work-entries/{entry_id}/", {"duration_minutes": 90, "mode": "video"},
                                   format="json")
    assert response.status_code == 200, response.content
    assert response.json()["duration_minutes"] == 90 and response.json()["mode"] == "video"
    entry = WorkLogEntry.objects.get(pk=entry_id)
    assert entry.history.count() == 2
    event = NoticeEvent.objects.get(notice=case.notice, code="work_updated")
    assert event.data["changes"]["mode"] == ["in_person", "video"] and "ended_at" in event.data["changes"]
    bad = lawyer_client.patch(f"/api/v1/work-entries/{entry_id}/",
                              {"started_at": iso(case.start - dt.timedelta(days=1))}, format="json")
    assert bad.status_code == 400 and codes(bad) == {"before_designation"}
    entry.refresh_from_db()
    assert entry.history.count() == 2 and entry.mode == "video"


def test_another_lawyer_cannot_see_or_correct_the_entry(world, case, lawyer_client):
    entry_id = log(lawyer_client, case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING).json()["id"]
    other = token_client(f.lawyer(world, account=True).user)
    assert other.get(f"/api/v1/work-entries/{entry_id}/").status_code == 404
    assert other.patch(f"/api/v1/work-entries/{entry_id}/", {"notes": "x"}, format="json").status_code == 404
    assert token_client(world.court_user).get(f"/api/v1/work-entries/{entry_id}/").status_code == 404
    assert token_client(world.staff).get(f"/api/v1/work-entries/{entry_id}/").status_code == 200


def test_files_are_added_to_an_entry(case, lawyer_client):
    entry_id = log(lawyer_client, case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING).json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = lawyer_client.post(f"/api/v1/work-entries/{entry_id}/attachments/",
                                  {"files": [SimpleUploadedFile("会见笔录.pdf", PDF), SimpleUploadedFile("p2.png", PNG)]},
                                  format="multipart")
    assert response.status_code == 201, response.content
    assert [d["name"] for d in response.json()["documents"]] == ["会见笔录.pdf", "p2.png"]
    assert NoticeEvent.objects.filter(notice=case.notice, code="work_document_added").count() == 1
    bad = lawyer_client.post(f"/api/v1/work-entries/{entry_id}/attachments/",
                             {"files": [SimpleUploadedFile("x.pdf", ELF)]}, format="multipart")
    assert bad.status_code == 415 and WorkDocument.objects.filter(entry_id=entry_id).count() == 2
