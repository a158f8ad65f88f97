"""The working-day calendar as data, jurisdiction overrides of the rule registry, and the deadline
instances the domain events create. Registered under the `cases` app (imported by cases.models)."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _new_version() -> str:
    return uuid.uuid4().hex


class CalendarYear(models.Model):
    """A year whose holidays and make-up working days have been entered (from the State Council's
    notice). A period that touches a year without this row is provisional."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar package")
        FILE = "file", _("Loaded from a file")
        ADMIN = "admin", _("Entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    announcement = models.CharField(_("announcement"), max_length=128, blank=True,
                                    help_text=_("The State Council notice the days come from."))
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    # Changes whenever the year's days are (re-)entered: every process compares the versions it
    # cached with the database's, so a change made anywhere is seen everywhere at once.
    version = models.CharField(max_length=32, default=_new_version, editable=False)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday pattern: a public holiday, or a weekend day that is
    a make-up working day (调休补班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (rest day)")
        WORKDAY = "workday", _("Make-up working day")

    year = models.ForeignKey(CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class Unit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("Calendar days")
    WORKING_DAYS = "working_days", _("Working days")
    HOURS = "hours", _("Hours")
    DAYS_BEFORE_EVENT = "days_before_event", _("Days before an event")


class Party(models.TextChoices):
    COURT = "court", _("Court")
    AGENCY = "agency", _("Legal aid agency")
    LAWYER = "lawyer", _("Lawyer")
    DEFENDANT = "defendant", _("Defendant")
    DETENTION_CENTRE = "detention_centre", _("Detention centre")
    CASE_ORGAN = "case_organ", _("Police, procuratorate or court")
    JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")


class JurisdictionRule(models.Model):
    """A province's or prefecture's choice: either an override of a registry rule's period or unit
    (same code), or a local rule of its own (a code the registry does not have)."""

    region = models.ForeignKey("cases.Region", verbose_name=_("jurisdiction"), on_delete=models.CASCADE,
                               related_name="deadline_rules")
    code = models.CharField(_("rule code"), max_length=64)
    period = models.PositiveIntegerField(_("period"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    rolls_over = models.BooleanField(_("rolls over a rest day"), default=True)
    custody_period = models.BooleanField(
        _("custody period"), default=False,
        help_text=_("CPL 105: for a defendant in custody the period ends on its last day, even a rest day."))
    basis = models.CharField(_("legal basis"), max_length=255)
    title_zh = models.CharField(_("title (Chinese)"), max_length=128, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=128, blank=True)
    party = models.CharField(_("responsible party"), max_length=20, choices=Party.choices, blank=True)
    trigger = models.CharField(_("trigger event"), max_length=48, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("jurisdiction deadline rule")
        verbose_name_plural = _("jurisdiction deadline rules")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="one_rule_per_code_per_region")]

    def __str__(self):
        return f"{self.region} · {self.code}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from cases.deadlines.rules import check_jurisdiction_rule

        errors = check_jurisdiction_rule(code=self.code, unit=self.unit, period=self.period, title_zh=self.title_zh,
                                         title_en=self.title_en, party=self.party)
        if errors:
            raise ValidationError(errors)


class Deadline(models.Model):
    """One statutory clock on one notice: who must do what by when, on which legal basis."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        MET_LATE = "met_late", _("Met late")
        BREACHED = "breached", _("Breached")
        WAIVED = "waived", _("Waived")

    # A breached clock is still running: the duty can yet be done (met late) or waived.
    ACTIVE_STATUSES = (Status.OPEN, Status.BREACHED)

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="deadlines")
    rule_code = models.CharField(_("rule"), max_length=64, db_index=True)
    party = models.CharField(_("responsible party"), max_length=20, choices=Party.choices)
    basis = models.CharField(_("legal basis"), max_length=255)
    period = models.PositiveIntegerField(_("period"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    trigger_at = models.DateTimeField(_("counted from"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    provisional = models.BooleanField(_("provisional"), default=False, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed or waived by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    breached_at = models.DateTimeField(_("breach recorded at"), null=True, blank=True)
    waive_reason = models.TextField(_("reason for waiving"), blank=True)
    # When the sweep next has something to do for this clock (a reminder or the breach); null when
    # nothing is left. An indexed scan of this column is the whole of the sweep's search.
    next_action_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "rule_code"], condition=Q(status__in=["open", "breached"]),
                                    name="one_active_deadline_per_rule"),
        ]
        indexes = [
            models.Index(fields=["next_action_at"], condition=Q(next_action_at__isnull=False),
                         name="deadline_next_action"),
            models.Index(fields=["status", "due_at"], name="deadline_status_due"),
        ]

    def __str__(self):
        return f"{self.rule_code} → {self.due_at:%Y-%m-%d}"

    @property
    def rule_title(self) -> str:
        """The rule's title in the current language (a local rule's code when the registry lacks it)."""
        from cases.deadlines.rules import REGISTRY

        rule = REGISTRY.get(self.rule_code)
        return rule.title if rule else self.rule_code


class DeadlineAction(models.Model):
    """A reminder or escalation the sweep performed for a deadline. The unique (deadline, step) key
    is what makes each step happen exactly once, however many workers sweep at once."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="actions")
    step = models.CharField(max_length=32)
    due_at = models.DateTimeField()  # the deadline's due moment the step was about
    done_at = models.DateTimeField()

    class Meta:
        verbose_name = _("deadline action")
        verbose_name_plural = _("deadline actions")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "step", "due_at"], name="deadline_step_once"),
        ]
        indexes = [models.Index(fields=["step", "-done_at"], name="deadline_action_step_done")]

    def __str__(self):
        return f"{self.deadline_id} {self.step} {self.done_at:%Y-%m-%d %H:%M}"
