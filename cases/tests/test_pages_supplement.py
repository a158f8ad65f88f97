"""POST /notices/<id>/supplement/ and /notices/<id>/supplements/<id>/send/ — the agency asks the court
to supplement the materials (M 5(3)), from its own form or from a draft the 15-day check prepared."""
import pytest

from cases.models import Notice, NoticeEvent, SupplementRequest
from cases.services import notice_withdraw, supplement_request_draft
from cases.tests.factories import UserFactory, receive
from legalaid.models import Role


@pytest.fixture
def notice(world):
    return receive(world)


def post(client, user, notice, **data):
    client.force_login(user)
    return client.post(f"/notices/{notice.pk}/supplement/", data)


def error_codes(response, field="items"):
    form = response.context["supplement_form"]
    key = field if field else "__all__"
    return [e.code for e in form.errors.as_data().get(key, [])]


def assert_nothing_asked(notice, status="received"):
    assert SupplementRequest.objects.count() == 0
    assert not NoticeEvent.objects.filter(code="supplement_requested").exists()
    assert Notice.objects.get(pk=notice.pk).status == status


def test_it_records_what_was_asked_and_marks_the_notice_incomplete(client, world, notice):
    response = post(client, world.staff, notice, items=["indictment_copy"], note="请于开庭前补充", ask_move_hearing="on")
    assert response.status_code == 302
    assert response["Location"] == f"/notices/{notice.pk}/"
    request = SupplementRequest.objects.get()
    assert (request.items, request.note, request.ask_move_hearing, request.status, request.sent_by) == (
        ["indictment_copy"], "请于开庭前补充", True, "sent", world.staff)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.INCOMPLETE
    event = NoticeEvent.objects.get(code="supplement_requested")
    assert event.actor == world.staff and event.data["items"] == ["indictment_copy"]
    assert event.data["ask_move_hearing"] is True


def test_a_colleague_and_the_supervisor_may_ask_too(client, world, notice):
    assert post(client, world.colleague, notice, items=["indictment_copy"]).status_code == 302
    assert post(client, world.supervisor, notice, note="另需补充判决书").status_code == 302
    assert SupplementRequest.objects.count() == 2


def test_the_form_starts_with_the_missing_materials_ticked(client, world, notice):
    client.force_login(world.staff)
    form = client.get(f"/notices/{notice.pk}/").context["supplement_form"]
    assert form.initial["items"] == ["indictment_copy"]


def test_asking_for_nothing_is_an_error_on_the_form(client, world, notice):
    response = post(client, world.staff, notice, items=[], note="   ")
    assert response.status_code == 400
    assert error_codes(response) == ["required"]
    assert_nothing_asked(notice)


def test_an_unknown_material_is_an_error(client, world, notice):
    response = post(client, world.staff, notice, items=["photo_of_the_judge"])
    assert response.status_code == 400
    assert error_codes(response) == ["invalid_choice"]
    assert_nothing_asked(notice)


def test_a_note_over_2000_characters_is_an_error(client, world, notice):
    response = post(client, world.staff, notice, items=["indictment_copy"], note="长" * 2001)
    assert response.status_code == 400
    assert error_codes(response, "note") == ["max_length"]
    assert_nothing_asked(notice)


def test_a_closed_notice_cannot_be_asked_about(client, world, notice):
    notice_withdraw(notice=notice, lawyer_name="周律师", firm="某律师事务所", actor=world.court_user)
    response = post(client, world.staff, notice, items=["indictment_copy"])
    assert response.status_code == 409
    assert error_codes(response, None) == ["notice_not_open"]
    assert_nothing_asked(notice, status="withdrawn")


def test_the_auditor_may_not_ask(client, world, notice):
    assert post(client, world.auditor, notice, items=["indictment_copy"]).status_code == 403
    assert_nothing_asked(notice)


def test_an_outsider_gets_404(client, world, notice):
    assert post(client, world.outsider, notice, items=["indictment_copy"]).status_code == 404
    assert_nothing_asked(notice)


@pytest.mark.parametrize("role", [Role.COURT, Role.LAWYER])
def test_court_accounts_and_lawyers_get_403(client, world, notice, role):
    user = world.court_user if role == Role.COURT else UserFactory(role=Role.LAWYER)
    assert post(client, user, notice, items=["indictment_copy"]).status_code == 403
    assert_nothing_asked(notice)


# --- Drafts --------------------------------------------------------------------------------------------------

@pytest.fixture
def draft(notice):
    return supplement_request_draft(notice=notice)


def send(client, user, notice, draft, **data):
    client.force_login(user)
    return client.post(f"/notices/{notice.pk}/supplements/{draft.pk}/send/", data)


def test_a_draft_shows_a_send_button(client, world, notice, draft):
    client.force_login(world.staff)
    html = client.get(f"/notices/{notice.pk}/").content.decode()
    assert f"/notices/{notice.pk}/supplements/{draft.pk}/send/" in html


def test_sending_a_draft_sends_it_and_marks_the_notice_incomplete(client, world, notice, draft):
    response = send(client, world.staff, notice, draft, note="请补充起诉书副本，必要时延期开庭")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.sent_by, draft.note) == ("sent", world.staff, "请补充起诉书副本，必要时延期开庭")
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.INCOMPLETE
    assert NoticeEvent.objects.get(code="supplement_requested").data["request"] == draft.pk


def test_sending_with_a_blank_note_keeps_the_drafted_one(client, world, notice, draft):
    drafted = draft.note
    send(client, world.staff, notice, draft, note="")
    draft.refresh_from_db()
    assert draft.status == "sent" and draft.note == drafted


def test_sending_twice_is_a_conflict(client, world, notice, draft):
    send(client, world.staff, notice, draft)
    response = send(client, world.colleague, notice, draft)
    assert response.status_code == 409
    assert response.context["action_error"]["code"] == "illegal_transition"
    draft.refresh_from_db()
    assert draft.sent_by == world.staff
    assert NoticeEvent.objects.filter(code="supplement_requested").count() == 1


def test_a_note_over_2000_characters_is_refused(client, world, notice, draft):
    response = send(client, world.staff, notice, draft, note="长" * 2001)
    assert response.status_code == 400
    assert response.context["action_error"]["code"] == "max_length"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_auditor_may_not_send(client, world, notice, draft):
    assert send(client, world.auditor, notice, draft).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_draft_is_only_sent_through_its_own_notice(client, world, notice, draft):
    other = receive(world)
    response = send(client, world.staff, other, draft)
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_outsider_cannot_send(client, world, notice, draft):
    assert send(client, world.outsider, notice, draft).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"
