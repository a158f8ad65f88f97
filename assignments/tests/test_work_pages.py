"""The lawyer's portal (/lawyer/...) and the lawyer's work on the staff's notice page: what they
show, the forms that log work and close, scope (a case not the lawyer's is 404), and fixed query
counts for the list and the case page (5 rows and 50)."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assignments.models import Closing, WorkDocument, WorkLogEntry
from assignments.tests import factories as f
from assignments.tests.work import ELF, FILE_REVIEW, MEETING, PDF, at, designated_case, iso, log, log_files, post
from assignments.work import services
from cases.models import Document, NoticeEvent
from conftest import token_client
from legalaid import clock

pytestmark = pytest.mark.usefixtures("uploads")


def login(user):
    client = Client()
    client.force_login(user)
    return client


def local(moment) -> str:
    """A time as a datetime-local input holds it (Beijing time)."""
    return clock.to_beijing(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def case(world):
    return designated_case(world, hearing={"starts_at": "2026-11-20T09:00:00+08:00", "place": "第三审判庭"})


# --- The list ------------------------------------------------------------------------------------------

def test_a_lawyer_lands_on_the_list_of_their_cases_with_the_next_deadline(world, case):
    pending = designated_case(world, lawyer=case.lawyer, accept=False)
    another = designated_case(world, lawyer=case.lawyer)
    other = designated_case(world)
    client = login(case.user)
    assert client.get("/")["Location"] == "/lawyer/"
    response = client.get("/lawyer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    rows = response.context["rows"]
    assert rows[0]["notice"] == pending.notice and rows[0]["stage"] == "pending"  # answers awaited first
    assert {r["notice"].pk for r in rows} == {case.notice.pk, pending.notice.pk, another.notice.pk}
    assert str(other.notice.pk) not in html
    working = next(r for r in rows if r["notice"] == case.notice)
    assert working["next_deadline"].rule_code == "lawyer_file_papers"
    assert 'data-rule="lawyer_file_papers"' in html and case.notice.case.case_number in html
    assert f'action="/assignments/mine/{pending.designation.pk}/accept/"' in html


def test_the_list_has_a_fixed_number_of_queries(world):
    lawyer = f.lawyer(world, account=True)
    client = login(lawyer.user)
    client.get("/lawyer/")

    def count(n):
        for _ in range(n):
            designated_case(world, lawyer=lawyer)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/lawyer/")
        assert response.status_code == 200
        return len(ctx), len(response.context["rows"])

    few, rows_few = count(5)
    many, rows_many = count(45)
    assert (rows_few, rows_many) == (5, 50)
    assert few == many


def test_accepting_from_the_list_comes_back_to_it(world):
    case = designated_case(world, accept=False)
    response = login(case.user).post(f"/assignments/mine/{case.designation.pk}/accept/", {"next": "/lawyer/"})
    assert response.status_code == 302 and response["Location"] == "/lawyer/"
    case.designation.refresh_from_db()
    assert case.designation.status == "accepted"
    elsewhere = login(case.user).post(f"/assignments/mine/{case.designation.pk}/accept/",
                                      {"next": "https://evil.example/lawyer/"})
    assert elsewhere["Location"] == "/assignments/mine/"


def test_other_roles_do_not_use_the_portal(world, case):
    assert login(world.staff).get("/lawyer/").status_code == 403
    assert login(world.court_user).get(f"/lawyer/cases/{case.notice.pk}/").status_code == 403
    assert Client().get("/lawyer/").status_code == 302


# --- The case page -----------------------------------------------------------------------------------------

def test_the_case_page_shows_the_notice_the_courts_contact_documents_and_deadlines(world, case):
    from cases.services import document_upload

    document = document_upload(notice=case.notice, kind="indictment", actor=world.court_user, max_bytes=10 ** 7,
                               upload=SimpleUploadedFile("起诉书.pdf", PDF))
    client = login(case.user)
    response = client.get(f"/lawyer/cases/{case.notice.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "张某某" in html and 'href="tel:0396-1234567"' in html and "第三审判庭" in html
    assert "驻马店市看守所" in html  # where to meet the defendant
    assert case.notice.defendant.id_number not in html
    assert f"/lawyer/cases/{case.notice.pk}/documents/{document.pk}/" in html
    assert 'data-rule="lawyer_file_papers"' in html and 'data-kind="meeting"' in html
    download = client.get(f"/lawyer/cases/{case.notice.pk}/documents/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    stranger = login(f.lawyer(world, account=True).user)
    assert stranger.get(f"/lawyer/cases/{case.notice.pk}/documents/{document.pk}/").status_code == 404
    assert Document.objects.count() == 1


def test_a_case_that_is_not_the_lawyers_is_404(world, case):
    stranger = login(f.lawyer(world, account=True).user)
    assert stranger.get(f"/lawyer/cases/{case.notice.pk}/").status_code == 404
    assert stranger.get(f"/lawyer/cases/{case.notice.pk}/log/meeting/").status_code == 404
    response = stranger.post(f"/lawyer/cases/{case.notice.pk}/log/meeting/",
                             {"started_at": local(at(case, days=2)), **MEETING})
    assert response.status_code == 404 and not WorkLogEntry.objects.exists()


def test_the_case_page_has_a_fixed_number_of_queries(world, case):
    client = login(case.user)
    api = token_client(case.user)
    url = f"/lawyer/cases/{case.notice.pk}/"
    client.get(url)

    def count(n):
        have = WorkLogEntry.objects.filter(notice=case.notice).count()
        for i in range(have, n):
            response = log_files(api, case.notice, "meeting", [("笔录.pdf", PDF)],
                                 started_at=iso(at(case, hours=2 + i)), **{**MEETING, "duration_minutes": 30})
            assert response.status_code == 201, response.content
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200 and len(response.context["entries"]) == n
        return len(ctx)

    assert count(5) == count(50)


# --- Logging through the pages -------------------------------------------------------------------------------

def test_the_lawyer_logs_a_meeting_in_beijing_time(case):
    client = login(case.user)
    form = client.get(f"/lawyer/cases/{case.notice.pk}/log/meeting/")
    assert form.status_code == 200 and 'type="datetime-local"' in form.content.decode()
    start = at(case, days=2).replace(second=0)
    response = client.post(f"/lawyer/cases/{case.notice.pk}/log/meeting/",
                           {"started_at": local(start), **MEETING})
    assert response.status_code == 302 and response["Location"] == f"/lawyer/cases/{case.notice.pk}/#work"
    entry = WorkLogEntry.objects.get(notice=case.notice)
    assert entry.started_at == start and entry.duration_minutes == 60 and entry.mode == "in_person"
    html = client.get(f"/lawyer/cases/{case.notice.pk}/").content.decode()
    assert f'data-entry="{entry.pk}"' in html and MEETING["notes"] in html


@pytest.mark.parametrize("start, code", [
    (lambda case: case.start - dt.timedelta(days=1), "before_designation"),
    (lambda case: clock.now() + dt.timedelta(days=1), "future_time")])
def test_a_meeting_at_a_wrong_time_is_refused_on_the_page(case, start, code):
    response = login(case.user).post(f"/lawyer/cases/{case.notice.pk}/log/meeting/",
                                     {"started_at": local(start(case)), **MEETING})
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()["started_at"]
    assert [e.code for e in errors] == [code]
    assert 'data-error-for="started_at"' in response.content.decode()
    assert not WorkLogEntry.objects.exists()


def test_a_missing_meeting_record_is_refused_on_the_page(case):
    response = login(case.user).post(f"/lawyer/cases/{case.notice.pk}/log/meeting/",
                                     {"started_at": local(at(case, days=2)), **{**MEETING, "notes": ""}})
    assert response.status_code == 400 and response.context["form"].errors.as_data()["notes"][0].code == "required"
    assert not WorkLogEntry.objects.exists()


def test_the_lawyer_uploads_an_opinion_and_a_wrong_file_is_refused(case, uploads):
    client = login(case.user)
    url = f"/lawyer/cases/{case.notice.pk}/log/written_opinion/"
    bad = client.post(url, {"started_at": local(at(case, days=3)), "files": SimpleUploadedFile("意见.pdf", ELF)})
    assert bad.status_code == 415 and bad.context["form"].errors.as_data()["files"][0].code == "unsupported_media_type"
    assert not WorkLogEntry.objects.exists() and not WorkDocument.objects.exists()
    ok = client.post(url, {"started_at": local(at(case, days=3)), "notes": "无罪辩护",
                           "files": SimpleUploadedFile("辩护意见.pdf", PDF)})
    assert ok.status_code == 302
    document = WorkDocument.objects.get()
    download = client.get(f"/work/files/{case.notice.pk}/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_work_files_are_the_defences(world, case):
    response = log_files(token_client(case.user), case.notice, "written_opinion", [("意见.pdf", PDF)],
                         started_at=iso(at(case, days=3)))
    url = f"/work/files/{case.notice.pk}/{response.json()['documents'][0]['id']}/"
    assert login(world.staff).get(url).status_code == 200
    assert login(world.court_user).get(url).status_code == 404
    assert login(world.outsider).get(url).status_code == 404
    assert login(f.lawyer(world, account=True).user).get(url).status_code == 404
    api = token_client(world.court_user).get(f"/api/v1/notices/{case.notice.pk}/work-documents/"
                                             f"{response.json()['documents'][0]['id']}/")
    assert api.status_code == 404


def test_the_lawyer_corrects_an_entry_on_the_page(case):
    entry_id = log(token_client(case.user), case.notice, "meeting", started_at=iso(at(case, days=2)),
                   **MEETING).json()["id"]
    client = login(case.user)
    form = client.get(f"/work/entries/{entry_id}/edit/")
    assert form.status_code == 200 and 'value="60"' in form.content.decode()
    response = client.post(f"/work/entries/{entry_id}/edit/", {
        "started_at": local(at(case, days=2)), "duration_minutes": "45", "place": "驻马店市看守所", "mode": "video",
        "notes": MEETING["notes"]})
    assert response.status_code == 302
    entry = WorkLogEntry.objects.get(pk=entry_id)
    assert entry.duration_minutes == 45 and entry.mode == "video"


# --- Closing on the pages --------------------------------------------------------------------------------

def test_closing_without_the_opinion_is_refused_on_the_page_with_the_list(case, court_client):
    api = token_client(case.user)
    log(api, case.notice, "meeting", started_at=iso(at(case, days=1)), **MEETING)
    log(api, case.notice, "file_review", started_at=iso(at(case, days=2)), **FILE_REVIEW)
    log(api, case.notice, "hearing", started_at=iso(at(case, days=4)), ended_at=iso(at(case, days=4, hours=2)),
        whole_hearing=True)
    client = login(case.user)
    response = client.post(f"/lawyer/cases/{case.notice.pk}/closing/", {
        "summary": "结案", "judgment": SimpleUploadedFile("判决书.pdf", PDF)})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-missing="written_opinion"' in html and 'data-missing="meeting"' not in html
    assert not Closing.objects.exists()


def test_staff_see_the_work_and_accept_the_closing_on_the_notice_page(world, case, court_client):
    api = token_client(case.user)
    log(api, case.notice, "meeting", started_at=iso(at(case, days=1)), **MEETING)
    log(api, case.notice, "file_review", started_at=iso(at(case, days=2)), **FILE_REVIEW)
    log(api, case.notice, "hearing", started_at=iso(at(case, days=4)), ended_at=iso(at(case, days=4, hours=2)),
        whole_hearing=True)
    log_files(api, case.notice, "written_opinion", [("辩护意见.pdf", PDF)], started_at=iso(at(case, days=3)))
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", {
        "type": "judgment", "pronounced_on": "2026-11-20", "outcome": "缓刑", "defense_opinion_adopted": "full"})
    assert login(case.user).post(f"/lawyer/cases/{case.notice.pk}/closing/", {"summary": "结案"}).status_code == 302
    staff = login(world.staff)
    html = staff.get(f"/notices/{case.notice.pk}/").content.decode()
    for kind in ("meeting", "file_review", "hearing", "written_opinion"):
        assert f'data-kind="{kind}"' in html
    assert "辩护意见.pdf" in html and 'data-closing="submitted"' in html and 'id="closing-accept"' in html
    assert 'data-feedback="judgment"' in html
    response = staff.post(f"/notices/{case.notice.pk}/closing/accept/", {"note": ""})
    assert response.status_code == 302
    case.notice.refresh_from_db()
    assert case.notice.status == "closed"
    assert 'data-closing="accepted"' in staff.get(f"/notices/{case.notice.pk}/").content.decode()
    assert login(world.auditor).post(f"/notices/{case.notice.pk}/closing/return/", {"note": "x"}).status_code == 403


def test_the_staff_page_has_a_fixed_number_of_queries_whatever_the_work_log(world, case):
    api = token_client(case.user)
    staff = login(world.staff)
    url = f"/notices/{case.notice.pk}/"

    def count(n):
        for i in range(WorkLogEntry.objects.count(), n):
            log_files(api, case.notice, "meeting", [("笔录.pdf", PDF)], started_at=iso(at(case, hours=2 + i)),
                      **{**MEETING, "duration_minutes": 30})
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get(url).status_code == 200
        return len(ctx)

    # The case log grows with the entries (one event each) but in the same number of queries.
    assert count(5) == count(50)


# --- Complaints --------------------------------------------------------------------------------------------

def test_a_supervisor_answers_a_complaint_on_the_complaints_page(world, case):
    entry_id = log(token_client(case.user), case.notice, "obstruction_complaint", started_at=iso(at(case, days=1)),
                   obstructed_right="file_review", obstructed_by="驿城区人民法院", subject="拒绝复制证据材料").json()["id"]
    page = login(world.supervisor).get("/work/complaints/")
    assert page.status_code == 200 and f'data-entry="{entry_id}"' in page.content.decode()
    assert login(world.outsider).get("/work/complaints/").context["complaints"] == []
    refused = login(world.staff).post(f"/work/entries/{entry_id}/answer/", {"answer": "已处理"})
    assert refused.status_code == 302 and WorkLogEntry.objects.get(pk=entry_id).status == "awaiting"
    response = login(world.supervisor).post(f"/work/entries/{entry_id}/answer/",
                                            {"answer": "已函告法院，准予复制。", "back": "/work/complaints/"})
    assert response.status_code == 302 and response["Location"] == "/work/complaints/"
    assert WorkLogEntry.objects.get(pk=entry_id).status == "answered"
    assert NoticeEvent.objects.filter(code="complaint_answered").count() == 1


def test_a_supervisor_corrects_a_closed_cases_entry_on_the_page(world, case):
    entry_id = log(token_client(case.user), case.notice, "meeting", started_at=iso(at(case, days=2)),
                   **MEETING).json()["id"]
    from cases.models import Notice

    Notice.objects.filter(pk=case.notice.pk).update(status="closed")
    assert login(case.user).post(f"/work/entries/{entry_id}/edit/", {
        "started_at": local(at(case, days=2)), "duration_minutes": "45", "place": "x", "mode": "video",
        "notes": "y"}).status_code == 403
    supervisor = login(world.supervisor)
    form = supervisor.get(f"/work/entries/{entry_id}/edit/")
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    body = {"started_at": local(at(case, days=2)), "duration_minutes": "60", "place": "驻马店市看守所",
            "mode": "in_person", "notes": "更正后的笔录"}
    no_reason = supervisor.post(f"/work/entries/{entry_id}/edit/", body)
    assert no_reason.status_code == 400 and WorkLogEntry.objects.get(pk=entry_id).notes == MEETING["notes"]
    ok = supervisor.post(f"/work/entries/{entry_id}/edit/", {**body, "reason": "笔录誊写有误"})
    assert ok.status_code == 302 and WorkLogEntry.objects.get(pk=entry_id).notes == "更正后的笔录"


def test_the_api_case_view_matches_the_page(world, case):
    services.work_entry_log(notice=case.notice, kind="papers_filed", values={"started_at": at(case, hours=3)},
                            actor=case.user)
    body = token_client(case.user).get(f"/api/v1/lawyer/cases/{case.notice.pk}/").json()
    assert body["court"]["judge"] == "张某某" and body["custody"]["place"] == "驻马店市看守所"
    assert [e["kind"] for e in body["entries"]] == ["papers_filed"]
    assert {d["code"] for d in body["duties"]} >= {"meeting", "written_opinion"}
    assert token_client(world.staff).get(f"/api/v1/lawyer/cases/{case.notice.pk}/").status_code == 403
    assert token_client(f.lawyer(world, account=True).user).get(
        f"/api/v1/lawyer/cases/{case.notice.pk}/").status_code == 404
    listed = token_client(case.user).get("/api/v1/lawyer/cases/").json()
    assert [c["id"] for c in listed] == [str(case.notice.pk)] and listed[0]["stage"] == "working"
    assert listed[0]["next_deadline"] is None  # the papers are filed; the court's clocks are past


def test_no_lawyer_page_has_inline_script_or_style(world, case):
    from tests.test_pages_layout import assert_no_inline_code

    entry_id = log(token_client(case.user), case.notice, "obstruction_complaint", started_at=iso(at(case, days=1)),
                   obstructed_right="meeting", obstructed_by="看守所", subject="拒绝会见").json()["id"]
    client = login(case.user)
    for path in ("/lawyer/", f"/lawyer/cases/{case.notice.pk}/", f"/lawyer/cases/{case.notice.pk}/log/hearing/",
                 f"/lawyer/cases/{case.notice.pk}/closing/"):
        assert_no_inline_code(client.get(path))
    assert_no_inline_code(client.post(f"/lawyer/cases/{case.notice.pk}/closing/", {"summary": "x"}))
    supervisor = login(world.supervisor)
    for path in ("/work/complaints/", f"/notices/{case.notice.pk}/"):
        assert_no_inline_code(supervisor.get(path))
    html = supervisor.get(f"/notices/{case.notice.pk}/").content.decode()
    assert f'class="form complaint-answer" data-entry="{entry_id}"' in html
