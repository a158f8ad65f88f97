"""Quality of aided defence (办案质量): the standard each case is held to, evaluations from their
several sources, the case's grade, lawyers' quality records, suspension proposals, training and
clients' complaints (LAL 55, 57–59; N2018)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import NoticeEvent
from legalaid.errors import IllegalTransition

from quality import rules


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
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    missed_duties = models.PositiveSmallIntegerField(
        _("M 20 duties missed"), default=0,
        help_text=_("How many of the standard's M 20 duties were missing when the grade was computed."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case quality grade")
        verbose_name_plural = _("case quality grades")

    def __str__(self):
        return f"{self.notice_id}: {self.get_grade_display()}"


class QualitySettings(models.Model):
    """A jurisdiction's quality numbers (local rules). The nearest ancestor region's settings apply
    to a case (its agency's region) or a lawyer (their region); where none is set, rules.DEFAULTS."""

    region = models.OneToOneField("cases.Region", verbose_name=_("region"), on_delete=models.CASCADE,
                                  related_name="quality_settings")
    meeting_within_days = models.PositiveSmallIntegerField(
        _("meet the defendant within (days)"), default=rules.DEFAULTS["meeting_within_days"])
    closing_within_days = models.PositiveSmallIntegerField(
        _("closing materials within (days of the judgment)"), default=rules.DEFAULTS["closing_within_days"])
    training_minimum = models.PositiveSmallIntegerField(
        _("training sessions a year"), default=rules.DEFAULTS["training_minimum"])
    excellent_min = models.PositiveSmallIntegerField(_("excellent from"), default=rules.DEFAULTS["excellent_min"])
    good_min = models.PositiveSmallIntegerField(_("good from"), default=rules.DEFAULTS["good_min"])
    pass_min = models.PositiveSmallIntegerField(_("pass from"), default=rules.DEFAULTS["pass_min"])
    standard_weight = models.PositiveSmallIntegerField(
        _("weight of the standard (%)"), default=rules.DEFAULTS["standard_weight"],
        validators=[MaxValueValidator(100)])
    suspension_fails = models.PositiveSmallIntegerField(
        _("fails that propose a suspension"), default=rules.DEFAULTS["suspension_fails"])
    suspension_missed_cases = models.PositiveSmallIntegerField(
        _("cases with a missed duty that propose a suspension"), default=rules.DEFAULTS["suspension_missed_cases"])
    suspension_window_months = models.PositiveSmallIntegerField(
        _("within (months)"), default=rules.DEFAULTS["suspension_window_months"])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality settings")
        verbose_name_plural = _("quality settings")
        constraints = [
            models.CheckConstraint(condition=Q(pass_min__lte=models.F("good_min"),
                                               good_min__lte=models.F("excellent_min"),
                                               excellent_min__lte=100, standard_weight__lte=100),
                                   name="quality_settings_ordered_thresholds"),
        ]

    def __str__(self):
        return str(self.region)

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in rules.DEFAULTS}


class Evaluation(models.Model):
    """One evaluation of a designation's defence, from one source (LAL 58; N2018), with a score out
    of 100. Who may give each kind: rules.EVALUATIONS."""

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="evaluations")
    designation = models.ForeignKey("assignments.Designation", verbose_name=_("designation"),
                                    on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=24, choices=rules.EvaluationKind.choices, db_index=True)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(rules.SCORE_MIN), MaxValueValidator(rules.SCORE_MAX)])
    comments = models.TextField(_("comments"), blank=True)
    # A follow-up with the client (回访): reached or not, satisfaction 1-5, a complaint if any.
    reached = models.BooleanField(_("client reached"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1-5)"), null=True, blank=True,
        validators=[MinValueValidator(rules.SATISFACTION_MIN), MaxValueValidator(rules.SATISFACTION_MAX)])
    complaint = models.TextField(_("complaint voiced"), blank=True)
    # The judgment an automatic court-feedback evaluation was made from.
    court_feedback = models.OneToOneField("assignments.CourtFeedback", verbose_name=_("court feedback"), null=True,
                                          blank=True, on_delete=models.CASCADE, related_name="evaluation")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="evaluation_score_0_100"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.score}"


class SuspensionProposal(models.Model):
    """A proposal to suspend a lawyer from designations, made by the grade recompute when the
    lawyer's record shows the pattern (rules.DEFAULTS suspension_*); a supervisor confirms it with
    reason and period (which suspends the lawyer: the recommendation's filter honours it) or
    dismisses it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    TRANSITIONS = {
        Status.PROPOSED: {Status.CONFIRMED, Status.DISMISSED},
        Status.CONFIRMED: set(),
        Status.DISMISSED: set(),
    }

    lawyer = models.ForeignKey("assignments.Lawyer", verbose_name=_("lawyer"), on_delete=models.CASCADE,
                               related_name="suspension_proposals")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    pattern = models.JSONField(_("what the record shows"), default=dict)
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.TextField(_("reason"), blank=True)
    starts_on = models.DateField(_("suspended from"), null=True, blank=True)
    ends_on = models.DateField(_("suspended until"), null=True, blank=True)
    suspension = models.OneToOneField("assignments.Suspension", verbose_name=_("suspension"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="proposal")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suspension proposal")
        verbose_name_plural = _("suspension proposals")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lawyer"], condition=Q(status="proposed"),
                                    name="one_open_suspension_proposal_per_lawyer"),
        ]

    def __str__(self):
        return f"{self.lawyer} · {self.get_status_display()}"


class TrainingRecord(models.Model):
    """A training session a lawyer attended (业务培训; N2018): the yearly minimum is a local rule."""

    lawyer = models.ForeignKey("assignments.Lawyer", verbose_name=_("lawyer"), on_delete=models.CASCADE,
                               related_name="training_records")
    course = models.CharField(_("course"), max_length=200)
    held_on = models.DateField(_("held on"), db_index=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["lawyer", "held_on"], name="training_lawyer_held_on")]

    def __str__(self):
        return f"{self.course} · {self.held_on}"


class Complaint(models.Model):
    """A client's (or the family's) complaint about their lawyer (LAL 55), tracked to a decision; an
    upheld complaint may replace the lawyer through the assignment workflow."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        INVESTIGATING = "investigating", _("Investigating")
        DECIDED = "decided", _("Decided")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    class Relation(models.TextChoices):
        DEFENDANT = "defendant", _("The defendant")
        FAMILY = "family", _("A family member")
        GUARDIAN = "guardian", _("A guardian")

    TRANSITIONS = {
        Status.RECEIVED: {Status.INVESTIGATING, Status.DECIDED},
        Status.INVESTIGATING: {Status.DECIDED},
        Status.DECIDED: set(),
    }

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="client_complaints")
    designation = models.ForeignKey("assignments.Designation", verbose_name=_("designation complained of"),
                                    on_delete=models.CASCADE, related_name="client_complaints")
    lawyer = models.ForeignKey("assignments.Lawyer", verbose_name=_("lawyer"), on_delete=models.CASCADE,
                               related_name="client_complaints")
    complainant = models.CharField(_("complainant"), max_length=64)
    relation = models.CharField(_("relation to the defendant"), max_length=16, choices=Relation.choices)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("the complaint"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    investigation_note = models.TextField(_("investigation"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    replacement = models.OneToOneField("assignments.Designation", verbose_name=_("replacement designation"),
                                       null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client complaint")
        verbose_name_plural = _("client complaints")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.complainant} · {self.get_status_display()}"

    def transition_refused(self, to):
        return IllegalTransition(gettext("The complaint is %(status)s: it cannot become %(to)s.")
                                 % {"status": self.get_status_display(), "to": Complaint.Status(to).label},
                                 code="complaint_transition")

    def log_transition(self, *, code, before, actor, data, at):
        """legalaid.transitions: a complaint's course is in its notice's case log."""
        NoticeEvent.objects.create(notice_id=self.notice_id, code=code, actor=actor, from_status=before,
                                   to_status=self.status, data=data, created_at=at)
