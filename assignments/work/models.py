"""The lawyer's work on a designation, the court's feedback, the closing, and what outside systems
confirm. Registered under the `assignments` app (imported by assignments/models.py).

Designed to be read by the quality app (issue 6): every entry has its kind, its time, its lawyer and
designation (so "met the defendant within N days of designation" is a query), typed fields for what
is judged (whole hearing, court decision), whether it is verified; the judgment's adoption of the
defence opinion is a typed field; the closing keeps the duties check it passed."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.work.rules import (
    CourtDecision,
    EntryKind,
    MeetingMode,
    ObstructedRight,
    OpinionAdopted,
    ProceduralDecision,
)


class ReportingSource(models.Model):
    """A detention centre (看守所) or an e-file-review system (电子阅卷系统) that reports what it
    recorded of lawyers' work through the API, with its own account (role detention_centre or
    file_system) and that account's tokens."""

    class Kind(models.TextChoices):
        DETENTION_CENTRE = "detention_centre", _("Detention centre")
        FILE_SYSTEM = "file_system", _("E-file review system")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A detention centre's name is what courts write as the defendant's place of custody.
    name = models.CharField(_("name"), max_length=128, unique=True)
    region = models.ForeignKey("cases.Region", verbose_name=_("region served"), on_delete=models.PROTECT,
                               related_name="reporting_sources",
                               help_text=_("An e-file system serves the courts of this region and the regions under it."))
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT,
                                   related_name="reporting_source")
    reporting_since = models.DateTimeField(
        _("reports since"), help_text=_("Meetings before this moment are not expected to be confirmed."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reporting system")
        verbose_name_plural = _("reporting systems")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class WorkLogEntry(models.Model):
    """One piece of the lawyer's work on a notice (工作日志): when, how long, where, what. Which
    fields a kind needs is in assignments.work.rules.SPECS."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        AWAITING = "awaiting", _("Awaiting an answer")  # a request to the court, a complaint
        ANSWERED = "answered", _("Answered")

    class Verification(models.TextChoices):
        SELF_REPORTED = "self_reported", _("Self-reported")
        VERIFIED = "verified", _("Verified")
        UNCONFIRMED = "unconfirmed", _("No record at the detention centre")

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.PROTECT,
                               related_name="work_entries")
    designation = models.ForeignKey("assignments.Designation", verbose_name=_("designation"),
                                    on_delete=models.PROTECT, related_name="work_entries")
    lawyer = models.ForeignKey("assignments.Lawyer", verbose_name=_("lawyer"), on_delete=models.PROTECT,
                               related_name="work_entries")
    kind = models.CharField(_("kind"), max_length=32, choices=EntryKind.choices, db_index=True)
    started_at = models.DateTimeField(_("date and time"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=128, blank=True)
    mode = models.CharField(_("how"), max_length=16, choices=MeetingMode.choices, blank=True)
    subject = models.TextField(_("what"), blank=True, help_text=_(
        "File review: what was read. Request: what is asked. Complaint: the facts."))
    copied = models.TextField(_("what was copied"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    whole_hearing = models.BooleanField(_("attended the whole hearing"), null=True, blank=True)
    absence_reason = models.TextField(_("why not the whole hearing"), blank=True)
    obstructed_right = models.CharField(_("right obstructed"), max_length=16, choices=ObstructedRight.choices,
                                        blank=True)
    obstructed_by = models.CharField(_("obstructed by"), max_length=128, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECORDED,
                              db_index=True)
    # The court's decision on a request (M 16).
    decision = models.CharField(_("court's decision"), max_length=16, choices=CourtDecision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    # The supervisor's answer to a complaint (M 19).
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # Verification: the system expected to confirm it, and by when (healthchecks' due-at column; the
    # hourly sweep flags what is still unconfirmed after it).
    verification = models.CharField(_("verification"), max_length=16, choices=Verification.choices,
                                    default=Verification.SELF_REPORTED, db_index=True)
    expected_source = models.ForeignKey(ReportingSource, verbose_name=_("expected to be confirmed by"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    verify_by = models.DateTimeField(_("to be confirmed by"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("logged by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work-log entry")
        verbose_name_plural = _("work-log entries")
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["notice", "kind"], name="work_entry_notice_kind"),
            models.Index(fields=["lawyer", "kind", "started_at"], name="work_entry_lawyer_kind"),
            models.Index(fields=["verify_by"], condition=Q(verification="self_reported", verify_by__isnull=False),
                         name="work_entry_to_verify"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="work_entry_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.started_at:%Y-%m-%d}"

    @property
    def duration_minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)


def work_document_path(instance, filename):
    # The stored name never contains what the uploader called the file.
    return f"work/{instance.notice_id}/{uuid.uuid4().hex}"


class WorkDocument(models.Model):
    """A file the lawyer attached: to an entry (the opinion, a scanned meeting record, copies) or to
    the closing (the judgment, closing materials). Stored outside the web root under an opaque name;
    served only through views that check who may see the notice."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("Attachment")
        JUDGMENT = "judgment", _("Judgment")
        CLOSING_MATERIAL = "closing_material", _("Closing material")

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.PROTECT,
                               related_name="work_documents")
    entry = models.ForeignKey(WorkLogEntry, verbose_name=_("entry"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="documents")
    closing = models.ForeignKey("assignments.Closing", verbose_name=_("closing"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ATTACHMENT)
    file = models.FileField(_("file"), upload_to=work_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("work document")
        verbose_name_plural = _("work documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class CourtFeedback(models.Model):
    """What the court reported of its decisions (docs/court-api.md events): the decision not to hear the
    case (M 20's 10 days start), the judgment with whether the defence opinion was adopted and why
    not (M 18), and major procedural decisions (M 14)."""

    class Kind(models.TextChoices):
        NOT_HEARD = "not_heard", _("Decided not to hold a hearing")
        JUDGMENT = "judgment", _("Judgment")
        PROCEDURAL_DECISION = "procedural_decision", _("Major procedural decision")

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.PROTECT,
                               related_name="court_feedback")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    pronounced_on = models.DateField(_("pronounced on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    opinion_adopted = models.CharField(_("defence opinion adopted"), max_length=8, choices=OpinionAdopted.choices,
                                       blank=True)
    reasons_not_adopted = models.TextField(_("reasons the opinion was not adopted"), blank=True)
    decision = models.CharField(_("decision"), max_length=32, choices=ProceduralDecision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("court feedback")
        verbose_name_plural = _("court feedback")
        ordering = ["reported_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice"], condition=Q(kind="judgment"), name="one_judgment_per_notice"),
            models.UniqueConstraint(fields=["notice"], condition=Q(kind="not_heard"), name="one_not_heard_per_notice"),
        ]

    def __str__(self):
        return self.get_kind_display()


class Closing(models.Model):
    """The lawyer's closing of a notice (结案) with the closing report and materials, the M 20 check
    it passed, and the agency's review. Accepting it closes the notice (and, through
    assignments.work.services.on_closing_accepted, starts the subsidy)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to the lawyer")
        ACCEPTED = "accepted", _("Accepted")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.ACCEPTED: set(),
    }

    notice = models.OneToOneField("cases.Notice", verbose_name=_("notice"), on_delete=models.PROTECT,
                                  related_name="closing")
    designation = models.ForeignKey("assignments.Designation", verbose_name=_("designation"),
                                    on_delete=models.PROTECT, related_name="closings")
    lawyer = models.ForeignKey("assignments.Lawyer", verbose_name=_("lawyer"), on_delete=models.PROTECT,
                               related_name="closings")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    summary = models.TextField(_("closing report"))
    # The duties check at the last submission: [{code, met, entries: [ids]}].
    duties = models.JSONField(_("duties checked"), default=list)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    review_note = models.TextField(_("review note"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closing")
        verbose_name_plural = _("closings")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.notice_id} · {self.get_status_display()}"

    def can_become(self, status) -> bool:
        return status in self.TRANSITIONS[self.status]


class VerifiedRecord(models.Model):
    """What a detention centre (a meeting booked, and held with start and end) or an e-file-review
    system (the file accessed) recorded of a lawyer's work, as it reported it, and the lawyer's entry
    it matched (same lawyer, same notice, overlapping time)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting at the detention centre")
        FILE_ACCESS = "file_access", _("File accessed")

    source = models.ForeignKey(ReportingSource, verbose_name=_("reported by"), on_delete=models.PROTECT,
                               related_name="records")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reference = models.CharField(_("the system's reference"), max_length=64)
    lawyer = models.ForeignKey("assignments.Lawyer", verbose_name=_("lawyer"), on_delete=models.PROTECT,
                               related_name="verified_records")
    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.PROTECT,
                               related_name="verified_records")
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    held = models.BooleanField(_("held"), default=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    mode = models.CharField(_("how"), max_length=16, choices=MeetingMode.choices, blank=True)
    entry = models.ForeignKey(WorkLogEntry, verbose_name=_("matched entry"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="verified_records")
    received_at = models.DateTimeField(_("received at"))
    payload = models.JSONField(_("as reported"), default=dict)

    class Meta:
        verbose_name = _("verified record")
        verbose_name_plural = _("verified records")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["source", "reference"], name="record_reference_unique")]
        indexes = [models.Index(fields=["notice", "lawyer", "kind"], name="record_notice_lawyer_kind")]

    def __str__(self):
        return f"{self.source} · {self.reference}"
