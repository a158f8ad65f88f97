"""What the messages of the lawyer's work say (listed in legalaid/hooks.py, `notification_kinds`)."""
from django.utils.translation import gettext_lazy as _

from notifications.kinds import table

KINDS = {
    "court_request_filed": (
        _("Lawyer's request: %(case)s"),
        _("%(lawyer)s asks the court (%(what)s, request %(request)s): %(subject)s. Decide within 3 days "
          "(Measures Art. 16) and report it as evidence_request_decided."),
    ),
    "court_request_decided": (
        _("The court decided your request: %(case)s"),
        _("%(what)s: %(decision)s. %(reasons)s"),
    ),
    "court_feedback": (
        _("From the court: %(what)s · %(case)s"),
        _("%(court)s on %(defendant)s: %(what)s. %(detail)s"),
    ),
    "obstruction_complaint": (
        _("Lawyer's rights obstructed: %(case)s"),
        _("%(lawyer)s complains that %(by)s obstructed %(right)s: %(facts)s (Measures Art. 19). Answer it on the "
          "case page."),
    ),
    "complaint_answered": (
        _("Your complaint was answered: %(case)s"),
        _("About %(right)s: %(answer)s"),
    ),
    "closing_submitted": (
        _("Closing to review: %(case)s"),
        _("%(lawyer)s submitted the closing of %(defendant)s's case. Review and accept it, or return it."),
    ),
    "closing_accepted": (
        _("Closing accepted: %(case)s"),
        _("The agency accepted the closing of %(defendant)s's case."),
    ),
    "closing_returned": (
        _("Closing returned: %(case)s"),
        _("The agency returned the closing of %(defendant)s's case: %(note)s"),
    ),
    "meeting_unconfirmed": (
        _("Meeting not confirmed by the detention centre: %(case)s"),
        _("%(lawyer)s logged a meeting with %(defendant)s on %(at)s; %(centre)s has no record of it."),
    ),
}

# What each kind is called where users choose their channels (notification preferences).
LABELS = {
    "court_request_filed": _("Lawyers' requests to the court"),
    "court_request_decided": _("The court's decisions on my requests"),
    "court_feedback": _("Judgments and decisions from the court"),
    "obstruction_complaint": _("Complaints that lawyers' rights were obstructed"),
    "complaint_answered": _("Answers to my complaints"),
    "closing_submitted": _("Closings to review"),
    "closing_accepted": _("Closings accepted"),
    "closing_returned": _("Closings returned"),
    "meeting_unconfirmed": _("Meetings the detention centre did not confirm"),
}

MESSAGE_KINDS = table(KINDS, LABELS)
