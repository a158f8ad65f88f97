"""The subsidies API and pages: read within one's scope (404 outside it, as for a notice); approve as
a supervisor only; pay only what is approved (409); a paid one corrected, never edited; the finance
export; query counts that do not grow with the rows."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assignments.tests.test_work_closing import JUDGMENT, do_the_work, submit
from assignments.tests.work import codes, designated_case, post
from assignments.work import services as work
from cases.tests.factories import UserFactory
from conftest import token_client
from legalaid import clock
from legalaid.models import Role
from quality.subsidies.models import Subsidy
from quality.subsidies.tests.factories import schedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads")]


def closed_case(world, court_client):
    case = designated_case(world)
    lawyer_client = token_client(case.user)
    do_the_work(case, lawyer_client)
    post(court_client, f"/api/v1/notices/{case.notice.pk}/events/", JUDGMENT)
    assert submit(lawyer_client, case.notice).status_code == 201
    work.closing_accept(closing=case.notice.closing, actor=world.staff)
    return Subsidy.objects.get(designation=case.designation)


@pytest.fixture
def subsidy(world, court_client):
    schedule(world)
    return closed_case(world, court_client)


def today():
    return clock.beijing_date(clock.now()).isoformat()


def test_staff_read_the_subsidy_with_its_lines(world, subsidy):
    response = token_client(world.staff).get(f"/api/v1/subsidies/{subsidy.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "pending" and body["lines"][0]["code"] == "base"
    assert body["amount"] == str(subsidy.amount) and body["case_number"] == subsidy.notice.case.case_number


def test_another_countys_staff_and_a_lawyer_get_404_or_403(world, subsidy):
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/subsidies/{subsidy.pk}/").status_code == 404
    assert outsider.get("/api/v1/subsidies/").json()["results"] == []
    assert token_client(subsidy.lawyer.user).get("/api/v1/subsidies/").status_code == 403
    assert token_client(world.court_user).get("/api/v1/subsidies/").status_code == 403


def test_the_api_approves_pays_and_corrects(world, subsidy):
    staff, supervisor = token_client(world.staff), token_client(world.supervisor)
    url = f"/api/v1/subsidies/{subsidy.pk}/"

    refused = post(staff, url + "approve/")
    assert refused.status_code == 403
    unapproved = post(staff, url + "pay/", {"paid_on": today(), "reference": "财付7"})
    assert unapproved.status_code == 409 and codes(unapproved) == {"not_approved"}
    assert Subsidy.objects.get(pk=subsidy.pk).status == "pending"

    assert post(supervisor, url + "approve/").json()["status"] == "approved"
    bad = post(staff, url + "pay/", {"paid_on": "2026-13-01", "reference": "财付7"})
    assert bad.status_code == 400 and Subsidy.objects.get(pk=subsidy.pk).status == "approved"
    paid = post(staff, url + "pay/", {"paid_on": today(), "reference": "财付7"})
    assert paid.status_code == 200 and paid.json()["payment_reference"] == "财付7"

    edited = post(staff, url + "recompute/")
    assert edited.status_code == 409 and codes(edited) == {"subsidy_paid"}
    correction = post(staff, url + "correct/", {"amount": "150.00", "reason": "漏计跨市交通补贴"})
    assert correction.status_code == 201
    assert correction.json()["kind"] == "correction" and correction.json()["corrects"] == subsidy.pk
    assert Subsidy.objects.get(pk=subsidy.pk).status == "paid"


def test_a_bad_filter_is_a_clear_error(world, subsidy):
    staff = token_client(world.staff)
    assert codes(staff.get("/api/v1/subsidies/?status=lost")) == {"invalid_choice"}
    assert codes(staff.get("/api/v1/subsidies/?paid_from=yesterday")) == {"invalid_date"}


def test_the_list_makes_the_same_queries_for_one_and_for_three_subsidies(world, court_client, subsidy, client):
    client.force_login(world.staff)
    staff = token_client(world.staff)

    def counts():
        with CaptureQueriesContext(connection) as page:
            assert client.get("/subsidies/").status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert staff.get("/api/v1/subsidies/").status_code == 200
        return len(page), len(api)

    counts()  # the first request of a session or token records its use
    one = counts()
    closed_case(world, court_client)
    closed_case(world, court_client)
    assert Subsidy.objects.count() == 3
    assert counts() == one


def test_the_pages_show_the_calculation_and_take_the_actions(world, subsidy, client):
    client.force_login(world.supervisor)
    page = client.get(f"/subsidies/{subsidy.pk}/").content.decode()
    assert 'data-line="base"' in page and 'class="approve"' in page

    assert client.post(f"/subsidies/{subsidy.pk}/approve/").status_code == 302
    client.force_login(world.staff)
    bad = client.post(f"/subsidies/{subsidy.pk}/pay/", {"paid_on": today(), "reference": ""})
    assert bad.status_code == 400 and Subsidy.objects.get(pk=subsidy.pk).status == "approved"
    assert client.post(f"/subsidies/{subsidy.pk}/pay/", {"paid_on": today(), "reference": "财付9"}).status_code == 302
    paid = client.get(f"/subsidies/{subsidy.pk}/").content.decode()
    assert "财付9" in paid and 'class="correct"' in paid and 'class="approve"' not in paid


def test_an_auditor_reads_but_cannot_act(world, subsidy, client):
    client.force_login(world.auditor)
    page = client.get(f"/subsidies/{subsidy.pk}/")
    assert page.status_code == 200 and 'class="recompute"' not in page.content.decode()
    assert client.post(f"/subsidies/{subsidy.pk}/recompute/").status_code == 403
    assert Subsidy.objects.get(pk=subsidy.pk).history.count() == 1


def test_finance_exports_the_period_as_excel(world, subsidy, client):
    from quality.subsidies import services

    services.subsidy_pay(subsidy=services.subsidy_approve(subsidy=subsidy, actor=world.supervisor),
                         paid_on=clock.beijing_date(clock.now()), reference="财付1", actor=world.staff)
    client.force_login(world.staff)

    response = client.get("/subsidies/export.xlsx", {"status": "paid", "paid_from": today(), "paid_to": today()})

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    data = [row for row in rows if row and row[0] == subsidy.pk]
    assert len(data) == 1 and data[0][13] == "财付1" and float(data[0][9]) == float(subsidy.payable)
    assert [r[0] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)] == [subsidy.pk] * \
        subsidy.lines.count()
    reversed_period = client.get("/subsidies/export.xlsx", {"paid_from": "2026-05-01", "paid_to": "2026-04-01"})
    assert reversed_period.status_code == 400


def test_a_lawyer_cannot_open_the_pages(world, subsidy, client):
    client.force_login(UserFactory(role=Role.LAWYER))
    assert client.get("/subsidies/").status_code == 403


def test_the_statistics_page_counts_the_subsidies_paid_in_the_period(world, subsidy, client):
    from quality.subsidies import services

    day = clock.beijing_date(clock.now())
    services.subsidy_pay(subsidy=services.subsidy_approve(subsidy=subsidy, actor=world.supervisor), paid_on=day,
                         reference="财付3", actor=world.staff)
    client.force_login(world.staff)
    period = {"start": day.replace(day=1).isoformat(), "end": day.isoformat()}

    rows = [r for r in __import__("csv").reader(io.StringIO(
        client.get("/statistics/export/subsidies_paid.csv", period).content.decode("utf-8-sig")))]

    from decimal import Decimal

    assert len(rows) == 2 and rows[1][:2] == [day.strftime("%Y-%m"), "1"]
    assert (Decimal(rows[1][2]), Decimal(rows[1][3])) == (subsidy.amount, subsidy.payable)
    client.force_login(world.outsider)
    other = client.get("/statistics/export/subsidies_paid.csv", period).content.decode("utf-8-sig")
    assert other.strip().count("\n") == 0  # another county's staff: the header only
