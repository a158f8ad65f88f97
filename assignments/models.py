"""The lawyer roster and designations (指派): law firms, lawyers with their leave and suspensions,
the people a lawyer acts for (for conflicts), the victims and witnesses of a case, connected cases,
the agency's recommendation weights; designations of a lawyer to a notice, with the letter to the
court, the defendant's refusals; and duty lawyers (值班律师): stations, shifts, interim-help
requests and plea-signing sessions."""
import json

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class LawFirm(models.Model):
    """A law firm (律师事务所)."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    licence_number = models.CharField(_("firm licence number"), max_length=32, blank=True)
    region = models.ForeignKey("cases.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="law_firms")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    history = HistoricalRecords()

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


class Language(models.TextChoices):
    """Languages a lawyer can work in besides Mandarin: minority languages and sign language."""

    CSL = "csl", _("Chinese Sign Language")
    UYGHUR = "ug", _("Uyghur")
    TIBETAN = "bo", _("Tibetan")
    MONGOLIAN = "mn", _("Mongolian")
    KAZAKH = "kk", _("Kazakh")
    KOREAN = "ko", _("Korean")
    YI = "ii", _("Yi (Nuosu)")
    ZHUANG = "za", _("Zhuang")
    KYRGYZ = "ky", _("Kyrgyz")
    DAI = "th_dai", _("Dai")
    CANTONESE = "yue", _("Cantonese")
    MINNAN = "nan", _("Southern Min")
    ENGLISH = "en", _("English")


class Lawyer(models.Model):
    """A practising lawyer (律师) on the legal aid roster. Whether the lawyer is suspended or on
    leave on a day is read from their periods; the open caseload from their designations."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("On the roster")
        INACTIVE = "inactive", _("Left the roster")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="lawyer")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    name_key = models.CharField(_("name in pinyin"), max_length=128, blank=True, db_index=True, editable=False)
    licence_number = models.CharField(_("practice licence number"), max_length=17, unique=True)
    id_number = models.CharField(_("identity number"), max_length=18, blank=True)
    gender = models.CharField(_("gender"), max_length=8, blank=True)
    firm = models.ForeignKey(LawFirm, verbose_name=_("law firm"), on_delete=models.PROTECT, related_name="lawyers")
    region = models.ForeignKey("cases.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="lawyers")
    phone = models.CharField(_("phone"), max_length=32)
    email = models.EmailField(_("email"), blank=True)
    criminal_defence_since = models.DateField(_("criminal defence practice since"))
    specialities = models.JSONField(_("specialities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    status = models.CharField(_("roster status"), max_length=16, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["region", "status"], name="lawyer_region_status")]

    def __str__(self):
        return self.name


class LeavePeriod(models.Model):
    """A period the lawyer takes no designations (leave, illness, training)."""

    lawyer = models.ForeignKey(Lawyer, verbose_name=_("lawyer"), on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave period")
        verbose_name_plural = _("leave periods")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["lawyer", "ends_on"], name="leave_lawyer_ends")]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="leave_ends_after_start")]


class Suspension(models.Model):
    """A suspension from designations, with its reason and period (open-ended when no end)."""

    lawyer = models.ForeignKey(Lawyer, verbose_name=_("lawyer"), on_delete=models.CASCADE,
                               related_name="suspensions")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lifted by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["lawyer", "starts_on"], name="suspension_lawyer_start")]


class LawyerClient(models.Model):
    """Someone the lawyer acts or acted for outside this system's designations (a retained client,
    a victim's agent, a witness's lawyer): what the conflict check matches a case's people against."""

    class Capacity(models.TextChoices):
        CLIENT = "client", _("Retained client")
        VICTIM = "victim", _("Agent of a victim")
        WITNESS = "witness", _("Counsel of a witness")
        OTHER = "other", _("Other")

    lawyer = models.ForeignKey(Lawyer, verbose_name=_("lawyer"), on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    name_key = models.CharField(max_length=128, db_index=True, editable=False)
    id_number = models.CharField(_("identity number"), max_length=18, blank=True, db_index=True)
    capacity = models.CharField(_("acts as"), max_length=16, choices=Capacity.choices)
    matter = models.CharField(_("matter or case number"), max_length=128, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("lawyer's client")
        verbose_name_plural = _("lawyers' clients")


class CaseParty(models.Model):
    """A victim or witness of a court case (entered by staff from the file), for the conflict check."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("Victim")
        WITNESS = "witness", _("Witness")

    case = models.ForeignKey("cases.CourtCase", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    name_key = models.CharField(max_length=128, editable=False)
    id_number = models.CharField(_("identity number"), max_length=18, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("victim or witness")
        verbose_name_plural = _("victims and witnesses")


class CaseConnection(models.Model):
    """Two cases handled separately whose facts are connected (SPCI 43): a lawyer who defends a
    defendant of one may not defend one of the other."""

    case = models.ForeignKey("cases.CourtCase", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("cases.CourtCase", verbose_name=_("connected case"), on_delete=models.CASCADE,
                              related_name="+")
    note = models.CharField(_("how they are connected"), max_length=255, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("connected case")
        verbose_name_plural = _("connected cases")
        constraints = [models.UniqueConstraint(fields=["case", "other"], name="case_connection_unique")]


# The longest rotation window an agency may set: a lawyer's load keeps the designations of this
# many days (assignments.load), so that any agency's window is counted exactly.
RECENT_HORIZON_DAYS = 366


class RecommendationWeights(models.Model):
    """An agency's weights for the soft order of candidates (issue 4: configurable per agency)."""

    class Pool(models.TextChoices):
        PREFECTURE = "prefecture", _("Prefecture (N2018 pools lawyers at prefecture level)")
        PROVINCE = "province", _("Province")

    agency = models.OneToOneField("cases.Agency", verbose_name=_("agency"), on_delete=models.CASCADE,
                                  related_name="recommendation_weights")
    same_county = models.PositiveSmallIntegerField(_("points for the same county"), default=30)
    per_matching_speciality = models.PositiveSmallIntegerField(_("points per matching speciality"), default=12)
    language = models.PositiveSmallIntegerField(_("points for a language the defendant needs"), default=15)
    per_open_case = models.PositiveSmallIntegerField(_("points off per open case"), default=6)
    per_recent_designation = models.PositiveSmallIntegerField(_("points off per recent designation"), default=4)
    rotation_window_days = models.PositiveSmallIntegerField(
        _("rotation window (days)"), default=90,
        validators=[MaxValueValidator(RECENT_HORIZON_DAYS)])
    per_year_of_practice = models.PositiveSmallIntegerField(_("points per year of criminal defence (up to 10)"),
                                                            default=1)
    leave_horizon_days = models.PositiveSmallIntegerField(_("leave horizon (days)"), default=7)
    pool = models.CharField(_("pool"), max_length=16, choices=Pool.choices, default=Pool.PREFECTURE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation weights")
        verbose_name_plural = _("recommendation weights")


# --- Duty lawyers --------------------------------------------------------------------------------

class DutyStation(models.Model):
    """A legal aid workstation where duty lawyers sit (法律援助工作站): at a court or a detention centre."""

    class Kind(models.TextChoices):
        COURT = "court", _("Court")
        DETENTION_CENTRE = "detention_centre", _("Detention centre")

    agency = models.ForeignKey("cases.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="duty_stations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=128)
    court = models.ForeignKey("cases.Court", verbose_name=_("court"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="duty_stations")

    class Meta:
        verbose_name = _("duty station")
        verbose_name_plural = _("duty stations")
        ordering = ["agency", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="duty_station_name_unique"),
            models.CheckConstraint(condition=~Q(kind="court") | Q(court__isnull=False),
                                   name="court_station_has_court"),
        ]

    def __str__(self):
        return self.name


class DutyShift(models.Model):
    """A duty lawyer on shift at a station on one day (the unit of the per-shift subsidy)."""

    station = models.ForeignKey(DutyStation, verbose_name=_("station"), on_delete=models.PROTECT,
                                related_name="shifts")
    date = models.DateField(_("date"), db_index=True)
    lawyer = models.ForeignKey(Lawyer, verbose_name=_("lawyer"), on_delete=models.PROTECT,
                               related_name="duty_shifts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["date", "station", "lawyer__name"]
        constraints = [models.UniqueConstraint(fields=["station", "date", "lawyer"], name="one_shift_per_day")]

    def __str__(self):
        return f"{self.date} · {self.station} · {self.lawyer}"


class InterimHelpRequest(models.Model):
    """A request for legal help before a lawyer is in place (M 2(5); CPL 36), routed to the duty
    lawyer on shift at the station."""

    station = models.ForeignKey(DutyStation, verbose_name=_("station"), on_delete=models.PROTECT,
                                related_name="help_requests")
    person_name = models.CharField(_("person"), max_length=64)
    custody_place = models.CharField(_("where held"), max_length=128, blank=True)
    details = models.TextField(_("what is asked"))
    requested_at = models.DateTimeField(_("requested at"), db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    shift = models.ForeignKey(DutyShift, verbose_name=_("shift"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="help_requests")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("help given"), blank=True)

    class Meta:
        verbose_name = _("interim-help request")
        verbose_name_plural = _("interim-help requests")
        ordering = ["-requested_at"]


class PleaSession(models.Model):
    """The signing of a plea statement (认罪认罚具结书) with the duty lawyer present (CPL 174): the
    lawyer's opinion on the charge and on the sentence proposal, and the reference of the
    audio-video recording. Tied to the shift, which feeds the per-shift subsidy."""

    shift = models.ForeignKey(DutyShift, verbose_name=_("shift"), on_delete=models.PROTECT,
                              related_name="plea_sessions")
    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="plea_sessions")
    case_number = models.CharField(_("case number"), max_length=64)
    defendant_name = models.CharField(_("suspect or defendant"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    lawyer_present = models.BooleanField(_("duty lawyer present at the signing"), default=True)
    charge_opinion = models.TextField(_("opinion on the charge"))
    sentence_opinion = models.TextField(_("opinion on the sentence proposal"))
    recording_reference = models.CharField(_("audio-video recording reference"), max_length=128)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plea-signing session")
        verbose_name_plural = _("plea-signing sessions")
        ordering = ["-signed_at"]


# --- Designations -------------------------------------------------------------------------------

class Designation(models.Model):
    """The agency designates a lawyer to a notice (指派, M 5): who, by whom, at which rank of the
    recommendation and why; the letter to the court; the lawyer's answer; and how it ended. A notice
    keeps every designation it had: its full history."""

    class Kind(models.TextChoices):
        DEFENCE = "defence", _("Defence")
        DUTY = "duty", _("Duty lawyer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the lawyer's answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined by the lawyer")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        REFUSED = "refused", _("Refused by the defendant")
        REPLACED = "replaced", _("Replaced")
        TERMINATED = "terminated", _("Legal aid terminated")
        WITHDRAWN = "withdrawn", _("Withdrawn: counsel retained")
        CLOSED = "closed", _("Case closed")

    CURRENT = (Status.PENDING, Status.ACCEPTED)
    TRANSITIONS = {
        Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.ENDED},
        Status.ACCEPTED: {Status.ENDED},
        Status.DECLINED: set(),
        Status.ENDED: set(),
    }

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="designations")
    lawyer = models.ForeignKey(Lawyer, verbose_name=_("lawyer"), on_delete=models.PROTECT,
                               related_name="designations")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.DEFENCE)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    designated_at = models.DateTimeField(_("designated at"))
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("designated by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    # The recommendation at the time: the lawyer's rank (null: not on the list), who ranked first,
    # and why this lawyer was chosen instead.
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    first_candidate = models.ForeignKey(Lawyer, verbose_name=_("first-ranked candidate"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    ranking = models.JSONField(_("reasons for the rank"), default=dict, blank=True)
    reason = models.TextField(_("why not the first-ranked candidate"), blank=True)
    overridden_filters = models.JSONField(_("filters overridden"), default=list, blank=True)
    override_reason = models.TextField(_("written reason for the override"), blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("override approved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    replaces = models.OneToOneField("self", verbose_name=_("replaces"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="replaced_by")
    shift = models.ForeignKey(DutyShift, verbose_name=_("duty shift"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="designations")
    # What the letter to the court says (M 5), frozen when it is issued.
    letter_number = models.CharField(_("letter number"), max_length=64, blank=True)
    letter = models.JSONField(_("letter"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ended by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    end_reason = models.CharField(_("ended because"), max_length=16, choices=EndReason.choices, blank=True)
    end_ground = models.CharField(_("ground"), max_length=32, blank=True)
    end_note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["designated_at", "id"]
        constraints = [
            # Two staff designating at once: the second insert fails even if a guard were missed.
            models.UniqueConstraint(fields=["notice"], condition=Q(status__in=["pending", "accepted"]),
                                    name="one_current_designation_per_notice"),
        ]
        indexes = [
            models.Index(fields=["lawyer", "designated_at"], name="designation_lawyer_time"),
            models.Index(fields=["lawyer"], condition=Q(status__in=["pending", "accepted"]),
                         name="designation_lawyer_open"),
        ]

    def __str__(self):
        return f"{self.lawyer} → {self.notice_id}"

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT


class Refusal(models.Model):
    """A defendant's refusal of the designated lawyer, as the court reported it, and what followed
    (M 6; SPCI 50, 311). Every refusal is recorded in writing (N2018)."""

    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="refusals")
    designation = models.ForeignKey(Designation, verbose_name=_("designation refused"), on_delete=models.PROTECT,
                                    related_name="refusals")
    reason = models.TextField(_("the defendant's reason"))
    valid_reason = models.BooleanField(_("the court found the reason valid"))
    defend_self = models.BooleanField(_("the defendant defends themself"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=16)
    outcome = models.CharField(_("outcome"), max_length=16, db_index=True)
    basis = models.CharField(_("legal basis"), max_length=64)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        ordering = ["reported_at", "id"]


# --- Each lawyer's load -------------------------------------------------------------------------

class MomentsField(models.Field):
    """Moments as whole seconds since the epoch, oldest first: a bigint[] on PostgreSQL, where a
    ranking counts those after a moment with width_bucket (a binary search in the array), and JSON
    text elsewhere (counted with json_each). Python sees a list of ints."""

    description = _("moments (seconds since the epoch)")

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, str):
            value = json.loads(value)
        return [int(v) for v in value]

    def get_db_prep_value(self, value, connection, prepared=False):
        value = [int(v) for v in (value or [])]
        return value if connection.vendor == "postgresql" else json.dumps(value)


class LawyerLoad(models.Model):
    """What the recommendation needs to know of a lawyer's designations, one row per lawyer: the
    open caseload, the designations of the last year (each ranking counts those inside its agency's
    rotation window when it reads them, so the count slides with time and never goes stale) and
    the last designation. Kept by assignments.load in the transaction of every designation that
    opens or ends; derived data, which `load_check` recomputes from the designations."""

    lawyer = models.OneToOneField(Lawyer, verbose_name=_("lawyer"), primary_key=True, on_delete=models.CASCADE,
                                  related_name="load")
    # Designations pending or accepted (Designation.CURRENT).
    open_cases = models.PositiveIntegerField(_("open cases"), default=0)
    # When each designation not declined was made within load.RECENT_HORIZON_DAYS (whole seconds
    # since the epoch, UTC), oldest first; older moments are dropped on the next write or check.
    recent = MomentsField(_("recent designations"), default=list, blank=True)
    # The latest designation, declined ones included (the ranking's tie-break: least recently first).
    last_designated_at = models.DateTimeField(_("last designated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lawyer's load")
        verbose_name_plural = _("lawyers' loads")

    def __str__(self):
        return str(self.lawyer_id)


class LoadCheck(models.Model):
    """One run of the load check (assignments.load.load_check): how many lawyers it compared with
    their designations, how many rows differed (drift) and were repaired, and what differed."""

    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    lawyers = models.PositiveIntegerField(_("lawyers checked"), default=0)
    drifted = models.PositiveIntegerField(_("rows repaired"), default=0)
    # The first rows that differed: [{lawyer, field: [stored, recomputed], ...}].
    details = models.JSONField(_("what differed"), default=list, blank=True)

    class Meta:
        verbose_name = _("load check")
        verbose_name_plural = _("load checks")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.drifted})"


from assignments.work.models import (  # noqa: E402,F401
    Closing,
    CourtFeedback,
    ReportingSource,
    VerifiedRecord,
    WorkDocument,
    WorkLogEntry,
)
