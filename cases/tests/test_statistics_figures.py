"""Each statistic on a small data set made through the real services, with its numbers asserted
exactly (the same on SQLite and PostgreSQL).

The data set (2026, Beijing time):
  豫1702 (驿城区): n1 Mar 2 designated after 6 h; n2 Mar 3, a minor, designated after 24 h;
                   n3 Mar 5, counsel retained (the court reports it); n4 Apr 1, summary procedure,
                   never designated (its clock breached); defendant X: n7 May 6, aid terminated,
                   then n8 Jun 1 for the same defendant, designated after 1 h (the case was
                   accepted May 5: the court's clock to inform was missed); n9 Jun 2, aid
                   terminated because the defendant retained a lawyer (LAL 48(6)).
  豫1721 (西平县): n5 Apr 2, second instance, designated after 8 days (met late).
  豫17 (驻马店市): n6 Apr 3, may face life imprisonment, designated after 3 h and declined by the
                   lawyer; the restarted clock breaches.
So: 9 notices, 8 defendants (X once, in May), 4 aided (n1, n2, n5, X), 2 retained (n3, n9)."""
import datetime as dt
import itertools
import statistics

import pytest
from django.db.models import Sum

from assignments.services import designation_decline, lawyer_designate, notice_aid_terminate
from assignments.tests.factories import lawyer
from cases.api.serializers import NoticeCreateSerializer
from cases.deadlines.enforcement import sweep
from cases.services import notice_receive, notice_retained_counsel
from cases.statistics import selectors
from cases.statistics.models import BreachFigure, DelayFigure, MonthFigure, NoticeFigure
from cases.statistics.params import Params
from cases.statistics.services import figures_refresh
from cases.tests.factories import notice_payload
from legalaid import clock
from legalaid.clock import BEIJING

pytestmark = pytest.mark.django_db

_case = itertools.count(1)


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


def notice_at(world, court, when, **overrides):
    """A notice from `court` received at `when`, accepted by the court the day before."""
    overrides.setdefault("case_number", f"（2026）统计刑初{next(_case)}号")
    overrides.setdefault("accepted_on", (when.date() - dt.timedelta(days=1)).isoformat())
    serializer = NoticeCreateSerializer(data=notice_payload(**overrides))
    serializer.is_valid(raise_exception=True)
    user = {world.court: world.court_user, world.other_court: world.other_court_user}.get(court, world.court_user)
    return notice_receive(court=court, data=serializer.validated_data, actor=user, now=when)


def designate(world, notice, who, when):
    return lawyer_designate(notice=notice, lawyer=who, actor=world.staff, reason="统计测试", now=when)


def seed(world):
    """The data set of this module's docstring; returns its notices and lawyers by name."""
    la, lb, lc = lawyer(world, name="甲律师", specialities=["minors"]), lawyer(world, name="乙律师"), lawyer(world, name="丙律师", account=True)
    n = {}
    n[1] = notice_at(world, world.court, bj(2026, 3, 2, 9))
    designate(world, n[1], la, bj(2026, 3, 2, 15))
    n[2] = notice_at(world, world.court, bj(2026, 3, 3, 9), birth=dt.date(2010, 5, 1))
    designate(world, n[2], la, bj(2026, 3, 4, 9))
    n[3] = notice_at(world, world.court, bj(2026, 3, 5, 10))
    notice_retained_counsel(notice=n[3], lawyer_name="周律师", firm="某律师事务所", actor=world.court_user,
                            now=bj(2026, 3, 6, 10))
    n[4] = notice_at(world, world.court, bj(2026, 4, 1, 9), procedure="summary")
    n[5] = notice_at(world, world.other_court, bj(2026, 4, 2, 9), procedure="second_instance",
                     documents_attached=["first_instance_judgment"])
    n[6] = notice_at(world, world.city_court, bj(2026, 4, 3, 9), defendant__may_face_life_or_death=True)
    declined = designate(world, n[6], lc, bj(2026, 4, 3, 12))
    designation_decline(designation=declined, actor=lc.user, reason="利益冲突", now=bj(2026, 4, 3, 13))
    designate(world, n[5], lb, bj(2026, 4, 10, 9))
    sweep(now=bj(2026, 4, 10, 12))  # breaches n4's clock and n6's restarted one
    x = notice_payload(case_number="（2026）统计刑初900号", accepted_on="2026-05-05")
    n[7] = notice_at(world, world.court, bj(2026, 5, 6, 9), **{k: v for k, v in x.items() if k != "documents_attached"})
    notice_aid_terminate(notice=n[7], ground="proceedings_ended", note="撤诉后重新起诉", actor=world.staff,
                         now=bj(2026, 5, 7, 9))
    n[8] = notice_at(world, world.court, bj(2026, 6, 1, 9), **{k: v for k, v in x.items() if k != "documents_attached"})
    designate(world, n[8], lb, bj(2026, 6, 1, 10))
    n[9] = notice_at(world, world.court, bj(2026, 6, 2, 9))
    notice_aid_terminate(notice=n[9], ground="retained_counsel", note="家属已委托律师", actor=world.staff,
                         now=bj(2026, 6, 3, 9))
    figures_refresh(full=True)
    return n, {"a": la, "b": lb, "c": lc}


def everything(**changes) -> Params:
    return Params(**{"start": dt.date(2026, 3, 1), "end": dt.date(2026, 6, 30), "prefix": "", **changes})


@pytest.fixture
def data(world):
    return seed(world)


def test_it_keeps_one_figure_per_notice_and_one_per_missed_deadline(data):
    notices, _lawyers = data
    assert NoticeFigure.objects.count() == 9
    x_first, x_second = NoticeFigure.objects.get(notice=notices[7]), NoticeFigure.objects.get(notice=notices[8])
    assert notices[7].defendant_id == notices[8].defendant_id
    assert (x_first.counts_defendant, x_first.counsel) == (True, "aided")
    assert (x_second.counts_defendant, x_second.counsel) == (False, "aided")
    assert NoticeFigure.objects.get(notice=notices[9]).counsel == "retained"
    assert NoticeFigure.objects.get(notice=notices[6]).counsel == ""  # the only designation was declined
    assert NoticeFigure.objects.get(notice=notices[5]).received_on == dt.date(2026, 4, 2)
    # n8 arrived 27 days after its case was accepted (May 5): the court's 3 days to inform the
    # defendant were missed, due May 8.
    assert sorted(BreachFigure.objects.values_list("notice_id", "rule_code", "due_on")) == sorted(
        [*((notices[i].pk, "agency_assign_lawyer", day) for i, day in
           ((4, dt.date(2026, 4, 7)), (5, dt.date(2026, 4, 8)), (6, dt.date(2026, 4, 9)))),
         (notices[8].pk, "court_inform_rights", dt.date(2026, 5, 8))])


def test_it_counts_the_defence_rate_over_defendants(data):
    total = selectors.overview(everything())
    assert (total["notices"], total["defendants"], total["aided"], total["retained"]) == (9, 8, 4, 2)
    assert total["with_counsel"] == 6
    assert total["rate"] == pytest.approx(0.75)


def test_it_counts_the_defence_rate_by_court_region_and_month(data):
    params = everything()
    by_court = {r["court__code"]: (r["defendants"], r["aided"], r["retained"], r["rate"])
                for r in selectors.coverage_by(params, "court")}
    assert by_court == {"豫17": (1, 0, 0, 0.0), "豫1702": (6, 3, 2, pytest.approx(5 / 6)), "豫1721": (1, 1, 0, 1.0)}
    by_region = [(r["region__code"], r["defendants"], r["with_counsel"]) for r in selectors.coverage_by(params, "region")]
    assert by_region == [("411700", 1, 0), ("411702", 6, 5), ("411721", 1, 1)]
    by_month = [(r["month"], r["defendants"], r["aided"], r["retained"]) for r in selectors.coverage_by(params, "month")]
    assert by_month == [(dt.date(2026, 3, 1), 3, 2, 1), (dt.date(2026, 4, 1), 3, 1, 0),
                        (dt.date(2026, 5, 1), 1, 1, 0), (dt.date(2026, 6, 1), 1, 0, 1)]


def test_it_counts_notices_by_category_and_ground(data):
    total = selectors.overview(everything())
    assert {k: v for k, v in total.items() if k.startswith("category:")} == {
        "category:mandatory": 2, "category:full_coverage": 6, "category:duty_lawyer": 1}
    grounds = {k.split(":")[1]: v for k, v in total.items() if k.startswith("ground:") and v}
    assert grounds == {"minor": 1, "life_or_death": 1, "ordinary_first_instance": 7, "second_instance": 1,
                       "summary_or_fast_track": 1}


def test_it_measures_the_time_to_designation_in_days_from_the_counts_by_day(data):
    times = selectors.designation_times(everything())
    # Days as the law counts them (the day of receipt not counted): n1 0 (6 h), n2 1 (24 h),
    # n5 8, n6 0 (declined, still the agency's designation), n8 0 (1 h).
    days = [0, 1, 8, 0, 0]
    count, (median, p90) = times["overall"]
    assert count == 5
    assert median == 0
    assert p90 == pytest.approx(statistics.quantiles(days, n=10, method="inclusive")[-1])
    assert p90 == pytest.approx(5.2)
    assert dict(times["by_month"]) == {dt.date(2026, 3, 1): (2, [pytest.approx(0.5), pytest.approx(0.9)]),
                                       dt.date(2026, 4, 1): (2, [pytest.approx(4), pytest.approx(7.2)]),
                                       dt.date(2026, 6, 1): (1, [0, 0])}
    assert sorted(DelayFigure.objects.values_list("month", "days", "notices")) == [
        (dt.date(2026, 3, 1), 0, 1), (dt.date(2026, 3, 1), 1, 1), (dt.date(2026, 4, 1), 0, 1),
        (dt.date(2026, 4, 1), 8, 1), (dt.date(2026, 6, 1), 0, 1)]


def test_it_measures_the_share_designated_within_the_statutory_period(data):
    total = selectors.overview(everything())
    # Met: n1, n2, n6 (before the decline), n8. Missed: n4 and n6's restarted clock (breached), n5
    # (met late). Waived clocks (n3, n7, n9) are not counted.
    assert (total["assign_met"], total["assign_missed"]) == (4, 3)
    assert total["assign_share"] == pytest.approx(4 / 7)
    assert total["designated"] == 5


def test_it_counts_missed_deadlines_by_rule_and_party_in_the_period_they_fell_due(data):
    params = everything()
    assert selectors.breaches_by(params, "rule") == [
        {"rule_code": "agency_assign_lawyer", "party": "agency", "breaches": 3},
        {"rule_code": "court_inform_rights", "party": "court", "breaches": 1}]
    assert selectors.breaches_by(params, "party") == [{"party": "agency", "breaches": 3},
                                                      {"party": "court", "breaches": 1}]
    march = everything(end=dt.date(2026, 3, 31))
    assert selectors.breaches_by(march, "party") == []


def test_it_buckets_the_lawyers_by_open_designations(data):
    _notices, lawyers = data
    rows = selectors.caseload(everything())
    # 甲: n1, n2; 乙: n5, n8; 丙 declined n6 and has none open.
    assert [(r["low"], r["high"], r["lawyers"], r["designations"]) for r in rows] == [
        (0, 0, 1, 0), (1, 2, 2, 4), (3, 5, 0, 0), (6, 10, 0, 0), (11, None, 0, 0)]


def test_the_filters_narrow_every_figure(data, world):
    april = everything(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    total = selectors.overview(april)
    assert (total["notices"], total["defendants"], total["aided"], total["retained"]) == (3, 3, 1, 0)
    county = everything(prefix="411702", region=world.yicheng)
    total = selectors.overview(county)
    assert (total["notices"], total["defendants"], total["aided"], total["retained"]) == (7, 6, 3, 2)
    assert selectors.breaches_by(county, "party") == [{"party": "agency", "breaches": 1},
                                                      {"party": "court", "breaches": 1}]
    court = everything(prefix="4117", court=world.other_court)
    assert selectors.overview(court)["defendants"] == 1
    assert selectors.designation_times(court)["overall"] == (1, [8, 8])
    # The caseload counts the roster of the region: all three lawyers are on 驿城区's.
    assert sum(r["lawyers"] for r in selectors.caseload(everything(prefix="411721"))) == 0


def test_an_incremental_refresh_picks_up_what_changed_since(world):
    first = notice_at(world, world.court, bj(2026, 11, 2, 9))
    figures_refresh()
    assert NoticeFigure.objects.get(notice=first).counsel == ""
    # Changes made after the refresh, "now" as services see it: a designation and a new notice.
    lawyer_designate(notice=first, lawyer=lawyer(world), actor=world.staff, reason="统计测试")
    second = notice_receive(court=world.court, actor=world.court_user,
                            data=_validated(notice_payload(accepted_on="2026-11-01")))
    result = figures_refresh()
    assert result["full"] is False and result["notices"] == 2
    assert NoticeFigure.objects.get(notice=first).counsel == "aided"
    assert NoticeFigure.objects.filter(notice=second).exists()
    assert MonthFigure.objects.aggregate(n=Sum("notices"), a=Sum("aided")) == {"n": 2, "a": 1}
    waited = (clock.today() - dt.date(2026, 11, 2)).days  # received Nov 2, designated today
    assert list(DelayFigure.objects.values_list("days", "notices")) == [(waited, 1)]
    # Nothing changed since: the next refresh recomputes only what its overlap window still covers.
    assert figures_refresh()["notices"] == 2
    assert NoticeFigure.objects.count() == 2


def _validated(payload):
    serializer = NoticeCreateSerializer(data=payload)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def test_whole_months_come_from_the_monthly_sums_and_the_ends_from_the_notices(data):
    assert selectors.whole_months(everything()) == (dt.date(2026, 3, 1), dt.date(2026, 6, 1))
    assert selectors.whole_months(everything(start=dt.date(2026, 3, 3), end=dt.date(2026, 6, 1))) == (
        dt.date(2026, 4, 1), dt.date(2026, 5, 1))
    assert selectors.whole_months(everything(start=dt.date(2026, 3, 3), end=dt.date(2026, 3, 30))) is None
    assert MonthFigure.objects.aggregate(n=Sum("notices"), d=Sum("defendants")) == {"n": 9, "d": 8}
    # Mar 3 – Jun 1: n2 … n8; n8 is X's second notice, so 6 defendants.
    total = selectors.overview(everything(start=dt.date(2026, 3, 3), end=dt.date(2026, 6, 1)))
    assert (total["notices"], total["defendants"], total["aided"], total["retained"]) == (7, 6, 3, 1)
    assert (total["assign_met"], total["assign_missed"], total["designated"]) == (3, 3, 4)
    assert total["category:mandatory"] == 2 and total["ground:minor"] == 1
    inside = selectors.overview(everything(start=dt.date(2026, 3, 4), end=dt.date(2026, 3, 30)))
    assert (inside["notices"], inside["defendants"], inside["retained"]) == (1, 1, 1)  # n3 alone
    # The time to designation and the missed deadlines add the ends to the whole months the same way:
    # Mar 3 – Jun 1 holds n2 (1 day), n5 (8), n6 (0) and n8 (0); n4's and n6's clocks (due in April)
    # and n8's court clock (due May 8).
    assert selectors.designation_times(everything(start=dt.date(2026, 3, 3), end=dt.date(2026, 6, 1)))[
        "overall"] == (4, [pytest.approx(0.5), pytest.approx(5.9)])
    assert selectors.breaches_by(everything(start=dt.date(2026, 3, 3), end=dt.date(2026, 6, 1)), "party") == [
        {"party": "agency", "breaches": 3}, {"party": "court", "breaches": 1}]
    # Apr 9 – Jun 30: n6's restarted clock (Apr 9, an end) and n8's court clock (May, a whole month).
    assert selectors.breaches_by(everything(start=dt.date(2026, 4, 9)), "party") == [
        {"party": "agency", "breaches": 1}, {"party": "court", "breaches": 1}]
