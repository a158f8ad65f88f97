"""The sections of the statistics page: a small registry. Each section computes its figures from
the parameters (a fixed number of queries) and answers with headline figures, tables (every one
exportable as CSV and Excel) and charts drawn from those tables. Another app adds a section with
`register(Section(...))` in its AppConfig.ready(): the quality app (issue 6) adds quality grades and
subsidies paid this way, with no change here."""
from dataclasses import dataclass, field
from typing import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.deadlines.models import Party
from cases.deadlines.rules import REGISTRY as DEADLINE_RULES
from cases.eligibility import GROUNDS
from cases.models import Category
from cases.statistics import selectors
from cases.statistics.selectors import REFERENCE_DEFENCE_RATE, Context


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    kind: str = "text"  # text | int | percent | days | month


@dataclass
class Table:
    key: str  # unique across sections: the export's name
    title: Promise | str
    columns: list
    rows: list  # lists of values, in the columns' order
    note: Promise | str = ""


@dataclass
class Chart:
    """A chart of one table: `labels` along the axis, one or more series of numbers; a percent
    chart may carry a reference line (the figure to beat)."""

    key: str
    kind: str  # bar | line | doughnut
    title: Promise | str
    table: str  # the table it is drawn from
    labels: list
    series: list  # [{"label": str, "data": [numbers]}]
    percent: bool = False
    reference: float | None = None
    reference_label: Promise | str = ""

    def as_json(self) -> dict:
        return {"key": self.key, "kind": self.kind, "title": str(self.title), "table": self.table,
                "labels": [str(label) for label in self.labels], "percent": self.percent,
                "series": [{"label": str(s["label"]), "data": s["data"]} for s in self.series],
                "reference": self.reference, "referenceLabel": str(self.reference_label)}


@dataclass
class Result:
    headline: list = field(default_factory=list)  # [(label, value, kind)]
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise | str
    build: Callable[[Context], Result]
    tables: tuple = ()  # the keys of the tables it builds (what can be exported)
    order: int = 100
    basis: str = ""  # the legal basis or source of what the section counts
    note: Promise | str = ""


_SECTIONS: dict = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a section of the statistics page."""
    _SECTIONS[section.key] = section
    return section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def all_sections() -> list:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def get_section(key: str) -> Section | None:
    return _SECTIONS.get(key)


# --- The built-in sections --------------------------------------------------------------------------

def _pct(value):
    return None if value is None else round(100 * value, 1)


def _days(days):
    return None if days is None else round(days, 1)


COVERAGE_COLUMNS = [
    Column("defendants", _("Defendants notified"), "int"), Column("aided", _("Counsel designated (aided)"), "int"),
    Column("retained", _("Counsel retained"), "int"), Column("with_counsel", _("With counsel"), "int"),
    Column("rate", _("Defence rate"), "percent"),
]


def _coverage_cells(row):
    return [row["defendants"], row["aided"], row["retained"], row["with_counsel"], row["rate"]]


def build_coverage(ctx: Context) -> Result:
    params, total = ctx.params, ctx.overview
    by_court = selectors.coverage_by(params, "court", ctx.court_months)
    by_region = selectors.coverage_by(params, "region", ctx.court_months)
    by_month = selectors.coverage_by(params, "month", ctx.court_months)
    tables = [
        Table("coverage_by_month", _("Defence rate by month"), [Column("month", _("Month"), "month"),
                                                                 *COVERAGE_COLUMNS],
              [[r["month"], *_coverage_cells(r)] for r in by_month]),
        Table("coverage_by_region", _("Defence rate by region"),
              [Column("region_code", _("Division code")), Column("region", _("Region")), *COVERAGE_COLUMNS],
              [[r["region__code"], r["region__name"], *_coverage_cells(r)] for r in by_region]),
        Table("coverage_by_court", _("Defence rate by court"),
              [Column("court_code", _("Court code")), Column("court", _("Court")), *COVERAGE_COLUMNS],
              [[r["court__code"], r["court__name"], *_coverage_cells(r)] for r in by_court]),
    ]
    reference = {"percent": True, "reference": 100 * REFERENCE_DEFENCE_RATE,
                 "reference_label": _("National reference %(rate)s%%") % {"rate": round(100 * REFERENCE_DEFENCE_RATE)}}
    charts = [
        Chart("coverage_by_month", "bar", _("Defence rate by month"), "coverage_by_month",
              [r["month"].strftime("%Y-%m") for r in by_month],
              [{"label": _("Defence rate"), "data": [_pct(r["rate"]) for r in by_month]}], **reference),
        Chart("coverage_by_region", "bar", _("Defence rate by region"), "coverage_by_region",
              [r["region__name"] for r in by_region],
              [{"label": _("Defence rate"), "data": [_pct(r["rate"]) for r in by_region]}], **reference),
    ]
    headline = [(_("Defence rate"), total["rate"], "percent"), (_("Defendants notified"), total["defendants"], "int"),
                (_("Counsel designated (aided)"), total["aided"], "int"), (_("Counsel retained"), total["retained"], "int"),
                (_("National reference"), REFERENCE_DEFENCE_RATE, "percent")]
    return Result(headline, tables, charts)


def build_notices(ctx: Context) -> Result:
    total = ctx.overview
    categories = [(code, label, total[f"category:{code}"]) for code, label in Category.choices]
    grounds = [(g, total[f"ground:{g.code}"]) for g in GROUNDS.values()]
    tables = [
        Table("notices_by_category", _("Notices by category"),
              [Column("category_code", _("Code")), Column("category", _("Category")), Column("notices", _("Notices"), "int")],
              [[code, label, n] for code, label, n in categories]),
        Table("notices_by_ground", _("Notices by ground"),
              [Column("ground_code", _("Code")), Column("ground", _("Ground")), Column("basis", _("Legal basis")),
               Column("notices", _("Notices"), "int")],
              [[g.code, g.title, g.basis, n] for g, n in grounds],
              note=_("A notice counts under every ground that applies to it.")),
    ]
    charts = [
        Chart("notices_by_category", "doughnut", _("Notices by category"), "notices_by_category",
              [label for _c, label, _n in categories], [{"label": _("Notices"), "data": [n for *_x, n in categories]}]),
        Chart("notices_by_ground", "bar", _("Notices by ground"), "notices_by_ground",
              [g.title for g, _n in grounds], [{"label": _("Notices"), "data": [n for _g, n in grounds]}]),
    ]
    return Result([(_("Notices received"), total["notices"], "int")], tables, charts)


def build_designation(ctx: Context) -> Result:
    total = ctx.overview
    times = selectors.designation_times(ctx.params)
    designated, (median, p90) = times["overall"]
    missed = total["assign_missed"]
    tables = [
        Table("designation_time", _("Time from receipt to designation"),
              [Column("measure", _("Measure")), Column("value", _("Value"))],
              [[_("Notices designated"), designated], [_("Median (days)"), _days(median)],
               [_("90th percentile (days)"), _days(p90)],
               [_("Designation clocks met in time"), total["assign_met"]],
               [_("Designation clocks missed (met late or breached)"), missed],
               [_("Share designated within the statutory period (%)"), _pct(total["assign_share"])]],
              note=_("From the notice's receipt to its first designation, in days as the law counts them "
                     "(the day of receipt is not counted: CPL 105). The statutory period is the "
                     "agency_assign_lawyer deadline (M 5; N2018; LAL 36); open or waived clocks are not counted.")),
        Table("designation_time_by_month", _("Time to designation by month"),
              [Column("month", _("Month"), "month"), Column("designated", _("Notices designated"), "int"),
               Column("median", _("Median (days)"), "days"), Column("p90", _("90th percentile (days)"), "days")],
              [[month, n, _days(m), _days(p)] for month, (n, (m, p)) in times["by_month"]]),
    ]
    charts = [
        Chart("designation_time_by_month", "line", _("Days from receipt to designation"), "designation_time_by_month",
              [month.strftime("%Y-%m") for month, _v in times["by_month"]],
              [{"label": _("Median (days)"), "data": [_days(m) for _d, (_n, (m, _p)) in times["by_month"]]},
               {"label": _("90th percentile (days)"), "data": [_days(p) for _d, (_n, (_m, p)) in times["by_month"]]}]),
    ]
    headline = [(_("Median days to designation"), _days(median), "days"),
                (_("90th percentile (days)"), _days(p90), "days"),
                (_("Designated within the statutory period"), total["assign_share"], "percent")]
    return Result(headline, tables, charts)


def _rule_title(code):
    rule = DEADLINE_RULES.get(code)
    return rule.title if rule else code


def build_breaches(ctx: Context) -> Result:
    by_rule = selectors.breaches_by(ctx.params, "rule")
    by_party = selectors.breaches_by(ctx.params, "party")
    parties = dict(Party.choices)
    tables = [
        Table("breaches_by_rule", _("Missed deadlines by rule"),
              [Column("rule_code", _("Rule")), Column("rule", _("Duty")), Column("basis", _("Legal basis")),
               Column("party", _("Responsible party")), Column("breaches", _("Missed"), "int")],
              [[r["rule_code"], _rule_title(r["rule_code"]),
                DEADLINE_RULES[r["rule_code"]].basis if r["rule_code"] in DEADLINE_RULES else "",
                parties.get(r["party"], r["party"]), r["breaches"]] for r in by_rule],
              note=_("Deadlines due in the period that were not met by their due moment: still breached, met "
                     "late, or waived after the breach.")),
        Table("breaches_by_party", _("Missed deadlines by responsible party"),
              [Column("party_code", _("Code")), Column("party", _("Responsible party")),
               Column("breaches", _("Missed"), "int")],
              [[r["party"], parties.get(r["party"], r["party"]), r["breaches"]] for r in by_party]),
    ]
    charts = [
        Chart("breaches_by_party", "bar", _("Missed deadlines by responsible party"), "breaches_by_party",
              [parties.get(r["party"], r["party"]) for r in by_party],
              [{"label": _("Missed"), "data": [r["breaches"] for r in by_party]}]),
        Chart("breaches_by_rule", "bar", _("Missed deadlines by rule"), "breaches_by_rule",
              [_rule_title(r["rule_code"]) for r in by_rule],
              [{"label": _("Missed"), "data": [r["breaches"] for r in by_rule]}]),
    ]
    return Result([(_("Missed deadlines"), sum(r["breaches"] for r in by_party), "int")], tables, charts)


def _bucket_label(low, high):
    if high is None:
        return f"≥{low}"
    return str(low) if low == high else f"{low}–{high}"


def build_caseload(ctx: Context) -> Result:
    rows = selectors.caseload(ctx.params)
    labels = [_bucket_label(r["low"], r["high"]) for r in rows]
    tables = [Table("caseload", _("Lawyers by open designations"),
                    [Column("bucket", _("Open designations")), Column("lawyers", _("Lawyers"), "int"),
                     Column("designations", _("Open designations in total"), "int")],
                    [[label, r["lawyers"], r["designations"]] for label, r in zip(labels, rows)],
                    note=_("Lawyers on the roster of the region now, by their designations pending or accepted; "
                           "the period and the court do not apply."))]
    charts = [Chart("caseload", "bar", _("Lawyers by open designations"), "caseload", labels,
                    [{"label": _("Lawyers"), "data": [r["lawyers"] for r in rows]}])]
    return Result([(_("Lawyers on the roster"), sum(r["lawyers"] for r in rows), "int")], tables, charts)


register(Section("coverage", _("Defence rate"), build_coverage,
                 ("coverage_by_month", "coverage_by_region", "coverage_by_court"), order=10, basis="N2018; M 2",
                 note=_("Defendants with counsel — designated by legal aid, or retained (reported by the court) — "
                        "over all defendants notified. A defendant is counted once, in the month of their first "
                        "notice; retained counsel takes precedence over a designation.")))
register(Section("notices", _("Notices by category and ground"), build_notices,
                 ("notices_by_category", "notices_by_ground"), order=20, basis="M 2; CPL 35; LAL 25"))
register(Section("designation", _("Time to designation"), build_designation,
                 ("designation_time", "designation_time_by_month"), order=30, basis="M 5; N2018; LAL 36"))
register(Section("breaches", _("Missed deadlines"), build_breaches, ("breaches_by_rule", "breaches_by_party"),
                 order=40))
register(Section("caseload", _("Lawyers' caseload"), build_caseload, ("caseload",), order=50))


def build_page(params) -> list:
    """[(section, result)] for every registered section, in order."""
    ctx = Context(params)
    return [(section, section.build(ctx)) for section in all_sections()]


def find_table(params, key: str):
    """(section, table) for an export, (None, None) for an unknown key: only the section that
    declares the table is computed."""
    section = next((s for s in all_sections() if key in s.tables), None)
    if section is None:
        return None, None
    table = next((t for t in section.build(Context(params)).tables if t.key == key), None)
    return (section, table) if table else (None, None)
