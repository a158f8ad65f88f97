"""Security headers on pages, the API, the admin and error pages: Content-Security-Policy (with
frame-ancestors), X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Permissions-Policy.
HSTS is production's (tests/security/test_deploy_settings.py)."""
import pytest

from cases.tests.factories import receive


def assert_secure_headers(response, *, admin=False):
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
                      "base-uri 'self'", "form-action 'self'"):
        assert directive in csp, (directive, csp)
    assert ("'unsafe-inline'" in csp) == admin  # only the admin keeps Django's inline styles
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/deadline-rules/", "/api/schema/", "/api/docs/",
                                  "/healthz", "/no-such-page/"])
def test_anonymous_responses(client, db, path):
    assert_secure_headers(client.get(path))


def test_staff_pages_api_and_documents(client, world, staff_client):
    notice = receive(world)
    client.force_login(world.staff)
    for path in ("/notices/", f"/notices/{notice.pk}/", "/deadlines/", "/notifications/", "/roster/lawyers/"):
        assert_secure_headers(client.get(path))
    assert_secure_headers(staff_client.get(f"/api/v1/notices/{notice.pk}/"))
    assert_secure_headers(staff_client.get("/api/v1/notices/00000000-0000-0000-0000-000000000000/"))


def test_the_admin_allows_only_its_inline_styles(client, world):
    client.force_login(world.admin)
    assert_secure_headers(client.get("/admin/"), admin=True)


def test_the_session_and_csrf_cookies(client, world):
    from django.conf import settings

    response = client.post("/accounts/login/", {"username": "staff", "password": "pw-for-tests-1"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_error_pages_give_nothing_away(client, world):
    client.force_login(world.staff)
    response = client.get("/notices/not-a-uuid/")
    assert response.status_code == 404 and "Traceback" not in response.content.decode()
    api = client.get("/api/v1/notices/00000000-0000-0000-0000-000000000000/")
    assert api.json() == {"errors": [{"field": None, "code": "not_found", "message": api.json()["errors"][0]["message"]}]}
