"""GET /notices/<id>/ — a notice's detail page; the "show full ID number" action; document downloads;
the case log and record history; scope and roles."""
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.api.serializers import NoticeCreateSerializer
from cases.api.views import _supplement_payload
from cases.models import Document, Notice
from cases.services import (
    document_upload,
    notice_materials_supplemented,
    notice_receive,
    supplement_request_create,
)
from cases.tests.factories import UserFactory, make_id_number, notice_payload, receive
from cases.validators import mask_id_number
from legalaid import clock
from legalaid.models import PersonalDataAccess, Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(notice, suffix=""):
    return f"/notices/{notice.pk}/{suffix}"


@pytest.fixture
def notice(world):
    return receive(world, reason="duty_lawyer", defendant__may_face_life_or_death=True,
                   defendant__residence="河南省驻马店市驿城区解放路100号",
                   hearing={"starts_at": "2026-10-20T09:00:00+08:00", "place": "第三审判庭"})


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path), "base_url": None}}}
    return tmp_path


def page(client, user, notice):
    client.force_login(user)
    return client.get(url(notice))


# --- What the page shows -------------------------------------------------------------------------------------

def test_it_shows_the_case_the_grounds_with_their_basis_and_the_missing_materials(client, world, notice):
    response = page(client, world.staff, notice)
    assert response.status_code == 200
    html = response.content.decode()
    assert notice.case.case_number in html
    assert world.court.name in html and "张某某" in html and "0396-1234567" in html and "第三审判庭" in html
    grounds = {g.code: g.basis for g in response.context["grounds"]}
    assert grounds == {"life_or_death": "CPL 35(3); LAL 25(1)(iv); SPCI 47(3)", "ordinary_first_instance": "M 2(3)"}
    for code, basis in grounds.items():
        assert f'data-ground="{code}"' in html and basis in html
    assert 'id="category-differs"' in html  # the court said duty_lawyer; the system says mandatory
    assert [m["code"] for m in response.context["missing"]] == ["indictment_copy"]
    assert 'data-material="indictment_copy"' in html


def test_it_shows_the_deadlines_as_a_timeline_with_basis_and_status(client, world, notice):
    response = page(client, world.staff, notice)
    rows = {row["code"]: row for row in response.context["deadlines"]}
    assert {"agency_assign_lawyer", "court_inform_rights", "court_supplement_materials"} <= set(rows)
    assign = rows["agency_assign_lawyer"]["deadline"]
    assert assign.basis == "M 5; N2018; LAL 36"
    html = response.content.decode()
    assert 'data-rule="agency_assign_lawyer"' in html and "M 5; N2018; LAL 36" in html
    # The due moment in Beijing time: a day-counted deadline ends at 23:59.
    shown = clock.to_beijing(assign.due_at).strftime("%Y-%m-%d %H:%M")
    assert shown.endswith(" 23:59") and shown in html


def test_it_leaves_a_slot_for_the_designation_panel(client, world, notice):
    assert 'id="assignment-panel"' in page(client, world.staff, notice).content.decode()


def test_it_masks_the_id_number_by_default(client, world, notice):
    response = page(client, world.staff, notice)
    html = response.content.decode()
    assert notice.defendant.id_number not in html
    assert mask_id_number(notice.defendant.id_number) in html
    assert response.context["may_reveal"] is True
    assert PersonalDataAccess.objects.count() == 0


def test_the_auditor_reads_but_sees_no_full_id_number_residence_custody_place_or_actions(client, world, notice):
    response = page(client, world.auditor, notice)
    assert response.status_code == 200
    html = response.content.decode()
    assert notice.defendant.id_number not in html and "解放路100号" not in html
    assert "驻马店市看守所" not in html and response.context["custody_place"] == "驻马店…"
    assert response.context["may_reveal"] is False and response.context["can_write"] is False
    assert 'id="reveal-id"' not in html and 'id="supplement-form"' not in html


def test_staff_see_the_residence_and_custody_place_in_full(client, world, notice):
    html = page(client, world.staff, notice).content.decode()
    assert "解放路100号" in html and "驻马店市看守所" in html


# --- Scope and roles -----------------------------------------------------------------------------------------

def test_the_owner_and_colleague_open_it(client, world, notice):
    for user in (world.staff, world.colleague, world.supervisor, world.city_staff, world.admin):
        assert page(client, user, notice).status_code == 200, user


def test_an_outsider_gets_404_like_a_notice_that_does_not_exist(client, world, notice):
    client.force_login(world.outsider)
    assert client.get(url(notice)).status_code == 404
    assert client.get(f"/notices/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize("role", [Role.COURT, Role.LAWYER])
def test_court_accounts_and_lawyers_get_403(client, world, notice, role):
    user = world.court_user if role == Role.COURT else UserFactory(role=Role.LAWYER)
    assert page(client, user, notice).status_code == 403


# --- Show full ID number -------------------------------------------------------------------------------------

def test_revealing_the_id_number_records_the_access_then_shows_it(client, world, notice):
    client.force_login(world.staff)
    response = client.post(url(notice, "reveal-id/"))
    assert response.status_code == 200
    assert notice.defendant.id_number in response.content.decode()
    assert response.context["revealed"] is True
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.defendant, access.field, access.channel) == (
        world.staff, notice.defendant, "id_number", "page")


@pytest.mark.parametrize("who", ["colleague", "supervisor", "admin"])
def test_colleagues_supervisors_and_administrators_may_reveal(client, world, notice, who):
    client.force_login(getattr(world, who))
    assert notice.defendant.id_number in client.post(url(notice, "reveal-id/")).content.decode()
    assert PersonalDataAccess.objects.filter(user=getattr(world, who)).count() == 1


def test_the_auditor_may_never_reveal(client, world, notice):
    client.force_login(world.auditor)
    response = client.post(url(notice, "reveal-id/"))
    assert response.status_code == 403
    assert notice.defendant.id_number not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_an_outsider_cannot_reveal(client, world, notice):
    client.force_login(world.outsider)
    assert client.post(url(notice, "reveal-id/")).status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_revealing_needs_a_post(client, world, notice):
    client.force_login(world.staff)
    assert client.get(url(notice, "reveal-id/")).status_code == 405
    assert PersonalDataAccess.objects.count() == 0


def test_revealing_needs_the_csrf_token(world, notice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    assert client.post(url(notice, "reveal-id/")).status_code == 403
    assert PersonalDataAccess.objects.count() == 0


# --- Documents -----------------------------------------------------------------------------------------------

def upload(notice, world, kind="indictment", name="起诉书.pdf"):
    return document_upload(notice=notice, kind=kind, upload=SimpleUploadedFile(name, PDF), actor=world.court_user,
                           max_bytes=20 * 1024 * 1024)


def test_it_lists_documents_and_downloads_them_for_users_in_scope(client, world, notice, uploads):
    document = upload(notice, world)
    response = page(client, world.staff, notice)
    link = f"/notices/{notice.pk}/documents/{document.pk}/"
    assert link in response.content.decode()
    assert response.context["missing"] == []  # the indictment arrived
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    client.force_login(world.auditor)
    assert client.get(link).status_code == 200


def test_an_outsider_cannot_download(client, world, notice, uploads):
    document = upload(notice, world)
    client.force_login(world.outsider)
    assert client.get(f"/notices/{notice.pk}/documents/{document.pk}/").status_code == 404


def test_a_document_is_only_reached_through_its_own_notice(client, world, notice, uploads):
    other = receive(world)
    document = upload(other, world)
    client.force_login(world.staff)
    assert client.get(f"/notices/{notice.pk}/documents/{document.pk}/").status_code == 404
    assert client.get(f"/notices/{other.pk}/documents/{document.pk}/").status_code == 200


def test_a_court_account_cannot_download_through_the_staff_pages(client, world, notice, uploads):
    document = upload(notice, world)
    client.force_login(world.court_user)
    assert client.get(f"/notices/{notice.pk}/documents/{document.pk}/").status_code == 403


def test_a_missing_file_is_404(client, world, notice, uploads):
    document = upload(notice, world)
    document.file.storage.delete(document.file.name)
    client.force_login(world.staff)
    assert client.get(f"/notices/{notice.pk}/documents/{document.pk}/").status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


# --- Case log and history ------------------------------------------------------------------------------------

def test_it_shows_the_case_log_with_who_when_from_and_to(client, world, notice):
    supplement_request_create(notice=notice, items=["indictment_copy"], note="请补充起诉书副本", actor=world.staff)
    response = page(client, world.staff, notice)
    events = [(row["event"].code, row["event"].from_status, row["event"].to_status, row["event"].actor)
              for row in response.context["events"]]
    assert events[0] == ("received", "", "received", world.court_user)
    assert ("supplement_requested", "received", "incomplete", world.staff) in events
    html = response.content.decode()
    assert 'data-event="supplement_requested"' in html and "请补充起诉书副本" in html


def test_it_shows_the_record_history_of_the_notice_case_and_defendant(client, world, notice):
    supplement_request_create(notice=notice, items=["indictment_copy"], note="", actor=world.staff)
    history = page(client, world.staff, notice).context["history"]
    objects = {str(entry["object"]) for entry in history}
    assert len(objects) == 3  # notice, court case, defendant
    status_changes = [(c["before"], c["after"], entry["user"]) for entry in history for c in entry["changes"]
                      if c["field"] == Notice._meta.get_field("status").verbose_name]  # in either language
    assert status_changes and status_changes[-1][2] == world.staff


def test_the_history_masks_a_corrected_id_number(client, world, notice):
    old = notice.defendant.id_number
    new = make_id_number(notice.defendant.birth_date, male=True, seq=555)
    corrected = _supplement_payload(notice, {"defendant": {"id_number": new}})
    serializer = NoticeCreateSerializer(data=corrected)
    serializer.is_valid(raise_exception=True)
    notice_materials_supplemented(notice=notice, data=serializer.validated_data, fields_given=["defendant"],
                                  documents_attached=[], actor=world.court_user)
    page_ = page(client, world.staff, notice)
    html = page_.content.decode()
    changes = [c for entry in page_.context["history"] for c in entry["changes"] if c["before"] == mask_id_number(old)]
    assert changes and changes[0]["after"] == mask_id_number(new)
    assert old not in html and new not in html


# --- Queries -------------------------------------------------------------------------------------------------

def _queries(client, notice):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(notice)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_log(client, world, uploads):
    quiet = receive(world)
    busy = receive(world)
    upload(busy, world)
    upload(busy, world, kind="other", name="其他.pdf")
    for i in range(4):
        supplement_request_create(notice=busy, items=["indictment_copy"], note=f"第{i}次", actor=world.staff)
    client.force_login(world.staff)
    assert _queries(client, quiet) == _queries(client, busy)


def test_it_serves_a_notice_of_another_court_of_the_prefecture_to_the_city_agency(client, world):
    serializer = NoticeCreateSerializer(data=notice_payload(court=world.other_court))
    serializer.is_valid(raise_exception=True)
    other = notice_receive(court=world.other_court, data=serializer.validated_data, actor=world.other_court_user)
    assert page(client, world.city_staff, other).status_code == 200
    assert page(client, world.staff, other).status_code == 404
