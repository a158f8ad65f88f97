"""GET /api/v1/notices/ and /api/v1/notices/<id>/ — scope, filters, pagination, query counts."""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Notice
from cases.tests.factories import receive

URL = "/api/v1/notices/"


def test_it_returns_own_notice(court_client, world):
    notice = receive(world)
    response = court_client.get(f"{URL}{notice.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == str(notice.pk)
    assert response.json()["defendant"]["name"] == notice.defendant.name


def test_another_courts_notice_is_404_like_a_missing_one(other_court_client, world):
    notice = receive(world)
    hidden = other_court_client.get(f"{URL}{notice.pk}/")
    missing = other_court_client.get(f"{URL}00000000-0000-0000-0000-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_list_shows_only_own_court(court_client, other_court_client, world):
    receive(world)
    receive(world)
    assert len(court_client.get(URL).json()["results"]) == 2
    assert other_court_client.get(URL).json()["results"] == []


def test_list_is_newest_change_first_and_filters_by_updated_since(court_client, world):
    with time_machine.travel(dt.datetime(2026, 10, 12, 2, 0, tzinfo=dt.UTC), tick=False):
        old = receive(world)
    with time_machine.travel(dt.datetime(2026, 10, 13, 2, 0, tzinfo=dt.UTC), tick=False):
        new = receive(world)
    ids = [n["id"] for n in court_client.get(URL).json()["results"]]
    assert ids == [str(new.pk), str(old.pk)]
    since = court_client.get(URL, {"updated_since": "2026-10-13T09:00:00+08:00"}).json()["results"]
    assert [n["id"] for n in since] == [str(new.pk)]


def test_list_filters_by_status(court_client, world):
    kept = receive(world)
    gone = receive(world)
    court_client.post(f"{URL}{gone.pk}/events/", {"type": "retained_counsel", "lawyer_name": "周某", "firm": "某所"},
                      format="json")
    withdrawn = court_client.get(URL, {"status": "withdrawn"}).json()["results"]
    assert [n["id"] for n in withdrawn] == [str(gone.pk)]
    received = court_client.get(URL, {"status": "received"}).json()["results"]
    assert [n["id"] for n in received] == [str(kept.pk)]


def test_bad_filters_are_400(court_client, world):
    response = court_client.get(URL, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "updated_since"
    assert court_client.get(URL, {"status": "lost"}).status_code == 400


def test_pagination_has_next_previous_results(court_client, world):
    for _ in range(3):
        receive(world)
    page = court_client.get(URL, {"page_size": 2}).json()
    assert set(page) >= {"next", "previous", "results"}
    assert len(page["results"]) == 2 and page["next"]
    second = court_client.get(page["next"]).json()
    assert len(second["results"]) == 1 and second["previous"]


def _count_list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_list_query_count_does_not_grow_with_rows(court_client, world):
    for _ in range(5):
        receive(world)
    court_client.get(URL)  # the token's first use of the minute records it; measure after
    few, rows = _count_list_queries(court_client)
    assert rows == 5
    for _ in range(45):
        receive(world)
    many, rows = _count_list_queries(court_client)
    assert rows == 50
    assert few == many


def test_agency_staff_read_their_region_in_the_api(staff_client, world):
    from conftest import token_client

    notice = receive(world)
    assert staff_client.get(f"{URL}{notice.pk}/").status_code == 200
    assert token_client(world.outsider).get(f"{URL}{notice.pk}/").status_code == 404
    assert token_client(world.city_staff).get(f"{URL}{notice.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_served(client, path):
    assert client.get(path).status_code == 200


def test_a_malformed_id_of_the_right_length_is_404(court_client, world):
    response = court_client.get("/api/v1/notices/" + "0" * 36 + "/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def _received_in_three_agencies(world, count):
    """`count` notices round the city's three agencies (驿城区, 西平县 and the city's own court), some
    changed at the same moment (ties in the list's order)."""
    from cases.api.serializers import NoticeCreateSerializer
    from cases.services import notice_receive
    from cases.tests.factories import notice_payload

    courts = [(world.court, world.court_user), (world.other_court, world.other_court_user),
              (world.city_court, world.court_user)]
    notices = []
    for i in range(count):
        court, user = courts[i % 3]
        serializer = NoticeCreateSerializer(data=notice_payload(case_number=f"（2026）{court.code}刑初{900 + i}号"))
        serializer.is_valid(raise_exception=True)
        notices.append(notice_receive(court=court, data=serializer.validated_data, actor=user))
    Notice.objects.filter(pk__in=[n.pk for n in notices[2:5]]).update(updated_at=notices[4].updated_at)
    return notices


def test_a_regions_list_walks_every_agencys_notices_in_order_both_ways(world):
    """The city's staff see three agencies' notices; walked page by page with the cursor, forward then
    back, the list gives each notice once, in the order of the whole list (each agency's first
    notices are read apart and sorted together: cases.selectors.notices_first_by_agency)."""
    from conftest import token_client

    _received_in_three_agencies(world, 11)
    expected = [str(pk) for pk in Notice.objects.order_by("-updated_at", "-id").values_list("pk", flat=True)]
    client = token_client(world.city_staff)
    pages, url = [], f"{URL}?page_size=2"
    while url:
        body = client.get(url).json()
        pages.append([n["id"] for n in body["results"]])
        url = body["next"]
    assert [pk for page in pages for pk in page] == expected
    back, url = [], body["previous"]
    while url:
        body = client.get(url).json()
        back.insert(0, [n["id"] for n in body["results"]])
        url = body["previous"]
    assert back == pages[:-1]
    only_xiping = token_client(world.outsider).get(URL).json()["results"]
    assert [n["court"] for n in only_xiping] == ["豫1721"] * 4
