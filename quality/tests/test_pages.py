"""The quality pages: a case's quality (standard, evaluations, grade, the evaluation form), a
lawyer's record, suspension proposals, training and its yearly report, clients' complaints. Staff
pages in Chinese by default; fixed query counts; the bad value is refused and nothing changes."""
import datetime as dt

import pytest
from django.test import Client

from assignments.models import Suspension
from assignments.tests import factories as f
from assignments.tests.work import designated_case
from quality.models import CaseGrade, Complaint, Evaluation, SuspensionProposal, TrainingRecord
from quality.services import evaluation_create, training_record_add
from quality.tests.helpers import case, evaluator, work  # noqa: F401

pytestmark = pytest.mark.usefixtures("uploads")


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def page(notice):
    return f"/quality/notices/{notice.pk}/"


# --- A case's quality ----------------------------------------------------------------------------------

def test_the_case_page_shows_each_item_with_its_evidence_in_chinese(world, case):
    work(case)
    response = browser(world.staff).get(page(case.notice))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-item="met_defendant" data-status="met"' in html and 'data-item="closing" data-status="missing"' in html
    assert 'lang="zh-hans"' in html  # Chinese by default
    assert "/work/entries/" in html


def test_an_evaluator_records_a_hearing_observation_on_the_page(world, case):
    work(case)
    client = browser(evaluator(world))
    response = client.post(page(case.notice), {"kind": "hearing_observation", "score": "95", "comments": "表现良好"})
    assert response.status_code == 302
    assert CaseGrade.objects.get(designation=case.designation).grade == "good"
    assert 'data-kind="hearing_observation" data-score="95"' in client.get(page(case.notice)).content.decode()


def test_the_page_refuses_a_score_outside_its_scale(world, case):
    response = browser(world.staff).post(page(case.notice), {"kind": "file_check", "score": "150"})
    assert response.status_code == 400
    assert 'data-field="score"' in response.content.decode()
    assert not Evaluation.objects.exists() and not CaseGrade.objects.exists()


def test_the_form_offers_only_the_kinds_the_role_may_give(world, case):
    html = browser(evaluator(world)).get(page(case.notice)).content.decode()
    assert 'value="peer_review"' in html and 'value="file_check"' not in html
    response = browser(evaluator(world, username="ev2")).post(page(case.notice), {"kind": "file_check", "score": "80"})
    assert response.status_code == 403 and not Evaluation.objects.exists()
    html = browser(world.auditor).get(page(case.notice)).content.decode()
    assert 'id="evaluation-form"' not in html


def test_the_case_page_is_404_outside_the_scope_and_403_for_a_lawyer(world, case):
    assert browser(world.outsider).get(page(case.notice)).status_code == 404
    assert browser(case.user).get(page(case.notice)).status_code == 403


def test_the_case_page_has_a_fixed_number_of_queries(world, case, django_assert_num_queries):
    work(case)
    client = browser(world.supervisor)
    evaluation_create(notice=case.notice, kind="file_check", score=80, actor=world.staff)
    client.get(page(case.notice))
    with django_assert_num_queries(17) as ctx:
        client.get(page(case.notice))
    for score in (70, 60):
        evaluation_create(notice=case.notice, kind="hearing_observation", score=score, actor=world.staff)
    with django_assert_num_queries(len(ctx)):
        assert client.get(page(case.notice)).status_code == 200


# --- A lawyer's record, proposals -----------------------------------------------------------------------

def _two_fails(world, lawyer):
    for _ in range(2):
        c = designated_case(world, lawyer=lawyer)
        evaluation_create(notice=c.notice, kind="hearing_observation", score=10, actor=world.staff)


def test_the_lawyers_record_counts_grades_missed_duties_and_training(world, django_assert_num_queries):
    lawyer = f.lawyer(world, account=True)
    _two_fails(world, lawyer)
    training_record_add(lawyer=lawyer, course="刑事辩护实务", held_on=dt.date(2026, 3, 1), hours=3, actor=world.staff)
    client = browser(world.auditor)
    url = f"/quality/lawyers/{lawyer.pk}/"
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert 'data-grade-count="fail">2<' in html and 'id="missed-cases">2<' in html
    assert 'data-under="true">1 / 4' in html
    _two_fails(world, lawyer)
    training_record_add(lawyer=lawyer, course="量刑", held_on=dt.date(2026, 4, 1), hours=2, actor=world.staff)
    with django_assert_num_queries(10):
        assert 'data-grade-count="fail">4<' in client.get(url).content.decode()


def test_a_supervisor_confirms_a_proposal_on_the_page(world):
    lawyer = f.lawyer(world, account=True)
    _two_fails(world, lawyer)
    proposal = SuspensionProposal.objects.get()
    assert 'data-status="proposed"' in browser(world.supervisor).get("/quality/suspensions/").content.decode()
    response = browser(world.supervisor).post(f"/quality/suspensions/{proposal.pk}/confirm/",
                                              {"reason": "两次不合格", "starts_on": "2026-12-01"})
    assert response.status_code == 302
    assert Suspension.objects.get(lawyer=lawyer).reason == "两次不合格"


def test_staff_may_not_confirm_a_proposal(world):
    lawyer = f.lawyer(world, account=True)
    _two_fails(world, lawyer)
    proposal = SuspensionProposal.objects.get()
    response = browser(world.staff).post(f"/quality/suspensions/{proposal.pk}/confirm/",
                                         {"reason": "两次不合格", "starts_on": "2026-12-01"})
    assert response.status_code == 403
    assert not Suspension.objects.exists() and SuspensionProposal.objects.get().status == "proposed"


# --- Training ---------------------------------------------------------------------------------------------

def test_staff_record_training_and_the_report_lists_lawyers_under_the_minimum(world):
    keen, idle = f.lawyer(world, name="勤奋律师"), f.lawyer(world, name="懒散律师")
    client = browser(world.staff)
    for day in (1, 2, 3, 4):
        response = client.post("/quality/training/", {"licence_number": keen.licence_number, "course": "量刑规范化",
                                                      "held_on": f"2026-0{day}-10", "hours": "2.5",
                                                      "provider": "驻马店市律师协会"})
        assert response.status_code == 302
    html = client.get("/quality/training/?year=2026").content.decode()
    assert f'data-lawyer="{keen.pk}" data-under="false"' in html
    assert f'data-lawyer="{idle.pk}" data-under="true"' in html


@pytest.mark.parametrize("field, value", [("hours", "0"), ("hours", "101"), ("hours", "1.25"),
                                          ("held_on", "2099-01-01"), ("course", " "),
                                          ("licence_number", "00000000000000000")])
def test_a_training_record_with_a_bad_value_is_refused(world, field, value):
    lawyer = f.lawyer(world)
    body = {"licence_number": lawyer.licence_number, "course": "量刑规范化", "held_on": "2026-05-01", "hours": "2",
            field: value}
    response = browser(world.staff).post("/quality/training/", body)
    assert response.status_code == 400 and f'data-field="{field}"' in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_auditors_read_the_training_report_but_do_not_record(world):
    lawyer = f.lawyer(world)
    client = browser(world.auditor)
    assert client.get("/quality/training/").status_code == 200
    body = {"licence_number": lawyer.licence_number, "course": "x", "held_on": "2026-05-01", "hours": "2"}
    assert client.post("/quality/training/", body).status_code == 403
    assert not TrainingRecord.objects.exists()


def test_the_training_report_has_a_fixed_number_of_queries(world, django_assert_num_queries):
    client = browser(world.staff)
    f.lawyer(world)
    client.get("/quality/training/?year=2026")
    with django_assert_num_queries(6) as ctx:
        client.get("/quality/training/?year=2026")
    for _ in range(3):
        training_record_add(lawyer=f.lawyer(world), course="x", held_on=dt.date(2026, 5, 1), hours=1,
                            actor=world.staff)
    with django_assert_num_queries(len(ctx)):
        client.get("/quality/training/?year=2026")


# --- Complaints ---------------------------------------------------------------------------------------------

def test_a_complaint_goes_from_the_case_page_to_its_decision(world, case):
    client = browser(world.staff)
    response = client.post(f"/quality/notices/{case.notice.pk}/complaints/new/",
                           {"complainant": "李父", "relation": "family", "summary": "律师态度差。"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == f"/quality/complaints/{complaint.pk}/"
    assert client.post(f"/quality/complaints/{complaint.pk}/investigate/", {"note": "核实中"}).status_code == 302
    other = f.lawyer(world)
    client.post(f"/quality/complaints/{complaint.pk}/decide/",
                {"outcome": "upheld", "decision": "更换律师", "replace_licence": other.licence_number})
    complaint.refresh_from_db()
    assert complaint.status == "decided" and complaint.replacement.lawyer == other
    html = client.get("/quality/complaints/").content.decode()
    assert f'data-complaint="{complaint.pk}" data-status="decided"' in html
    assert client.get(f"/quality/complaints/{complaint.pk}/").status_code == 200
    assert browser(world.outsider).get(f"/quality/complaints/{complaint.pk}/").status_code == 404


def test_a_notice_without_a_lawyer_has_nothing_to_evaluate(world):
    notice = f.notice(world)
    response = browser(world.staff).get(page(notice))
    assert response.status_code == 200 and 'id="evaluation-form"' not in response.content.decode()


def test_the_notice_page_links_to_the_case_quality_page(world, case):
    html = browser(world.staff).get(f"/notices/{case.notice.pk}/").content.decode()
    assert f'href="/quality/notices/{case.notice.pk}/"' in html
