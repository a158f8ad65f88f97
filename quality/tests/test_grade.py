"""The case's grade: the documented formula (standard 60% / evaluations 40%, thresholds 90/75/60),
configurable per jurisdiction; the court-feedback evaluation made from the judgment; and the grade
computed when a closing is accepted, before the subsidy receiver reads it."""
from decimal import Decimal

import pytest

from assignments.tests.work import post
from legalaid import hooks
from conftest import token_client
from quality import rules
from quality.models import CaseGrade, Evaluation, QualitySettings
from quality.services import case_grade_recompute, on_closing_accepted
from quality.tests.helpers import case, judgment, work  # noqa: F401

pytestmark = pytest.mark.usefixtures("uploads")

MET, LATE, MISSING, NA = "met", "late", "missing", "not_applicable"


def formula(statuses, scores, **settings):
    items = [{"status": s} for s in statuses]
    evaluations = [{"kind": kind, "score": score} for kind, score in scores]
    return rules.grade_formula(items=items, evaluations=evaluations, settings={**rules.DEFAULTS, **settings})


# --- The formula ---------------------------------------------------------------------------------------

def test_it_weighs_the_standard_sixty_and_the_evaluations_forty_percent():
    result = formula([MET, MET, LATE, MISSING], [("hearing_observation", 90)])
    # standard (100 + 100 + 50 + 0) / 4 = 62.5; 62.5 × 0.6 + 90 × 0.4 = 73.5
    assert result["standard"] == "62.50" and result["score"] == Decimal("73.50") and result["grade"] == "pass"


def test_items_that_do_not_apply_do_not_count():
    assert formula([MET, NA, NA], [])["standard"] == "100.00"


def test_without_evaluations_the_standard_alone_decides():
    result = formula([MET, MET, MET, LATE], [])
    assert result["evaluated"] is None and result["score"] == Decimal("87.50") and result["grade"] == "good"


def test_each_kind_of_evaluation_weighs_the_same_however_many_there_are():
    result = formula([MET], [("hearing_observation", 100), ("hearing_observation", 100), ("file_check", 40)])
    assert result["evaluated"] == "70.00"


@pytest.mark.parametrize("score, grade", [(90, "excellent"), (89.99, "good"), (75, "good"), (74.99, "pass"),
                                          (60, "pass"), (59.99, "fail")])
def test_the_thresholds(score, grade):
    assert rules.grade_for(Decimal(str(score)), rules.DEFAULTS) == grade


def test_a_jurisdiction_sets_its_own_weights_and_thresholds():
    result = formula([MET, MISSING], [("peer_review", 100)], standard_weight=20, good_min=85, excellent_min=95)
    # 50 × 0.2 + 100 × 0.8 = 90: good here (excellent from 95)
    assert result["score"] == Decimal("90.00") and result["grade"] == "good"


# --- Recomputing a case's grade --------------------------------------------------------------------------

def test_the_recompute_stores_each_item_evaluation_and_term(world, case):
    work(case)
    grade = case_grade_recompute(designation=case.designation)
    assert grade.grade == "good" and grade.missed_duties == 0
    assert [i["code"] for i in grade.details["items"]] == [i.code for i in rules.STANDARD]
    assert grade.details["formula"]["standard"] == "83.33"


def test_the_recompute_uses_the_nearest_regions_settings(world, case):
    work(case)
    QualitySettings.objects.create(region=world.city, good_min=85, excellent_min=95, pass_min=80)
    grade = case_grade_recompute(designation=case.designation)
    assert grade.grade == "pass"  # 83.33: good by default, pass where good starts at 85
    assert grade.details["settings_from"] == world.city.name


def test_the_judgment_becomes_a_court_feedback_evaluation_once(world, case):
    work(case)
    judgment(world, case, adopted="none", reasons="辩护人关于自首的意见与查明事实不符。")
    case_grade_recompute(designation=case.designation)
    case_grade_recompute(designation=case.designation)
    evaluation = Evaluation.objects.get(kind="court_feedback")
    assert evaluation.score == rules.COURT_FEEDBACK_SCORES["none"] == 50
    assert "自首" in evaluation.comments and evaluation.author is None


@pytest.mark.parametrize("adopted, reasons, score", [("full", "", 100), ("partial", "部分采纳", 80)])
def test_the_court_feedback_score_follows_the_adoption(world, case, adopted, reasons, score):
    judgment(world, case, adopted=adopted, reasons=reasons)
    case_grade_recompute(designation=case.designation)
    assert Evaluation.objects.get(kind="court_feedback").score == score


def test_the_grade_receiver_runs_first_when_a_closing_is_accepted(world, case):
    assert hooks.receivers("closing_accepted")[0] is on_closing_accepted
    work(case)
    judgment(world, case)
    lawyer = token_client(case.user)
    response = lawyer.post(f"/api/v1/notices/{case.notice.pk}/closing/", {"summary": "本案已审结。"},
                           format="multipart")
    assert response.status_code == 201, response.json()
    response = post(token_client(world.staff), f"/api/v1/notices/{case.notice.pk}/closing/accept/", {"note": ""})
    assert response.status_code == 200, response.json()
    grade = CaseGrade.objects.get(designation=case.designation)
    statuses = {i["code"]: i["status"] for i in grade.details["items"]}
    assert statuses["closing"] == "met"
    # All six items met (100 × 0.6) and the judgment adopted the opinion in full (100 × 0.4).
    assert grade.score == Decimal("100.00") and grade.grade == "excellent"


def test_the_judgment_speaks_of_the_lawyer_designated_when_it_came(world, case):
    from assignments.services.designations import designation_accept, designation_replace
    from assignments.tests import factories as f

    other = f.lawyer(world, account=True)
    new = designation_replace(notice=case.notice, lawyer=other, ground="lawyer_unable", note="律师生病",
                              actor=world.staff)
    designation_accept(designation=new, actor=other.user)
    judgment(world, case, day=10)
    case_grade_recompute(designation=case.designation)  # the replaced lawyer's grade
    assert not Evaluation.objects.filter(kind="court_feedback").exists()
    case_grade_recompute(designation=new)
    assert Evaluation.objects.get(kind="court_feedback").designation == new


def test_the_subsidy_reads_the_grade_computed_on_acceptance(world, case):
    from quality.subsidies.models import Subsidy

    work(case)
    judgment(world, case, adopted="partial", reasons="部分意见与事实不符")
    lawyer = token_client(case.user)
    assert lawyer.post(f"/api/v1/notices/{case.notice.pk}/closing/", {"summary": "本案已审结。"},
                       format="multipart").status_code == 201
    assert post(token_client(world.staff), f"/api/v1/notices/{case.notice.pk}/closing/accept/",
                {"note": ""}).status_code == 200
    grade = CaseGrade.objects.get(designation=case.designation)
    subsidy = Subsidy.objects.get(designation=case.designation)
    # Standard 100 × 0.6 + the court's partial adoption 80 × 0.4 = 92: excellent.
    assert grade.grade == "excellent" and subsidy.grade == "excellent" and subsidy.facts["grade_computed"]
