"""Playwright (sync API) driving Debian's chromium against pytest-django's live server.

No `playwright install`: the browser is the system's /usr/bin/chromium. Without it the browser
tests are skipped with the reason, unless REQUIRE_BROWSER=1 (CI), where a missing browser fails."""
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


SKIP_REASON = f"browser tests skipped: no chromium at {CHROMIUM} (set REQUIRE_BROWSER=1 to make this fail)"


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    """Without chromium, skip before any database or live server is set up."""
    if Path(CHROMIUM).exists() or _browser_required():
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def _require_chromium():
    if Path(CHROMIUM).exists():
        return
    if _browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but there is no browser at {CHROMIUM} (install Debian's chromium)")
    pytest.skip(SKIP_REASON)


@pytest.fixture
def browser_context(tmp_path):
    """A chromium with a fresh profile; pages open in it at a desktop size unless a test says otherwise."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900}, locale="zh-CN",
            timezone_id="Asia/Shanghai")
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()
            # While Playwright's loop is marked running, Django keeps this thread's connections in
            # context-local storage: close them here, or the test database cannot be dropped.
            connections.close_all()


@pytest.fixture
def page(browser_context):
    """A page that records every console error (a Content-Security-Policy violation is one)."""
    page = browser_context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    return page


@pytest.fixture
def screenshots():
    """Where screenshots go (var/screenshots/, not committed)."""
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
