"""The lawyer's API around the work log: who reads what (the work log is the defence's: courts see
only the lawyer's requests to them), the lawyer's list and documents, and the closing's 404."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.tests import factories as f
from assignments.tests.work import MEETING, PDF, at, designated_case, iso, log
from cases.services import document_upload
from conftest import token_client
from legalaid import clock

pytestmark = pytest.mark.usefixtures("uploads")


@pytest.fixture
def case(world):
    return designated_case(world)


def test_the_work_log_is_read_by_its_lawyer_and_the_agency_not_the_court(world, case):
    lawyer = token_client(case.user)
    log(lawyer, case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING)
    log(lawyer, case.notice, "evidence_request", started_at=iso(at(case, days=3)), subject="调取监控录像")
    url = f"/api/v1/notices/{case.notice.pk}/work/"
    assert [e["kind"] for e in lawyer.get(url).json()] == ["evidence_request", "meeting"]
    assert len(token_client(world.staff).get(url).json()) == 2
    assert len(token_client(world.city_staff).get(url).json()) == 2  # the city centre oversees the county
    assert token_client(world.court_user).get(url).status_code == 403
    assert token_client(world.outsider).get(url).status_code == 404
    assert token_client(world.court_user).get(f"/api/v1/notices/{case.notice.pk}/feedback/").status_code == 403
    requests = token_client(world.court_user).get(f"/api/v1/notices/{case.notice.pk}/court-requests/").json()
    assert [r["kind"] for r in requests] == ["evidence_request"]
    assert token_client(world.other_court_user).get(
        f"/api/v1/notices/{case.notice.pk}/court-requests/").status_code == 404


def test_a_replaced_lawyer_keeps_their_own_log_but_not_the_successors(world, case):
    from assignments.services import designation_replace

    log(token_client(case.user), case.notice, "meeting", started_at=iso(at(case, days=2)), **MEETING)
    successor = f.lawyer(world, account=True)
    designation_replace(notice=case.notice, lawyer=successor, ground="lawyer_unable", note="调离", actor=world.staff,
                        reason="接替")
    from assignments.models import Designation
    from assignments.services import designation_accept

    designation_accept(designation=Designation.objects.get(notice=case.notice, lawyer=successor),
                       actor=successor.user)
    assert log(token_client(successor.user), case.notice, "papers_filed",
               started_at=iso(clock.now())).status_code == 201
    url = f"/api/v1/notices/{case.notice.pk}/work/"
    assert [e["kind"] for e in token_client(case.user).get(url).json()] == ["meeting"]
    assert [e["kind"] for e in token_client(successor.user).get(url).json()] == ["papers_filed"]
    # The replaced lawyer's case view no longer shows where the defendant is held, nor the documents.
    detail = token_client(case.user).get(f"/api/v1/lawyer/cases/{case.notice.pk}/").json()
    assert detail["custody"] is None and detail["documents"] == [] and detail["designation"]["status"] == "ended"
    past = token_client(case.user).get("/api/v1/lawyer/cases/?past=true").json()
    assert [(c["id"], c["stage"]) for c in past] == [(str(case.notice.pk), "ended")]


def test_court_documents_reach_the_designated_lawyer_only(world, case):
    document = document_upload(notice=case.notice, kind="indictment", actor=world.court_user, max_bytes=10 ** 7,
                               upload=SimpleUploadedFile("起诉书.pdf", PDF))
    url = f"/api/v1/lawyer/cases/{case.notice.pk}/documents/{document.pk}/"
    response = token_client(case.user).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert token_client(f.lawyer(world, account=True).user).get(url).status_code == 404
    assert token_client(world.staff).get(url).status_code == 403


def test_a_notice_without_a_closing_has_none_to_read_or_review(world, case):
    assert token_client(case.user).get(f"/api/v1/notices/{case.notice.pk}/closing/").status_code == 404
    response = token_client(world.staff).post(f"/api/v1/notices/{case.notice.pk}/closing/accept/", {}, format="json")
    assert response.status_code == 404
