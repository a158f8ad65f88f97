"""Accounts, API tokens, idempotency records and the personal-data access log: the pieces every
app shares."""
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COURT = "court", _("Court account")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    SUPERVISOR = "supervisor", _("Agency supervisor")
    LAWYER = "lawyer", _("Lawyer")
    AUDITOR = "auditor", _("Auditor")
    EVALUATOR = "evaluator", _("Quality evaluator")
    DETENTION_CENTRE = "detention_centre", _("Detention centre")
    FILE_SYSTEM = "file_system", _("E-file review system")
    ADMIN = "admin", _("Administrator")


# Roles whose scope is an agency (and the region it serves).
AGENCY_ROLES = frozenset({Role.AGENCY_STAFF, Role.SUPERVISOR, Role.AUDITOR, Role.EVALUATOR})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.AGENCY_STAFF, db_index=True)
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    court = models.ForeignKey(
        "cases.Court", verbose_name=_("court"), null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("legal aid agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="court") | Q(court__isnull=False), name="court_account_has_court"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["agency_staff", "supervisor", "auditor"]) | Q(agency__isnull=False),
                name="agency_role_has_agency",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username

    @property
    def is_agency_member(self):
        return self.role in AGENCY_ROLES

    @property
    def is_administrator(self):
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def can_write_cases(self):
        """Staff and supervisors change cases; auditors and evaluators only read."""
        return self.role in (Role.AGENCY_STAFF, Role.SUPERVISOR) or self.is_administrator


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API key of one account. Only its SHA-256 is stored: the key is shown once when issued."""

    user = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_key() -> str:
        return secrets.token_hex(20)

    @classmethod
    def lookup(cls, raw: str):
        return cls.objects.select_related("user", "user__court__region", "user__agency").filter(
            key_hash=_hash_key(raw), revoked_at__isnull=True
        ).first()

    def set_key(self, raw: str):
        self.prefix = raw[:8]
        self.key_hash = _hash_key(raw)


class IdempotencyKey(models.Model):
    """A POST's Idempotency-Key and the response it got, so a replay gets the same answer
    (docs/court-api.md: kept at least 7 days)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)
    location = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]


class PersonalDataAccess(models.Model):
    """Every view of a defendant's full identity number or other unmasked personal data."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    defendant = models.ForeignKey("cases.Defendant", verbose_name=_("defendant"), on_delete=models.CASCADE,
                                  related_name="accesses")
    field = models.CharField(_("field"), max_length=32)
    channel = models.CharField(_("channel"), max_length=16)  # page / api
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-accessed_at"]


class PendingDispatch(models.Model):
    """A task call the broker could not take (legalaid.dispatch): sent by the periodic catch-up
    once the broker is back, then deleted."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
