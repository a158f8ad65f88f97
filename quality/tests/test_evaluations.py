"""POST/GET /api/v1/notices/<id>/evaluations/ — evaluations from several sources, each by its own
role; a score outside its scale and a role that may not give the kind are refused and change
nothing; outside the author's scope the notice is 404; every evaluation recomputes the grade."""
import pytest

from assignments.tests.work import codes, designated_case, fields, post
from cases.tests.factories import UserFactory
from conftest import token_client
from legalaid.models import Role
from quality.models import CaseGrade, Evaluation
from quality.tests.helpers import case, evaluator, work  # noqa: F401

pytestmark = pytest.mark.usefixtures("uploads")

OBSERVATION = {"kind": "hearing_observation", "score": 88, "comments": "辩护意见条理清晰，质证充分。"}


def url(notice):
    return f"/api/v1/notices/{notice.pk}/evaluations/"


def nothing_stored(case):
    return not Evaluation.objects.filter(notice=case.notice).exists() and not CaseGrade.objects.exists()


def test_it_records_an_evaluators_hearing_observation_and_grades_the_case(world, case):
    work(case)
    response = post(token_client(evaluator(world)), url(case.notice), OBSERVATION)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "hearing_observation" and body["score"] == 88 and body["author"] == "钱评估"
    grade = CaseGrade.objects.get(designation=case.designation)
    # Standard: five of six items met (closing missing) = 83.33; 83.33 × 0.6 + 88 × 0.4 = 85.20.
    assert str(grade.score) == "85.20" and grade.grade == "good"
    assert grade.details["formula"]["evaluated"] == "88.00"


@pytest.mark.parametrize("score", [101, -1, 55.5, "很好"])
def test_it_refuses_a_score_outside_its_scale(world, case, score):
    response = post(token_client(world.staff), url(case.notice), dict(OBSERVATION, score=score))
    assert response.status_code == 400 and fields(response) == {"score"}
    assert nothing_stored(case)


def test_it_refuses_satisfaction_outside_one_to_five(world, case):
    body = {"kind": "client_follow_up", "score": 80, "reached": True, "satisfaction": 6}
    response = post(token_client(world.staff), url(case.notice), body)
    assert response.status_code == 400 and fields(response) == {"satisfaction"}
    assert nothing_stored(case)


def test_a_follow_up_needs_to_say_whether_the_client_was_reached(world, case):
    response = post(token_client(world.staff), url(case.notice), {"kind": "client_follow_up", "score": 80})
    assert response.status_code == 400 and fields(response) == {"reached"}
    assert nothing_stored(case)


def test_a_follow_up_records_reach_satisfaction_and_complaint(world, case):
    body = {"kind": "client_follow_up", "score": 60, "reached": True, "satisfaction": 3,
            "complaint": "律师会见次数少。"}
    response = post(token_client(world.staff), url(case.notice), body)
    assert response.status_code == 201
    evaluation = Evaluation.objects.get()
    assert (evaluation.reached, evaluation.satisfaction, evaluation.complaint) == (True, 3, "律师会见次数少。")


@pytest.mark.parametrize("role, kind", [
    ("evaluator", "client_follow_up"),
    ("evaluator", "file_check"),
    ("staff", "peer_review"),
    ("supervisor", "peer_review"),
    ("auditor", "hearing_observation"),
])
def test_it_refuses_an_evaluation_by_a_role_that_may_not_give_it(world, case, role, kind):
    user = evaluator(world) if role == "evaluator" else getattr(world, role)
    response = post(token_client(user), url(case.notice), {"kind": kind, "score": 70})
    assert response.status_code == 403 and codes(response) == {"evaluation_role"}
    assert nothing_stored(case)


def test_nobody_posts_the_court_feedback_evaluation(world, case):
    response = post(token_client(world.admin), url(case.notice), {"kind": "court_feedback", "score": 100})
    assert response.status_code == 400 and fields(response) == {"kind"}
    assert nothing_stored(case)


def test_a_peer_review_is_the_evaluators(world, case):
    response = post(token_client(evaluator(world)), url(case.notice), {"kind": "peer_review", "score": 92})
    assert response.status_code == 201


def test_a_notice_outside_the_authors_scope_is_404(world):
    outsider_case = designated_case(world)
    response = post(token_client(world.outsider), url(outsider_case.notice), OBSERVATION)
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


def test_the_lawyer_and_the_court_may_not_evaluate(world, case):
    assert post(token_client(case.user), url(case.notice), OBSERVATION).status_code in (403, 404)
    assert post(token_client(world.court_user), url(case.notice), OBSERVATION).status_code in (403, 404)
    assert nothing_stored(case)


def test_a_notice_without_a_lawyer_who_took_it_up_is_409(world):
    from assignments.tests import factories as f

    notice = f.notice(world)
    response = post(token_client(world.staff), url(notice), OBSERVATION)
    assert response.status_code == 409 and codes(response) == {"no_designation"}
    assert not Evaluation.objects.exists()


def test_the_list_takes_a_fixed_number_of_queries(world, case, django_assert_num_queries):
    client = token_client(world.staff)
    for score in (70, 80):
        assert post(client, url(case.notice), dict(OBSERVATION, score=score)).status_code == 201
    supervisor = token_client(world.supervisor)
    supervisor.get(url(case.notice))  # the token's first use is recorded once
    with django_assert_num_queries(7):
        assert len(supervisor.get(url(case.notice)).json()) == 2
    assert post(client, url(case.notice), dict(OBSERVATION, score=90)).status_code == 201
    with django_assert_num_queries(7):
        assert len(supervisor.get(url(case.notice)).json()) == 3


def test_a_reached_client_needs_a_satisfaction(world, case):
    body = {"kind": "client_follow_up", "score": 80, "reached": True}
    response = post(token_client(world.staff), url(case.notice), body)
    assert response.status_code == 400 and fields(response) == {"satisfaction"}
    assert nothing_stored(case)


def test_an_unreached_client_needs_no_satisfaction(world, case):
    body = {"kind": "client_follow_up", "score": 40, "reached": False, "comments": "三次电话未接通"}
    assert post(token_client(world.staff), url(case.notice), body).status_code == 201
    assert Evaluation.objects.get().satisfaction is None


@pytest.mark.parametrize("extra, field", [({"satisfaction": 4}, "satisfaction"), ({"reached": True}, "reached")])
def test_only_a_follow_up_records_reach_and_satisfaction(world, case, extra, field):
    response = post(token_client(world.staff), url(case.notice), dict(OBSERVATION, **extra))
    assert response.status_code == 400 and fields(response) == {field} and codes(response) == {"not_for_kind"}
    assert nothing_stored(case)


def test_the_same_idempotency_key_records_one_evaluation(world, case):
    client = token_client(world.staff)
    first = post(client, url(case.notice), OBSERVATION, HTTP_IDEMPOTENCY_KEY="obs-1")
    again = post(client, url(case.notice), OBSERVATION, HTTP_IDEMPOTENCY_KEY="obs-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Evaluation.objects.count() == 1


def test_a_change_of_grade_is_in_the_case_history(world, case):
    from cases.models import NoticeEvent

    client = token_client(world.staff)
    post(client, url(case.notice), dict(OBSERVATION, score=100))
    post(client, url(case.notice), dict(OBSERVATION, score=100))  # the same grade: no second event
    events = NoticeEvent.objects.filter(notice=case.notice, code="quality_graded")
    assert [(e.data["from"], e.data["to"]) for e in events] == [("", "fail")]
    assert NoticeEvent.objects.filter(notice=case.notice, code="quality_evaluated").count() == 2
