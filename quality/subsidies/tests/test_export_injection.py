"""The finance export (Excel) writes a lawyer's or a firm's name, a case number and a payment
reference that could be read as a formula with a leading apostrophe (legalaid.exports): no cell of
the workbook is a formula; amounts stay numbers."""
import io

import pytest
from openpyxl import load_workbook

from quality.subsidies.tests.factories import schedule
from quality.subsidies.tests.test_api_and_pages import closed_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads")]


def test_the_finance_export_neutralises_formulas(world, court_client, client):
    schedule(world)
    subsidy = closed_case(world, court_client)
    lawyer = subsidy.lawyer
    lawyer.name = "=cmd|' /C calc'!A0"
    lawyer.save(update_fields=["name"])
    lawyer.firm.name = "+SUM(1,2)"
    lawyer.firm.save(update_fields=["name"])
    client.force_login(world.staff)

    response = client.get("/subsidies/export.xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "'=cmd|' /C calc'!A0" in values and "'+SUM(1,2)" in values
    assert "=cmd|' /C calc'!A0" not in values and "+SUM(1,2)" not in values
    row = next(r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0] == subsidy.pk)
    assert float(row[9]) == float(subsidy.payable)
