"""The layout every staff page shares: login and logout, the language switcher (zh-hans first),
navigation by role, the unread-messages slot, the start page per role, error pages, and no inline
script or style anywhere (the Content-Security-Policy forbids them)."""
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from cases.tests.factories import UserFactory, receive
from legalaid.models import Role
from legalaid.views import url_exists

PASSWORD = "pw-for-tests-1"  # UserFactory's


def nav(response):
    return [item["name"] for item in response.context["nav_items"]]


# --- Login and logout ----------------------------------------------------------------------------------------

def test_it_logs_in_through_the_login_page_and_lands_on_the_inbox(client, world):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/notices/"
    assert response.status_code == 200
    assert response.context["user"] == world.staff


def test_a_wrong_password_is_refused(client, world):
    response = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["invalid_login"]
    assert "_auth_user_id" not in client.session


def test_the_login_page_returns_to_where_the_user_was_going(client, world):
    notice = receive(world)
    response = client.get(f"/notices/{notice.pk}/")
    assert response.status_code == 302
    response = client.post(response["Location"], {"username": "staff", "password": PASSWORD,
                                                  "next": f"/notices/{notice.pk}/"})
    assert response["Location"] == f"/notices/{notice.pk}/"


def test_logout_is_a_post_form_in_the_header(client, world):
    client.force_login(world.staff)
    html = client.get("/notices/").content.decode()
    assert re.search(r'<form class="logout" method="post" action="/accounts/logout/">', html)
    assert world.staff.display_name in html
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/notices/").status_code == 302


# --- Language ------------------------------------------------------------------------------------------------

def test_pages_speak_simplified_chinese_by_default_whatever_the_browser_says(client, world):
    client.force_login(world.staff)
    response = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_switcher_turns_the_pages_to_english_and_back(client, world):
    client.force_login(world.staff)
    html = client.get("/notices/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/notices/?status=received"})
    assert response.status_code == 302 and response["Location"] == "/notices/?status=received"
    english = client.get("/notices/")
    assert english["Content-Language"] == "en" and '<html lang="en">' in english.content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/notices/"})
    assert client.get("/notices/")["Content-Language"] == "zh-hans"


def test_an_unknown_language_changes_nothing(client, world):
    client.force_login(world.staff)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/notices/"})
    assert client.get("/notices/")["Content-Language"] == "zh-hans"


def test_the_api_still_follows_accept_language(client, court_client):
    assert court_client.get("/api/v1/notices/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


# --- Navigation and the header -------------------------------------------------------------------------------

def test_staff_navigation(client, world):
    client.force_login(world.staff)
    response = client.get("/notices/")
    assert nav(response)[:2] == ["notice-inbox", "notice-new"]
    assert "admin:index" not in nav(response)
    assert [i["name"] for i in response.context["nav_items"] if i["active"]] == ["notice-inbox"]


def test_the_auditor_has_no_entry_link(client, world):
    client.force_login(world.auditor)
    assert "notice-new" not in nav(client.get("/notices/"))


def test_an_administrator_sees_the_admin_link(client, world):
    client.force_login(world.admin)
    assert "admin:index" in nav(client.get("/notices/"))


def test_the_paper_entry_page_marks_its_own_entry_active(client, world):
    client.force_login(world.staff)
    response = client.get("/notices/new/")
    assert [i["name"] for i in response.context["nav_items"] if i["active"]] == ["notice-new"]


def _header(user, **context):
    request = RequestFactory().get("/notices/")
    request.user = user
    return render_to_string("base.html", context, request=request)


def test_the_unread_count_is_shown_when_present(world):
    html = _header(world.staff, unread_count=3, unread_url="/messages/")
    assert re.search(r'id="unread-count"\s+href="/messages/" data-count="3"', html)
    assert 'class="unread unread--none"' in _header(world.staff, unread_count=0)


def test_the_unread_slot_counts_the_users_unread_messages(world):
    from notifications.services import notify

    notify(key="t", recipients=[world.staff], kind="notice_received", params={"case": "x"})
    html = _header(world.staff)
    assert re.search(r'id="unread-count"[^>]*data-count="1"', html)


# --- Start page and errors -----------------------------------------------------------------------------------

def test_the_start_page_sends_staff_to_the_inbox(client, world):
    client.force_login(world.staff)
    assert client.get("/")["Location"] == "/notices/"


def test_a_court_account_gets_a_start_page_pointing_to_the_api(client, world):
    client.force_login(world.court_user)
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/api/docs/"' in response.content.decode()
    assert nav(response) == []


def test_a_lawyer_goes_to_the_lawyer_pages_or_gets_the_start_page_until_they_exist(client, db):
    client.force_login(UserFactory(role=Role.LAWYER))
    response = client.get("/")
    if url_exists("lawyer-home"):
        assert response["Location"] == reverse("lawyer-home")
    else:
        assert response.status_code == 200


def test_403_and_404_pages_use_the_layout(client, world):
    client.force_login(world.court_user)
    forbidden = client.get("/notices/")
    assert forbidden.status_code == 403 and 'class="site-header"' in forbidden.content.decode()
    client.force_login(world.staff)
    missing = client.get("/notices/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404 and 'class="site-header"' in missing.content.decode()


# --- Content-Security-Policy: no inline script or style ------------------------------------------------------

INLINE = [re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"), re.compile(r"<style[\s>]"), re.compile(r"\sstyle="),
          re.compile(r"\son[a-z]+=")]


def assert_no_inline_code(response):
    html = response.content.decode()
    for pattern in INLINE:
        assert not pattern.search(html), (pattern.pattern, response.request["PATH_INFO"])
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["staff", "auditor"])
def test_no_page_has_inline_script_or_style(client, world, who):
    notice = receive(world)
    assert_no_inline_code(client.get("/accounts/login/"))
    client.force_login(getattr(world, who))
    for path in ("/notices/", f"/notices/{notice.pk}/", "/notices/?status=bogus"):
        assert_no_inline_code(client.get(path))
    if who == "staff":
        assert_no_inline_code(client.get("/notices/new/"))
        assert_no_inline_code(client.post("/notices/new/", {"case_number": ""}))
        assert_no_inline_code(client.post(f"/notices/{notice.pk}/reveal-id/"))


def test_pages_load_their_css_and_js_from_static_files(client, world):
    client.force_login(world.staff)
    html = client.get("/notices/").content.decode()
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    js = re.search(r'<script src="([^"]+)"', html).group(1)
    assert client.get(css).status_code == 200 and client.get(js).status_code == 200
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
