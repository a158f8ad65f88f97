"""The staff pages: designation page (candidates with reasons, designate, terminate), roster, import,
duty rosters, fairness; the lawyer's page. Fixed query counts for the lists."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assignments.models import Designation
from assignments.tests import factories as f
from legalaid import clock


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_designation_page_shows_ranked_candidates_and_designates(world):
    first = f.lawyer(world, name="王律师")
    f.lawyer(world, name="李律师", region=world.xiping)
    notice = f.notice(world)
    client = login(world.staff)
    page = client.get(f"/notices/{notice.pk}/designation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "王律师" in html and "李律师" in html and 'class="reason"' in html
    response = client.post(f"/notices/{notice.pk}/designation/designate/", {"candidate": first.pk})
    assert response.status_code == 302
    assert Designation.objects.get(notice=notice).lawyer == first
    html = client.get(f"/notices/{notice.pk}/designation/").content.decode()
    assert "letter.pdf" in html and "王律师" in html


def test_the_page_shows_a_refusal_of_the_service(world):
    f.lawyer(world, name="王律师")
    second = f.lawyer(world, name="李律师", region=world.xiping)
    notice = f.notice(world)
    client = login(world.staff)
    response = client.post(f"/notices/{notice.pk}/designation/designate/", {"candidate": second.pk}, follow=True)
    assert response.status_code == 200 and not Designation.objects.exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_pages_are_scoped(world):
    notice = f.notice(world)
    assert login(world.outsider).get(f"/notices/{notice.pk}/designation/").status_code == 404
    assert login(world.court_user).get(f"/notices/{notice.pk}/designation/").status_code == 403
    assert Client().get(f"/notices/{notice.pk}/designation/").status_code == 302


def test_roster_and_report_pages(world):
    client = login(world.staff)
    lawyer = f.lawyer(world, name="王律师")
    for path in ["/roster/lawyers/", "/roster/lawyers/new/", f"/roster/lawyers/{lawyer.pk}/", "/roster/firms/",
                 "/roster/import/", "/duty/", f"/fairness/?start={clock.today()}&end={clock.today()}"]:
        assert client.get(path).status_code == 200, path
    response = client.post(f"/roster/lawyers/{lawyer.pk}/suspension/", {"starts_on": clock.today(), "reason": "投诉"})
    assert response.status_code == 302 and lawyer.suspensions.count() == 1


@pytest.mark.parametrize("n", [5])
def test_the_roster_page_has_a_fixed_number_of_queries(world, n):
    client = login(world.staff)
    client.get("/roster/lawyers/")

    def count(k):
        for _ in range(k):
            f.lawyer(world)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/roster/lawyers/").status_code == 200
        return len(ctx)

    assert count(n) == count(10 * n)


def test_the_lawyer_accepts_on_their_page(world):
    lawyer = f.lawyer(world, account=True)
    designation = f.designate(world, f.notice(world), lawyer)
    client = login(lawyer.user)
    assert client.get("/assignments/mine/").status_code == 200
    assert client.post(f"/assignments/mine/{designation.pk}/accept/").status_code == 302
    designation.refresh_from_db()
    assert designation.status == "accepted"
