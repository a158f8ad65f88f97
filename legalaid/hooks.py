"""Every cross-app follow-up of the system, declared here in order as dotted paths: where a court
event, a received notice or an accepted closing goes next, and what the lower layers read from the
ones above them. Like `periodic_schedule()` in legalaid/celery.py, this is the one place to look.

The apps form layers (README, "Architecture"): legalaid → notifications → cases → assignments →
quality → the top (courtapi, reports, demo). A module imports only from its own app and the apps
below it. When something a lower app does must be followed by work of an app above, the lower app
calls `run()` with a name from this table; nothing is added to it at start-up, so what is written
here is what runs, in this order.

Tests change an entry with the HOOKS setting ({name: paths}); it replaces the entries it names.
"""
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

TABLE = {
    # A notice was received (cases.services.notice_receive), inside its transaction: a summary or
    # fast-track notice is queued, after the commit, for the duty lawyer on shift (M 2(4)).
    "notice_received": (
        "assignments.tasks.on_notice_received",
    ),
    # A closing was accepted (assignments.work.services.closing_accept), inside its transaction,
    # as receiver(closing=, actor=, now=); an exception rolls the acceptance back. The grade
    # first: the subsidy's tier reads it.
    "closing_accepted": (
        "quality.services.on_closing_accepted",
        "quality.subsidies.services.on_closing_accepted",
    ),
    # The court's events (POST /api/v1/notices/<id>/events/, courtapi), by type, in the order the
    # schema lists them: each type's handler(notice=, data=, actor=) and, beside it, the serializer
    # of its body.
    "court_events": {
        "hearing_scheduled": ("cases.api.events.hearing_set", "cases.api.events.HearingEventSerializer"),
        "hearing_changed": ("cases.api.events.hearing_set", "cases.api.events.HearingEventSerializer"),
        "materials_supplemented": ("cases.api.events.materials_supplemented",
                                   "cases.api.events.MaterialsSupplementedSerializer"),
        "retained_counsel": ("assignments.api.events.retained_counsel",
                             "assignments.api.events.RetainedCounselSerializer"),
        "defendant_refused": ("assignments.api.events.defendant_refused",
                              "assignments.api.events.DefendantRefusedSerializer"),
        "not_heard": ("assignments.work.events.not_heard", "assignments.work.events.NotHeardSerializer"),
        "judgment": ("assignments.work.events.judgment", "assignments.work.events.JudgmentSerializer"),
        "procedural_decision": ("assignments.work.events.procedural_decision",
                                "assignments.work.events.ProceduralDecisionSerializer"),
        "evidence_request_decided": ("assignments.work.events.evidence_request_decided",
                                     "assignments.work.events.EvidenceRequestDecidedSerializer"),
    },
    # Who answers for the lawyer's side of a notice (cases.deadlines.enforcement: reminders and
    # breaches of the lawyer's deadlines): {notice id: [the designated lawyer's account]}.
    "notice_lawyers": (
        "assignments.selectors.lawyer_users_for_notices",
    ),
    # The states of a notice its court is told of by webhook, with the legal basis
    # (notifications.services.webhooks; the delivery log lists them).
    "court_told_of": (
        "cases.models.COURT_TOLD_OF",
    ),
    # The body of a court's webhook (notifications.channels.webhook): the notice exactly as
    # GET /api/v1/notices/<id>/ answers its court.
    "court_notice_body": (
        "courtapi.serializers.notice_body_for_court",
    ),
    # What each kind of message says (notifications.kinds): tables of kinds, in the order the
    # preferences page lists them.
    "notification_kinds": (
        "notifications.kinds.BUILT_IN",
        "assignments.kinds.MESSAGE_KINDS",
        "assignments.work.kinds.MESSAGE_KINDS",
        "quality.kinds.MESSAGE_KINDS",
    ),
    # The sections of the statistics page (reports), each a reports.sections.Section; shown in the
    # order of their `order`.
    "statistics_sections": (
        "reports.sections.COVERAGE",
        "reports.sections.NOTICES",
        "reports.sections.DESIGNATION",
        "reports.sections.BREACHES",
        "reports.sections.CASELOAD",
        "reports.quality.QUALITY",
        "reports.subsidies.SUBSIDIES",
    ),
}


def paths(name: str):
    """The entry as declared, or as the HOOKS setting replaces it."""
    return getattr(settings, "HOOKS", {}).get(name, TABLE[name])


@cache
def load(path: str):
    return import_string(path)


def receivers(name: str) -> list:
    """The objects an entry names, in order."""
    return [load(path) for path in paths(name)]


def run(name: str, **kwargs) -> list:
    """Call each receiver of an entry in order with the same keyword arguments; their answers."""
    return [receiver(**kwargs) for receiver in receivers(name)]


def ask(name: str, **kwargs):
    """The answer of an entry that names exactly one receiver (a read a lower app needs from above)."""
    (receiver,) = receivers(name)
    return receiver(**kwargs)


def value(name: str):
    """The one object an entry names (a table a lower app reads from above)."""
    (obj,) = receivers(name)
    return obj


def court_events() -> dict:
    """{event type: (handler, serializer class)}, in the declared order."""
    return {kind: (load(handler), load(serializer)) for kind, (handler, serializer) in paths("court_events").items()}
