"""The admin for reference data (regions, agencies, courts) and the read-only notice views."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Agency, Court, Notice, NoticeEvent, Region
from cases.services import document_upload
from cases.tests.factories import receive


@pytest.fixture
def admin(client, world):
    client.force_login(world.admin)
    return client


def test_it_adds_a_county_its_agency_and_its_court(admin, world):
    response = admin.post("/admin/cases/region/add/", {"code": "411722", "name": "上蔡县", "level": "county",
                                                       "parent": world.city.pk})
    assert response.status_code == 302
    county = Region.objects.get(code="411722")
    response = admin.post("/admin/cases/agency/add/", {"name": "上蔡县法律援助中心", "region": county.pk,
                                                       "parent": world.city_agency.pk, "phone": "", "address": ""})
    assert response.status_code == 302
    agency = Agency.objects.get(name="上蔡县法律援助中心")
    response = admin.post("/admin/cases/court/add/", {
        "code": "豫1722", "name": "上蔡县人民法院", "level": "basic", "region": county.pk, "agency": agency.pk,
        "liaison_name": "", "liaison_phone": ""})
    assert response.status_code == 302
    assert Court.objects.get(code="豫1722").agency == agency


def test_a_court_code_is_unique(admin, world):
    response = admin.post("/admin/cases/court/add/", {
        "code": "豫1702", "name": "重复", "level": "basic", "region": world.yicheng.pk, "agency": world.agency.pk})
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()["code"]] == ["unique"]
    assert Court.objects.filter(code="豫1702").count() == 1


def test_regions_are_searchable_for_autocomplete(admin, world):
    response = admin.get("/admin/autocomplete/", {"app_label": "cases", "model_name": "agency",
                                                  "field_name": "region", "term": "驿城"})
    assert [r["text"] for r in response.json()["results"]] == ["驿城区"]


@pytest.mark.parametrize("model", ["notice", "noticeevent", "document"])
def test_notices_events_and_documents_are_read_only(admin, world, model, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    notice = receive(world)
    document = document_upload(notice=notice, kind="indictment", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"),
                               actor=world.court_user, max_bytes=1024)
    obj = {"notice": notice, "noticeevent": NoticeEvent.objects.filter(notice=notice).first(),
           "document": document}[model]
    base = f"/admin/cases/{model}/"
    assert admin.get(base).status_code == 200
    view = admin.get(f"{base}{obj.pk}/change/")
    assert view.status_code == 200
    assert admin.get(f"{base}add/").status_code == 403
    assert admin.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin.post(f"{base}{obj.pk}/change/", {"status": "closed"}).status_code == 403
    assert Notice.objects.get(pk=notice.pk).status == "received"
    if model == "document":
        assert f"/notices/{notice.pk}/documents/{document.pk}/" in view.content.decode()
    if model == "notice":
        assert f"/notices/{notice.pk}/" in view.content.decode()
