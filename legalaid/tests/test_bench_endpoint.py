"""The benchmark's minimal endpoint (legalaid/api/bench.py): absent unless BENCH_ENDPOINTS is set, and
when called it does nothing but authenticate, throttle and parse, as the court API does."""
from rest_framework.test import APIRequestFactory, force_authenticate

from legalaid.api.bench import BenchEcho


def test_it_is_not_mounted_by_default(court_client):
    response = court_client.post("/api/v1/bench/echo", {"a": 1}, format="json")

    assert response.status_code == 404


def test_it_answers_the_fields_it_parsed(world):
    request = APIRequestFactory().post("/api/v1/bench/echo", {"a": 1, "b": [2]}, format="json")
    force_authenticate(request, user=world.court_user)

    response = BenchEcho.as_view()(request)

    assert response.status_code == 201
    assert response.data == {"fields": 2}


def test_it_refuses_an_anonymous_caller(db):
    request = APIRequestFactory().post("/api/v1/bench/echo", {"a": 1}, format="json")

    response = BenchEcho.as_view()(request)

    assert response.status_code == 401

