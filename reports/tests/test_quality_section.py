"""The statistics page's quality section: cases closed in the period by grade, scoped like every
other section, exported like every other table."""
import datetime as dt
from decimal import Decimal

import pytest

from assignments.tests import factories as af
from cases.models import Notice
from reports.tests.test_statistics_pages import URL, charts, csv_rows, page
from legalaid import clock
from quality.models import CaseGrade

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-03-01", "end": "2026-06-30"}


def graded(world, grade, *, closed_on, court=None):
    notice = af.notice(world, **({"court": court} if court else {}))
    designation = af.designate(world, notice, af.lawyer(world))
    Notice.objects.filter(pk=notice.pk).update(closed_at=clock.start_of_day(closed_on) + dt.timedelta(hours=10))
    return CaseGrade.objects.create(designation=designation, notice=notice, grade=grade, score=Decimal("80"),
                                    computed_at=clock.now())


@pytest.fixture
def grades(world):
    for grade, day in [("excellent", dt.date(2026, 3, 2)), ("good", dt.date(2026, 4, 1)),
                       ("good", dt.date(2026, 6, 30)), ("fail", dt.date(2026, 5, 5)),
                       ("pass", dt.date(2026, 7, 1)),  # the day after the period: not counted
                       ("excellent", dt.date(2026, 2, 28))]:  # the day before it: not counted
        graded(world, grade, closed_on=day)


def test_it_counts_the_cases_closed_in_the_period_by_grade(client, world, grades):
    response = page(client, world.staff, **PERIOD)

    assert response.status_code == 200
    assert 'data-section="quality"' in response.content.decode()
    assert charts(response)["quality_grades"]["series"][0]["data"] == [1, 2, 0, 1]
    rows = csv_rows(client.get("/statistics/export/quality_grades.csv", PERIOD))
    # In the default language, Simplified Chinese.
    assert [row[:2] for row in rows[1:]] == [["优秀", "1"], ["良好", "2"], ["合格", "0"], ["不合格", "1"]]


def test_a_county_sees_only_its_own_courts_grades(client, world, grades):
    from cases.tests.factories import UserFactory
    from legalaid.models import Role

    outsider = UserFactory(role=Role.AGENCY_STAFF, agency=world.other_agency)

    response = page(client, outsider, **PERIOD)

    assert charts(response)["quality_grades"]["series"][0]["data"] == [0, 0, 0, 0]
