"""GET /api/v1/deadline-rules/ and /api/v1/deadline-rules/<code>/due/?start= (docs/court-api.md)."""
import pytest
from rest_framework.test import APIClient

from cases.deadlines import rules as registry
from cases.deadlines.models import JurisdictionRule

URL = "/api/v1/deadline-rules/"


@pytest.fixture
def anon():
    return APIClient()


def codes(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_it_lists_every_rule_with_the_contract_fields_without_credentials(anon, db):
    response = anon.get(URL)
    assert response.status_code == 200
    rules = {r["code"]: r for r in response.json()}
    assert set(registry.CONTRACT_CODES) <= set(rules)
    assert set(rules) == set(registry.REGISTRY)
    for rule in rules.values():
        assert {"code", "title", "basis", "period", "unit", "party"} <= set(rule)
        assert rule["unit"] in ("calendar_days", "working_days", "hours", "days_before_event")
        assert rule["basis"] and rule["title"]
    assert rules["agency_assign_lawyer"]["period"] == 3
    assert rules["agency_assign_lawyer"]["unit"] == "working_days"
    assert rules["agency_assign_lawyer"]["party"] == "agency"
    assert rules["court_supplement_materials"]["unit"] == "days_before_event"


def test_titles_follow_accept_language(anon, db):
    zh = {r["code"]: r["title"] for r in anon.get(URL).json()}
    en = {r["code"]: r["title"] for r in anon.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()}
    assert zh["agency_assign_lawyer"] == registry.REGISTRY["agency_assign_lawyer"].title_zh
    assert en["agency_assign_lawyer"] == str(registry.REGISTRY["agency_assign_lawyer"].title_en)


def test_it_shows_one_rule_and_404s_an_unknown_code(anon, db):
    assert anon.get(URL + "court_inform_rights/").json()["basis"] == "M 3; N2018; CPL 34; SPCI 44"
    response = anon.get(URL + "no_such_rule/")
    assert response.status_code == 404
    assert codes(response) == [(None, "not_found")]
    assert anon.get(URL + "no_such_rule/due/?start=2026-09-30").status_code == 404


@pytest.mark.parametrize("start, due_at, provisional", [
    ("2026-09-30T10:00:00+08:00", "2026-10-10T23:59:59+08:00", False),
    ("2026-09-30T02:00:00Z", "2026-10-10T23:59:59+08:00", False),
    ("2026-09-30", "2026-10-10T23:59:59+08:00", False),
    ("2026-10-10T00:30:00", "2026-10-14T23:59:59+08:00", False),  # no offset: Beijing time
    ("2026-10-09T16:30:00Z", "2026-10-14T23:59:59+08:00", False),  # Saturday 00:30 in Beijing
    ("2026-12-30T10:00:00+08:00", "2027-01-04T23:59:59+08:00", True),  # 2027 not entered
])
def test_it_computes_the_due_moment(anon, db, start, due_at, provisional):
    response = anon.get(URL + "agency_assign_lawyer/due/", {"start": start})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["due_at"], body["provisional"]) == (due_at, provisional)
    assert body["rule"] == "agency_assign_lawyer" and body["basis"] == "M 5; N2018; LAL 36"


def test_a_date_start_is_echoed_as_a_date(anon, db):
    assert anon.get(URL + "court_inform_rights/due/", {"start": "2026-09-28"}).json()["start"] == "2026-09-28"


def test_it_counts_days_before_an_event_from_the_event(anon, db):
    body = anon.get(URL + "court_supplement_materials/due/", {"start": "2026-11-16T09:00:00+08:00"}).json()
    assert body["due_at"] == "2026-10-30T23:59:59+08:00"


def test_a_region_applies_its_overrides_and_local_rules(anon, world):
    JurisdictionRule.objects.create(region=world.henan, code="agency_assign_lawyer", period=3, unit="calendar_days",
                                    basis="LAL 36")
    JurisdictionRule.objects.create(region=world.city, code="local_file_provision", period=24, unit="hours",
                                    basis="local 3", title_zh="提供案卷", party="court")
    response = anon.get(URL + "agency_assign_lawyer/due/", {"start": "2026-09-30", "region": "411702"})
    assert response.json()["due_at"] == "2026-10-08T23:59:59+08:00"
    assert response.json()["basis"] == "LAL 36"
    listed = {r["code"]: r for r in anon.get(URL, {"region": "411702"}).json()}
    assert listed["agency_assign_lawyer"]["unit"] == "calendar_days"
    assert listed["local_file_provision"]["local"] is True
    local = anon.get(URL + "local_file_provision/due/", {"start": "2026-09-30T16:45:00+08:00", "region": "411702"})
    assert local.json()["due_at"] == "2026-10-01T17:00:00+08:00"
    # Without the region the local rule does not exist, and the national rule is unchanged.
    assert anon.get(URL + "local_file_provision/due/", {"start": "2026-09-30"}).status_code == 404
    assert anon.get(URL + "agency_assign_lawyer/due/", {"start": "2026-09-30"}).json()["due_at"] == \
        "2026-10-10T23:59:59+08:00"


def test_in_custody_applies_to_custody_periods_only(anon, world):
    JurisdictionRule.objects.create(region=world.henan, code="court_inform_rights", period=3, unit="calendar_days",
                                    basis="CPL 105", custody_period=True)
    query = {"start": "2026-09-28", "region": "411702"}
    assert anon.get(URL + "court_inform_rights/due/", query).json()["due_at"] == "2026-10-08T23:59:59+08:00"
    assert anon.get(URL + "court_inform_rights/due/", {**query, "in_custody": "true"}).json()["due_at"] == \
        "2026-10-01T23:59:59+08:00"


@pytest.mark.parametrize("query, expected", [
    ({}, [("start", "required")]),
    ({"start": ""}, [("start", "required")]),
    ({"start": "next tuesday"}, [("start", "invalid")]),
    ({"start": "2026-13-01"}, [("start", "invalid")]),
    ({"start": "2026-09-31T10:00:00+08:00"}, [("start", "invalid")]),
    ({"start": "1800-01-01"}, [("start", "out_of_range")]),
    ({"start": "2026-09-30", "in_custody": "maybe"}, [("in_custody", "invalid")]),
    ({"start": "2026-09-30", "region": "999999"}, [("region", "unknown_region")]),
])
def test_bad_queries_are_refused(anon, db, query, expected):
    response = anon.get(URL + "agency_assign_lawyer/due/", query)
    assert response.status_code == 400
    assert codes(response) == expected


def test_an_unknown_region_is_refused_on_the_list_too(anon, db):
    response = anon.get(URL, {"region": "999999"})
    assert response.status_code == 400
    assert codes(response) == [("region", "unknown_region")]


def test_the_schema_documents_the_endpoints(anon, db):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/deadline-rules/{code}/due/" in schema
