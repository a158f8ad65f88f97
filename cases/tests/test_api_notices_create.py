"""POST /api/v1/notices/ — the contract's creation rules, and every bad input it names."""
import datetime as dt
import json

import pytest

from cases.models import CourtCase, Defendant, Notice, NoticeEvent
from cases.tests.factories import make_id_number, notice_payload
from legalaid import clock

URL = "/api/v1/notices/"


def post(client, body, **headers):
    return client.post(URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json", **headers)


def errors(response):
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def assert_nothing_created():
    assert Notice.objects.count() == 0
    assert CourtCase.objects.count() == 0
    assert Defendant.objects.count() == 0


def test_it_creates_a_notice_with_the_contract_shape(court_client, world):
    body = notice_payload(reason="full_coverage",
                          hearing={"starts_at": "2026-10-20T09:00:00+08:00", "place": "第三审判庭"})
    response = post(court_client, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == f"/api/v1/notices/{data['id']}/"
    assert data["status"] == "received"
    assert data["case_number"] == body["case_number"]
    assert data["eligibility"]["category"] == "full_coverage"
    assert data["eligibility"]["grounds"][0] == {"code": "ordinary_first_instance", "basis": "M 2(3)",
                                                 "title": data["eligibility"]["grounds"][0]["title"]}
    assert data["eligibility"]["differs_from_court_reason"] is False
    assert data["missing_materials"] == ["indictment_copy"]
    assert data["assignment"] is None
    assert data["received_at"].endswith("+08:00")
    rules = {d["rule"]: d for d in data["deadlines"]}
    assert set(rules) >= {"agency_assign_lawyer", "court_inform_rights", "court_supplement_materials"}
    assert rules["agency_assign_lawyer"]["due_at"].endswith("T23:59:59+08:00")
    assert rules["agency_assign_lawyer"]["status"] == "open"
    assert rules["agency_assign_lawyer"]["provisional"] in (True, False)
    notice = Notice.objects.get(pk=data["id"])
    assert notice.court == world.court and notice.agency == world.agency
    assert NoticeEvent.objects.filter(notice=notice, code="received").count() == 1


def test_it_reports_when_the_court_reason_differs(court_client):
    body = notice_payload(reason="duty_lawyer", defendant__may_face_life_or_death=True)
    data = post(court_client, body).json()
    assert data["eligibility"]["category"] == "mandatory"
    assert data["eligibility"]["differs_from_court_reason"] is True
    assert [g["code"] for g in data["eligibility"]["grounds"]] == ["life_or_death", "ordinary_first_instance"]


def test_it_groups_defendants_of_one_case(court_client):
    first = post(court_client, notice_payload(case_number="（2026）豫1702刑初7号"))
    second = post(court_client, notice_payload(case_number="（2026）豫1702刑初7号"))
    assert first.status_code == second.status_code == 201
    assert CourtCase.objects.count() == 1
    assert Defendant.objects.count() == 2


def test_it_accepts_a_defendant_known_by_name_and_birth_date(court_client):
    body = notice_payload(defendant__id_number="", defendant__birth_date="2009-05-01", defendant__gender="female")
    response = post(court_client, body)
    assert response.status_code == 201, response.content
    assert response.json()["eligibility"]["category"] == "mandatory"  # a minor on the day of acceptance


def test_messages_follow_accept_language(court_client):
    body = notice_payload(procedure="bogus")
    zh = post(court_client, body)
    en = post(court_client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 400
    assert zh.json()["errors"][0]["message"] != en.json()["errors"][0]["message"]
    assert "valid choice" in en.json()["errors"][0]["message"]


# --- Bad input: each gets its code and creates nothing ------------------------------------------

def test_malformed_json(court_client):
    response = court_client.post(URL, data=b"{", content_type="application/json")
    assert response.status_code == 400
    assert errors(response) == {(None, "malformed_json")}
    assert_nothing_created()


def test_unknown_field(court_client):
    response = post(court_client, notice_payload(colour="red"))
    assert response.status_code == 400
    assert ("colour", "unknown_field") in errors(response)
    assert_nothing_created()


def test_unknown_nested_field(court_client):
    response = post(court_client, notice_payload(defendant__nickname="小李"))
    assert response.status_code == 400
    assert ("defendant.nickname", "unknown_field") in errors(response)
    assert_nothing_created()


@pytest.mark.parametrize("field", ["case_number", "procedure", "accepted_on", "charges", "judge", "defendant"])
def test_missing_required_field(court_client, field):
    body = notice_payload()
    del body[field]
    response = post(court_client, body)
    assert response.status_code == 400
    assert (field, "required") in errors(response)
    assert_nothing_created()


def test_missing_judge_phone(court_client):
    response = post(court_client, notice_payload(judge={"name": "张某某"}))
    assert ("judge.phone", "required") in errors(response)
    assert_nothing_created()


def test_unknown_procedure(court_client):
    response = post(court_client, notice_payload(procedure="martial"))
    assert response.status_code == 400
    assert ("procedure", "invalid_choice") in errors(response)
    assert_nothing_created()


def test_future_acceptance_date(court_client):
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    response = post(court_client, notice_payload(accepted_on=tomorrow))
    assert response.status_code == 400
    assert ("accepted_on", "future_date") in errors(response)
    assert_nothing_created()


def test_hearing_before_acceptance(court_client):
    body = notice_payload(accepted_on="2026-09-28", hearing={"starts_at": "2026-09-27T09:00:00+08:00", "place": "一庭"})
    response = post(court_client, body)
    assert response.status_code == 400
    assert ("hearing.starts_at", "hearing_before_acceptance") in errors(response)
    assert_nothing_created()


def test_hearing_without_place(court_client):
    response = post(court_client, notice_payload(hearing={"starts_at": "2026-10-20T09:00:00+08:00"}))
    assert ("hearing.place", "required") in errors(response)
    assert_nothing_created()


def test_id_number_with_a_wrong_check_digit(court_client):
    good = make_id_number(dt.date(1990, 3, 7))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = post(court_client, notice_payload(defendant__id_number=bad))
    assert response.status_code == 400
    assert ("defendant.id_number", "invalid_id_check_digit") in errors(response)
    assert_nothing_created()


def test_id_number_of_the_wrong_shape(court_client):
    response = post(court_client, notice_payload(defendant__id_number="4117211990"))
    assert ("defendant.id_number", "invalid_id_format") in errors(response)
    assert_nothing_created()


def test_id_number_disagreeing_with_birth_date(court_client):
    body = notice_payload(birth=dt.date(1990, 3, 7), defendant__birth_date="1991-03-07")
    response = post(court_client, body)
    assert response.status_code == 400
    assert ("defendant.birth_date", "id_birth_date_mismatch") in errors(response)
    assert_nothing_created()


def test_id_number_disagreeing_with_gender(court_client):
    response = post(court_client, notice_payload(male=True, defendant__gender="female"))
    assert response.status_code == 400
    assert ("defendant.gender", "id_gender_mismatch") in errors(response)
    assert_nothing_created()


def test_birth_date_in_the_future(court_client):
    future = (clock.today() + dt.timedelta(days=3)).isoformat()
    response = post(court_client, notice_payload(defendant__id_number="", defendant__birth_date=future))
    assert response.status_code == 400
    assert ("defendant.birth_date", "future_date") in errors(response)
    assert_nothing_created()


def test_no_id_number_and_no_birth_date(court_client):
    body = notice_payload(defendant__id_number="")
    del body["defendant"]["birth_date"]
    response = post(court_client, body)
    assert ("defendant.birth_date", "required") in errors(response)
    assert_nothing_created()


def test_empty_charges(court_client):
    response = post(court_client, notice_payload(charges=[]))
    assert response.status_code == 400
    assert ("charges", "empty") in errors(response)
    assert_nothing_created()


def test_blank_charge(court_client):
    response = post(court_client, notice_payload(charges=["盗窃罪", " "]))
    assert ("charges.1", "required") in errors(response)
    assert_nothing_created()


def test_too_many_charges(court_client):
    response = post(court_client, notice_payload(charges=[f"罪{i}" for i in range(21)]))
    assert ("charges", "max_length") in errors(response)
    assert_nothing_created()


def test_detained_without_a_place(court_client):
    response = post(court_client, notice_payload(defendant__custody={"status": "detained"}))
    assert response.status_code == 400
    assert ("defendant.custody.place", "required") in errors(response)
    assert_nothing_created()


def test_unknown_condition(court_client):
    response = post(court_client, notice_payload(defendant__conditions=["tall"]))
    assert ("defendant.conditions.0", "invalid_choice") in errors(response)
    assert_nothing_created()


def test_a_body_that_is_not_an_object(court_client):
    response = court_client.post(URL, data="[]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] is None
    assert_nothing_created()


def test_duplicate_notice_answers_409_with_the_existing_link(court_client):
    body = notice_payload()
    first = post(court_client, body)
    again = post(court_client, body)
    assert again.status_code == 409
    assert errors(again) == {(None, "duplicate_notice")}
    assert again.json()["existing"] == f"/api/v1/notices/{first.json()['id']}/"
    assert Notice.objects.count() == 1


def test_duplicate_by_name_and_birth_date(court_client):
    body = notice_payload(defendant__id_number="", case_number="（2026）豫1702刑初55号")
    assert post(court_client, body).status_code == 201
    assert post(court_client, body).status_code == 409
    assert Notice.objects.count() == 1


def test_a_new_notice_is_accepted_once_the_old_one_is_withdrawn(court_client):
    body = notice_payload()
    first = post(court_client, body).json()
    court_client.post(f"{URL}{first['id']}/events/", {"type": "retained_counsel", "lawyer_name": "周律师",
                                                     "firm": "某律师事务所"}, format="json")
    assert post(court_client, body).status_code == 201
    assert Notice.objects.count() == 2


def test_no_token(world, client):
    response = client.post(URL, data=json.dumps(notice_payload()), content_type="application/json")
    assert response.status_code == 401
    assert errors(response) == {(None, "not_authenticated")}
    assert_nothing_created()


def test_a_wrong_token(world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    response = api.post(URL, notice_payload(), format="json")
    assert response.status_code == 401
    assert errors(response) == {(None, "invalid_token")}


def test_a_revoked_token(court_client, world):
    from legalaid.models import ApiToken

    ApiToken.objects.filter(user=world.court_user).update(revoked_at=clock.now())
    assert post(court_client, notice_payload()).status_code == 401


def test_a_staff_account_may_not_post_notices(staff_client):
    response = post(staff_client, notice_payload())
    assert response.status_code == 403
    assert errors(response) == {(None, "permission_denied")}
    assert_nothing_created()


# --- The answer is made without reading the notice back -------------------------------------------

def _same_as_stored(court_client, response):
    assert response.status_code == 201, response.content
    stored = court_client.get(response["Location"])
    assert stored.status_code == 200
    assert response.json() == stored.json()


def test_the_answer_is_the_notice_as_stored(court_client):
    """The 201 body is built from the objects just saved; it must be what a GET then reads."""
    body = notice_payload(reason="full_coverage", documents_attached=[],
                          hearing={"starts_at": "2026-10-20T09:00:00+08:00", "place": "第三审判庭"})
    _same_as_stored(court_client, post(court_client, body))


def test_the_answer_is_the_notice_as_stored_for_a_second_defendant(court_client):
    post(court_client, notice_payload(case_number="（2026）豫1702刑初8号"))
    second = notice_payload(case_number="（2026）豫1702刑初8号", birth=dt.date(1992, 5, 1),
                            hearing={"starts_at": "2026-10-21T09:00:00+08:00", "place": "第一审判庭"})
    _same_as_stored(court_client, post(court_client, second, HTTP_IDEMPOTENCY_KEY="second-defendant"))


def test_receiving_a_notice_does_a_fixed_number_of_queries(court_client, world, django_assert_num_queries):
    """Whatever the agency's size: the staff told of it are read in one query."""
    from cases.tests.factories import UserFactory
    from legalaid.models import Role

    # The first request of a process loads the calendar and records the token's use.
    assert post(court_client, notice_payload(case_number="（2026）豫1702刑初10号")).status_code == 201
    with django_assert_num_queries(NOTICE_POST_QUERIES):
        assert post(court_client, notice_payload(case_number="（2026）豫1702刑初11号"),
                    HTTP_IDEMPOTENCY_KEY="queries-1").status_code == 201
    for n in range(15):
        UserFactory(username=f"staff-more-{n}", role=Role.AGENCY_STAFF, agency=world.agency)
    with django_assert_num_queries(NOTICE_POST_QUERIES):
        assert post(court_client, notice_payload(case_number="（2026）豫1702刑初12号"),
                    HTTP_IDEMPOTENCY_KEY="queries-2").status_code == 201


# Token, key, the case (looked up, then stored with its history under a savepoint), defendant and
# notice with their history, the event, calendar versions, the region's rules, the deadlines, the
# staff, their messages and channel choices, the key's answer; the transaction's savepoints (the
# test's transaction makes BEGIN and COMMIT savepoints too).
NOTICE_POST_QUERIES = 23
