"""Uploaded case documents live outside the web root (settings: the default storage is VAR_DIR/uploads,
MEDIA_URL unused) and are served only by the document view, which checks who asks. A direct or
guessed path gets nothing."""
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Document
from cases.tests.factories import receive
from conftest import token_client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_configured_storage_is_outside_every_served_directory():
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    served = [Path(settings.STATIC_ROOT).resolve(), *[Path(d).resolve() for d in settings.STATICFILES_DIRS],
              Path(settings.BASE_DIR, "templates").resolve()]
    for directory in served:
        assert not location.is_relative_to(directory) and not directory.is_relative_to(location)
    assert not settings.MEDIA_URL or settings.MEDIA_URL in ("/", "")  # no URL maps onto the uploads


@pytest.fixture
def uploaded(settings, tmp_path, world, court_client):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    notice = receive(world)
    response = court_client.post(f"/api/v1/notices/{notice.pk}/documents/",
                                 {"kind": "indictment", "file": SimpleUploadedFile("起诉书.pdf", PDF)}, format="multipart")
    assert response.status_code == 201
    return Document.objects.get(notice=notice)


def test_the_stored_name_is_opaque(uploaded, tmp_path):
    assert "起诉书" not in uploaded.file.name and not uploaded.file.name.endswith(".pdf")
    assert (tmp_path / uploaded.file.name).read_bytes() == PDF


def test_direct_and_guessed_paths_get_nothing(client, world, uploaded):
    client.force_login(world.admin)
    name = uploaded.file.name
    for path in (f"/media/{name}", f"/uploads/{name}", f"/static/{name}", f"/static/../var/uploads/{name}",
                 f"/var/uploads/{name}", f"/{name}", "/static/../legalaid/settings/base.py",
                 "/static/%2e%2e/legalaid/settings/base.py"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))


def url(document, notice_id=None):
    return f"/notices/{notice_id or document.notice_id}/documents/{document.pk}/"


def test_staff_who_may_see_the_notice_download_it(client, world, uploaded):
    client.force_login(world.staff)
    response = client.get(url(uploaded))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("who, status", [("outsider", 404), ("court_user", 403), ("other_court_user", 403)])
def test_others_get_nothing(client, world, uploaded, who, status):
    client.force_login(getattr(world, who))
    assert client.get(url(uploaded)).status_code == status


def test_anonymous_users_go_to_the_login_page(client, uploaded):
    response = client.get(url(uploaded))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_document_under_another_notice_is_not_found(client, world, uploaded):
    other = receive(world)
    client.force_login(world.staff)
    assert client.get(url(uploaded, notice_id=other.pk)).status_code == 404


def test_the_api_has_no_download_route(world, uploaded):
    court = token_client(world.court_user)
    assert court.get(f"/api/v1/notices/{uploaded.notice_id}/documents/{uploaded.pk}/").status_code == 404
