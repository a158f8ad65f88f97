"""The lawyer roster: law firms and lawyers who take legal aid defence."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LawFirm(models.Model):
    """A law firm (律师事务所)."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    licence_number = models.CharField(_("firm licence number"), max_length=32, blank=True)
    region = models.ForeignKey("cases.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="law_firms")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("law firm")
        verbose_name_plural = _("law firms")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Speciality(models.TextChoices):
    MINORS = "minors", _("Minors' cases")
    DEATH_PENALTY = "death_penalty", _("Death-penalty cases")
    ECONOMIC_CRIME = "economic_crime", _("Economic crime")
    CYBER_FRAUD = "cyber_fraud", _("Cyber and telecom fraud")
    DRUGS = "drugs", _("Drug offences")
    VIOLENT_CRIME = "violent_crime", _("Violent crime")
    DUTY_CRIME = "duty_crime", _("Official and duty crime")
    MENTAL_HEALTH = "mental_health", _("Defendants with mental illness")


class Lawyer(models.Model):
    """A practising lawyer (律师) on the legal aid roster."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended from designations")
        INACTIVE = "inactive", _("Left the roster")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="lawyer")
    name = models.CharField(_("name"), max_length=64)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=128, blank=True, db_index=True)
    licence_number = models.CharField(_("practice licence number"), max_length=17, unique=True)
    id_number = models.CharField(_("identity number"), max_length=18, blank=True)
    firm = models.ForeignKey(LawFirm, verbose_name=_("law firm"), on_delete=models.PROTECT, related_name="lawyers")
    region = models.ForeignKey("cases.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="lawyers")
    phone = models.CharField(_("phone"), max_length=32)
    email = models.EmailField(_("email"), blank=True)
    criminal_practice_since = models.PositiveSmallIntegerField(_("criminal defence practice since (year)"))
    specialities = models.JSONField(_("specialities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")
        ordering = ["name"]

    def __str__(self):
        return self.name
