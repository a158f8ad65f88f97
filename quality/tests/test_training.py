"""/api/v1/training-records/ and /api/v1/training-report/ — staff record the sessions lawyers
attend; the yearly report lists every lawyer against the minimum of their region (default 4)."""
import pytest

from assignments.tests import factories as f
from assignments.tests.work import fields, post
from conftest import token_client
from quality.models import QualitySettings, TrainingRecord

BODY = {"course": "认罪认罚从宽制度适用", "held_on": "2026-05-20", "hours": "3", "provider": "驻马店市司法局"}


def test_staff_record_a_session_and_the_report_counts_it(world):
    lawyer = f.lawyer(world)
    client = token_client(world.staff)
    response = post(client, "/api/v1/training-records/", {**BODY, "lawyer": lawyer.pk})
    assert response.status_code == 201, response.json()
    assert response.json()["lawyer"] == {"id": lawyer.pk, "name": lawyer.name}
    report = client.get("/api/v1/training-report/?year=2026").json()
    assert [(r["lawyer"]["id"], r["sessions"], r["minimum"], r["under"]) for r in report] == [(lawyer.pk, 1, 4, True)]
    assert len(client.get("/api/v1/training-records/?year=2026").json()) == 1


def test_the_minimum_is_the_lawyers_regions_local_rule(world):
    county, other = f.lawyer(world, region=world.yicheng), f.lawyer(world, region=world.xiping)
    QualitySettings.objects.create(region=world.yicheng, training_minimum=1)
    QualitySettings.objects.create(region=world.city, training_minimum=6)
    rows = token_client(world.auditor).get("/api/v1/training-report/").json()
    report = {r["lawyer"]["id"]: r["minimum"] for r in rows}
    assert report == {county.pk: 1, other.pk: 6}


@pytest.mark.parametrize("overrides, field", [
    ({"hours": "0.2"}, "hours"), ({"hours": "1.25"}, "hours"), ({"hours": "120"}, "hours"),
    ({"course": ""}, "course"), ({"held_on": "2099-01-01"}, "held_on"), ({"lawyer": 999999}, "lawyer"),
])
def test_it_refuses_a_bad_value(world, overrides, field):
    lawyer = f.lawyer(world)
    response = post(token_client(world.staff), "/api/v1/training-records/", {**BODY, "lawyer": lawyer.pk, **overrides})
    assert response.status_code == 400 and fields(response) == {field}
    assert not TrainingRecord.objects.exists()


def test_a_malformed_year_is_400(world):
    response = token_client(world.staff).get("/api/v1/training-report/?year=20x6")
    assert response.status_code == 400 and fields(response) == {"year"}


def test_readers_do_not_record_and_lawyers_do_not_read(world):
    lawyer = f.lawyer(world, account=True)
    body = {**BODY, "lawyer": lawyer.pk}
    assert post(token_client(world.auditor), "/api/v1/training-records/", body).status_code == 403
    assert token_client(lawyer.user).get("/api/v1/training-report/").status_code == 403
    assert not TrainingRecord.objects.exists()


def test_the_report_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    client = token_client(world.staff)
    f.lawyer(world)
    client.get("/api/v1/training-report/")
    with django_assert_num_queries(3):  # the token, the settings, the lawyers with their counts
        client.get("/api/v1/training-report/")
    for _ in range(3):
        f.lawyer(world)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/training-report/").json()) == 4
