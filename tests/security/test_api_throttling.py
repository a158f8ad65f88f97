"""API throttling per token (legalaid/api/throttling.py): past the rate a token gets 429 with the
contract's error body and Retry-After; another token keeps its own budget; anonymous callers have
theirs. The rates are lowered here on the throttle classes (they read them when first imported)."""
import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from conftest import token_client
from legalaid.api.throttling import PerTokenThrottle

URL = "/api/v1/notices/"


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"token": "3/min", "anon": "2/min"}
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield
    cache.clear()


def test_a_token_past_its_rate_gets_429_with_the_error_body(world, low_rates):
    client = token_client(world.court_user)
    assert [client.get(URL).status_code for _n in range(3)] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    (error,) = response.json()["errors"]
    assert error["code"] == "throttled" and error["field"] is None and error["message"]


def test_each_token_has_its_own_budget(world, low_rates):
    first, second = token_client(world.court_user), token_client(world.court_user)
    for _n in range(3):
        first.get(URL)
    assert first.get(URL).status_code == 429
    assert second.get(URL).status_code == 200  # another key of the same court: its own budget
    assert token_client(world.other_court_user).get(URL).status_code == 200


def test_posts_count_too_and_a_throttled_post_creates_nothing(world, low_rates):
    from cases.models import Notice
    from cases.tests.factories import notice_payload

    client = token_client(world.court_user)
    for _n in range(3):
        assert client.post(URL, notice_payload(), format="json").status_code == 201
    response = client.post(URL, notice_payload(), format="json")
    assert response.status_code == 429 and Notice.objects.count() == 3


def test_anonymous_callers_are_throttled_by_address(client, db, low_rates):
    rules = "/api/v1/deadline-rules/"  # public: no token needed
    assert [client.get(rules).status_code for _n in range(2)] == [200, 200]
    assert client.get(rules).status_code == 429
