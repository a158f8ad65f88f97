"""Idempotency-Key on POSTs (docs/court-api.md)."""
import json

from cases.models import Notice
from cases.tests.factories import notice_payload, receive
from legalaid.models import IdempotencyKey

URL = "/api/v1/notices/"


def post(client, body, key):
    return client.post(URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY=key)


def test_a_replay_returns_the_first_response_and_creates_nothing(court_client):
    body = notice_payload()
    first = post(court_client, body, "key-1")
    again = post(court_client, body, "key-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Location"] == first["Location"]
    assert Notice.objects.count() == 1


def test_the_same_body_with_keys_in_another_order_is_the_same_request(court_client):
    body = notice_payload()
    post(court_client, body, "key-2")
    reordered = dict(reversed(list(body.items())))
    assert post(court_client, reordered, "key-2").status_code == 201
    assert Notice.objects.count() == 1


def test_the_same_key_with_another_body_is_422(court_client):
    post(court_client, notice_payload(), "key-3")
    response = post(court_client, notice_payload(), "key-3")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert Notice.objects.count() == 1


def test_keys_belong_to_their_account(court_client, other_court_client, world):
    # A number without a recognisable court code, so that both courts may file the same body.
    body = notice_payload(case_number="（2026）刑初77号")
    post(court_client, body, "shared-key")
    # The other court's identical key is its own: it gets its own answer, not court A's notice.
    other = post(other_court_client, body, "shared-key")
    assert other.status_code == 201
    assert other.json()["court"] == "豫1721"


def test_an_error_is_not_kept_so_the_client_may_fix_and_retry(court_client):
    bad = notice_payload(procedure="bogus")
    assert post(court_client, bad, "key-4").status_code == 400
    assert IdempotencyKey.objects.count() == 0
    assert post(court_client, notice_payload(), "key-4").status_code == 201


def test_an_invalid_key_is_400(court_client):
    response = post(court_client, notice_payload(), "x" * 65)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_idempotency_key"
    assert post(court_client, notice_payload(), "naïve").status_code == 400
    assert Notice.objects.count() == 0


def test_events_replay_too(court_client, world):
    notice = receive(world)
    body = {"type": "retained_counsel", "lawyer_name": "周律师", "firm": "某所"}
    url = f"/api/v1/notices/{notice.pk}/events/"
    first = court_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="ev-1")
    again = court_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="ev-1")
    assert first.status_code == again.status_code == 201  # not 409: the replay returns the first answer
    assert notice.events.filter(code="retained_counsel").count() == 1


def test_purge_keeps_keys_seven_days(court_client):
    import datetime as dt

    import time_machine

    from legalaid.api.idempotency import purge

    with time_machine.travel(dt.datetime(2026, 10, 1, tzinfo=dt.UTC), tick=False):
        post(court_client, notice_payload(accepted_on="2026-09-28"), "old")
    with time_machine.travel(dt.datetime(2026, 10, 8, 1, tzinfo=dt.UTC), tick=False):
        assert purge() == 0
    with time_machine.travel(dt.datetime(2026, 10, 9, 1, tzinfo=dt.UTC), tick=False):
        assert purge() == 1
