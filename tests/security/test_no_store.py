"""Every answer to a signed-in user or an API token says `Cache-Control: private, no-store` (and
`Pragma: no-cache`): pages, API answers (errors too), the legal aid letter, exports, the deadline
board and the roster carry personal data that no browser or proxy cache may keep. The public summary
stays cacheable for anonymous readers."""
import pytest

from assignments.tests import factories as f


@pytest.fixture
def designated(world):
    notice = f.notice(world)
    f.designate(world, notice, f.lawyer(world, name="欧阳明律师"))
    return notice


def assert_no_store(response, url):
    assert response.status_code < 500, url
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    assert "public" not in response["Cache-Control"] and "max-age" not in response["Cache-Control"], url
    assert response["Pragma"] == "no-cache", url


def test_every_kind_of_page_and_export_for_a_signed_in_user(client, world, designated):
    client.force_login(world.admin)
    notice_id = designated.pk
    for url in ("/", "/notices/", f"/notices/{notice_id}/", f"/notices/{notice_id}/designation/", "/deadlines/",
                "/deadlines/breaches/", "/roster/lawyers/", "/roster/firms/", "/duty/", "/statistics/",
                "/statistics/export/coverage_by_month.csv", "/statistics/export/all.xlsx", "/subsidies/",
                "/subsidies/export.xlsx", "/quality/training/", "/notifications/", "/statistics/public/",
                f"/notices/{notice_id}/documents/999999/"):
        assert_no_store(client.get(url), url)


def test_every_kind_of_api_answer_to_a_token(world, designated, court_client, staff_client):
    notice_id = designated.pk
    for api, url in ((court_client, "/api/v1/notices/"), (court_client, f"/api/v1/notices/{notice_id}/"),
                     (court_client, f"/api/v1/notices/{notice_id}/letter.pdf"),
                     (staff_client, f"/api/v1/notices/{notice_id}/letter.pdf"),
                     (staff_client, "/api/v1/deadline-rules/"),
                     (court_client, "/api/v1/notices/00000000-0000-0000-0000-000000000000/")):
        assert_no_store(api.get(url), url)
    created = court_client.post("/api/v1/notices/", {}, format="json")
    assert created.status_code == 400
    assert_no_store(created, "POST /api/v1/notices/")


def test_a_refused_token_is_not_cached_either(client, db):
    response = client.get("/api/v1/notices/", HTTP_AUTHORIZATION="Token not-a-key")
    assert response.status_code == 401
    assert_no_store(response, "bad token")


def test_the_public_summary_stays_cacheable_for_anonymous_readers(client, world):
    response = client.get("/statistics/public/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
