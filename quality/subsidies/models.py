"""Lawyers' subsidies (办案补贴; M 8, N2018, LAL 52): the schedule each jurisdiction sets (by stage and
procedure, with additions for difficulty and a multiplier by quality grade, and the recipient's share
where it applies cost sharing, M 9), and the subsidy computed for each closed case, line by line,
through approval to payment. A paid subsidy is never edited: a correction is a new entry."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quality.subsidies.rules import Addition, Item


def _money(verbose):
    return models.DecimalField(verbose, max_digits=10, decimal_places=2)


def _multiplier(verbose, default):
    return models.DecimalField(verbose, max_digits=4, decimal_places=2, default=Decimal(default))


class SubsidySchedule(models.Model):
    """A jurisdiction's subsidy standard for a period (the province sets it; a prefecture may set its
    own). Periods of one region never overlap (quality.subsidies.services.schedule_create)."""

    region = models.ForeignKey("cases.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="subsidy_schedules")
    name = models.CharField(_("name"), max_length=128)
    basis = models.CharField(_("issued by"), max_length=255, blank=True,
                             help_text=_("The document that sets the standard, e.g. a provincial notice."))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: until replaced."))
    multiplier_excellent = _multiplier(_("multiplier for an excellent grade"), "1.20")
    multiplier_good = _multiplier(_("multiplier for a good grade"), "1.00")
    multiplier_pass = _multiplier(_("multiplier for a pass grade"), "0.90")
    multiplier_fail = _multiplier(_("multiplier for a failed grade"), "0.00")
    many_defendants_from = models.PositiveSmallIntegerField(_("many defendants: from"), default=3)
    recipient_share_percent = models.DecimalField(
        _("recipient's share (%)"), max_digits=5, decimal_places=2, default=Decimal("0"),
        help_text=_("Cost sharing by the recipient (M 9); 0 where the jurisdiction does not apply it."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy schedule")
        verbose_name_plural = _("subsidy schedules")
        ordering = ["region__code", "-valid_from"]

    def __str__(self):
        return self.name

    def multiplier(self, grade: str) -> Decimal:
        return getattr(self, f"multiplier_{grade}")


class ScheduleItem(models.Model):
    """The base amount for one kind of work at one stage (and, where it differs, one procedure)."""

    schedule = models.ForeignKey(SubsidySchedule, verbose_name=_("schedule"), on_delete=models.CASCADE,
                                 related_name="items")
    item = models.CharField(_("item"), max_length=32, choices=Item.choices)
    procedure = models.CharField(_("procedure"), max_length=32, blank=True,
                                 help_text=_("Empty: any procedure of the stage."))
    amount = _money(_("amount (yuan)"))

    class Meta:
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        constraints = [models.UniqueConstraint(fields=["schedule", "item", "procedure"], name="one_item_per_procedure")]

    def __str__(self):
        return f"{self.get_item_display()} {self.procedure} ¥{self.amount}"


class ScheduleAddition(models.Model):
    """An addition for a difficulty of the case (N2018: complexity raises the subsidy)."""

    schedule = models.ForeignKey(SubsidySchedule, verbose_name=_("schedule"), on_delete=models.CASCADE,
                                 related_name="additions")
    code = models.CharField(_("difficulty"), max_length=32, choices=Addition.choices)
    amount = _money(_("amount (yuan)"))

    class Meta:
        verbose_name = _("schedule addition")
        verbose_name_plural = _("schedule additions")
        constraints = [models.UniqueConstraint(fields=["schedule", "code"], name="one_addition_per_code")]

    def __str__(self):
        return f"{self.get_code_display()} ¥{self.amount}"


class Subsidy(models.Model):
    """The subsidy a lawyer earned for one designation: computed when the closing is accepted, then
    approved by a supervisor and paid. A correction is a new Subsidy of kind `correction` that
    points at the entry it corrects and carries only the difference."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Subsidy")
        CORRECTION = "correction", _("Correction")

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED},
        Status.APPROVED: {Status.PAID, Status.PENDING},
        Status.PAID: set(),
    }

    designation = models.ForeignKey("assignments.Designation", verbose_name=_("designation"),
                                    on_delete=models.PROTECT, related_name="subsidies")
    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.PROTECT,
                               related_name="subsidies")
    lawyer = models.ForeignKey("assignments.Lawyer", verbose_name=_("lawyer"), on_delete=models.PROTECT,
                               related_name="subsidies")
    schedule = models.ForeignKey(SubsidySchedule, verbose_name=_("schedule"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="subsidies")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ORIGINAL)
    corrects = models.ForeignKey("self", verbose_name=_("corrects"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    grade = models.CharField(_("quality grade"), max_length=16, blank=True)
    facts = models.JSONField(_("facts of the case"), default=dict, blank=True)
    amount = _money(_("subsidy (yuan)"))
    recipient_share = _money(_("recipient's share (yuan)"))
    payable = _money(_("payable by the fund (yuan)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    note = models.TextField(_("note"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    paid_on = models.DateField(_("paid on"), null=True, blank=True, db_index=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("payment recorded by"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        ordering = ["-computed_at", "-id"]
        constraints = [
            # Accepting a closing twice (a retry) never makes a second subsidy.
            models.UniqueConstraint(fields=["designation"], condition=Q(kind="original"),
                                    name="one_subsidy_per_designation"),
        ]

    def __str__(self):
        return f"{self.lawyer} · ¥{self.amount} · {self.get_status_display()}"


class SubsidyLine(models.Model):
    """One line of the calculation, as the lawyer and finance read it."""

    subsidy = models.ForeignKey(Subsidy, verbose_name=_("subsidy"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=32)
    label = models.CharField(_("line"), max_length=255)
    basis = models.CharField(_("basis"), max_length=64, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy line")
        verbose_name_plural = _("subsidy lines")
        ordering = ["subsidy", "position"]

    def __str__(self):
        return f"{self.label}: {self.amount}"
