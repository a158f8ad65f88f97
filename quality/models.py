"""Quality of aided defence (办案质量): the standard each case is held to, evaluations from their
several sources, the case's grade, lawyers' quality records, suspension proposals, training and
clients' complaints (LAL 55, 57–59; N2018)."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Grade(models.TextChoices):
    """A case's quality grade; the subsidy's quality tier reads it."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class CaseGrade(models.Model):
    """The current grade of one designation's defence, recomputed whenever its standard or an
    evaluation changes (quality.services)."""

    designation = models.OneToOneField("assignments.Designation", verbose_name=_("designation"),
                                       on_delete=models.CASCADE, related_name="quality_grade")
    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="quality_grades")
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, db_index=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    details = models.JSONField(_("how the grade was computed"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case quality grade")
        verbose_name_plural = _("case quality grades")

    def __str__(self):
        return f"{self.notice_id}: {self.get_grade_display()}"
