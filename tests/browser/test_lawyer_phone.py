"""In a real browser on a phone-sized screen (390×844): the lawyer logs in, opens the case from
their list, logs a meeting and uploads the written defence opinion; then the agency's staff open the
notice and see both. Every page fits the screen and breaks no Content-Security-Policy rule."""
import datetime as dt

import pytest

from assignments.models import WorkDocument, WorkLogEntry
from assignments.tests.work import PDF, designated_case
from legalaid import clock

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"  # cases.tests.factories.UserFactory
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path), "base_url": None}}}


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def local(moment):
    return clock.to_beijing(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_lawyer_logs_a_meeting_and_an_opinion_on_a_phone_and_the_staff_see_both(
        live_server, world, page, browser_context, uploads, screenshots):
    case = designated_case(world, hearing={"starts_at": "2026-11-20T09:00:00+08:00", "place": "第三审判庭"})
    base = live_server.url
    page.set_viewport_size(PHONE)

    log_in(page, base, case.user.username)
    assert page.url == f"{base}/lawyer/"
    assert page.get_attribute("html", "lang") == "zh-hans"
    row = page.locator(f"li.case-row[data-notice='{case.notice.pk}']")
    assert row.is_visible() and case.notice.case.case_number in row.inner_text()
    fits(page)
    row.locator("a.case-link").click()
    page.wait_for_url(f"{base}/lawyer/cases/{case.notice.pk}/")
    assert page.locator("#judge").is_visible() and "0396-1234567" in page.locator("#judge").inner_text()
    fits(page)
    page.screenshot(path=str(screenshots / "lawyer-case-phone.png"), full_page=True)

    # A meeting with the defendant, with its record.
    met_at = case.start + dt.timedelta(days=2)
    page.click("#work a[data-kind=meeting]")
    page.wait_for_url(f"**/log/meeting/")
    fits(page)
    page.fill("#id_started_at", local(met_at))
    page.fill("#id_duration_minutes", "50")
    page.fill("#id_place", "驻马店市看守所")
    page.check("input[name=mode][value=in_person]")
    page.fill("#id_notes", "会见笔录：被告人对起诉书指控的事实无异议，提出系初犯。")
    page.screenshot(path=str(screenshots / "lawyer-log-meeting-phone.png"), full_page=True)
    page.click("#save-entry")
    page.wait_for_url(f"{base}/lawyer/cases/{case.notice.pk}/#work")
    meeting = page.locator("#work li.entry[data-kind=meeting]")
    assert meeting.count() == 1 and "系初犯" in meeting.inner_text()

    # The written defence opinion, uploaded as a PDF.
    page.click("#work a[data-kind=written_opinion]")
    page.wait_for_url("**/log/written_opinion/")
    page.fill("#id_started_at", local(met_at + dt.timedelta(days=1)))
    page.fill("#id_notes", "罪轻辩护")
    page.set_input_files("#id_files", files=[{"name": "书面辩护意见.pdf", "mimeType": "application/pdf",
                                              "buffer": PDF}])
    fits(page)
    page.click("#save-entry")
    page.wait_for_url(f"{base}/lawyer/cases/{case.notice.pk}/#work")
    opinion = page.locator("#work li.entry[data-kind=written_opinion]")
    assert opinion.count() == 1 and "书面辩护意见.pdf" in opinion.locator("a.work-document").inner_text()
    fits(page)
    page.screenshot(path=str(screenshots / "lawyer-work-log-phone.png"), full_page=True)

    entry = WorkLogEntry.objects.get(notice=case.notice, kind="meeting")
    assert entry.started_at == met_at.replace(second=0, microsecond=0) and entry.duration_minutes == 50
    assert WorkDocument.objects.get(entry__kind="written_opinion").original_name == "书面辩护意见.pdf"

    # The agency's staff see both on the notice page (also on a phone).
    browser_context.clear_cookies()
    log_in(page, base, world.staff.username)
    page.goto(f"{base}/notices/{case.notice.pk}/#work")
    staff_meeting = page.locator("#work li.entry[data-kind=meeting]")
    staff_opinion = page.locator("#work li.entry[data-kind=written_opinion]")
    assert staff_meeting.count() == 1 and "系初犯" in staff_meeting.inner_text()
    assert staff_opinion.count() == 1 and "书面辩护意见.pdf" in staff_opinion.inner_text()
    assert case.lawyer.name in staff_meeting.inner_text()
    assert page.locator("#events li[data-event=work_logged]").count() == 2
    fits(page)
    page.screenshot(path=str(screenshots / "staff-notice-work-phone.png"), full_page=True)
    assert page.console_errors == []
