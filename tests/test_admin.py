"""The admin for accounts, API tokens and the personal-data access log."""
import hashlib
import re

import pytest

from legalaid.models import ApiToken, PersonalDataAccess, User

ADD_TOKEN = "/admin/legalaid/apitoken/add/"


@pytest.fixture
def admin_client_(client, world):
    client.force_login(world.admin)
    return client


def issued_key(response) -> str:
    keys = [m for message in response.context["messages"] for m in re.findall(r"\b[0-9a-f]{40}\b", str(message))]
    assert len(keys) == 1, "the key is shown exactly once"
    return keys[0]


def test_it_generates_a_token_stores_only_its_hash_and_shows_the_key_once(admin_client_, world, client):
    response = admin_client_.post(ADD_TOKEN, {"user": world.court_user.pk, "name": "驿城区法院对接"}, follow=True)
    assert response.status_code == 200
    raw = issued_key(response)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8] and token.user == world.court_user
    assert raw not in str(ApiToken.objects.values().get())
    # Shown once: the next page shows no key.
    again = admin_client_.get(f"/admin/legalaid/apitoken/{token.pk}/change/")
    assert raw not in again.content.decode()
    # And the key works on the court API.
    client.logout()
    assert client.get("/api/v1/notices/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 200


def test_editing_a_token_keeps_its_key(admin_client_, world):
    response = admin_client_.post(ADD_TOKEN, {"user": world.court_user.pk, "name": "a"}, follow=True)
    issued_key(response)
    token = ApiToken.objects.get()
    before = token.key_hash
    admin_client_.post(f"/admin/legalaid/apitoken/{token.pk}/change/", {"name": "b", "revoked_at_0": "",
                                                                      "revoked_at_1": ""})
    token.refresh_from_db()
    assert token.name == "b" and token.key_hash == before


def test_a_token_needs_an_account(admin_client_):
    response = admin_client_.post(ADD_TOKEN, {"name": "orphan"})
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()["user"]] == ["required"]
    assert ApiToken.objects.count() == 0


def test_revoking_tokens_stops_them_working(admin_client_, world, client):
    raw = issued_key(admin_client_.post(ADD_TOKEN, {"user": world.court_user.pk, "name": "x"}, follow=True))
    token = ApiToken.objects.get()
    admin_client_.post("/admin/legalaid/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/notices/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401


# --- Users ---------------------------------------------------------------------------------------------------

def add_user(client, **fields):
    data = {"username": "new-user", "usable_password": "true", "password1": "Zhumadian-2026-pw",
            "password2": "Zhumadian-2026-pw", "full_name": "新用户", "role": "agency_staff"}
    data.update(fields)
    return client.post("/admin/legalaid/user/add/", data)


def test_it_creates_a_court_account_with_its_court(admin_client_, world):
    response = add_user(admin_client_, role="court", court=world.court.pk)
    assert response.status_code == 302
    user = User.objects.get(username="new-user")
    assert (user.role, user.court, user.full_name) == ("court", world.court, "新用户")


def test_a_court_account_without_a_court_is_refused(admin_client_):
    response = add_user(admin_client_, role="court")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not User.objects.filter(username="new-user").exists()


def test_agency_staff_without_an_agency_is_refused(admin_client_, world):
    response = add_user(admin_client_, role="agency_staff")
    assert response.status_code == 200
    assert not User.objects.filter(username="new-user").exists()
    assert add_user(admin_client_, role="agency_staff", agency=world.agency.pk).status_code == 302


def test_the_user_list_filters_by_role(admin_client_, world):
    response = admin_client_.get("/admin/legalaid/user/", {"role__exact": "court"})
    assert {u.username for u in response.context["cl"].result_list} == {"court-1702", "court-1721"}


# --- Access log and who may use the admin --------------------------------------------------------------------

def test_the_access_log_is_read_only(admin_client_, world):
    from cases.tests.factories import receive

    notice = receive(world)
    access = PersonalDataAccess.objects.create(user=world.staff, defendant=notice.defendant, field="id_number",
                                               channel="page")
    assert admin_client_.get("/admin/legalaid/personaldataaccess/").status_code == 200
    assert admin_client_.get(f"/admin/legalaid/personaldataaccess/{access.pk}/change/").status_code == 200
    assert admin_client_.get("/admin/legalaid/personaldataaccess/add/").status_code == 403
    delete = admin_client_.post(f"/admin/legalaid/personaldataaccess/{access.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert PersonalDataAccess.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "supervisor", "auditor", "court_user"])
def test_only_administrators_use_the_admin(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
