"""CSRF on every form: every page URL refuses a POST without the token (403, logged by Django's CSRF
check), whatever the view; every POST form in the templates carries the token; the API refuses a
browser session's POST without it (token-authenticated calls need none: no cookie is involved)."""
import logging
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cases.tests.factories import notice_payload

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SAMPLE = {"uuid": str(uuid.uuid4()), "int": "1", "str": "x", "slug": "x", "path": "x/1"}
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _page_urls(resolver=None, prefix=""):
    """Every URL of a page (not the API: DRF views check CSRF themselves, tested below), with each
    parameter filled by a value its converter accepts."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _page_urls(entry, prefix + pattern)
        elif isinstance(entry, URLPattern):
            route = prefix + pattern
            if route.startswith("api/") or "(?P" in route or route.startswith("^"):
                continue
            yield "/" + _PARAM.sub(lambda m: SAMPLE.get(m.group("conv") or "str", "x"), route)


PAGE_URLS = sorted(set(_page_urls()))


def test_the_enumeration_finds_the_forms_we_know():
    for known in ("/accounts/login/", "/notices/new/", "/roster/import/", "/i18n/setlang/", "/admin/login/"):
        assert known in PAGE_URLS
    assert len(PAGE_URLS) > 40


@pytest.fixture
def administrator(db):
    from cases.tests.factories import UserFactory

    return UserFactory(username="root", role="admin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("path", PAGE_URLS)
def test_a_post_without_the_token_is_refused(administrator, path, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)  # may open every page: a 403 here is the CSRF check's
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(path, {"anything": "1"})
    csrf = [r for r in caplog.records if r.name == "django.security.csrf"]
    if response.status_code == 404 and not csrf:
        # The URL did not resolve with the sample values (no view ran, so nothing to protect).
        pytest.skip(f"{path} does not resolve with sample values")
    assert response.status_code == 403, (path, response.status_code)
    assert any("CSRF" in r.getMessage() for r in csrf), path


def test_with_the_token_the_same_post_passes_the_check(world, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    client.get("/notices/new/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post("/notices/new/", {"csrfmiddlewaretoken": token, "case_number": ""})
    assert response.status_code == 400  # the form's own validation answered
    assert not [r for r in caplog.records if r.name == "django.security.csrf"]


FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_every_post_form_in_the_templates_carries_the_token():
    forms = 0
    for path in TEMPLATES.rglob("*.html"):
        for body in FORM.findall(path.read_text()):
            forms += 1
            assert "{% csrf_token %}" in body, path.relative_to(TEMPLATES)
    assert forms > 15


def test_the_api_refuses_a_session_post_without_the_token(world):
    from cases.models import Notice

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.court_user)
    response = client.post("/api/v1/notices/", notice_payload(), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    assert not Notice.objects.exists()


def test_token_calls_need_no_csrf_token(court_client):
    court_client.enforce_csrf_checks = True
    response = court_client.post("/api/v1/notices/", notice_payload(), format="json")
    assert response.status_code == 201
