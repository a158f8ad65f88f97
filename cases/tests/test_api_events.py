"""POST /api/v1/notices/<id>/events/ — hearing, materials supplemented, retained counsel."""
import pytest

from cases.models import Notice, NoticeEvent
from cases.tests.factories import receive


def post_event(client, notice, body, **extra):
    return client.post(f"/api/v1/notices/{notice.pk}/events/", body, format="json", **extra)


def codes(response):
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def test_hearing_scheduled_sets_the_hearing_and_opens_the_materials_clock(court_client, world):
    notice = receive(world)
    response = post_event(court_client, notice, {"type": "hearing_scheduled",
                                                 "starts_at": "2026-12-21T09:00:00+08:00", "place": "第一审判庭"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["hearing"] == {"starts_at": "2026-12-21T09:00:00+08:00", "place": "第一审判庭"}
    clock = {d["rule"]: d for d in data["deadlines"]}["court_supplement_materials"]
    assert clock["due_at"] == "2026-12-04T23:59:59+08:00"  # 15 days before Monday 21 December: a Sunday → Friday
    assert clock["status"] == "open"


def test_hearing_changed_moves_the_clock_for_every_defendant_of_the_case(court_client, world):
    first = receive(world, case_number="（2026）豫1702刑初900号",
                    hearing={"starts_at": "2026-12-21T09:00:00+08:00", "place": "一庭"})
    second = receive(world, case_number="（2026）豫1702刑初900号")
    response = post_event(court_client, first, {"type": "hearing_changed",
                                                "starts_at": "2027-01-11T09:00:00+08:00", "place": "二庭"})
    assert response.status_code == 201
    for notice in (first, second):
        data = court_client.get(f"/api/v1/notices/{notice.pk}/").json()
        due = {d["rule"]: d for d in data["deadlines"]}["court_supplement_materials"]["due_at"]
        assert due == "2026-12-25T23:59:59+08:00"
    assert NoticeEvent.objects.filter(notice=second, code="hearing_changed").exists()


def test_hearing_scheduled_twice_is_a_conflict(court_client, world):
    notice = receive(world, hearing={"starts_at": "2026-12-21T09:00:00+08:00", "place": "一庭"})
    response = post_event(court_client, notice, {"type": "hearing_scheduled",
                                                 "starts_at": "2026-12-22T09:00:00+08:00", "place": "一庭"})
    assert response.status_code == 409
    assert codes(response) == {(None, "hearing_already_scheduled")}


def test_hearing_changed_without_a_hearing_is_a_conflict(court_client, world):
    notice = receive(world)
    response = post_event(court_client, notice, {"type": "hearing_changed",
                                                 "starts_at": "2026-12-22T09:00:00+08:00", "place": "一庭"})
    assert response.status_code == 409


def test_hearing_before_acceptance_is_refused(court_client, world):
    notice = receive(world, accepted_on="2026-09-28")
    response = post_event(court_client, notice, {"type": "hearing_scheduled",
                                                 "starts_at": "2026-09-01T09:00:00+08:00", "place": "一庭"})
    assert response.status_code == 400
    assert codes(response) == {("starts_at", "hearing_before_acceptance")}
    notice.case.refresh_from_db()
    assert notice.case.hearing_starts_at is None


def test_materials_supplemented_corrects_fields_and_reclassifies(court_client, world):
    notice = receive(world)
    assert notice.category == "full_coverage"
    response = post_event(court_client, notice, {
        "type": "materials_supplemented",
        "fields": {"defendant": {"conditions": ["deaf"]}, "judge": {"phone": "0396-7654321"}},
        "documents_attached": ["indictment"]})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["eligibility"]["category"] == "mandatory"
    assert data["judge"]["phone"] == "0396-7654321"
    assert data["defendant"]["conditions"] == ["deaf"]
    event = NoticeEvent.objects.get(notice=notice, code="materials_supplemented")
    assert event.data["category_before"] == "full_coverage" and event.data["category"] == "mandatory"


def test_materials_supplemented_with_a_bad_value_changes_nothing(court_client, world):
    notice = receive(world)
    response = post_event(court_client, notice, {"type": "materials_supplemented",
                                                 "fields": {"defendant": {"id_number": "411721199003071230"}}})
    assert response.status_code == 400
    assert ("fields.defendant.id_number", "invalid_id_check_digit") in codes(response)
    notice.defendant.refresh_from_db()
    assert notice.defendant.id_number != "411721199003071230"
    assert not NoticeEvent.objects.filter(notice=notice, code="materials_supplemented").exists()


def test_materials_supplemented_with_an_unknown_field(court_client, world):
    notice = receive(world)
    response = post_event(court_client, notice, {"type": "materials_supplemented", "fields": {"colour": "red"}})
    assert response.status_code == 400
    assert ("fields.colour", "unknown_field") in codes(response)


def test_an_incomplete_notice_becomes_received_when_the_document_arrives(court_client, world, tmp_path, settings):
    from cases.services import supplement_request_create

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    notice = receive(world)
    supplement_request_create(notice=notice, items=["indictment_copy"], note="请补充起诉书副本", actor=world.staff)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.INCOMPLETE
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = court_client.post(f"/api/v1/notices/{notice.pk}/documents/",
                                 {"kind": "indictment", "file": SimpleUploadedFile("起诉书.pdf", pdf)},
                                 format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["missing_materials"] == []
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED
    assert NoticeEvent.objects.filter(notice=notice, code="materials_complete").exists()


def test_retained_counsel_withdraws_aid_and_stops_the_clocks(court_client, world):
    notice = receive(world)
    response = post_event(court_client, notice, {"type": "retained_counsel", "lawyer_name": "周律师",
                                                 "firm": "河南某律师事务所"})
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "withdrawn"
    assert {d["status"] for d in data["deadlines"] if d["rule"] == "agency_assign_lawyer"} == {"waived"}


def test_an_event_on_a_withdrawn_notice_is_409(court_client, world):
    notice = receive(world)
    post_event(court_client, notice, {"type": "retained_counsel", "lawyer_name": "周律师", "firm": "某所"})
    response = post_event(court_client, notice, {"type": "retained_counsel", "lawyer_name": "周律师", "firm": "某所"})
    assert response.status_code == 409
    assert codes(response) == {(None, "notice_not_open")}


@pytest.mark.parametrize("body, field, code", [
    ({"type": "eclipse"}, "type", "invalid_choice"),
    ({}, "type", "required"),
    ({"type": "retained_counsel", "firm": "某所"}, "lawyer_name", "required"),
    ({"type": "retained_counsel", "lawyer_name": "周", "firm": "某所", "extra": 1}, "extra", "unknown_field"),
    ({"type": "hearing_scheduled", "starts_at": "soon", "place": "一庭"}, "starts_at", "invalid"),
])
def test_bad_event_bodies(court_client, world, body, field, code):
    notice = receive(world)
    response = post_event(court_client, notice, body)
    assert response.status_code == 400
    assert (field, code) in codes(response)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED


def test_events_on_another_courts_notice_are_404(other_court_client, world):
    notice = receive(world)
    response = post_event(other_court_client, notice, {"type": "retained_counsel", "lawyer_name": "周", "firm": "所"})
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED
