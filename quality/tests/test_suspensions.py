"""Consequences: a pattern of fails or missed duties in the window proposes a suspension; a
supervisor confirms it with reason and period, which suspends the lawyer, and the recommendation
then leaves out the lawyer who would otherwise rank first; or dismisses it."""
import datetime as dt

import pytest

from assignments.models import Suspension
from assignments.recommendation import recommend
from assignments.tests import factories as f
from assignments.tests.work import codes, designated_case, fields, post
from conftest import token_client
from legalaid import clock
from quality.models import SuspensionProposal
from quality.services import case_grade_recompute, evaluation_create
from quality.tests.helpers import work

pytestmark = pytest.mark.usefixtures("uploads")


def failed_case(world, lawyer):
    """A case designated to the lawyer where nothing was done and the hearing was watched: fail."""
    case = designated_case(world, lawyer=lawyer)
    evaluation_create(notice=case.notice, kind="hearing_observation", score=20, comments="未到庭", actor=world.staff)
    return case


@pytest.fixture
def star(world):
    """A lawyer who ranks first for the county's notices (same county), and a rival with as many cases."""
    star = f.lawyer(world, name="明星律师", since=dt.date(2024, 6, 1), account=True)
    rival = f.lawyer(world, name="外县律师", region=world.xiping, since=dt.date(2010, 1, 1), account=True)
    for _ in range(2):
        designated_case(world, lawyer=rival)
    return star


def test_two_fails_propose_a_suspension(world, star):
    failed_case(world, star)
    assert not SuspensionProposal.objects.exists()
    failed_case(world, star)
    proposal = SuspensionProposal.objects.get()
    assert proposal.lawyer == star and proposal.status == "proposed"
    assert proposal.pattern["fails"] == 2 and proposal.pattern["window_months"] == 12


def test_three_cases_with_a_missed_duty_propose_a_suspension(world):
    lawyer = f.lawyer(world, account=True)
    for _ in range(3):
        case = designated_case(world, lawyer=lawyer)
        work(case, opinion_day=None)  # no written opinion: a missed M 20 duty, but a pass
        assert case_grade_recompute(designation=case.designation).grade == "pass"
    proposal = SuspensionProposal.objects.get()
    assert proposal.pattern["missed_cases"] == 3 and proposal.pattern["fails"] == 0


def test_it_proposes_once_while_a_proposal_is_open(world, star):
    for _ in range(3):
        failed_case(world, star)
    assert SuspensionProposal.objects.count() == 1


def test_grades_outside_the_window_do_not_count(world, star):
    first = failed_case(world, star)
    from quality.models import CaseGrade

    CaseGrade.objects.filter(designation=first.designation).update(computed_at=clock.now() - dt.timedelta(days=400))
    failed_case(world, star)
    assert not SuspensionProposal.objects.exists()


def test_a_confirmed_proposal_removes_the_lawyer_from_the_recommendation(world, star):
    failed_case(world, star)
    failed_case(world, star)
    control = f.notice(world)
    assert recommend(notice=control).first.lawyer == star  # proposed only: still first
    proposal = SuspensionProposal.objects.get()
    today = clock.today()
    response = post(token_client(world.supervisor), f"/api/v1/suspension-proposals/{proposal.pk}/confirm/",
                    {"reason": "一年内两次质量评估不合格", "starts_on": today.isoformat(),
                     "ends_on": (today + dt.timedelta(days=90)).isoformat()})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed"
    suspension = Suspension.objects.get(lawyer=star)
    assert suspension.reason == "一年内两次质量评估不合格" and suspension.decided_by == world.supervisor
    rec = recommend(notice=f.notice(world))
    assert star.pk not in [c.lawyer.pk for c in rec.candidates]
    assert "suspended" in [x["code"] for c in rec.excluded if c.lawyer == star for x in c.failed]


def test_only_a_supervisor_confirms(world, star):
    failed_case(world, star)
    failed_case(world, star)
    proposal = SuspensionProposal.objects.get()
    body = {"reason": "不合格", "starts_on": clock.today().isoformat()}
    for user in (world.staff, world.auditor):
        response = post(token_client(user), f"/api/v1/suspension-proposals/{proposal.pk}/confirm/", body)
        assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and not Suspension.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"reason": "", "starts_on": "2026-12-01"}, "reason"),
    ({"reason": "不合格", "starts_on": "2026-12-01", "ends_on": "2026-11-01"}, "ends_on"),
])
def test_a_confirmation_needs_a_reason_and_a_period(world, star, body, field):
    failed_case(world, star)
    failed_case(world, star)
    proposal = SuspensionProposal.objects.get()
    response = post(token_client(world.supervisor), f"/api/v1/suspension-proposals/{proposal.pk}/confirm/", body)
    assert response.status_code == 400 and fields(response) == {field}
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and not Suspension.objects.exists()


def test_a_dismissed_proposal_suspends_nobody_and_cannot_be_confirmed_after(world, star):
    failed_case(world, star)
    failed_case(world, star)
    proposal = SuspensionProposal.objects.get()
    client = token_client(world.supervisor)
    response = post(client, f"/api/v1/suspension-proposals/{proposal.pk}/dismiss/", {"reason": "法院原因导致"})
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    response = post(client, f"/api/v1/suspension-proposals/{proposal.pk}/confirm/",
                    {"reason": "不合格", "starts_on": clock.today().isoformat()})
    assert response.status_code == 409 and codes(response) == {"proposal_decided"}
    assert not Suspension.objects.exists()
    assert recommend(notice=f.notice(world)).first.lawyer == star


def test_after_a_dismissal_a_new_fail_proposes_again(world, star):
    failed_case(world, star)
    failed_case(world, star)
    proposal = SuspensionProposal.objects.get()
    post(token_client(world.supervisor), f"/api/v1/suspension-proposals/{proposal.pk}/dismiss/", {"reason": "个案原因"})
    assert SuspensionProposal.objects.count() == 1  # the same grades do not propose again
    failed_case(world, star)
    assert SuspensionProposal.objects.filter(status="proposed").count() == 1
    assert SuspensionProposal.objects.count() == 2


def test_a_suspended_lawyer_is_not_proposed_again(world, star):
    from assignments.services.roster import lawyer_suspend

    cases = [designated_case(world, lawyer=star) for _ in range(2)]
    lawyer_suspend(lawyer=star, starts_on=clock.today(), reason="已暂停", actor=world.supervisor)
    for case in cases:
        evaluation_create(notice=case.notice, kind="hearing_observation", score=0, actor=world.staff)
    assert not SuspensionProposal.objects.exists()


def test_a_confirmation_needs_its_first_day_and_a_dismissal_its_reason(world, star):
    failed_case(world, star)
    failed_case(world, star)
    proposal = SuspensionProposal.objects.get()
    client = token_client(world.supervisor)
    response = post(client, f"/api/v1/suspension-proposals/{proposal.pk}/confirm/", {"reason": "不合格"})
    assert response.status_code == 400 and fields(response) == {"starts_on"}
    response = post(client, f"/api/v1/suspension-proposals/{proposal.pk}/dismiss/", {"reason": " "})
    assert response.status_code == 400 and fields(response) == {"reason"}
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and proposal.decided_by is None and not Suspension.objects.exists()


def test_the_supervisors_over_the_lawyer_are_told_of_a_proposal(world, star):
    """Supervisors of the lawyer's county and of the prefecture above it get a message; staff, and a
    supervisor of another county, do not."""
    from cases.tests.factories import UserFactory
    from legalaid.models import Role
    from notifications.models import Message

    city = UserFactory(username="city-supervisor", role=Role.SUPERVISOR, agency=world.city_agency,
                       email="city@example.org")
    outsider = UserFactory(username="xiping-supervisor", role=Role.SUPERVISOR, agency=world.other_agency)
    failed_case(world, star)
    failed_case(world, star)
    proposal = SuspensionProposal.objects.get()
    told = Message.objects.filter(kind="suspension_proposed")
    assert set(told.values_list("recipient", flat=True)) == {world.supervisor.pk, city.pk}
    assert outsider.pk not in told.values_list("recipient", flat=True)
    message = told.get(recipient=city)
    assert message.key == f"suspension_proposal:{proposal.pk}:u{city.pk}"
    assert message.params["lawyer"] == star.name and message.params["fails"] == 2
    assert message.link == "/quality/suspensions/"
