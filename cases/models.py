"""Courts, agencies and regions; court cases, defendants, notices of defence (通知辩护) and their
documents. Deadlines and the working-day calendar live in cases/deadlines/models.py."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """An administrative division (行政区划) with its six-digit code. The code is hierarchical, so a
    region's subtree is every code that starts with its prefix."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        COUNTY = "county", _("County")

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: {"province": 2, "prefecture": 4}.get(self.level, 6)]


class Agency(models.Model):
    """A legal aid agency (法律援助机构), serving one region and the regions under it."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="agencies")
    parent = models.ForeignKey("self", verbose_name=_("parent agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("legal aid agency")
        verbose_name_plural = _("legal aid agencies")
        ordering = ["region__code", "name"]

    def __str__(self):
        return self.name


class Court(models.Model):
    """A people's court. Its code is the designation used in its case numbers (法院代字, e.g. 豫1702)."""

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic court")
        INTERMEDIATE = "intermediate", _("Intermediate court")
        HIGH = "high", _("High court")
        SUPREME = "supreme", _("Supreme court")

    code = models.CharField(_("court code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="courts")
    agency = models.ForeignKey(Agency, verbose_name=_("legal aid agency notified"), on_delete=models.PROTECT,
                               related_name="courts")
    liaison_name = models.CharField(_("liaison"), max_length=64, blank=True)
    liaison_phone = models.CharField(_("liaison phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("court")
        verbose_name_plural = _("courts")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary procedure (first instance)")
    SUMMARY = "summary", _("Summary procedure")
    FAST_TRACK = "fast_track", _("Fast-track procedure")
    SECOND_INSTANCE = "second_instance", _("Second instance")
    RETRIAL = "retrial", _("Retrial")
    DEATH_PENALTY_REVIEW = "death_penalty_review", _("Death penalty review")


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution review")
    FIRST_INSTANCE = "first_instance", _("First instance")
    SECOND_INSTANCE = "second_instance", _("Second instance")
    RETRIAL = "retrial", _("Retrial")
    DEATH_PENALTY_REVIEW = "death_penalty_review", _("Death penalty review")


class CourtCase(models.Model):
    """A criminal case before a court (案件). Several notices of one case share it."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="cases")
    case_number = models.CharField(_("case number"), max_length=64)
    procedure = models.CharField(_("procedure"), max_length=32, choices=Procedure.choices)
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    accepted_on = models.DateField(_("accepted on"))
    hearing_starts_at = models.DateTimeField(_("hearing starts at"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=128, blank=True)
    judge_name = models.CharField(_("judge"), max_length=64)
    judge_phone = models.CharField(_("judge's phone"), max_length=32)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("court case")
        verbose_name_plural = _("court cases")
        constraints = [models.UniqueConstraint(fields=["court", "case_number"], name="case_number_unique_per_court")]

    def __str__(self):
        return self.case_number


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class CustodyStatus(models.TextChoices):
    DETAINED = "detained", _("Detained")
    RESIDENTIAL_SURVEILLANCE = "residential_surveillance", _("Residential surveillance")
    BAIL = "bail", _("Bail pending trial")
    NOT_IN_CUSTODY = "not_in_custody", _("Not in custody")


class Condition(models.TextChoices):
    BLIND = "blind", _("Blind")
    DEAF = "deaf", _("Deaf")
    MUTE = "mute", _("Mute")
    MENTAL_PARTIAL = "mental_partial", _("Mental illness without full loss of capacity")


class Defendant(models.Model):
    """A defendant (被告人) in one court case. Identity within the case: the ID number when known,
    otherwise name and birth date (docs/court-api.md, duplicates)."""

    case = models.ForeignKey(CourtCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="defendants")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    id_number = models.CharField(_("identity number"), max_length=18, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=32, blank=True)
    custody_status = models.CharField(_("custody"), max_length=32, choices=CustodyStatus.choices, blank=True)
    custody_place = models.CharField(_("custody place"), max_length=128, blank=True)
    residence = models.CharField(_("residence"), max_length=255, blank=True)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    may_face_life_or_death = models.BooleanField(_("may face life imprisonment or death"), default=False)
    charges = models.JSONField(_("charges"), default=list)
    identity_key = models.CharField(max_length=128, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("defendant")
        verbose_name_plural = _("defendants")
        constraints = [models.UniqueConstraint(fields=["case", "identity_key"], name="defendant_unique_in_case")]

    def __str__(self):
        return self.name

    @staticmethod
    def make_identity_key(*, name: str, id_number: str, birth_date) -> str:
        if id_number:
            return "id:" + id_number.upper()
        return f"nb:{name.strip()}|{birth_date.isoformat()}"


class Category(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory legal aid")
    FULL_COVERAGE = "full_coverage", _("Full coverage of defence")
    DUTY_LAWYER = "duty_lawyer", _("Duty lawyer")


class Notice(models.Model):
    """A court's notice of defence (通知辩护) for one defendant, addressed to a legal aid agency
    (Measures Art. 4)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        INCOMPLETE = "incomplete", _("Materials incomplete")
        ASSIGNED = "assigned", _("Lawyer assigned")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        TERMINATED = "terminated", _("Terminated")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        API = "api", _("Court API")
        PAPER = "paper", _("Entered from paper")

    # The one table of allowed transitions (STYLE: one guard per model).
    TRANSITIONS = {
        Status.RECEIVED: {Status.INCOMPLETE, Status.ASSIGNED, Status.WITHDRAWN, Status.TERMINATED},
        Status.INCOMPLETE: {Status.RECEIVED, Status.ASSIGNED, Status.WITHDRAWN, Status.TERMINATED},
        Status.ASSIGNED: {Status.RECEIVED, Status.INCOMPLETE, Status.WITHDRAWN, Status.TERMINATED, Status.CLOSED},
        Status.WITHDRAWN: set(),
        Status.TERMINATED: set(),
        Status.CLOSED: set(),
    }
    # Open notices: a second notice for the same defendant is a duplicate while one of these exists.
    OPEN_STATUSES = (Status.RECEIVED, Status.INCOMPLETE, Status.ASSIGNED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="notices")
    agency = models.ForeignKey(Agency, verbose_name=_("legal aid agency"), on_delete=models.PROTECT,
                               related_name="notices")
    case = models.ForeignKey(CourtCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notices")
    defendant = models.ForeignKey(Defendant, verbose_name=_("defendant"), on_delete=models.PROTECT,
                                  related_name="notices")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.API)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    court_reason = models.CharField(_("court's stated ground"), max_length=16, choices=Category.choices, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, db_index=True)
    grounds = models.JSONField(_("grounds"), default=list)
    category_differs = models.BooleanField(_("differs from the court's ground"), default=False)
    documents_promised = models.JSONField(_("documents the court will send"), default=list, blank=True)
    missing_materials = models.JSONField(_("missing materials"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice of defence")
        verbose_name_plural = _("notices of defence")
        constraints = [
            # docs/court-api.md: while a notice for the same defendant is open, another is a duplicate.
            models.UniqueConstraint(fields=["defendant"], condition=Q(status__in=["received", "incomplete", "assigned"]),
                                    name="one_open_notice_per_defendant"),
        ]
        indexes = [
            models.Index(fields=["court", "-updated_at"], name="notice_court_updated"),
            models.Index(fields=["agency", "status", "-received_at"], name="notice_agency_status_received"),
            # A list's first notices of each agency (cases.selectors.notices_first_by_agency): the
            # inbox by receipt, the API by last change.
            models.Index(fields=["agency", "-received_at", "-id"], name="notice_agency_received"),
            models.Index(fields=["agency", "-updated_at", "-id"], name="notice_agency_updated"),
        ]

    def __str__(self):
        return f"{self.case.case_number} · {self.defendant.name}"

    def can_become(self, status) -> bool:
        return status in self.TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class NoticeEvent(models.Model):
    """The case log: every domain event on a notice, with who, when, the status before and after and
    the event's data (STYLE: every transition writes an event row in the same transaction)."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="events")
    code = models.CharField(_("event"), max_length=48, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(pgettext_lazy("status change", "from"), max_length=16, blank=True)
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=16, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.code


class DocumentKind(models.TextChoices):
    INDICTMENT = "indictment", _("Indictment")
    FIRST_INSTANCE_JUDGMENT = "first_instance_judgment", _("First-instance judgment")
    PROTEST = "protest", _("Protest")
    RETRIAL_NOTICE = "retrial_notice", _("Retrial decision")
    NOTICE_LETTER = "notice_letter", _("Notice letter")
    OTHER = "other", _("Other")


def document_path(instance, filename):
    # The stored name never contains what the uploader called the file.
    return f"notices/{instance.notice_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A document the court uploaded for a notice. Its type is checked from its content."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"


class SupplementRequest(models.Model):
    """The agency's request that the court supplement a notice's materials (M 5(3)), and possibly
    move the hearing. Staff send it at once, or the 15-day breach drafts one for them to send."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent to the court")

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="supplement_requests")
    items = models.JSONField(_("what is asked"), default=list)
    note = models.TextField(_("note"), blank=True)
    ask_move_hearing = models.BooleanField(_("asks to move the hearing"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["notice"], condition=Q(status="draft"),
                                               name="one_draft_supplement_request")]


from cases.deadlines.models import (  # noqa: E402,F401
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineAction,
    JurisdictionRule,
)
