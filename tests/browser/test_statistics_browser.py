"""The statistics dashboard in a real browser: a city agency's staff member logs in, the page draws
its charts from the vendored Chart.js under the Content-Security-Policy (no console error), each
canvas has drawn pixels, and a table's CSV and the Excel workbook download."""
import csv
import io

import pytest
from openpyxl import load_workbook

from reports.tests.test_statistics_figures import seed

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"  # cases.tests.factories.UserFactory
PERIOD = "start=2026-03-01&end=2026-06-30"

# How many pixels of a canvas are not transparent.
DRAWN_PIXELS = """canvas => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) drawn++; }
    return drawn;
}"""


def test_the_dashboard_draws_its_charts_and_the_exports_download(live_server, world, page, screenshots, tmp_path):
    seed(world)
    page.goto(f"{live_server.url}/statistics/?{PERIOD}")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", world.city_staff.username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/statistics/?{PERIOD}")
    page.wait_for_selector("html[data-charts-drawn='1']")

    canvases = page.locator("canvas[data-chart]")
    keys = [canvases.nth(i).get_attribute("data-chart") for i in range(canvases.count())]
    assert {"coverage_by_month", "coverage_by_region", "notices_by_category", "notices_by_ground",
            "designation_time_by_month", "breaches_by_party", "breaches_by_rule", "caseload"} <= set(keys)
    for i in range(canvases.count()):
        canvas = canvases.nth(i)
        assert canvas.get_attribute("data-drawn") == "1"
        assert canvas.evaluate(DRAWN_PIXELS) > 500, keys[i]
    assert page.locator("#table-coverage_by_court tbody tr").count() == 3
    page.screenshot(path=str(screenshots / "statistics.png"), full_page=True)
    page.locator("#section-coverage").screenshot(path=str(screenshots / "statistics-coverage.png"))

    with page.expect_download() as download:
        page.click("#table-coverage_by_month a[data-export=csv]")
    path = tmp_path / "coverage.csv"
    download.value.save_as(path)
    assert download.value.suggested_filename == "coverage_by_month_20260301-20260630.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[1:] == [["2026-03", "3", "2", "1", "3", "100.0"], ["2026-04", "3", "1", "0", "1", "33.3"],
                        ["2026-05", "1", "1", "0", "1", "100.0"], ["2026-06", "1", "0", "1", "1", "100.0"]]

    with page.expect_download() as download:
        page.click("#export-all")
    path = tmp_path / "all.xlsx"
    download.value.save_as(path)
    assert "coverage_by_court" in load_workbook(path).sheetnames
    assert page.console_errors == []
