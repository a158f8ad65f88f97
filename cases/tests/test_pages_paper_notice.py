"""/notices/new/ — a notice that arrived on paper, validated by the court API's own serializer and
received by the same service. Each bad input gives its error on its form field and creates nothing."""
import datetime as dt

import pytest

from cases.models import CourtCase, Defendant, Notice, NoticeEvent
from cases.tests.factories import UserFactory, make_id_number
from legalaid import clock
from legalaid.models import Role

URL = "/notices/new/"
BIRTH = dt.date(1990, 3, 7)
ID_NUMBER = make_id_number(BIRTH, male=True, seq=123)


def form_data(world, **overrides):
    data = {
        "court": world.court.pk, "case_number": "（2026）豫1702刑初900号", "procedure": "ordinary",
        "accepted_on": "2026-09-28", "charges": "盗窃罪\n诈骗罪", "reason": "full_coverage",
        "hearing_starts_at": "2026-10-20T09:00", "hearing_place": "第三审判庭",
        "judge_name": "张某某", "judge_phone": "0396-1234567",
        "defendant_name": "李某", "id_number": ID_NUMBER, "gender": "male", "birth_date": BIRTH.isoformat(),
        "ethnicity": "汉族", "custody_status": "detained", "custody_place": "驻马店市看守所",
        "residence": "河南省驻马店市驿城区", "conditions": [], "documents_attached": ["indictment"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, user, data):
    client.force_login(user)
    return client.post(URL, data)


def codes(response):
    form = response.context["form"]
    return {(field, e.code) for field, errors in form.errors.as_data().items() for e in errors}


def assert_nothing_created():
    assert Notice.objects.count() == 0
    assert CourtCase.objects.count() == 0
    assert Defendant.objects.count() == 0


def test_the_form_is_offered_to_staff(client, world):
    client.force_login(world.staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert [c.value for c, _label in response.context["form"].fields["court"].choices if c] == [world.court.pk]


def test_a_city_agency_may_enter_for_every_court_of_its_prefecture(client, world):
    client.force_login(world.city_staff)
    courts = {c.value for c, _label in client.get(URL).context["form"].fields["court"].choices if c}
    assert courts == {world.court.pk, world.other_court.pk, world.city_court.pk}


def test_it_receives_the_notice_like_the_api_does(client, world):
    response = post(client, world.staff, form_data(world))
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/notices/{notice.pk}/"
    assert (notice.source, notice.received_by, notice.court, notice.agency) == (
        "paper", world.staff, world.court, world.agency)
    assert notice.category == "full_coverage" and notice.grounds == ["ordinary_first_instance"]
    assert notice.missing_materials == ["indictment_copy"]
    assert notice.defendant.charges == ["盗窃罪", "诈骗罪"]
    assert notice.defendant.id_number == ID_NUMBER and notice.defendant.custody_place == "驻马店市看守所"
    assert clock.to_beijing(notice.case.hearing_starts_at) == dt.datetime(2026, 10, 20, 9, tzinfo=clock.BEIJING)
    assert notice.deadlines.filter(rule_code="agency_assign_lawyer", status="open").exists()
    assert NoticeEvent.objects.get(notice=notice, code="received").data["source"] == "paper"


def test_a_minor_without_an_id_number_is_classified_mandatory(client, world):
    post(client, world.staff, form_data(world, id_number="", gender="female", birth_date="2009-05-01",
                                        conditions=["deaf"]))
    notice = Notice.objects.get()
    assert notice.category == "mandatory" and notice.grounds[:2] == ["minor", "deaf"]


def test_the_supervisor_and_an_administrator_may_enter_notices(client, world):
    assert post(client, world.supervisor, form_data(world)).status_code == 302
    assert post(client, world.admin, form_data(world, court=world.other_court.pk, case_number="（2026）豫1721刑初900号",
                                                 id_number=make_id_number(BIRTH, seq=301))).status_code == 302
    assert Notice.objects.count() == 2


# --- Bad input: each gets its error on its field and creates nothing -----------------------------------------

TOMORROW = (clock.today() + dt.timedelta(days=1)).isoformat()
WRONG_CHECK = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")

BAD_INPUT = [
    ({"case_number": ""}, "case_number", "required"),
    ({"case_number": "号" * 65}, "case_number", "max_length"),
    ({"procedure": ""}, "procedure", "required"),
    ({"procedure": "martial"}, "procedure", "invalid_choice"),
    ({"accepted_on": ""}, "accepted_on", "required"),
    ({"accepted_on": "28/09/2026"}, "accepted_on", "invalid"),
    ({"accepted_on": TOMORROW}, "accepted_on", "future_date"),
    ({"charges": " \n "}, "charges", "empty"),
    ({"reason": "because"}, "reason", "invalid_choice"),
    ({"hearing_starts_at": "2026-09-27T09:00"}, "hearing_starts_at", "hearing_before_acceptance"),
    ({"hearing_place": ""}, "hearing_place", "required"),
    ({"hearing_starts_at": "", "hearing_place": "一庭"}, "hearing_starts_at", "required"),
    ({"judge_name": ""}, "judge_name", "required"),
    ({"judge_phone": ""}, "judge_phone", "required"),
    ({"judge_phone": "call me"}, "judge_phone", "invalid_phone"),
    ({"defendant_name": ""}, "defendant_name", "required"),
    ({"id_number": WRONG_CHECK}, "id_number", "invalid_id_check_digit"),
    ({"id_number": "4117211990"}, "id_number", "invalid_id_format"),
    ({"birth_date": "1991-03-07"}, "birth_date", "id_birth_date_mismatch"),
    ({"gender": "female"}, "gender", "id_gender_mismatch"),
    ({"gender": "other"}, "gender", "invalid_choice"),
    ({"id_number": "", "birth_date": TOMORROW}, "birth_date", "future_date"),
    ({"id_number": "", "birth_date": ""}, "birth_date", "required"),
    ({"custody_place": ""}, "custody_place", "required"),
    ({"custody_status": "", "custody_place": "某地"}, "custody_status", "required"),
    ({"custody_status": "exiled"}, "custody_status", "invalid_choice"),
    ({"conditions": ["clairvoyant"]}, "conditions", "invalid_choice"),
    ({"documents_attached": ["confession"]}, "documents_attached", "invalid_choice"),
    ({"court": ""}, "court", "required"),
]


@pytest.mark.parametrize("overrides,field,code", BAD_INPUT, ids=[f"{f}-{c}" for _o, f, c in BAD_INPUT])
def test_bad_input_is_an_error_on_its_field_and_creates_nothing(client, world, overrides, field, code):
    response = post(client, world.staff, form_data(world, **overrides))
    assert response.status_code == 400
    assert (field, code) in codes(response)
    assert_nothing_created()
    assert f'data-field="{field}"' in response.content.decode()


def test_a_court_out_of_scope_is_refused(client, world):
    response = post(client, world.staff, form_data(world, court=world.other_court.pk))
    assert response.status_code == 400
    assert ("court", "invalid_choice") in codes(response)
    assert_nothing_created()


def test_several_errors_are_shown_together(client, world):
    response = post(client, world.staff, form_data(world, procedure="martial", judge_phone="", id_number=WRONG_CHECK))
    assert {("procedure", "invalid_choice"), ("judge_phone", "required"),
            ("id_number", "invalid_id_check_digit")} <= codes(response)
    assert_nothing_created()


def test_a_duplicate_links_to_the_existing_notice(client, world):
    post(client, world.staff, form_data(world))
    existing = Notice.objects.get()
    response = post(client, world.colleague, form_data(world, case_number="（2026）豫1702刑初900号"))
    assert response.status_code == 409
    assert ("__all__", "duplicate_notice") in codes(response)
    assert response.context["duplicate"] == existing
    assert f'href="/notices/{existing.pk}/"' in response.content.decode()
    assert Notice.objects.count() == 1 and Defendant.objects.count() == 1


# --- Roles ---------------------------------------------------------------------------------------------------

def test_the_auditor_may_not_enter_notices(client, world):
    client.force_login(world.auditor)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(world)).status_code == 403
    assert_nothing_created()


@pytest.mark.parametrize("role", [Role.COURT, Role.LAWYER, Role.EVALUATOR])
def test_other_roles_get_403(client, world, role):
    user = world.court_user if role == Role.COURT else UserFactory(role=role)
    assert post(client, user, form_data(world)).status_code == 403
    assert_nothing_created()


def test_an_anonymous_post_goes_to_the_login_page(client, world):
    response = client.post(URL, form_data(world))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert_nothing_created()
