"""The public summary a justice bureau can publish: the defence rate and its counts by region and
month, with no personal data, and with small numbers suppressed.

Suppression (the rule, documented in README.md and cases/statistics/disclosure.py):
1. A count from 1 to SUPPRESS_BELOW − 1 is shown as "<5" (0 is shown: it says nothing of anyone).
2. Where fewer than 5 defendants were notified, nothing else of the cell is shown.
3. Complementary suppression: notified = with counsel + without counsel in every figure, and the
   totals are sums of the cells, so other counts are hidden ("—") until no hidden small count can be
   worked out from what is shown — by subtraction within a figure, along a row or a column, through
   the totals, or from a group of hidden cells whose sum would be under 5 (disclosure.protect, with
   an exact audit of the whole table).
4. The rate is exact only where every count is shown; otherwise a 10-point band ("90–100%") where at
   least 50 defendants were notified (a band over fewer would narrow a hidden count to one value),
   and "—" below."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.models import Region
from cases.statistics import selectors
from cases.statistics.disclosure import SUPPRESS_BELOW, Line, primary, protect
from cases.statistics.params import Params
from legalaid import clock
from legalaid.errors import InvalidInput

# A rate band of 10 points over n defendants spans n / 10 values of a count: at least SUPPRESS_BELOW.
BAND_MIN_DEFENDANTS = 10 * SUPPRESS_BELOW
FIRST_YEAR = 2017  # the full-coverage pilot began in 2017 (M)


@dataclass
class Figure:
    """One published set of figures: the counts, which are suppressed, and the rate's display."""

    counts: dict
    suppressed: set

    def shown(self, key):
        if key in self.suppressed:
            return "<5" if 0 < self.counts[key] < SUPPRESS_BELOW else "—"
        return self.counts[key]

    @property
    def rate(self):
        n, c = self.counts["defendants"], self.counts["with_counsel"]
        if not n or "defendants" in self.suppressed:
            return "—"
        if self.suppressed & {"with_counsel", "without_counsel"}:
            if n < BAND_MIN_DEFENDANTS:
                return "—"
            low = int(10 * c / n) * 10
            return f"{min(low, 90)}–{min(low, 90) + 10}%"
        return f"{round(100 * c / n)}%"

    def as_row(self):
        return [self.shown("defendants"), self.shown("with_counsel"), self.shown("without_counsel"), self.rate]


def _figure(row) -> Figure:
    counts = {"defendants": row["defendants"], "with_counsel": row["with_counsel"],
              "without_counsel": row["defendants"] - row["with_counsel"]}
    return Figure(counts, primary(counts))


def public_params(data) -> Params:
    """`region` (a division code; the whole country when absent) and `year`."""
    this_year = clock.today().year
    try:
        year = int(data.get("year") or this_year)
    except ValueError:
        raise InvalidInput(_("Enter a year such as %(year)s.") % {"year": this_year}, code="invalid_year",
                           field="year") from None
    if not FIRST_YEAR <= year <= this_year:
        raise InvalidInput(_("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": this_year},
                           code="invalid_year", field="year")
    region = None
    if data.get("region"):
        region = Region.objects.filter(code=data["region"]).first()
        if region is None:
            raise InvalidInput(_("There is no region %(code)s.") % {"code": data["region"]}, code="unknown_region",
                               field="region")
    return Params(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), prefix=region.prefix if region else "",
                  region=region)


def public_summary(params: Params) -> dict:
    """The table of regions × months with totals, suppressed. One query."""
    court_months = selectors.court_month_figures(params)
    cells = selectors.coverage_cells(params, court_months)
    by_region = {r["region__code"]: r for r in selectors.coverage_by(params, "region", court_months)}
    by_month = {r["month"]: r for r in selectors.coverage_by(params, "month", court_months)}
    total = selectors.totals(court_months)
    months = sorted(by_month)
    figures = {(r["region__code"], r["month"]): _figure(r) for r in cells}
    rows = []
    region_totals = []
    lines = []
    for code, row in by_region.items():
        figure = _figure(row)
        region_totals.append(figure)
        lines.append(Line(figure, [f for (c, _m), f in figures.items() if c == code]))
        rows.append({"code": code, "name": row["region__name"], "total": figure,
                     "cells": [(m, figures[(code, m)]) for m in months if (code, m) in figures]})
    month_totals = []
    for month in months:
        figure = _figure(by_month[month])
        month_totals.append(figure)
        lines.append(Line(figure, [f for (_c, m), f in figures.items() if m == month]))
    grand = _figure(total)
    lines += [Line(grand, region_totals), Line(grand, month_totals)]
    protect([*figures.values(), *region_totals, *month_totals, grand], lines)
    return {"months": months, "rows": rows, "month_totals": list(zip(months, month_totals)), "total": grand,
            "suppress_below": SUPPRESS_BELOW}
