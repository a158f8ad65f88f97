"""A case's quality in a real browser: an evaluator logs in, opens the case's quality page (the
standard's items with their evidence, the grade), records a hearing observation with the form, and
the grade shown changes (pass → good)."""
import pytest

from assignments.tests.work import designated_case, uploads  # noqa: F401
from quality.services import evaluation_create
from quality.tests.helpers import evaluator, work

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("uploads")]

PASSWORD = "pw-for-tests-1"  # cases.tests.factories.UserFactory


def test_an_evaluator_records_a_hearing_observation_and_the_grade_updates(live_server, world, page, screenshots):
    case = designated_case(world)
    work(case)  # every item met but the closing: the standard is 83.33
    evaluation_create(notice=case.notice, kind="file_check", score=50, actor=world.staff)  # 83.33 × .6 + 50 × .4 = 70
    user = evaluator(world)
    url = f"{live_server.url}/quality/notices/{case.notice.pk}/"

    page.goto(url)
    assert "/accounts/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(url)

    grade = page.locator("#grade")
    assert grade.get_attribute("data-grade") == "pass" and grade.get_attribute("data-score") == "70.00"
    assert page.locator("tr[data-item='met_defendant']").get_attribute("data-status") == "met"
    assert page.locator("tr[data-item='closing']").get_attribute("data-status") == "missing"
    assert page.locator("tr[data-item='met_defendant'] a[href^='/work/entries/']").count() == 1
    kinds = page.locator("#id_kind option").evaluate_all("options => options.map(o => o.value)")
    assert kinds == ["hearing_observation", "peer_review"]  # what an evaluator may give

    page.select_option("#id_kind", "hearing_observation")
    page.fill("#id_score", "100")
    page.fill("#id_comments", "旁听庭审：发问有针对性，辩护意见完整，全程在庭。")
    page.click("#evaluation-form button[type=submit]")
    page.wait_for_selector("#grade[data-grade='good']")

    # Evaluations (50 + 100) / 2 = 75; 83.33 × .6 + 75 × .4 = 80: good.
    assert page.locator("#grade").get_attribute("data-score") == "80.00"
    assert page.locator("li.evaluation[data-kind='hearing_observation'][data-score='100']").count() == 1
    assert page.locator(".message--success").count() == 1
    assert not page.console_errors
    page.screenshot(path=str(screenshots / "quality-case.png"), full_page=True)

    # The lawyer's record counts the case's new grade.
    page.click(f"a[href='/quality/lawyers/{case.lawyer.pk}/']")
    page.wait_for_url(f"{live_server.url}/quality/lawyers/{case.lawyer.pk}/")
    assert page.locator("[data-grade-count='good']").inner_text() == "1"
    assert not page.console_errors
    page.screenshot(path=str(screenshots / "quality-lawyer.png"), full_page=True)
