"""The statistics page's section on subsidies paid (issue 7): amounts paid in the period, by month,
scoped like every other section. One query, summed by the database."""
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from cases.models import Region
from reports.sections import Chart, Column, Result, Section, Table
from quality.subsidies.models import Subsidy


def paid_by_month(params) -> list[dict]:
    paid = Subsidy.objects.filter(status=Subsidy.Status.PAID, paid_on__gte=params.start, paid_on__lte=params.end)
    if params.prefix:
        paid = paid.filter(notice__court__region__in=Region.objects.filter(code__startswith=params.prefix)
                           .values("pk"))
    if params.court:
        paid = paid.filter(notice__court=params.court)
    return list(paid.annotate(month=TruncMonth("paid_on")).order_by("month").values("month")
                .annotate(entries=Count("pk"), amount=Sum("amount"), payable=Sum("payable")))


def build_subsidies(ctx) -> Result:
    rows = paid_by_month(ctx.params)
    table = Table("subsidies_paid", _("Subsidies paid by month"),
                  [Column("month", _("Month"), "month"), Column("entries", _("Payments"), "int"),
                   Column("amount", _("Subsidies (yuan)")), Column("payable", _("Paid by the fund (yuan)"))],
                  [[r["month"], r["entries"], r["amount"], r["payable"]] for r in rows],
                  note=_("Subsidies and corrections paid in the period (by the date paid); the fund pays the "
                         "subsidy less the recipient's share where cost sharing applies (M 9)."))
    chart = Chart("subsidies_paid", "bar", _("Subsidies paid by month"), "subsidies_paid",
                  [r["month"].strftime("%Y-%m") for r in rows],
                  [{"label": _("Paid by the fund (yuan)"), "data": [float(r["payable"]) for r in rows]}])
    total = sum((r["payable"] for r in rows), 0)
    return Result([(_("Paid by the fund (yuan)"), f"{total:,.2f}", "text"),
                   (_("Payments"), sum(r["entries"] for r in rows), "int")], [table], [chart])


SUBSIDIES = Section("subsidies", _("Subsidies paid"), build_subsidies, ("subsidies_paid",), order=70,
                     basis="M 8; N2018; LAL 52")
