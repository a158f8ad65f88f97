"""What the fuzzing found, kept as plain tests: a path under /api/ that matches nothing answers the
contract's JSON error (not the site's HTML page); malformed ids and dates are the caller's 4xx, never
a 500; the published schema documents the errors every operation can answer."""
import pytest

from legalaid.models import Role


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/notices/%C2%84/",
                                  "/api/v1/deadline-rules/%C2%84/due/"])
def test_an_unknown_api_path_is_a_json_404(staff_client, path):
    response = staff_client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "not_found"


def test_an_unknown_page_is_still_the_html_404(client, db):
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("tail", ["designations/", "recommendation/", "replace/", "terminate/"])
def test_a_malformed_notice_id_is_404_not_500(staff_client, tail):
    url = f"/api/v1/notices/{'0' * 36}/{tail}"
    response = staff_client.get(url) if tail in ("designations/", "recommendation/") else staff_client.post(
        url, {}, format="json")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"


def test_a_malformed_date_filter_is_400(staff_client):
    response = staff_client.get("/api/v1/duty-shifts/?date=null")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "date", "code": "invalid", "message": response.json()["errors"][0]["message"]}]
    assert staff_client.get("/api/v1/duty-shifts/?date=2026-11-23").status_code == 200


def test_the_fairness_report_needs_an_agency(world):
    from conftest import token_client

    assert world.admin.role == Role.ADMIN and world.admin.agency_id is None
    response = token_client(world.admin).get("/api/v1/fairness/?from=2026-01-01&to=2026-12-31")
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "permission_denied"


def test_every_operation_documents_the_common_errors(client, db):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["Errors"]["properties"]["errors"]["items"]["required"] == [
        "field", "code", "message"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "404", "405", "415", "429"} | ({"413", "422"} if method == "post" else set())
            assert expected <= set(operation["responses"]), (method, path)


@pytest.mark.parametrize("path", ["/api/v1/deadline-rules/?region=41%0017", "/api/v1/notices/?case_number=%00",
                                  "/api/v1/duty-shifts/?da%00te=1"])
def test_a_nul_character_in_the_query_is_400_not_500(staff_client, path):
    """PostgreSQL refuses NUL in a string: on PostgreSQL these were server errors (found by fuzzing)."""
    response = staff_client.get(path)
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "null_character"


def test_a_nul_character_in_a_page_query_is_400(client, world):
    client.force_login(world.staff)
    assert client.get("/notices/?q=%00").status_code == 400


@pytest.mark.urls("tests.security.failing_urls")
def test_a_server_error_in_the_api_answers_the_error_body_and_tells_nothing_more(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/fail/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "server_error"
    assert "RuntimeError" not in response.content.decode()
    page = client.get("/fail/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
    assert "a fault in our own code" not in page.content.decode()
