"""Roster import limits: a file over MAX_BYTES is refused before it is read (413, field `file`); a
small file of very many rows (Excel compresses a million rows into kilobytes) is refused as soon as
the row limit is passed — reading stops there, it is not read whole. CSV alike. Nothing imported."""
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments import imports
from assignments.models import Lawyer
from assignments.tests import factories as f
from legalaid.errors import InvalidInput

HEADER = ["name", "licence_number", "firm", "region", "phone", "criminal_defence_since"]


def long_xlsx(rows: int) -> bytes:
    """A real workbook (openpyxl's) whose sheet is rewritten, streamed into the zip, with `rows` rows
    of data: a few hundred kilobytes however many rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    small = io.BytesIO()
    book.save(small)
    out = io.BytesIO()
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                target.writestr(member, source.read(member))
                continue
            with target.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                            b'<dimension ref="A1:F%d"/><sheetData>' % (rows + 1))
                sheet.write(b'<row r="1">' + b"".join(
                    b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), title.encode())
                    for col, title in zip("ABCDEF", HEADER)) + b"</row>")
                chunk = []
                for r in range(2, rows + 2):
                    chunk.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>L%d</t></is></c>'
                                 b'<c r="B%d"><v>%d</v></c></row>' % (r, r, r, r, r))
                    if len(chunk) == 10_000:
                        sheet.write(b"".join(chunk))
                        chunk = []
                sheet.write(b"".join(chunk) + b"</sheetData></worksheet>")
    return out.getvalue()


class CountingUpload(io.BytesIO):
    """The upload as read_rows sees it, counting the bytes read from it."""

    def __init__(self, content, name):
        super().__init__(content)
        self.name, self.size, self.bytes_read = name, len(content), 0

    def read(self, *args):
        data = super().read(*args)
        self.bytes_read += len(data)
        return data


def test_an_excel_file_of_200_000_rows_is_refused_after_reading_only_the_first_rows():
    content = long_xlsx(200_000)
    assert len(content) < imports.MAX_BYTES  # small enough to pass the size cap: the rows must stop it
    upload = CountingUpload(content, "roster.xlsx")
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as refused:
            imports.read_rows(upload)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "too_many_rows" and refused.value.field == "file"
    # Stopped near row 5,000 of 200,000: most of the sheet was never read, nor held in memory.
    sheet_size = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml").compress_size
    assert upload.bytes_read < (len(content) - sheet_size) + sheet_size // 10
    assert peak < 32 * 1024 * 1024


def test_blank_lines_count_toward_the_limit_too():
    text = ",".join(HEADER) + "\n" + "\n" * (imports.MAX_LINES + 5)
    with pytest.raises(InvalidInput) as refused:
        imports.read_rows(SimpleUploadedFile("roster.csv", text.encode()))
    assert refused.value.code == "too_many_rows"


def test_an_excel_zip_bomb_is_refused_before_it_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b" " * (1024 * 1024)
            for _ in range(imports.MAX_UNPACKED_BYTES // len(block) + 1):
                member.write(block)
    with pytest.raises(InvalidInput) as refused:
        imports.read_rows(SimpleUploadedFile("roster.xlsx", out.getvalue()))
    assert refused.value.code == "too_many_rows"


def test_the_api_refuses_a_long_excel_file_and_imports_nothing(world, staff_client):
    upload = SimpleUploadedFile("roster.xlsx", long_xlsx(20_000))
    response = staff_client.post("/api/v1/lawyers/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0] | {"message": ""} == {"field": "file", "code": "too_many_rows", "message": ""}
    assert not Lawyer.objects.exists()


def test_the_api_refuses_a_long_csv_file(world, staff_client):
    line = "孙律师,1234,河南天中律师事务所,411702,13900000001,2015-05-01\n"
    text = ",".join(HEADER) + "\n" + line * (imports.MAX_ROWS + 1)
    response = staff_client.post("/api/v1/lawyers/import/", {"file": SimpleUploadedFile("r.csv", text.encode())},
                                 format="multipart")
    assert response.status_code == 400 and f.codes(response) == {"too_many_rows"}
    assert not Lawyer.objects.exists()


def test_the_api_refuses_a_file_over_the_size_cap_with_413(world, staff_client, settings):
    text = ",".join(HEADER) + "\n" + "x" * (imports.MAX_BYTES + 1)
    response = staff_client.post("/api/v1/lawyers/import/", {"file": SimpleUploadedFile("r.csv", text.encode())},
                                 format="multipart")
    assert response.status_code == 413, response.content
    error = response.json()["errors"][0]
    assert error["code"] == "file_too_large" and error["field"] == "file" and "MiB" in error["message"]
    assert not Lawyer.objects.exists()


def test_the_page_says_why_a_file_is_refused(client, world):
    client.force_login(world.staff)
    text = ",".join(HEADER) + "\n" + "x" * (imports.MAX_BYTES + 1)
    response = client.post("/roster/import/", {"file": SimpleUploadedFile("r.csv", text.encode())})
    assert response.status_code == 200
    assert "MiB" in response.content.decode() and not Lawyer.objects.exists()
