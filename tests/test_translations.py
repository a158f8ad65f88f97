"""The translation catalogues: Simplified Chinese is complete and compiled (every msgid has a Chinese
msgstr with the same placeholders, nothing fuzzy, one plural form), English exists so it can be
switched to, pages speak Chinese by default and English after the language cookie, and API error
messages follow Accept-Language with zh-hans as the default.

The catalogue is read with the standard library only (polib is not a project requirement): a small
.po reader here, and gettext.GNUTranslations for the committed .mo files."""
import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from cases.models import Notice
from cases.tests.factories import notice_payload, receive

LOCALE = Path(settings.BASE_DIR) / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH_MO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"

# Python-format placeholders: %(name)s / %(n)d / %(value)r, and bare %s / %d.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdirf]|%[sdirf]")
TAG = re.compile(r"</?\w[^>]*>")
CJK = re.compile(r"[\u4e00-\u9fff]")


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a str, or a list for plural
    entries), flags, obsolete. The header (empty msgid) is the first entry."""
    entries, current, key, flags, obsolete = [], {}, None, set(), False

    def flush():
        nonlocal current, key, flags, obsolete
        if "msgid" in current:
            plural = sorted(k for k in current if k.startswith("msgstr["))
            entries.append({
                "msgctxt": current.get("msgctxt"),
                "msgid": current["msgid"],
                "msgid_plural": current.get("msgid_plural"),
                "msgstr": [current[k] for k in plural] if plural else current.get("msgstr"),
                "flags": flags,
                "obsolete": obsolete,
            })
        current, key, flags, obsolete = {}, None, set(), False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
        if not line:
            flush()
        elif line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    flush()
    return entries


def header(entries) -> dict:
    first = entries[0]
    assert first["msgid"] == "" and first["msgctxt"] is None
    return dict(line.split(": ", 1) for line in first["msgstr"].splitlines() if ": " in line)


def forms(entry) -> list[str]:
    return entry["msgstr"] if isinstance(entry["msgstr"], list) else [entry["msgstr"]]


def label(entry) -> str:
    return f"{entry['msgctxt']}|{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]


@pytest.fixture(scope="module")
def zh():
    entries = read_po(ZH_PO)
    return header(entries), entries[1:]


# --- The zh_Hans catalogue ------------------------------------------------------------------------------------

def test_it_has_one_plural_form_and_a_clean_header(zh):
    meta, entries = zh
    assert meta["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in read_po(ZH_PO)[0]["flags"]
    assert len(entries) > 900  # what the branch holds: a catalogue that lost its entries fails here


def test_every_msgid_has_a_chinese_msgstr(zh):
    _meta, entries = zh
    assert [label(e) for e in entries if not all(m.strip() for m in forms(e))] == []
    # Chinese, not the English copied over: every msgstr has a Chinese character, apart from words
    # that are the same in both languages.
    same_in_both = {"URL"}
    assert [label(e) for e in entries if e["msgid"] not in same_in_both and not CJK.search("".join(forms(e)))] == []


def test_nothing_is_fuzzy_or_obsolete(zh):
    _meta, entries = zh
    assert [label(e) for e in entries if "fuzzy" in e["flags"]] == []
    assert [label(e) for e in entries if e["obsolete"]] == []


def test_plural_entries_have_their_one_form(zh):
    _meta, entries = zh
    plurals = [e for e in entries if e["msgid_plural"]]
    assert plurals, "the catalogue has plural entries (ngettext / blocktranslate count)"
    assert [label(e) for e in plurals if len(e["msgstr"]) != 1] == []


def test_placeholders_and_markup_are_kept(zh):
    _meta, entries = zh
    wrong = []
    for e in entries:
        # With one plural form the msgstr serves every count, so it carries the plural's placeholders.
        source = e["msgid_plural"] or e["msgid"]
        for msgstr in forms(e):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(msgstr)):
                wrong.append((label(e), "placeholders", msgstr))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(msgstr)):
                wrong.append((label(e), "markup", msgstr))
            names = dict.fromkeys(re.findall(r"%\((\w+)\)", source), 1)
            if "python-format" in e["flags"] and names:
                try:
                    msgstr % names
                except (KeyError, ValueError, TypeError) as error:
                    wrong.append((label(e), "format", repr(error)))
    assert wrong == []


def test_the_committed_mo_holds_what_the_po_says(zh):
    """The compiled catalogue is committed (a fresh machine has no gettext tools): it must not lag
    behind the .po."""
    _meta, entries = zh
    with ZH_MO.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    assert mo.info()["plural-forms"].replace(" ", "") == "nplurals=1;plural=0;"
    stale = []
    for e in entries:
        if e["msgid_plural"]:
            got = [mo.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], n) if e["msgctxt"]
                   else mo.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2, 5)]
            want = [e["msgstr"][0]] * 3
        else:
            got = mo.pgettext(e["msgctxt"], e["msgid"]) if e["msgctxt"] else mo.gettext(e["msgid"])
            want = e["msgstr"]
        if got != want:
            stale.append(label(e))
    assert stale == []


def test_the_english_catalogue_exists_and_is_compiled():
    assert "en" in dict(settings.LANGUAGES)
    entries = read_po(EN_PO)
    assert header(entries)["Language"] == "en"
    assert EN_MO.is_file()
    with EN_MO.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    # English msgids are shown as they are.
    assert mo.gettext("Notices of defence") == "Notices of defence"


def test_django_uses_the_catalogue():
    with translation.override("zh-hans"):
        assert CJK.search(str(Notice.Status.RECEIVED.label))
        assert CJK.search(translation.pgettext("person", "Name"))
        assert translation.pgettext("person", "Name") != translation.gettext("Name")
        assert translation.ngettext("%(counter)s notice", "%(counter)s notices", 3) % {"counter": 3} \
            == translation.ngettext("%(counter)s notice", "%(counter)s notices", 1) % {"counter": 3}
    with translation.override("en"):
        assert str(Notice.Status.RECEIVED.label) == "Received"


# --- Pages: Chinese by default, English after the language cookie --------------------------------------------

def test_the_login_page_is_in_chinese_by_default(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "刑事案件律师辩护全覆盖" in html
    assert "Log in" not in html and "Password" not in html


def test_the_login_page_is_in_english_with_the_language_cookie(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Log in" in html and "Password" in html
    assert "登录" not in html


def test_the_notice_inbox_is_in_chinese_by_default(client, world):
    receive(world)
    client.force_login(world.staff)
    html = client.get("/notices/").content.decode()
    assert "通知辩护" in html
    with translation.override("zh-hans"):
        for text in (translation.gettext("Notices of defence"), translation.pgettext("time", "Received"),
                     str(Notice.Status.RECEIVED.label), translation.gettext("Designation due")):
            assert CJK.search(text) and text in html
    assert "Notices of defence" not in html and "Designation due" not in html


def test_the_notice_inbox_switches_to_english_and_back(client, world):
    receive(world)
    client.force_login(world.staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/notices/"})
    html = client.get("/notices/").content.decode()
    assert "Notices of defence" in html and "Designation due" in html
    assert "通知辩护" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/notices/"})
    assert "通知辩护" in client.get("/notices/").content.decode()


def test_a_notice_page_is_in_chinese(client, world):
    notice = receive(world)
    client.force_login(world.staff)
    html = client.get(f"/notices/{notice.pk}/").content.decode()
    with translation.override("zh-hans"):
        for text in (translation.pgettext("person", "Name"), translation.gettext("Identity number"),
                     translation.gettext("Case log"), translation.gettext("Eligibility")):
            assert CJK.search(text) and text in html


# --- API errors follow Accept-Language ------------------------------------------------------------------------

NOTICES = "/api/v1/notices/"


def post_notice(client, body, **headers):
    return client.post(NOTICES, data=json.dumps(body, ensure_ascii=False), content_type="application/json",
                       **headers)


def message(response, code):
    return next(e["message"] for e in response.json()["errors"] if e["code"] == code)


@pytest.mark.parametrize("accept", ["", "zh-CN,zh;q=0.9", "fr-FR,fr;q=0.9"])
def test_api_errors_are_chinese_by_default(court_client, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = court_client.post(NOTICES, data=b"{", content_type="application/json", **headers)
    assert response.status_code == 400
    assert response["Content-Language"] == "zh-hans"
    with translation.override("zh-hans"):
        expected = translation.gettext("The request body is not valid JSON.")
    assert CJK.search(expected)
    assert message(response, "malformed_json") == expected
    assert Notice.objects.count() == 0


def test_api_errors_are_english_when_asked(court_client):
    response = court_client.post(NOTICES, data=b"{", content_type="application/json",
                                 HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"
    assert message(response, "malformed_json") == "The request body is not valid JSON."


def test_validation_and_domain_messages_follow_accept_language(court_client, world):
    body = notice_payload(colour="red")
    zh_response = post_notice(court_client, body)
    en_response = post_notice(court_client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert zh_response.status_code == en_response.status_code == 400
    assert message(en_response, "unknown_field") == "Unknown field."
    with translation.override("zh-hans"):
        assert message(zh_response, "unknown_field") == translation.gettext("Unknown field.")
    assert CJK.search(message(zh_response, "unknown_field"))
    assert Notice.objects.count() == 0


def test_authentication_errors_follow_accept_language(client, db):
    zh_response = client.get(NOTICES, HTTP_AUTHORIZATION="Token not-a-real-token")
    en_response = client.get(NOTICES, HTTP_AUTHORIZATION="Token not-a-real-token", HTTP_ACCEPT_LANGUAGE="en")
    assert zh_response.status_code == en_response.status_code == 401
    assert zh_response.json()["errors"][0]["code"] == en_response.json()["errors"][0]["code"]
    assert CJK.search(zh_response.json()["errors"][0]["message"])
    assert not CJK.search(en_response.json()["errors"][0]["message"])

