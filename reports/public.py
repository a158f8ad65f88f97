"""The public summary a justice bureau can publish: the defence rate and its counts by region and
month, with no personal data, and with small numbers suppressed.

Suppression (the rule, documented in README.md):
1. A count from 1 to SUPPRESS_BELOW − 1 is shown as "<5" (0 is shown: it says nothing of anyone).
2. Where fewer than 5 defendants were notified, nothing else of the cell is shown.
3. The without-counsel count follows from the others (notified − with counsel), so both are
   checked; where either is suppressed the rate is shown only as a 10-point band ("90–100%"),
   since an exact rate and the number notified would give the hidden count back.
4. Totals: where exactly one cell of a row (a region) or of a column (a month) is suppressed for a
   count, the total of that row or column is suppressed for that count as well — otherwise the
   total minus the shown cells would reveal it; the grand total likewise, over the row totals and
   over the column totals."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.models import Region
from reports import selectors
from reports.params import Params
from legalaid import clock
from legalaid.errors import InvalidInput

SUPPRESS_BELOW = 5
COUNTS = ("defendants", "with_counsel", "without_counsel")
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
            low = int(10 * c / n) * 10
            return f"{min(low, 90)}–{min(low, 90) + 10}%"
        return f"{round(100 * c / n)}%"

    def as_row(self):
        return [self.shown("defendants"), self.shown("with_counsel"), self.shown("without_counsel"), self.rate]


def _figure(row) -> Figure:
    counts = {"defendants": row["defendants"], "with_counsel": row["with_counsel"],
              "without_counsel": row["defendants"] - row["with_counsel"]}
    suppressed = {k for k, v in counts.items() if 0 < v < SUPPRESS_BELOW}
    if "defendants" in suppressed:
        suppressed |= set(COUNTS)
    return Figure(counts, suppressed)


def _secondary(total: Figure, parts: list) -> None:
    """Suppress in `total` each count suppressed in exactly one of its parts."""
    for key in COUNTS:
        if sum(1 for part in parts if key in part.suppressed) == 1:
            total.suppressed.add(key)


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
    for code, row in by_region.items():
        figure = _figure(row)
        _secondary(figure, [f for (c, _m), f in figures.items() if c == code])
        region_totals.append(figure)
        rows.append({"code": code, "name": row["region__name"], "total": figure,
                     "cells": [(m, figures[(code, m)]) for m in months if (code, m) in figures]})
    month_totals = []
    for month in months:
        figure = _figure(by_month[month])
        _secondary(figure, [f for (_c, m), f in figures.items() if m == month])
        month_totals.append(figure)
    grand = _figure(total)
    _secondary(grand, region_totals)
    _secondary(grand, month_totals)
    return {"months": months, "rows": rows, "month_totals": list(zip(months, month_totals)), "total": grand,
            "suppress_below": SUPPRESS_BELOW}
