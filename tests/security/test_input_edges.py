"""Input at its edges: each bad value gets a clear error in the contract's shape (never a 500 or an
HTML page) and changes nothing.

- JSON nested 2,000 deep → 400 `too_deeply_nested` (legalaid.api.parsers).
- A body over DATA_UPLOAD_MAX_MEMORY_SIZE → 413 `body_too_large`, JSON (legalaid.api.errors, and
  legalaid.views.bad_request where Django refuses it before the view).
- /quality/training/?year=0, -1, 99999, abc → 400 with a message, the current year shown.
- A hearing in year 9999 → 400 on `hearing.starts_at` (notice and hearing events).
- A defendant's, a judge's name, a charge or a case number of only invisible characters → 400.
- Case numbers are stored in one canonical form (cases.case_numbers): the same number written with
  ASCII brackets, full-width digits or spaces is the same case, and a second open notice for the
  same defendant is a 409 duplicate.
- A court filing a number that carries another court's code → 400 on `case_number`."""
import datetime as dt
import json

import pytest

from cases.models import CourtCase, Notice, NoticeEvent
from cases.tests.factories import make_id_number, notice_payload, receive

URL = "/api/v1/notices/"


def post(client, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post(URL, data=data, content_type="application/json", **extra)


def errors(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def test_json_nested_2000_deep_is_a_400_in_the_contract_shape(world, court_client):
    nested = "x"
    for _ in range(40):  # deep enough to refuse, shallow enough for Python's decoder
        nested = [nested]
    for body in ("[" * 2000 + "]" * 2000, '{"a":' * 2000 + "1" + "}" * 2000,
                 json.dumps(notice_payload(charges=nested))):
        response = post(court_client, body)
        assert response.status_code == 400
        assert errors(response) == {(None, "too_deeply_nested")}
    assert not Notice.objects.exists()


def test_a_body_over_the_size_limit_is_a_413_in_the_contract_shape(world, court_client, settings):
    body = notice_payload(defendant__residence="河" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10))
    response = post(court_client, body)
    assert response.status_code == 413
    assert errors(response) == {(None, "body_too_large")}
    form = court_client.post(URL, {"blob": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}, format="multipart")
    assert form.status_code == 413 and errors(form) == {(None, "body_too_large")}
    assert not Notice.objects.exists()


@pytest.mark.parametrize("year", ["0", "-1", "99999", "abc", "2016"])
def test_a_training_year_out_of_range_gets_a_clear_answer(client, world, year):
    client.force_login(world.staff)
    response = client.get("/quality/training/", {"year": year})
    assert response.status_code == 400
    assert "2017" in response.content.decode()  # the message names the range


def test_a_good_training_year_still_works(client, world):
    client.force_login(world.staff)
    assert client.get("/quality/training/", {"year": "2026"}).status_code == 200


@pytest.mark.parametrize("starts_at", ["9999-12-31T09:00:00+08:00", "1999-12-31T09:00:00+08:00"])
def test_a_hearing_out_of_any_sane_range_is_refused(world, court_client, starts_at):
    response = post(court_client, notice_payload(hearing={"starts_at": starts_at, "place": "第三审判庭"}))
    assert response.status_code == 400
    assert ("hearing.starts_at", "hearing_out_of_range") in errors(response)
    assert not Notice.objects.exists()


def test_a_hearing_event_in_year_9999_is_refused(world, court_client):
    notice = receive(world)
    response = court_client.post(f"{URL}{notice.pk}/events/", {"type": "hearing_scheduled",
                                 "starts_at": "9999-01-04T09:00:00+08:00", "place": "第一审判庭"}, format="json")
    assert response.status_code == 400
    assert ("starts_at", "hearing_out_of_range") in errors(response)
    notice.case.refresh_from_db()
    assert notice.case.hearing_starts_at is None
    assert not NoticeEvent.objects.filter(notice=notice, code="hearing_scheduled").exists()


INVISIBLE = ["\u200b", "\u3000\u3000", "\ufeff", "\u200b \u3000\u200d\u2060", "\u202e\u200f"]


@pytest.mark.parametrize("text", INVISIBLE)
@pytest.mark.parametrize("field, body", [
    ("defendant.name", lambda t: notice_payload(defendant__name=t)),
    ("judge.name", lambda t: notice_payload(judge={"name": t, "phone": "0396-1234567"})),
    ("charges.0", lambda t: notice_payload(charges=[t])),
    ("case_number", lambda t: notice_payload(case_number=t)),
])
def test_a_name_of_only_invisible_characters_is_refused(world, court_client, text, field, body):
    response = post(court_client, body(text))
    assert response.status_code == 400
    assert (field, "required") in errors(response)
    assert not Notice.objects.exists()


def test_invisible_characters_around_and_inside_a_name_are_dropped(world, court_client):
    response = post(court_client, notice_payload(defendant__name="\ufeff\u200b李\u200b某\u3000"))
    assert response.status_code == 201, response.content
    assert Notice.objects.get().defendant.name == "李某"


SAME_NUMBER = ["（2026）豫1702刑初5号", "(2026)豫1702刑初5号", " ( 2026 ) 豫１７０２刑初５号 ", "\u200b(2026)豫1702刑初 5号",
               "〔2026〕豫1702刑初5号"]


@pytest.mark.parametrize("second", SAME_NUMBER[1:])
def test_the_same_case_number_written_another_way_is_the_same_case(world, court_client, second):
    defendant = {"defendant__name": "李某", "defendant__id_number": make_id_number(dt.date(1990, 3, 7), seq=501)}
    first = post(court_client, notice_payload(case_number=SAME_NUMBER[0], **defendant))
    assert first.status_code == 201
    duplicate = post(court_client, notice_payload(case_number=second, **defendant))
    assert duplicate.status_code == 409, duplicate.content
    assert duplicate.json()["errors"][0]["code"] == "duplicate_notice"
    assert Notice.objects.count() == 1 and CourtCase.objects.get().case_number == "（2026）豫1702刑初5号"


def test_a_codefendant_under_the_number_written_another_way_joins_the_case(world, court_client):
    assert post(court_client, notice_payload(case_number="（2026）豫1702刑初6号")).status_code == 201
    assert post(court_client, notice_payload(case_number="(2026)豫1702刑初６号")).status_code == 201
    assert CourtCase.objects.count() == 1 and Notice.objects.count() == 2
    listed = court_client.get(URL, {"case_number": "( 2026 )豫1702刑初6号"}).json()["results"]
    assert len(listed) == 2 and {n["case_number"] for n in listed} == {"（2026）豫1702刑初6号"}


@pytest.mark.parametrize("number", ["（2026）豫1702刑初1号", "(2026)豫17刑终3号", "（2026）豫刑终1号"])
def test_a_court_cannot_file_a_number_carrying_another_courts_code(world, other_court_client, number):
    response = post(other_court_client, notice_payload(case_number=number))
    assert response.status_code == 400
    assert errors(response) == {("case_number", "case_number_of_another_court")}
    assert "豫1721" in response.json()["errors"][0]["message"]
    assert not Notice.objects.exists() and not CourtCase.objects.exists()


def test_a_court_files_its_own_numbers_and_numbers_without_a_code(world, other_court_client):
    for number in ("（2026）豫1721刑初1号", "（2026）刑初2号"):
        assert post(other_court_client, notice_payload(case_number=number)).status_code == 201
