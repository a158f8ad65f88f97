"""The audit trail: every change to notices, cases, defendants, designations (and, as they are built,
work-log entries, evaluations and subsidies) is kept by django-simple-history with who, when and what;
who is the caller for API-token requests and the system account for Celery tasks; a defendant's full
identity number is shown only where its viewing is recorded (or to the court that sent it); staff read
a case's history on the notice page."""
import re

import pytest
from django.apps import apps
from django.db.models import Max

from assignments.tests import factories as f
from cases.models import CourtCase, Defendant, Notice
from cases.tests.factories import notice_payload, receive
from cases.validators import mask_id_number
from conftest import token_client
from legalaid import clock
from legalaid.audit import SYSTEM_USERNAME
from legalaid.models import PersonalDataAccess

AUDITED = ["cases.Notice", "cases.CourtCase", "cases.Defendant", "assignments.Designation", "assignments.Lawyer"]
# Models being built elsewhere: whatever app they land in, they must keep their history too.
AUDITED_NAMES = re.compile(r"WorkLog|Evaluation|Subsid", re.I)


def history_models():
    return [m for m in apps.get_models() if m.__name__.startswith("Historical")]


def test_every_audited_model_keeps_its_history():
    for label in AUDITED:
        model = apps.get_model(label)
        assert hasattr(model, "history"), label
        fields = {f.name for f in model.history.model._meta.fields}
        assert {"history_user", "history_date", "history_type", "history_change_reason"} <= fields, label
    for model in apps.get_models():
        if AUDITED_NAMES.search(model.__name__) and not model.__name__.startswith("Historical"):
            assert hasattr(model, "history"), f"{model._meta.label} must keep its history (HistoricalRecords)"


def new_history_rows(before):
    rows = []
    for model in history_models():
        last = before.get(model, 0) or 0
        rows += list(model.objects.filter(history_id__gt=last))
    return rows


def history_marks():
    return {m: m.objects.aggregate(n=Max("history_id"))["n"] for m in history_models()}


def test_an_api_token_call_is_kept_with_its_caller(world, court_client):
    before = history_marks()
    response = court_client.post("/api/v1/notices/", notice_payload(), format="json")
    assert response.status_code == 201
    rows = new_history_rows(before)
    kinds = {type(r).__name__ for r in rows}
    assert {"HistoricalNotice", "HistoricalCourtCase", "HistoricalDefendant"} <= kinds
    assert {r.history_user_id for r in rows} == {world.court_user.pk}
    notice = Notice.objects.get(pk=response.json()["id"])
    before = history_marks()
    event = court_client.post(f"/api/v1/notices/{notice.pk}/events/", {
        "type": "hearing_scheduled", "starts_at": "2026-12-10T09:00:00+08:00", "place": "第一审判庭"}, format="json")
    assert event.status_code == 201
    change = CourtCase.history.filter(id=notice.case_id).latest("history_id")
    assert change.history_user == world.court_user and change.history_type == "~"
    assert change.prev_record.hearing_starts_at is None and change.hearing_starts_at is not None
    assert {r.history_user_id for r in new_history_rows(before)} == {world.court_user.pk}


def test_a_designation_through_the_api_is_kept_with_the_staff_member(world, staff_client):
    lawyer = f.lawyer(world)
    notice = receive(world)
    before = history_marks()
    response = staff_client.post(f"/api/v1/notices/{notice.pk}/designations/",
                                 {"lawyer": lawyer.pk, "reason": "熟悉", "override_reason": ""}, format="json")
    assert response.status_code == 201, response.content
    rows = new_history_rows(before)
    assert "HistoricalDesignation" in {type(r).__name__ for r in rows}
    assert {r.history_user_id for r in rows} == {world.staff.pk}


def test_a_celery_task_is_kept_as_the_system_with_the_task_named(world):
    from assignments.services import duty_shift_add
    from assignments.tasks import duty_route

    station = f.court_station(world)
    on_shift = f.lawyer(world, name="值班律师", account=True)
    duty_shift_add(station=station, date=clock.today(), lawyer=on_shift, actor=world.staff)
    notice = receive(world, procedure="summary")
    before = history_marks()
    result = duty_route.apply(args=[str(notice.pk)])  # runs the task as a worker would, signals and all
    assert result.successful() and result.result
    rows = new_history_rows(before)
    assert "HistoricalDesignation" in {type(r).__name__ for r in rows}
    assert {r.history_user.username for r in rows} == {SYSTEM_USERNAME}
    assert {r.history_change_reason for r in rows} == {"task assignments.tasks.duty_route"}
    assert not rows[0].history_user.is_active  # the system account cannot log in


def test_history_outside_a_task_or_request_keeps_what_the_service_said(world):
    from legalaid.models import User

    notice = receive(world)
    assert Notice.history.filter(id=notice.pk).latest("history_id").history_user == world.court_user
    assert not User.objects.filter(username=SYSTEM_USERNAME).exists()


# --- Identity numbers -------------------------------------------------------------------------------

@pytest.fixture
def designated(world):
    lawyer = f.lawyer(world, account=True)
    notice = receive(world)
    f.designate(world, notice, lawyer, reason="测试")
    return notice, lawyer.user


def test_the_court_that_sent_the_notice_reads_the_full_number(world, court_client, designated):
    notice, _lawyer = designated
    full = notice.defendant.id_number
    assert court_client.get(f"/api/v1/notices/{notice.pk}/").json()["defendant"]["id_number"] == full
    listed = court_client.get("/api/v1/notices/").json()["results"]
    assert [n["defendant"]["id_number"] for n in listed] == [full]


@pytest.mark.parametrize("who", ["staff", "supervisor", "auditor", "admin", "lawyer"])
def test_every_other_reader_of_the_api_gets_it_masked_and_nothing_needs_logging(world, designated, who):
    notice, lawyer_user = designated
    reader = lawyer_user if who == "lawyer" else getattr(world, who)
    client = token_client(reader)
    full = notice.defendant.id_number
    detail = client.get(f"/api/v1/notices/{notice.pk}/")
    listed = client.get("/api/v1/notices/")
    assert detail.status_code == 200 and listed.status_code == 200
    for body in (detail.content.decode(), listed.content.decode()):
        assert full not in body
    assert detail.json()["defendant"]["id_number"] == mask_id_number(full)
    assert not PersonalDataAccess.objects.exists()


def test_read_only_roles_get_residence_and_custody_place_masked(world, designated):
    notice, lawyer_user = designated
    residence = notice.defendant.residence
    for reader, masked in ((world.auditor, True), (world.staff, False), (lawyer_user, False)):
        defendant = token_client(reader).get(f"/api/v1/notices/{notice.pk}/").json()["defendant"]
        assert (defendant["residence"] != residence) == masked
        assert (defendant["custody"]["place"] != notice.defendant.custody_place) == masked


def test_the_page_shows_the_full_number_only_through_the_recorded_reveal(client, world):
    notice = receive(world)
    full = notice.defendant.id_number
    client.force_login(world.staff)
    assert full not in client.get(f"/notices/{notice.pk}/").content.decode()
    assert not PersonalDataAccess.objects.exists()
    assert full in client.post(f"/notices/{notice.pk}/reveal-id/").content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.defendant_id, access.field, access.channel) == (
        world.staff, notice.defendant_id, "id_number", "page")


# --- Reading a case's history ---------------------------------------------------------------------

@pytest.mark.parametrize("reader", ["staff", "auditor"])
def test_staff_read_a_cases_history_on_the_notice_page(client, world, court_client, reader):
    notice = receive(world)
    court_client.post(f"/api/v1/notices/{notice.pk}/events/", {
        "type": "materials_supplemented", "fields": {"defendant": {"residence": "河南省驻马店市西平县新地址"}}},
        format="json")
    client.force_login(getattr(world, reader))
    response = client.get(f"/notices/{notice.pk}/")
    assert response.status_code == 200
    history = response.context["history"]
    created = [e for e in history if e["type"] == "+"]
    assert {str(e["object"]) for e in created} >= {str(Notice._meta.verbose_name), str(CourtCase._meta.verbose_name),
                                                  str(Defendant._meta.verbose_name)}
    changes = [(e["user"], c) for e in history for c in e["changes"]
               if str(c["field"]) == str(Defendant._meta.get_field("residence").verbose_name)]
    assert changes and changes[0][0] == world.court_user
    # The residence is personal data: the history shows it masked, whoever reads it.
    assert "新地址" not in changes[0][1]["after"]
    html = response.content.decode()
    assert 'id="history"' in html and html.count('data-history="') == len(history)
