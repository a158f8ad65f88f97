"""The roster: licence-number validation, lawyers through the API, the file import (row-by-row
errors, nothing half-imported), leave and suspensions, the list's fixed query count."""
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import Lawyer
from assignments.services import lawyer_leave_add, lawyer_suspend
from assignments.tests import factories as f
from assignments.validators import make_licence_number, parse_licence_number
from cases.tests.factories import make_id_number
from legalaid.errors import InvalidInput

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("number,code", [
    ("1411720151012345", "invalid_licence_format"),
    ("1411720151O123456", "invalid_licence_format"),
    ("24117201510123456", "invalid_licence_kind"),
    ("19917201510123456", "invalid_licence_province"),
    ("14117197910123456", "invalid_licence_year"),
    ("14117203010123456", "invalid_licence_year"),
    ("14117201500123456", "invalid_licence_category"),
    ("14117201512123456", "invalid_licence_sex"),
])
def test_bad_licence_numbers(number, code):
    with pytest.raises(InvalidInput) as exc:
        parse_licence_number(number, today=TODAY)
    assert exc.value.code == code


def test_a_good_licence_number_and_the_sex_check():
    licence = parse_licence_number(make_licence_number(year=2012, male=False), today=TODAY)
    assert (licence.province, licence.first_year, licence.category, licence.gender) == ("41", 2012, "1", "female")
    with pytest.raises(InvalidInput) as exc:
        parse_licence_number(make_licence_number(male=False), today=TODAY, gender="male")
    assert exc.value.code == "licence_sex_mismatch"


def lawyer_body(world, firm, **over):
    body = {"name": "周律师", "licence_number": make_licence_number(seq=777), "firm": firm.pk, "region": "411702",
            "phone": "13900000000", "criminal_defence_since": "2016-03-01", "specialities": ["minors"],
            "languages": ["csl"], "id_number": make_id_number(dt.date(1985, 1, 1))}
    body.update(over)
    return body


def test_staff_add_a_lawyer_and_bad_values_are_refused(world, staff_client):
    firm = f.firm(world)
    url = "/api/v1/lawyers/"
    cases = [({"licence_number": "123"}, "invalid_licence_format"),
             ({"criminal_defence_since": "2010-01-01"}, "practice_before_licence"),
             ({"specialities": ["astrology"]}, "invalid_choice"),
             ({"phone": "call me"}, "invalid_phone"),
             ({"id_number": "411702198501010000"}, "invalid_id_check_digit"),
             ({"region": "999999"}, "does_not_exist")]
    for over, code in cases:
        response = f.post(staff_client, url, lawyer_body(world, firm, **over))
        assert response.status_code == 400 and code in f.codes(response), (over, response.content)
    assert not Lawyer.objects.exists()
    response = f.post(staff_client, url, lawyer_body(world, firm))
    assert response.status_code == 201, response.content
    assert response.json()["open_cases"] == 0
    lawyer = Lawyer.objects.get()
    assert lawyer.name_key == "zhoulvshi" and lawyer.history.count() == 1
    dup = f.post(staff_client, url, lawyer_body(world, firm, name="另一人"))
    assert dup.status_code == 400 and f.codes(dup) == {"duplicate_licence_number"}


def csv_file(rows, name="roster.csv"):
    text = "姓名,执业证号,律师事务所,行政区划代码,电话,刑辩执业起始,专长,语言\n" + "\n".join(rows)
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def test_import_reports_every_bad_row_and_imports_nothing(world, staff_client):
    firm = f.firm(world, name="河南天中律师事务所")
    good = f"孙律师,{make_licence_number(seq=1)},河南天中律师事务所,411702,13900000001,2015-05-01,minors;drugs,"
    rows = [good,
            "钱律师,1234,河南天中律师事务所,411702,13900000002,2015-05-01,,",
            f"赵律师,{make_licence_number(seq=1)},河南天中律师事务所,411702,13900000003,2015-05-01,,",
            f"吴律师,{make_licence_number(seq=3)},不存在律师事务所,411702,13900000004,2015-05-01,,"]
    response = staff_client.post("/api/v1/lawyers/import/", {"file": csv_file(rows)}, format="multipart")
    assert response.status_code == 400, response.content
    errors = {(e["row"], e["code"]) for e in response.json()["errors"]}
    assert errors == {(3, "invalid_licence_format"), (4, "duplicate_in_file"), (5, "unknown_firm")}
    assert not Lawyer.objects.exists()
    response = staff_client.post("/api/v1/lawyers/import/", {"file": csv_file([good])}, format="multipart")
    assert response.status_code == 201 and response.json()["created"] == 1
    lawyer = Lawyer.objects.get()
    assert lawyer.firm == firm and lawyer.specialities == ["minors", "drugs"]
    again = staff_client.post("/api/v1/lawyers/import/", {"file": csv_file([good])}, format="multipart")
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "duplicate_licence_number"


def test_import_reads_excel(world, staff_client):
    from openpyxl import Workbook

    f.firm(world, name="河南天中律师事务所")
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "licence_number", "firm", "region", "phone", "criminal_defence_since"])
    sheet.append(["郑律师", make_licence_number(seq=9), "河南天中律师事务所", "411702", "13900000009",
                  dt.datetime(2016, 1, 1)])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("roster.xlsx", out.getvalue())
    response = staff_client.post("/api/v1/lawyers/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert Lawyer.objects.get().criminal_defence_since == dt.date(2016, 1, 1)


def test_import_refuses_a_file_without_the_columns(world, staff_client):
    upload = SimpleUploadedFile("x.csv", "a,b\n1,2\n".encode())
    response = staff_client.post("/api/v1/lawyers/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and f.codes(response) == {"missing_columns"}


def test_leave_and_suspension_periods_are_checked(world):
    lawyer = f.lawyer(world)
    with pytest.raises(InvalidInput) as exc:
        lawyer_leave_add(lawyer=lawyer, starts_on=TODAY, ends_on=TODAY - dt.timedelta(days=1), actor=world.staff)
    assert exc.value.code == "ends_before_start"
    with pytest.raises(InvalidInput) as exc:
        lawyer_suspend(lawyer=lawyer, starts_on=TODAY, reason="  ", actor=world.staff)
    assert exc.value.code == "required"
    assert not lawyer.leaves.exists() and not lawyer.suspensions.exists()


def test_the_roster_list_has_a_fixed_number_of_queries(world, staff_client):
    staff_client.get("/api/v1/lawyers/")

    def count(n):
        for _ in range(n):
            lawyer = f.lawyer(world)
            f.designate(world, f.notice(world), lawyer, reason="load")
        with CaptureQueriesContext(connection) as ctx:
            body = staff_client.get("/api/v1/lawyers/").json()
        assert all("open_cases" in row for row in body)
        return len(ctx)

    assert count(5) == count(30)
