"""The law of the lawyer's work, in one place (docs/RULES.md §2 and §4): what each kind of work-log entry
must say and which statutory clock it starts or stops, the duties the closing checks (M 20), the
court's answers (M 14, 16, 18) and the complaint channel (M 19), with the legal basis the pages and
the API show. Pure data: no models are imported here (cases.api.serializers reads the choices)."""
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    PAPERS_FILED = "papers_filed", _("Legal aid papers filed with the court")
    MEETING_REQUEST = "meeting_request", _("Meeting requested at the detention centre")
    MEETING = "meeting", _("Meeting with the defendant")
    FILE_REVIEW_REQUEST = "file_review_request", _("File review requested")
    FILE_REVIEW = "file_review", _("File review")
    EVIDENCE_REQUEST = "evidence_request", _("Request to the court to collect evidence")
    WITNESS_REQUEST = "witness_request", _("Request to the court to call witnesses")
    PREPARATION = "preparation", _("Defence preparation")
    HEARING = "hearing", _("Hearing attended")
    WRITTEN_OPINION = "written_opinion", _("Written defence opinion")
    OBSTRUCTION_COMPLAINT = "obstruction_complaint", _("Complaint: the lawyer's rights were obstructed")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("By video")


class ObstructedRight(models.TextChoices):
    """Lawyers' rights whose obstruction M 19 gives a fast complaint channel for."""

    MEETING = "meeting", _("Meeting the defendant")
    FILE_REVIEW = "file_review", _("Reading and copying the file")
    EVIDENCE = "evidence", _("Collecting evidence")
    HEARING = "hearing", _("Rights at the hearing (questioning, cross-examination, argument)")
    OTHER = "other", _("Other")


class CourtDecision(models.TextChoices):
    """The court's decision on an evidence-collection or witness request (M 16)."""

    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REFUSED = "refused", _("Refused")


class OpinionAdopted(models.TextChoices):
    """Whether the judgment adopted the defence opinion (docs/court-api.md `judgment`; M 18)."""

    FULL = "full", _("Adopted in full")
    PARTIAL = "partial", _("Adopted in part")
    NONE = "none", _("Not adopted")


class ProceduralDecision(models.TextChoices):
    """Major procedural decisions the court tells the lawyer of (M 14). The list is the project's
    reading of "major" (inference); `other` takes anything else with its summary."""

    COERCIVE_MEASURE = "coercive_measure_changed", _("Coercive measure changed")
    POSTPONED = "trial_postponed", _("Trial postponed")
    SUSPENDED = "trial_suspended", _("Trial suspended")
    JURISDICTION = "jurisdiction_changed", _("Jurisdiction changed")
    JOINED_OR_SPLIT = "cases_joined_or_split", _("Cases joined or split")
    PROCEDURE = "procedure_changed", _("Procedure changed")
    PROSECUTION_WITHDRAWN = "prosecution_withdrawn", _("Prosecution withdrawn")
    OTHER = "other", _("Other")


PROCEDURAL_DECISION_BASIS = "M 14"
PROCEDURAL_DECISION_INFERENCE = _("Which decisions count as major is the project's reading of Measures Art. 14.")


# --- Work-log entries ------------------------------------------------------------------------------

# Every field an entry may carry besides its kind; each kind allows a subset (EntrySpec.fields).
ENTRY_FIELDS = ("started_at", "ended_at", "duration_minutes", "place", "mode", "subject", "copied", "notes",
                "whole_hearing", "absence_reason", "obstructed_right", "obstructed_by")
MAX_DURATION_MINUTES = 24 * 60  # one entry is one sitting; a hearing over several days is one entry a day


@dataclass(frozen=True)
class EntrySpec:
    kind: str
    basis: str
    required: tuple = ()  # besides started_at, which every entry has
    optional: tuple = ()
    end: str = ""  # "required" / "optional": an end, as ended_at or duration_minutes; "": no end
    needs_file: bool = False  # at least one attachment
    opens: str = ""  # the deadline rule the entry starts (cases.deadlines.rules)
    closes: tuple = ()  # the deadline rules the entry meets
    help: str = ""

    @property
    def title(self):
        return EntryKind(self.kind).label

    @property
    def needs_end(self) -> bool:
        return self.end == "required"

    @property
    def fields(self) -> tuple:
        end = ("ended_at", "duration_minutes") if self.end else ()
        return ("started_at", *end, *self.required, *self.optional)


SPECS = {spec.kind: spec for spec in [
    EntrySpec(EntryKind.PAPERS_FILED, "SPCI 52", optional=("notes",), closes=("lawyer_file_papers",),
              help=_("The legal aid letter and the lawyer's papers filed with the court (SPCI 52: within 3 days of "
                     "accepting).")),
    EntrySpec(EntryKind.MEETING_REQUEST, "CPL 39", required=("place",), optional=("notes",),
              opens="detention_arrange_meeting",
              help=_("You showed your licence and the legal aid letter at the detention centre: it must arrange the "
                     "meeting within 48 hours (CPL 39).")),
    EntrySpec(EntryKind.MEETING, "M 20; CPL 39", required=("place", "mode", "notes"), end="required",
              closes=("detention_arrange_meeting",),
              help=_("The notes are the meeting record (M 20). Attach a scan of the signed record if you have one.")),
    EntrySpec(EntryKind.FILE_REVIEW_REQUEST, "M 15", optional=("notes",), opens="court_arrange_file_review",
              help=_("The court must arrange the file review at once, or within 3 working days (M 15).")),
    EntrySpec(EntryKind.FILE_REVIEW, "M 20; M 15", required=("subject", "notes"), optional=("copied",),
              end="required", closes=("court_arrange_file_review",),
              help=_("What you read, what you copied (M 20: copy the main materials), and your review notes.")),
    EntrySpec(EntryKind.EVIDENCE_REQUEST, "M 16", required=("subject",), optional=("notes",),
              opens="court_decide_evidence_request",
              help=_("The court must decide within 3 days (M 16); it answers through the system.")),
    EntrySpec(EntryKind.WITNESS_REQUEST, "M 16", required=("subject",), optional=("notes",),
              opens="court_decide_evidence_request",
              help=_("Which witnesses, and why. The court must decide within 3 days (M 16).")),
    EntrySpec(EntryKind.PREPARATION, "M 20", required=("notes",), end="optional",
              help=_("The defence outline or other preparation before the hearing (M 20: prepare the defence).")),
    EntrySpec(EntryKind.HEARING, "M 20", required=("whole_hearing",), optional=("place", "absence_reason", "notes"),
              end="required",
              help=_("M 20: attend the whole hearing. If you did not, say why.")),
    EntrySpec(EntryKind.WRITTEN_OPINION, "M 20", optional=("notes",), needs_file=True,
              closes=("lawyer_written_opinion_no_hearing",),
              help=_("The written defence opinion as submitted to the court (PDF, Word or a scan). Required before "
                     "closing; when the court does not hear the case, due within 10 days of its notice (M 20).")),
    EntrySpec(EntryKind.OBSTRUCTION_COMPLAINT, "M 19", required=("obstructed_right", "obstructed_by", "subject"),
              optional=("notes",),
              help=_("The facts go to the agency's supervisor, who answers (M 19).")),
]}

# Requests the court answers through the `evidence_request_decided` event.
COURT_REQUEST_KINDS = (EntryKind.EVIDENCE_REQUEST, EntryKind.WITNESS_REQUEST)
# Entries a detention centre or an e-file-review system can confirm.
VERIFIABLE_KINDS = (EntryKind.MEETING, EntryKind.FILE_REVIEW)

# A self-reported meeting is flagged when the detention centre that holds the defendant reports
# through the API and has sent no matching record this long after the meeting ended. Centres send
# each day's meetings by the next working day; 72 hours covers a meeting late on a Friday that is
# reported on Monday.
MEETING_VERIFY_GRACE = dt.timedelta(hours=72)
# How far apart the lawyer's times and the system's may be and still overlap: lawyers log from
# memory, in round numbers.
MATCH_TOLERANCE = dt.timedelta(minutes=30)


# --- The closing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Duty:
    code: str
    title: str
    basis: str
    inference: str = ""


DUTIES = {duty.code: duty for duty in [
    Duty("meeting", _("Met the defendant and kept a meeting record"), "M 20"),
    Duty("file_review", _("Read the file and copied the main materials"), "M 20"),
    Duty("hearing_in_full", _("Attended the whole hearing (unless the court did not hear the case)"), "M 20"),
    Duty("written_opinion", _("Submitted a written defence opinion"), "M 20"),
    Duty("judgment", _("The judgment is on file (reported by the court or attached to the closing)"), "PR2023",
         inference=_("The closing file holds the judgment: the project's reading of the closing rules.")),
]}

# Which duties a closing checks, by the kind of designation: M 20 binds the defending lawyer; a duty
# lawyer gives legal help (CPL 36), so only the judgment is asked for.
DUTIES_BY_DESIGNATION_KIND = {
    "defence": ("meeting", "file_review", "hearing_in_full", "written_opinion", "judgment"),
    "duty": ("judgment",),
}
