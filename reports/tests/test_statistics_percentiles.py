"""Percentiles computed by the database (percentile_cont on PostgreSQL, ranked windows on SQLite)
agree with the continuous percentile computed in Python, overall and by group."""
import random
import statistics

import pytest
from django.db.models.functions import TruncMonth

from reports.models import NoticeFigure
from reports.percentiles import percentiles
from reports.services import figures_refresh
from cases.tests.factories import receive

pytestmark = pytest.mark.django_db


def expected(values, fraction):
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


@pytest.fixture
def figures(world):
    for _ in range(13):
        receive(world)
    figures_refresh(full=True)
    rng = random.Random(7)
    values = {}
    for i, figure in enumerate(NoticeFigure.objects.order_by("pk")):
        value = None if i % 6 == 5 else rng.randrange(0, 500_000)  # some not designated yet
        month = "2026-03-01" if i % 2 else "2026-04-01"
        NoticeFigure.objects.filter(pk=figure.pk).update(designation_seconds=value, received_on=month)
        if value is not None:
            values.setdefault(month, []).append(value)
    return values


def test_it_matches_the_continuous_percentile(figures):
    every = [v for values in figures.values() for v in values]
    count, (median, p90, p0, p100) = percentiles(NoticeFigure.objects.all(), "designation_seconds",
                                                 [0.5, 0.9, 0, 1])[None]
    assert count == len(every) == 11
    assert median == pytest.approx(statistics.median(every))
    assert p90 == pytest.approx(expected(every, 0.9))
    assert p90 == pytest.approx(statistics.quantiles(every, n=10, method="inclusive")[-1])
    assert (p0, p100) == (min(every), max(every))


def test_it_computes_each_group_apart(figures):
    by_month = percentiles(NoticeFigure.objects.all(), "designation_seconds", [0.5, 0.9],
                           group_by=TruncMonth("received_on"))
    assert len(by_month) == 2
    for month, (count, (median, p90)) in by_month.items():
        values = figures[str(month)[:10]]
        assert count == len(values)
        assert median == pytest.approx(statistics.median(values))
        assert p90 == pytest.approx(expected(values, 0.9))


def test_nothing_to_rank_gives_no_value(world):
    assert percentiles(NoticeFigure.objects.all(), "designation_seconds", [0.5, 0.9]) == {None: (0, [None, None])}
    with pytest.raises(ValueError):
        percentiles(NoticeFigure.objects.all(), "designation_seconds", [1.5])
