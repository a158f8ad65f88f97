"""The letter endpoint (PDF) answers every error in the contract's JSON error body with a JSON content
type, whatever the client accepts: a throttled call's 429 used to come as JSON bytes labelled
`application/pdf`."""
import pytest
from django.core.cache import cache

from assignments.tests import factories as f
from legalaid.api.throttling import PerTokenThrottle


@pytest.fixture
def designated(world):
    notice = f.notice(world)
    f.designate(world, notice, f.lawyer(world))
    return notice


def test_a_throttled_letter_request_is_json(designated, court_client, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "1/min", "anon": "1/min"})
    cache.clear()
    url = f"/api/v1/notices/{designated.pk}/letter.pdf"
    try:
        first = court_client.get(url, HTTP_ACCEPT="application/pdf")
        assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
        throttled = court_client.get(url, HTTP_ACCEPT="application/pdf")
    finally:
        cache.clear()
    assert throttled.status_code == 429
    assert throttled["Content-Type"].startswith("application/json")
    assert throttled.json()["errors"][0]["code"] == "throttled"


@pytest.mark.parametrize("accept", ["application/pdf", "*/*", "application/json"])
def test_a_missing_letter_is_a_json_404(world, court_client, accept):
    notice = f.notice(world)  # no designation yet: no letter
    response = court_client.get(f"/api/v1/notices/{notice.pk}/letter.pdf", HTTP_ACCEPT=accept)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["code"] == "not_found"
