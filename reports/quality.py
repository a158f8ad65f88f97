"""The statistics page's section on the quality of aided defence (issue 7: "quality grades"): the
cases closed in the period, by the grade their defence earned (quality.models.CaseGrade). Declared
in legalaid/hooks.py (`statistics_sections`); one query, grouped by the database."""
import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cases.models import Region
from reports.sections import Chart, Column, Result, Section, Table
from reports.selectors import rate
from legalaid import clock
from quality.models import CaseGrade, Grade


def grade_counts(params) -> dict:
    """{grade: cases} for the notices closed in the period, in the region (and court) chosen."""
    grades = CaseGrade.objects.filter(notice__closed_at__gte=clock.start_of_day(params.start),
                                      notice__closed_at__lt=clock.start_of_day(params.end + dt.timedelta(days=1)))
    if params.prefix:
        grades = grades.filter(notice__court__region__in=Region.objects.filter(code__startswith=params.prefix)
                               .values("pk"))
    if params.court:
        grades = grades.filter(notice__court=params.court)
    return dict(grades.order_by().values_list("grade").annotate(n=Count("pk")))


def build_quality(ctx) -> Result:
    counts = grade_counts(ctx.params)
    graded = sum(counts.values())
    rows = [[grade.label, counts.get(grade.value, 0), rate(counts.get(grade.value, 0), graded)] for grade in Grade]
    table = Table("quality_grades", _("Closed cases by quality grade"),
                  [Column("grade", _("Grade")), Column("cases", _("Cases"), "int"),
                   Column("share", _("Share"), "percent")], rows,
                  note=_("Cases closed in the period, by the grade of their defence (the standard of M 20 and "
                         "the evaluations; docs/quality.md)."))
    chart = Chart("quality_grades", "doughnut", _("Closed cases by quality grade"), "quality_grades",
                  [grade.label for grade in Grade],
                  [{"label": _("Cases"), "data": [counts.get(grade.value, 0) for grade in Grade]}])
    good = counts.get(Grade.EXCELLENT, 0) + counts.get(Grade.GOOD, 0)
    headline = [(_("Closed cases graded"), graded, "int"), (_("Excellent or good"), rate(good, graded), "percent"),
                (_("Failed"), counts.get(Grade.FAIL, 0), "int")]
    return Result(headline, [table], [chart])


QUALITY = Section("quality", _("Quality of defence"), build_quality, ("quality_grades",), order=60,
                   basis="M 20; N2018; LAL 57-59")
