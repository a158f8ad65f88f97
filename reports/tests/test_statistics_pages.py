"""The statistics dashboard and its exports: who may see them, what each shows and downloads, bad
input (reversed or too long periods, regions and courts outside the user's scope), the registry of
sections, and a fixed number of queries whatever the number of notices."""
import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assignments.tests.factories import lawyer
from reports import sections
from reports.models import FiguresState, NoticeFigure
from reports.services import figures_refresh
from cases.tests.factories import UserFactory, receive
from reports.tests.test_statistics_figures import seed
from legalaid import hooks
from legalaid.models import Role

pytestmark = pytest.mark.django_db

URL = "/statistics/"
EVERYTHING = {"start": "2026-03-01", "end": "2026-06-30"}


@pytest.fixture
def data(world):
    return seed(world)


def page(client, user, **query):
    client.force_login(user)
    return client.get(URL, query)


def charts(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="statistics-charts" type="application/json">') + len(
        '<script id="statistics-charts" type="application/json">')
    return {c["key"]: c for c in json.loads(html[start:html.index("</script>", start)])}


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_it_shows_every_section_with_its_tables_and_charts(client, world, data):
    response = page(client, world.city_staff, **EVERYTHING)
    assert response.status_code == 200
    html = response.content.decode()
    keys = [s.key for s in sections.all_sections()]
    assert keys[:5] == ["coverage", "notices", "designation", "breaches", "caseload"]
    for key in keys:
        assert f'data-section="{key}"' in html
    table = response.context["sections"][0][1].tables[2]
    assert table.key == "coverage_by_court"
    assert [row[:4] for row in table.rows] == [["豫17", "驻马店市中级人民法院", 1, 0], ["豫1702", "驻马店市驿城区人民法院", 6, 3],
                                              ["豫1721", "西平县人民法院", 1, 1]]
    drawn = charts(response)
    assert drawn["coverage_by_month"]["labels"] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert drawn["coverage_by_month"]["series"][0]["data"] == [100.0, 33.3, 100.0, 100.0]
    assert drawn["coverage_by_month"]["reference"] == 66.0  # the national figure to beat
    assert drawn["breaches_by_party"]["series"][0]["data"] == [3, 1]
    # The charts are drawn by a static script from a JSON block: no inline script or style.
    assert "<script>" not in html and "style=" not in html
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html and 'src="/static/js/statistics.js"' in html


def test_a_county_sees_its_county_and_a_city_its_prefecture(client, world, data):
    county = page(client, world.staff, **EVERYTHING).context["sections"][0][1].tables[2]
    assert [row[0] for row in county.rows] == ["豫1702"]
    city = page(client, world.city_staff, **EVERYTHING).context["sections"][0][1].tables[1]
    assert [row[0] for row in city.rows] == ["411700", "411702", "411721"]
    narrowed = page(client, world.city_staff, region="411721", **EVERYTHING).context["sections"][0][1].tables[1]
    assert [row[0] for row in narrowed.rows] == ["411721"]


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.SUPERVISOR, Role.AUDITOR])
def test_the_agency_roles_and_administrators_see_the_statistics(client, world, role):
    user = UserFactory(role=role, agency=world.city_agency)
    assert page(client, user).status_code == 200
    assert page(client, world.admin).status_code == 200


def test_other_roles_are_refused_and_strangers_asked_to_log_in(client, world):
    assert client.get(URL).status_code == 302
    assert "/accounts/login/" in client.get(URL)["Location"]
    for user in (world.court_user, UserFactory(role=Role.EVALUATOR, agency=world.agency),
                 lawyer(world, account=True).user):
        assert page(client, user).status_code == 403
        assert client.get("/statistics/export/coverage_by_month.csv").status_code == 403


@pytest.mark.parametrize("query, code", [
    ({"start": "2026-06-30", "end": "2026-03-01"}, "range_reversed"),
    ({"start": "2021-02-28", "end": "2026-03-01"}, "range_too_long"),
    ({"start": "2026-02-30"}, "invalid_date"),
    ({"end": "yesterday"}, "invalid_date"),
    ({"region": "999999"}, "unknown_region"),
    ({"court": "豫9999"}, "unknown_court"),
    ({"region": "411721", "court": "豫1702"}, "court_not_in_region"),
])
def test_bad_input_is_refused_with_its_code_and_changes_nothing(client, world, data, query, code):
    before = (NoticeFigure.objects.count(), FiguresState.objects.get().refreshed_at)
    response = page(client, world.city_staff, **query)
    assert response.status_code == 400
    assert f'data-code="{code}"' in response.content.decode()
    assert "sections" not in response.context
    export = client.get("/statistics/export/coverage_by_month.csv", query)
    assert export.status_code == 400 and export.content.decode().startswith(code)
    assert (NoticeFigure.objects.count(), FiguresState.objects.get().refreshed_at) == before


def test_five_years_exactly_is_allowed(client, world):
    assert page(client, world.staff, start="2021-03-01", end="2026-03-01").status_code == 200
    assert page(client, world.staff, start="2021-02-28", end="2026-03-01").status_code == 400


@pytest.mark.parametrize("query", [{"region": "411700"}, {"region": "411721"}, {"region": "410000"},
                                   {"court": "豫1721"}, {"court": "豫17"}])
def test_a_region_or_court_the_user_may_not_see_is_forbidden_on_the_page_and_in_exports(client, world, query):
    assert page(client, world.staff, **query).status_code == 403
    for url in ("/statistics/export/coverage_by_region.csv", "/statistics/export/coverage_by_region.xlsx",
                "/statistics/export/all.xlsx"):
        assert client.get(url, query).status_code == 403


def test_every_table_exports_as_csv_and_excel(client, world, data):
    client.force_login(world.city_staff)
    keys = [key for section in sections.all_sections() for key in section.tables]
    assert len(keys) == 12  # quality grades and subsidies paid (reports/quality.py, reports/subsidies.py)
    for key in keys:
        response = client.get(f"/statistics/export/{key}.csv", EVERYTHING)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{key}_20260301-20260630.csv"'
        # Subsidies paid: none in this data set (quality/subsidies/tests check its rows).
        assert len(csv_rows(response)) >= (1 if key == "subsidies_paid" else 2)
        workbook = load_workbook(io.BytesIO(client.get(f"/statistics/export/{key}.xlsx", EVERYTHING).content))
        assert workbook.sheetnames == [key]
    rows = csv_rows(client.get("/statistics/export/coverage_by_month.csv", EVERYTHING))
    assert len(rows[0]) == 6
    assert rows[1:] == [["2026-03", "3", "2", "1", "3", "100.0"], ["2026-04", "3", "1", "0", "1", "33.3"],
                        ["2026-05", "1", "1", "0", "1", "100.0"], ["2026-06", "1", "0", "1", "1", "100.0"]]
    sheet = load_workbook(io.BytesIO(client.get("/statistics/export/coverage_by_court.xlsx", EVERYTHING).content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "2026-03-01" in values[1][0] and "2026-06-30" in values[1][0]  # the period, in the caption
    header = next(i for i, row in enumerate(values) if not any(row)) + 1  # caption, a blank row, the table
    assert len(values[header]) == 7
    assert values[header + 2][:6] == ["豫1702", "驻马店市驿城区人民法院", 6, 3, 2, 5]
    assert values[header + 2][6] == pytest.approx(5 / 6)
    assert sheet.cell(row=header + 3, column=7).number_format == "0.0%"
    everything = load_workbook(io.BytesIO(client.get("/statistics/export/all.xlsx", EVERYTHING).content))
    assert everything.sheetnames == keys


def test_an_unknown_table_or_format_is_not_found(client, world):
    client.force_login(world.staff)
    assert client.get("/statistics/export/nothing.csv").status_code == 404
    assert client.get("/statistics/export/all.csv").status_code == 404
    assert client.get("/statistics/export/coverage_by_month.pdf").status_code == 404


def _build_example(ctx):
    table = sections.Table("example_grades", "Quality grades", [sections.Column("grade", "Grade"),
                                                                sections.Column("cases", "Cases", "int")],
                           [["A", 3], ["B", 1]])
    return sections.Result([("Cases graded", 4, "int")], [table],
                           [sections.Chart("example_grades", "bar", "Grades", "example_grades", ["A", "B"],
                                           [{"label": "Cases", "data": [3, 1]}])])


EXAMPLE = sections.Section("example", "Quality", _build_example, ("example_grades",), order=60)


def test_a_declared_section_appears_on_the_page_and_exports(client, world, settings):
    # A section the hook table (legalaid/hooks.py, `statistics_sections`) lists, added by the setting.
    settings.HOOKS = {"statistics_sections": (*hooks.TABLE["statistics_sections"],
                                              "reports.tests.test_statistics_pages.EXAMPLE")}
    response = page(client, world.staff)
    assert 'data-section="example"' in response.content.decode()
    assert charts(response)["example_grades"]["series"][0]["data"] == [3, 1]
    assert csv_rows(client.get("/statistics/export/example_grades.csv"))[1:] == [["A", "3"], ["B", "1"]]
    del settings.HOOKS
    assert page(client, world.staff).status_code == 200
    assert client.get("/statistics/export/example_grades.csv").status_code == 404


def _notices(world, n):
    for _ in range(n):
        receive(world)
    figures_refresh(full=True)


def _queries(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["staff", "admin"])
def test_the_page_and_exports_make_the_same_number_of_queries_for_5_and_50_notices(client, world, user):
    client.force_login(getattr(world, user))
    urls = [URL, "/statistics/export/coverage_by_court.csv", "/statistics/export/all.xlsx"]
    _notices(world, 5)
    few = [_queries(client, url) for url in urls]
    _notices(world, 45)
    assert NoticeFigure.objects.count() == 50
    assert [_queries(client, url) for url in urls] == few
    assert few[0] <= 25  # a fixed handful: session, user, filters, the sections
