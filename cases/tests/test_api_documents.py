"""POST /api/v1/notices/<id>/documents/ — content-checked types, the 20 MiB limit."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Document, NoticeEvent
from cases.tests.factories import receive

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 64


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def upload(client, notice, name, content, kind="indictment"):
    return client.post(f"/api/v1/notices/{notice.pk}/documents/",
                       {"kind": kind, "file": SimpleUploadedFile(name, content)}, format="multipart")


@pytest.mark.parametrize("name, content, content_type", [
    ("起诉书.pdf", PDF, "application/pdf"), ("scan.png", PNG, "image/png"), ("scan.jpg", JPEG, "image/jpeg")])
def test_it_stores_accepted_types(court_client, world, uploads_in_tmp, name, content, content_type):
    notice = receive(world)
    response = upload(court_client, notice, name, content)
    assert response.status_code == 201, response.content
    document = Document.objects.get(notice=notice)
    assert document.content_type == content_type and document.size == len(content)
    assert document.original_name == name
    assert name not in document.file.name  # stored under an opaque name
    assert (uploads_in_tmp / document.file.name).read_bytes() == content
    assert response.json()["missing_materials"] == []


def test_an_executable_renamed_pdf_is_415(court_client, world):
    notice = receive(world)
    response = upload(court_client, notice, "indictment.pdf", ELF)
    assert response.status_code == 415
    assert response.json()["errors"][0]["code"] == "unsupported_media_type"
    assert Document.objects.count() == 0
    assert not NoticeEvent.objects.filter(code="document_uploaded").exists()


def test_a_file_over_20_mib_is_413(court_client, world):
    notice = receive(world)
    response = upload(court_client, notice, "big.pdf", PDF + b"\0" * (20 * 1024 * 1024 + 1 - len(PDF)))
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "file_too_large"
    assert Document.objects.count() == 0


def test_exactly_20_mib_is_accepted(court_client, world):
    notice = receive(world)
    response = upload(court_client, notice, "edge.pdf", PDF + b"\0" * (20 * 1024 * 1024 - len(PDF)))
    assert response.status_code == 201


def test_an_unknown_kind_is_400(court_client, world):
    notice = receive(world)
    response = upload(court_client, notice, "a.pdf", PDF, kind="novel")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "kind"
    assert Document.objects.count() == 0


def test_a_missing_file_is_400(court_client, world):
    notice = receive(world)
    response = court_client.post(f"/api/v1/notices/{notice.pk}/documents/", {"kind": "indictment"},
                                 format="multipart")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"file"}


def test_an_empty_file_is_400(court_client, world):
    notice = receive(world)
    assert upload(court_client, notice, "empty.pdf", b"").status_code == 400
    assert Document.objects.count() == 0


def test_another_courts_notice_is_404(other_court_client, world):
    notice = receive(world)
    assert upload(other_court_client, notice, "a.pdf", PDF).status_code == 404
    assert Document.objects.count() == 0
