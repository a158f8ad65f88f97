"""The figures the statistics are computed from: one narrow row per notice and one per missed
deadline, refreshed from the case tables by `services.figures_refresh` (see README.md, "Why summary
tables"). Nothing here is entered by hand; every column follows from the case tables."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Counsel(models.TextChoices):
    """Whether the defendant has counsel (the numerator of the defence rate)."""

    NONE = "", _("No counsel")
    RETAINED = "retained", _("Retained by the defendant or family")
    AIDED = "aided", _("Designated by legal aid")


class NoticeFigure(models.Model):
    """One notice of defence, reduced to what the statistics count. The defendant-level columns
    (`counts_defendant`, `counsel`) make the defence rate a count over defendants, not notices."""

    notice = models.OneToOneField("cases.Notice", on_delete=models.CASCADE, primary_key=True,
                                  related_name="figure")
    court = models.ForeignKey("cases.Court", on_delete=models.CASCADE, related_name="+")
    # The region of the agency notified: what a user's scope and the region filter are about.
    region = models.ForeignKey("cases.Region", on_delete=models.CASCADE, related_name="+")
    received_on = models.DateField()  # the Beijing date of receipt
    category = models.CharField(max_length=16)
    grounds = models.TextField()  # the notice's ground codes as JSON text: '["minor", "retrial"]'
    # True on the defendant's first notice: a defendant is counted once, in the month of that notice.
    counts_defendant = models.BooleanField()
    counsel = models.CharField(max_length=8, choices=Counsel.choices, blank=True)
    # Days from receipt to the notice's first designation, counted as the law counts days (Beijing
    # dates; the day of receipt is not counted: CPL 105); null while none was made.
    designation_days = models.IntegerField(null=True)
    # The notice's agency_assign_lawyer clocks: met in time, and missed (met late or breached).
    assign_met = models.PositiveSmallIntegerField()
    assign_missed = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("notice figure")
        verbose_name_plural = _("notice figures")
        indexes = [
            models.Index(fields=["received_on", "region"], name="figure_received_region"),
            models.Index(fields=["region", "received_on"], name="figure_region_received"),
            models.Index(fields=["court", "received_on"], name="figure_court_received"),
        ]


class CourtMonth(models.Model):
    """What the monthly counts are kept by: a Beijing month (its first day), a court, and the region
    of the agency notified (what a user's scope and the region filter are about)."""

    month = models.DateField()
    court = models.ForeignKey("cases.Court", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("cases.Region", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class MonthFigure(CourtMonth):
    """NoticeFigure summed by month of receipt, court and kind of notice: every additive figure of
    the pages for whole months comes from here (a few rows per court and month, whatever the number
    of notices); the partial months at the ends of a period come from NoticeFigure itself."""

    category = models.CharField(max_length=16)
    grounds = models.TextField()
    notices = models.PositiveIntegerField()
    defendants = models.PositiveIntegerField()
    aided = models.PositiveIntegerField()
    retained = models.PositiveIntegerField()
    designated = models.PositiveIntegerField()
    assign_met = models.PositiveIntegerField()
    assign_missed = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("month figure")
        verbose_name_plural = _("month figures")
        indexes = [models.Index(fields=["month", "region"], name="month_figure_month_region"),
                   models.Index(fields=["court", "month"], name="month_figure_court_month")]


class DelayFigure(CourtMonth):
    """How many notices took each number of days from receipt to their first designation, by month
    of receipt and court: the percentiles of the time to designation are read off these counts
    (exact to the day, the unit the pages show), in a number of rows that does not grow with the
    notices (a few delays per court and month)."""

    days = models.IntegerField()  # NoticeFigure.designation_days
    notices = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("delay figure")
        verbose_name_plural = _("delay figures")
        indexes = [models.Index(fields=["month", "region"], name="delay_figure_month_region"),
                   models.Index(fields=["court", "month"], name="delay_figure_court_month")]


class BreachFigure(models.Model):
    """A deadline that was not met by its due moment: still breached, met late, or waived after its
    breach was recorded. Counted in the period its due day falls in."""

    deadline = models.OneToOneField("cases.Deadline", on_delete=models.CASCADE, primary_key=True,
                                    related_name="+")
    notice = models.ForeignKey("cases.Notice", on_delete=models.CASCADE, related_name="+")
    court = models.ForeignKey("cases.Court", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("cases.Region", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()  # the Beijing day of the due moment
    rule_code = models.CharField(max_length=64)
    party = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("breach figure")
        verbose_name_plural = _("breach figures")
        indexes = [models.Index(fields=["due_on", "region"], name="breach_due_region")]


class BreachMonthFigure(CourtMonth):
    """BreachFigure counted by month of the due day, court, rule and responsible party: the missed
    deadlines of a period's whole months, in a few rows per court and month whatever the number of
    notices (the partial months at the ends of a period come from BreachFigure itself)."""

    rule_code = models.CharField(max_length=64)
    party = models.CharField(max_length=20)
    breaches = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("breach month figure")
        verbose_name_plural = _("breach month figures")
        indexes = [models.Index(fields=["month", "region"], name="breach_month_month_region"),
                   models.Index(fields=["court", "month"], name="breach_month_court_month")]


class FiguresState(models.Model):
    """The single row saying when the figures were last brought up to date (shown on the pages),
    locked while a refresh runs so that two workers never refresh at once."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    refreshed_at = models.DateTimeField(_("figures as of"), null=True)
    rebuilt_at = models.DateTimeField(_("last rebuilt"), null=True)
    notices_refreshed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("state of the figures")
        verbose_name_plural = _("state of the figures")
