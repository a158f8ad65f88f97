"""The permissions matrix of docs/permissions.md, cell by cell.

Each table row is one test. It builds a world of three courts in two prefectures (two notices at each:
one without a lawyer, one with a designated lawyer), then, for every role, sends the row's request
inside a savepoint that is rolled back afterwards, and checks the cell:

- `✓`: the answer is a success (2xx, or a page's redirect that is not to the login page and queued no
  error message); for `✓ <scope>`, the request is also sent for each notice just outside the scope and
  must be refused, and a list must show the notices in scope and none outside it;
- `✗`: 401 / 403 / 404 (a page: 403 / 404 or the login page), and no table gained or lost a row;
- `∅`: 200, and none of the world's notices appears in the answer.
"""
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from cases.tests.factories import UserFactory, make_id_number, notice_payload
from legalaid import clock
from legalaid.models import ApiToken, Role

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"
ROLES = ["court", "staff", "supervisor", "auditor", "evaluator", "lawyer", "detention", "file_system", "admin",
         "anonymous"]
SCOPES = {"own court", "county", "prefecture", "all", "own cases"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Tables whose rows change on any request and say nothing about what a role may do.
NOT_WRITES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


# --- The table ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    action: str
    method: str
    path: str
    body: str
    cells: tuple

    def __str__(self):
        return self.action


_REQUEST = re.compile(r"^`(?P<method>GET|POST) (?P<path>\S+)(?: (?P<body>.+))?`$")


def read_matrix(text=None) -> list[Row]:
    text = text if text is not None else DOC.read_text()
    block = text.split("<!-- matrix:start -->", 1)[1].split("<!-- matrix:end -->", 1)[0]
    lines = [line.strip() for line in block.strip().splitlines() if line.strip().startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[:2] == ["Action", "Request"] and len(header) == 2 + len(ROLES), header
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == 2 + len(ROLES), f"a row needs {2 + len(ROLES)} cells: {line}"
        match = _REQUEST.match(cells[1])
        assert match, f"the request must read `METHOD /path [body]`: {cells[1]}"
        for cell in cells[2:]:
            assert cell in ("✓", "✗", "∅") or (cell.startswith("✓ ") and cell[2:] in SCOPES), f"cell {cell!r}"
        rows.append(Row(cells[0], match["method"], match["path"], match["body"] or "", tuple(cells[2:])))
    return rows


ROWS = read_matrix()


def test_the_table_reads_and_covers_what_the_issue_lists():
    actions = " ".join(row.action.lower() for row in ROWS)
    for needed in ("notice list", "read a notice", "post a notice", "court event", "upload a document", "letter",
                   "reveal", "supplement", "paper notice", "designate", "terminate", "replace", "roster",
                   "import", "duty", "deadline board", "waive", "delivery log", "replay", "lawyer's designations",
                   "statistics", "history"):
        assert needed in actions, needed
    assert len({row.action for row in ROWS}) == len(ROWS)


def test_a_malformed_row_is_an_error_not_a_skip():
    bad = ("<!-- matrix:start -->\n| Action | Request | " + " | ".join(ROLES) + " |\n|---|\n"
           "| Read | `GET /x/` | ✓ |\n<!-- matrix:end -->")
    with pytest.raises(AssertionError):
        read_matrix(bad)


# --- The world ----------------------------------------------------------------------------------

def build_matrix_world(tmp_path, settings):
    """build_world's Zhumadian slice plus a second prefecture (Xinyang), an account in every role,
    and two notices at each of three courts (豫1702 county, 豫1721 county, 豫1502 in Xinyang)."""
    from assignments.models import DutyStation
    from assignments.services import lawyer_designate
    from assignments.tests import factories as af
    from cases.api.serializers import NoticeCreateSerializer
    from cases.models import Agency, Court, Region
    from cases.services import document_upload, notice_receive
    from cases.tests.factories import build_world
    from notifications.models import Delivery
    from quality.subsidies.models import Subsidy, SubsidyLine

    w = build_world()
    xinyang = Region.objects.create(code="411500", name="信阳市", level=Region.Level.PREFECTURE, parent=w.henan)
    shihe = Region.objects.create(code="411502", name="浉河区", level=Region.Level.COUNTY, parent=xinyang)
    xinyang_agency = Agency.objects.create(name="信阳市法律援助中心", region=xinyang)
    shihe_agency = Agency.objects.create(name="信阳市浉河区法律援助中心", region=shihe, parent=xinyang_agency)
    w.far_court = Court.objects.create(code="豫1502", name="信阳市浉河区人民法院", level=Court.Level.BASIC,
                                       region=shihe, agency=shihe_agency)
    w.far_court_user = UserFactory(username="court-1502", role=Role.COURT, court=w.far_court)
    w.evaluator = UserFactory(username="evaluator", role=Role.EVALUATOR, agency=w.city_agency)
    w.detention = UserFactory(username="detention", role=Role.DETENTION_CENTRE)
    w.file_system = UserFactory(username="file-system", role=Role.FILE_SYSTEM)

    w.lawyer_record = af.lawyer(w, name="王律师", account=True)
    w.lawyer = w.lawyer_record.user
    w.spare_lawyer = af.lawyer(w, name="李律师")
    w.far_lawyer = af.lawyer(w, name="赵律师", region=shihe)
    w.firm = w.spare_lawyer.firm
    w.station = DutyStation.objects.create(agency=w.agency, kind=DutyStation.Kind.COURT, court=w.court,
                                           name="驿城区人民法院法律援助工作站")

    def receive_at(court, court_user, prefix):
        body = notice_payload(case_number=f"（2026）{court.code}刑初{prefix}号",
                              defendant__id_number=make_id_number(dt.date(1990, 3, 7), region=court.region.code))
        serializer = NoticeCreateSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        return notice_receive(court=court, data=serializer.validated_data, actor=court_user)

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    w.notices, w.assigned = {}, {}
    courts = {"A": (w.court, w.court_user), "B": (w.other_court, w.other_court_user),
              "C": (w.far_court, w.far_court_user)}
    lawyers = {"A": w.lawyer_record, "B": w.spare_lawyer, "C": w.far_lawyer}
    for place, (court, court_user) in courts.items():
        notice = receive_at(court, court_user, f"{place}1")
        document_upload(notice=notice, kind="other", upload=SimpleUploadedFile("材料.pdf", PDF), actor=court_user,
                        max_bytes=settings.MAX_UPLOAD_BYTES)
        Delivery.objects.create(key=f"matrix:{place}", channel=Delivery.Channel.EMAIL, status=Delivery.Status.SENT,
                                notice=notice, event="notice_received", max_attempts=5, attempts=1,
                                created_at=clock.now(), sent_at=clock.now())
        w.notices[place] = notice
        assigned = receive_at(court, court_user, f"{place}2")
        designation = lawyer_designate(notice=assigned, lawyer=lawyers[place], actor=w.admin, reason="测试",
                                       override_reason="测试")
        w.assigned[place] = assigned
        subsidy = Subsidy.objects.create(designation=designation, notice=assigned, lawyer=lawyers[place],
                                         grade="good", amount=1200, recipient_share=0, payable=1200,
                                         computed_at=clock.now())
        SubsidyLine.objects.create(subsidy=subsidy, position=1, code="base", label="一审", amount=1200)
    return w


# Which of the three places (A: 豫1702's county, B: 豫1721's county, C: the other prefecture) each
# scope covers. "own cases": the lawyer is designated to the notice with a lawyer at A only.
IN_SCOPE = {"own court": "A", "county": "A", "prefecture": "AB", "all": "ABC", "own cases": "A"}


def accounts(w):
    return {"court": w.court_user, "staff": w.staff, "supervisor": w.supervisor, "auditor": w.auditor,
            "evaluator": w.evaluator, "lawyer": w.lawyer, "detention": w.detention, "file_system": w.file_system,
            "admin": w.admin, "anonymous": None}


# --- Bodies the test builds ---------------------------------------------------------------------

def _lawyer_fields(w, n):
    from assignments.validators import make_licence_number

    return {"name": f"新律师{n}", "licence_number": make_licence_number(seq=900 + n), "firm": w.firm.pk,
            "phone": "13800009999", "criminal_defence_since": "2020-01-01"}


def _roster_file(w):
    from assignments.validators import make_licence_number

    text = ("name,licence_number,firm,region,phone,criminal_defence_since\n"
            f"导入律师,{make_licence_number(seq=950)},{w.firm.name},411702,13800008888,2020-05-01\n")
    return SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")


BODIES = {
    "notice": lambda w: ("json", notice_payload()),
    "document": lambda w: ("multipart", {"kind": "indictment", "file": SimpleUploadedFile("起诉书.pdf", PDF)}),
    "paper": lambda w: ("form", {
        "court": w.court.pk, "case_number": "（2026）豫1702刑初777号", "procedure": "ordinary",
        "accepted_on": "2026-09-28", "charges": "盗窃罪", "judge_name": "张某某", "judge_phone": "0396-1234567",
        "defendant_name": "纸质某", "birth_date": "1990-03-07", "gender": "male"}),
    "lawyer": lambda w: ("json", {**_lawyer_fields(w, 1), "region": "411702"}),
    "lawyer_form": lambda w: ("form", {**_lawyer_fields(w, 2), "region": w.yicheng.pk}),
    "roster_file": lambda w: ("multipart", {"file": _roster_file(w)}),
}


# --- Sending one request ------------------------------------------------------------------------

def client_for(user, *, api: bool):
    if api:
        client = APIClient()
        if user is not None:
            token = ApiToken(user=user, name="matrix")
            raw = ApiToken.new_key()
            token.set_key(raw)
            token.save()
            client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def placeholders(w, place):
    notice, assigned = w.notices[place], w.assigned[place]
    from assignments.models import Designation

    designation = Designation.objects.filter(notice=assigned, status__in=Designation.CURRENT).first()
    values = {
        "notice": notice.pk, "assigned": assigned.pk, "document": notice.documents.first().pk,
        "deadline": notice.deadlines.get(rule_code="agency_assign_lawyer").pk,
        "delivery": notice.deliveries.get(key=f"matrix:{place}").pk,
        "designation": designation.pk if designation else 0,
        "subsidy": assigned.subsidies.get().pk,
        "lawyer": w.spare_lawyer.pk, "licence": w.spare_lawyer.licence_number, "firm": w.firm.pk,
        "station": w.station.pk, "court": w.court.pk, "today": clock.today().isoformat(),
    }
    return {key: str(value) for key, value in values.items()}


def fill(text, values):
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)


def send(client, row, w, place):
    values = placeholders(w, place)
    path = fill(row.path, values)
    if row.method == "GET":
        return client.get(path)
    api = path.startswith("/api/")
    if row.body.startswith("@"):
        kind, data = BODIES[row.body[1:]](w)
    elif row.body:
        kind, data = ("json" if api else "form"), json.loads(fill(row.body, values))
    else:
        kind, data = ("json" if api else "form"), {}
    if kind == "json":
        return client.post(path, data=json.dumps(data, ensure_ascii=False), content_type="application/json")
    if kind == "multipart" and api:
        return client.post(path, data, format="multipart")
    return client.post(path, data)


def table_counts() -> dict:
    from django.apps import apps

    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)} - NOT_WRITES)
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


def refused(response, *, api: bool) -> bool:
    if api:
        return response.status_code in (401, 403, 404)
    if response.status_code == 302:
        return "login" in response["Location"]
    return response.status_code in (403, 404)


def succeeded(response, *, api: bool, method: str) -> tuple[bool, str]:
    status = response.status_code
    if method == "GET":
        return status == 200, f"status {status}"
    if status == 302 and not api:
        if "login" in response["Location"]:
            return False, "redirected to the login page"
        errors = [m.message for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR]
        return not errors, f"redirected with error {errors}"
    form = (getattr(response, "context", None) or {}).get("form") if not api else None
    if form is not None and form.errors:
        return False, f"status {status} with form errors {form.errors.as_data()}"
    return 200 <= status < 300, f"status {status}: {body_text(response)[:300]}"


def in_savepoint(fn):
    sid = transaction.savepoint()
    try:
        return fn()
    finally:
        transaction.savepoint_rollback(sid)


def ids_of(w, places, kinds=("notices", "assigned")):
    """How a list names the notices of those places: their ids (the API) or case numbers (pages)."""
    out = set()
    for kind in kinds:
        for place in places:
            notice = getattr(w, kind)[place]
            out |= {str(notice.pk), notice.case.case_number}
    return out


# --- The test -----------------------------------------------------------------------------------

@pytest.mark.parametrize("row", ROWS, ids=[row.action for row in ROWS])
def test_the_matrix_row(row, db, tmp_path, settings):
    w = build_matrix_world(tmp_path, settings)
    users = accounts(w)
    api = row.path.startswith("/api/")
    failures = []
    for role, cell in zip(ROLES, row.cells, strict=True):
        client = client_for(users[role], api=api)
        scope = cell[2:] if cell.startswith("✓ ") else None
        inside = IN_SCOPE[scope] if scope else "A"
        outside = [p for p in "ABC" if p not in inside] if scope else []

        def attempt(place):
            before = table_counts()
            response = send(client, row, w, place)
            return response, before, table_counts()

        if cell == "∅":
            response, *_ = in_savepoint(lambda: attempt("A"))
            text = body_text(response)
            shown = [i for i in ids_of(w, "ABC") if i in text]
            if response.status_code != 200 or shown:
                failures.append(f"{role}: expected an empty answer, got {response.status_code} showing {shown}")
            continue
        if cell == "✗":
            response, before, after = in_savepoint(lambda: attempt("A"))
            if not refused(response, api=api):
                failures.append(f"{role}: expected a refusal, got {response.status_code} {body_text(response)[:200]}")
            elif before != after:
                failures.append(f"{role}: refused but wrote {diff(before, after)}")
            continue
        # Allowed: on the first notice in scope, then refused on each just outside it.
        response, before, after = in_savepoint(lambda: attempt(inside[0]))
        ok, why = succeeded(response, api=api, method=row.method)
        if not ok:
            failures.append(f"{role}: expected success at {inside[0]}, {why}")
            continue
        if scope and row.method == "GET" and "{" not in row.path:
            text = body_text(response)
            kinds = ("assigned",) if scope == "own cases" else ("notices", "assigned")
            missing = [p for p in inside if not any(i in text for i in ids_of(w, p, kinds))]
            leaked = [p for p in outside if any(i in text for i in ids_of(w, p))]
            if missing or leaked:
                failures.append(f"{role}: the list should show {inside} only; missing {missing}, shows {leaked}")
        elif scope:
            for place in outside:
                response, before, after = in_savepoint(lambda place=place: attempt(place))
                # Outside the scope is "not found", exactly as a notice that does not exist (docs/court-api.md).
                if response.status_code != 404:
                    failures.append(f"{role}: outside its scope ({place}) expected 404, got {response.status_code}")
                elif before != after:
                    failures.append(f"{role}: refused outside its scope ({place}) but wrote {diff(before, after)}")
    assert not failures, f"{row.action}:\n  " + "\n  ".join(failures)


def diff(before, after):
    return {t: after[t] - before[t] for t in after if after[t] != before[t]}
