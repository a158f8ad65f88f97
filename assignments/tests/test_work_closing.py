"""POST /api/v1/notices/<id>/closing/ and its review — the lawyer closes with the closing report,
the system checks the duties of M 20 and refuses with the list of what is missing; staff accept (the
notice is closed, the designation ends, the grade and subsidy follow) or return; after acceptance only a
supervisor edits, with a reason, in the history."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.models import Closing, Designation, WorkDocument, WorkLogEntry
from assignments.tests import factories as f
from assignments.tests.work import FILE_REVIEW, MEETING, PDF, at, codes, designated_case, iso, log, log_files, post
from assignments.work import services
from cases.deadlines.models import Deadline
from cases.models import Notice, NoticeEvent
from conftest import token_client
from legalaid import hooks
from notifications.models import Message

pytestmark = pytest.mark.usefixtures("uploads")

JUDGMENT = {"type": "judgment", "pronounced_on": "2026-11-20", "outcome": "判处有期徒刑一年",
            "defense_opinion_adopted": "full"}


# Receivers the tests add after the declared ones (legalaid/hooks.py, `closing_accepted`).
SEEN = []


def record(**kwargs):
    SEEN.append(kwargs)


def broken(**kwargs):
    raise RuntimeError("subsidy schedule missing")


@pytest.fixture
def closing_receiver(settings):
    """Add a receiver of accepted closings, by its dotted path, through the HOOKS setting."""
    SEEN.clear()

    def add(path):
        settings.HOOKS = {"closing_accepted": (*hooks.TABLE["closing_accepted"], path)}

    return add


@pytest.fixture
def case(world):
    return designated_case(world)


@pytest.fixture
def lawyer_client(case):
    return token_client(case.user)


def do_the_work(case, client, *, meeting=True, file_review=True, hearing=True, whole=True, opinion=True):
    if meeting:
        assert log(client, case.notice, "meeting", started_at=iso(at(case, days=1)), **MEETING).status_code == 201
    if file_review:
        assert log(client, case.notice, "file_review", started_at=iso(at(case, days=2)),
                   **FILE_REVIEW).status_code == 201
    if hearing:
        body = {"started_at": iso(at(case, days=5)), "ended_at": iso(at(case, days=5, hours=2)),
                "whole_hearing": whole}
        if not whole:
            body["absence_reason"] = "中途离庭"
        assert log(client, case.notice, "hearing", **body).status_code == 201
    if opinion:
        assert log_files(client, case.notice, "written_opinion", [("辩护意见.pdf", PDF)],
                         started_at=iso(at(case, days=4))).status_code == 201


def submit(client, notice, summary="本案已审结，辩护意见被采纳。", **files):
    data = {"summary": summary, **files}
    return client.post(f"/api/v1/notices/{notice.pk}/closing/", data, format="multipart")


def nothing_closed(case):
    case.notice.refresh_from_db()
    return (not Closing.objects.filter(notice=case.notice).exists() and case.notice.status == Notice.Status.ASSIGNED
            and not NoticeEvent.objects.filter(notice=case.notice, code="closing_submitted").exists())


# --- Refused with the list of what is missing ------------------------------------------------------------

def test_closing_without_a_written_opinion_is_refused_with_the_list(case, lawyer_client, court_client):
    do_the_work(case, lawyer_client, opinion=False)
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    response = submit(lawyer_client, case.notice)
    assert response.status_code == 409 and codes(response) == {"duties_missing"}
    assert response.json()["missing"] == ["written_opinion"]
    assert nothing_closed(case)


def test_closing_without_any_meeting_is_refused_with_the_list(case, lawyer_client, court_client):
    do_the_work(case, lawyer_client, meeting=False)
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    response = submit(lawyer_client, case.notice, materials=[SimpleUploadedFile("结案报告.pdf", PDF)])
    assert response.status_code == 409 and response.json()["missing"] == ["meeting"]
    assert nothing_closed(case) and not WorkDocument.objects.filter(closing__isnull=False).exists()


def test_closing_with_nothing_done_lists_every_duty(case, lawyer_client):
    response = submit(lawyer_client, case.notice)
    assert response.status_code == 409
    assert response.json()["missing"] == ["meeting", "file_review", "hearing_in_full", "written_opinion", "judgment"]
    assert nothing_closed(case)


def test_a_hearing_not_attended_in_full_is_missing(case, lawyer_client, court_client):
    do_the_work(case, lawyer_client, whole=False)
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    response = submit(lawyer_client, case.notice)
    assert response.status_code == 409 and response.json()["missing"] == ["hearing_in_full"]


def test_when_the_court_did_not_hear_the_case_no_hearing_is_asked_for(case, lawyer_client, court_client):
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", {"type": "not_heard", "notified_on": "2026-11-14"})
    do_the_work(case, lawyer_client, hearing=False)
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    response = submit(lawyer_client, case.notice)
    assert response.status_code == 201, response.content
    duties = {d["code"]: d["met"] for d in response.json()["duties"]}
    assert duties["hearing_in_full"] is None and duties["written_opinion"] is True


def test_the_judgment_may_be_attached_when_the_court_did_not_report_it(case, lawyer_client):
    do_the_work(case, lawyer_client)
    refused = submit(lawyer_client, case.notice)
    assert refused.status_code == 409 and refused.json()["missing"] == ["judgment"]
    response = submit(lawyer_client, case.notice, judgment=SimpleUploadedFile("判决书.pdf", PDF),
                      materials=[SimpleUploadedFile("结案报告.pdf", PDF)])
    assert response.status_code == 201, response.content
    assert sorted(d["kind"] for d in response.json()["documents"]) == ["closing_material", "judgment"]


def test_only_the_designated_lawyer_closes(world, case, lawyer_client):
    do_the_work(case, lawyer_client)
    assert submit(token_client(world.staff), case.notice).status_code == 403
    assert submit(token_client(f.lawyer(world, account=True).user), case.notice).status_code == 404
    assert nothing_closed(case)


def test_the_closing_report_is_required(case, lawyer_client):
    response = submit(lawyer_client, case.notice, summary="")
    assert response.status_code == 400 and codes(response) == {"required"}
    assert nothing_closed(case)


# --- Review ------------------------------------------------------------------------------------------------

@pytest.fixture
def submitted(world, case, lawyer_client, court_client):
    do_the_work(case, lawyer_client)
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    response = submit(lawyer_client, case.notice)
    assert response.status_code == 201, response.content
    return Closing.objects.get(notice=case.notice)


def test_a_submitted_closing_records_the_check_and_tells_the_staff(world, case, submitted):
    assert submitted.status == "submitted" and all(d["met"] for d in submitted.duties)
    assert [d["code"] for d in submitted.duties] == ["meeting", "file_review", "hearing_in_full", "written_opinion",
                                                     "judgment"]
    assert Message.objects.filter(recipient=world.staff, kind="closing_submitted").exists()
    again = submit(token_client(case.user), case.notice)
    assert again.status_code == 409 and codes(again) == {"closing_under_review"}


def test_staff_accept_the_closing_and_the_notice_is_closed(world, case, submitted, closing_receiver):
    seen = SEEN
    closing_receiver("assignments.tests.test_work_closing.record")
    response = post(token_client(world.staff), f"/api/v1/notices/{case.notice.pk}/closing/accept/",
                    {"note": "材料齐全"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    case.notice.refresh_from_db()
    assert case.notice.status == Notice.Status.CLOSED and case.notice.closed_at
    transition = NoticeEvent.objects.get(notice=case.notice, code="closing_accepted")
    assert transition.from_status == "assigned" and transition.to_status == "closed" and transition.actor == world.staff
    designation = Designation.objects.get(pk=case.designation.pk)
    assert designation.status == "ended" and designation.end_reason == "closed"
    assert not Deadline.objects.filter(notice=case.notice, status__in=["open", "breached"]).exists()
    assert len(seen) == 1 and seen[0]["closing"].pk == submitted.pk and seen[0]["actor"] == world.staff
    assert Message.objects.filter(recipient=case.user, kind="closing_accepted").exists()
    # The lawyer still sees the case, as a past one, and logs nothing more on it.
    listed = token_client(case.user).get("/api/v1/lawyer/cases/?past=true").json()
    assert [(c["id"], c["stage"]) for c in listed] == [(str(case.notice.pk), "closed")]
    late = log(token_client(case.user), case.notice, "meeting", started_at=iso(at(case, days=3)), **MEETING)
    assert late.status_code == 409 and codes(late) == {"notice_not_open"}


def test_a_hook_that_fails_rolls_the_acceptance_back(world, case, submitted, closing_receiver):
    closing_receiver("assignments.tests.test_work_closing.broken")
    with pytest.raises(RuntimeError):
        services.closing_accept(closing=submitted, actor=world.staff)
    submitted.refresh_from_db()
    case.notice.refresh_from_db()
    assert submitted.status == "submitted" and case.notice.status == "assigned"


def test_the_lawyer_and_auditors_cannot_accept(world, case, submitted):
    for user in (case.user, world.auditor):
        response = post(token_client(user), f"/api/v1/notices/{case.notice.pk}/closing/accept/")
        assert response.status_code == 403, user
    assert post(token_client(world.outsider), f"/api/v1/notices/{case.notice.pk}/closing/accept/").status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_staff_return_the_closing_and_the_lawyer_resubmits(world, case, submitted):
    staff = token_client(world.staff)
    no_note = post(staff, f"/api/v1/notices/{case.notice.pk}/closing/return/", {"note": ""})
    assert no_note.status_code == 400 and codes(no_note) == {"required"}
    response = post(staff, f"/api/v1/notices/{case.notice.pk}/closing/return/", {"note": "请补充会见笔录扫描件"})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert Message.objects.filter(recipient=case.user, kind="closing_returned").exists()
    assert post(staff, f"/api/v1/notices/{case.notice.pk}/closing/accept/").status_code == 409
    again = submit(token_client(case.user), case.notice, summary="已补充")
    assert again.status_code == 201 and again.json()["status"] == "submitted"
    assert Closing.objects.get(notice=case.notice).history.count() >= 3


def test_after_acceptance_only_a_supervisor_corrects_the_work_log_with_a_reason(world, case, submitted):
    services.closing_accept(closing=submitted, actor=world.staff)
    entry = WorkLogEntry.objects.get(notice=case.notice, kind="meeting")
    url = f"/api/v1/work-entries/{entry.pk}/"
    lawyer = token_client(case.user).patch(url, {"notes": "改"}, format="json")
    assert lawyer.status_code == 403 and codes(lawyer) == {"closed_needs_supervisor"}
    staff = token_client(world.staff).patch(url, {"notes": "改", "reason": "x"}, format="json")
    assert staff.status_code == 403
    supervisor = token_client(world.supervisor)
    no_reason = supervisor.patch(url, {"notes": "改"}, format="json")
    assert no_reason.status_code == 400 and codes(no_reason) == {"reason_required"}
    entry.refresh_from_db()
    assert entry.notes == MEETING["notes"] and entry.history.count() == 1
    ok = supervisor.patch(url, {"notes": "会见笔录（更正错别字）", "reason": "更正笔录中的错别字"}, format="json")
    assert ok.status_code == 200, ok.content
    entry.refresh_from_db()
    assert entry.notes == "会见笔录（更正错别字）" and entry.history.first().history_user == world.supervisor
    event = NoticeEvent.objects.get(notice=case.notice, code="work_updated")
    assert event.actor == world.supervisor and event.data["reason"] == "更正笔录中的错别字"


def test_a_supervisor_amends_an_accepted_closing(world, case, submitted):
    url = f"/api/v1/notices/{case.notice.pk}/closing/amend/"
    early = post(token_client(world.supervisor), url, {"summary": "新", "reason": "补充"})
    assert early.status_code == 409 and codes(early) == {"closing_not_accepted"}
    services.closing_accept(closing=submitted, actor=world.staff)
    assert post(token_client(world.staff), url, {"summary": "新", "reason": "补充"}).status_code == 403
    response = post(token_client(world.supervisor), url, {"summary": "结案报告（补充庭审情况）", "reason": "补充"})
    assert response.status_code == 200 and response.json()["summary"] == "结案报告（补充庭审情况）"
    assert NoticeEvent.objects.filter(notice=case.notice, code="closing_amended", actor=world.supervisor).exists()


def test_a_closing_by_a_lawyer_since_replaced_cannot_be_accepted(world, case, submitted):
    from assignments.services import designation_replace

    designation_replace(notice=case.notice, lawyer=f.lawyer(world, account=True), ground="lawyer_unable",
                        note="调离", actor=world.staff, reason="接替")
    response = post(token_client(world.staff), f"/api/v1/notices/{case.notice.pk}/closing/accept/")
    assert response.status_code == 409 and codes(response) == {"closing_designation_ended"}
    case.notice.refresh_from_db()
    assert case.notice.status == "assigned"
