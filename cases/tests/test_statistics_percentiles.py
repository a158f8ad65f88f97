"""The percentiles of the time to designation, read off the counts of notices by number of days
(DelayFigure and, for the partial months at the ends of a period, NoticeFigure), equal the
continuous percentile computed from the rows themselves — PostgreSQL's percentile_cont over the
NoticeFigure rows, or Python's inclusive quantiles — for several distributions and the edge cases
(nothing, one value, ties, two values, long tails), overall and by month."""
import datetime as dt
import random
import statistics

import pytest
from django.db import connection

from cases.statistics import selectors
from cases.statistics.models import DelayFigure, NoticeFigure
from cases.statistics.params import Params
from cases.statistics.percentiles import from_counts
from cases.statistics.services import delay_figure_source, figures_refresh
from cases.tests.factories import receive

pytestmark = pytest.mark.django_db

FRACTIONS = [0.5, 0.9, 0, 1, 0.25]


def expected(values, fraction):
    """The continuous percentile (percentile_cont; statistics.quantiles(method="inclusive"))."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def histogram(values) -> dict:
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


rng = random.Random(18)
DISTRIBUTIONS = {
    "one value": [3],
    "two values": [0, 7],
    "all tied": [2] * 9,
    "ties around the median": [0, 1, 1, 1, 1, 5, 9],
    "mostly same day, long tail": [0] * 40 + [1] * 15 + [2] * 6 + [3, 4, 6, 9, 14, 30, 61],
    "uniform": [rng.randrange(0, 10) for _ in range(200)],
    "skewed": [int(rng.expovariate(0.3)) for _ in range(500)],
    "bimodal": [rng.choice([0, 1]) for _ in range(50)] + [rng.choice([7, 8, 9]) for _ in range(50)],
}


@pytest.mark.parametrize("name", DISTRIBUTIONS)
def test_the_counts_give_the_percentiles_of_the_values(name):
    values = DISTRIBUTIONS[name]
    count, results = from_counts(histogram(values), FRACTIONS)
    assert count == len(values)
    for fraction, result in zip(FRACTIONS, results):
        assert result == pytest.approx(expected(values, fraction))
    assert results[0] == pytest.approx(statistics.median(values))
    if len(values) > 1:
        assert results[1] == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[-1])


def test_nothing_to_rank_gives_no_value():
    assert from_counts({}, [0.5, 0.9]) == (0, [None, None])
    assert from_counts({4: 0}, [0.5]) == (0, [None])
    with pytest.raises(ValueError):
        from_counts({1: 1}, [1.5])


# --- Through the summary tables ------------------------------------------------------------------

MONTHS = [dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)]


@pytest.fixture
def figures(world):
    """NoticeFigure rows over three months with chosen delays (some not designated), and the
    DelayFigure counts built from them as the refresh builds them."""
    for _ in range(45):
        receive(world)
    figures_refresh(full=True)
    values = list(DISTRIBUTIONS["mostly same day, long tail"]) + [None] * 5 + [2, 2, 3, 5, 8, 13, 21, 34]
    rng_rows = random.Random(7)
    rows = []
    for i, figure in enumerate(NoticeFigure.objects.order_by("pk")):
        day = MONTHS[i % 3] + dt.timedelta(days=rng_rows.randrange(0, 28))
        days = values[i % len(values)]
        NoticeFigure.objects.filter(pk=figure.pk).update(designation_days=days, received_on=day)
        rows.append((day, days))
    DelayFigure.objects.all().delete()
    delay_figure_source(NoticeFigure.objects.all())
    return rows


def from_rows(start, end, *, by_month=False):
    """The percentiles computed from the NoticeFigure rows of the period: by the database with
    percentile_cont on PostgreSQL, by Python elsewhere. {month or None: (count, values)}."""
    if connection.vendor == "postgresql":
        group = "date_trunc('month', received_on)::date" if by_month else "NULL::date"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {group}, COUNT(*), percentile_cont(ARRAY[{', '.join(map(str, FRACTIONS))}]) WITHIN GROUP "
                f"(ORDER BY designation_days) FROM statistics_noticefigure WHERE designation_days IS NOT NULL "
                f"AND received_on BETWEEN %s AND %s GROUP BY 1", [start, end])
            return {month: (n, list(values)) for month, n, values in cursor.fetchall()}
    rows = NoticeFigure.objects.filter(received_on__range=(start, end), designation_days__isnull=False)
    groups = {}
    for day, days in rows.values_list("received_on", "designation_days"):
        groups.setdefault(day.replace(day=1) if by_month else None, []).append(days)
    return {k: (len(v), [expected(v, f) for f in FRACTIONS]) for k, v in groups.items()}


@pytest.mark.parametrize("start, end", [
    (dt.date(2026, 3, 1), dt.date(2026, 5, 31)),  # whole months: the counts alone
    (dt.date(2026, 3, 10), dt.date(2026, 5, 20)),  # partial months at both ends
    (dt.date(2026, 4, 3), dt.date(2026, 4, 17)),  # inside one month
    (dt.date(2026, 6, 1), dt.date(2026, 6, 30)),  # nothing designated
])
def test_the_page_reads_the_same_percentiles_as_the_rows_give(figures, start, end):
    params = Params(start=start, end=end, prefix="")
    counts = {}
    for month, by_days in selectors.delay_counts(params).items():
        for days, n in by_days.items():
            counts[days] = counts.get(days, 0) + n
    got = {None: from_counts(counts, FRACTIONS)}
    want = from_rows(start, end) or {None: (0, [None] * len(FRACTIONS))}
    times = selectors.designation_times(params)
    if want[None][0] == 0:
        assert got[None] == want[None] and times["overall"] == (0, [None, None])
    else:
        assert got[None][0] == want[None][0]
        assert got[None][1] == pytest.approx(want[None][1])
        assert times["overall"][1] == pytest.approx(want[None][1][:2])
    by_month = {month: (n, values) for month, (n, values) in
                ((m, from_counts(c, FRACTIONS)) for m, c in selectors.delay_counts(params).items())}
    want_by_month = from_rows(start, end, by_month=True)
    assert set(by_month) == set(want_by_month)
    for month, (n, values) in want_by_month.items():
        assert by_month[month][0] == n and by_month[month][1] == pytest.approx(values)
    assert [(m, n) for m, (n, _v) in times["by_month"]] == sorted((m, n) for m, (n, _v) in want_by_month.items())
