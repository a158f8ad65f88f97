"""What this app's messages say (listed in legalaid/hooks.py, `notification_kinds`)."""
from django.utils.translation import gettext_lazy as _

from notifications.kinds import table

KINDS = {
    "designation_made": (
        _("New designation: %(case)s"),
        _("%(agency)s designated you for %(defendant)s before %(court)s. Accept or decline it with a reason."),
    ),
    "designation_to_court": (
        _("Lawyer designated: %(case)s"),
        _("%(lawyer)s (%(firm)s, %(phone)s) is designated for %(defendant)s. The legal aid letter is on the notice."),
    ),
    "designation_declined": (
        _("Designation declined: %(case)s"),
        _("%(lawyer)s declined (%(reason)s). Designate another lawyer: the deadline keeps running."),
    ),
    "designation_ended": (
        _("Your designation ended: %(case)s"),
        _("Your designation for %(defendant)s ended: %(why)s. %(note)s"),
    ),
    "defendant_refused": (
        _("The defendant refused the lawyer: %(case)s"),
        _("%(defendant)s refused %(lawyer)s. %(outcome)s (%(basis)s)."),
    ),
    "aid_terminated": (
        _("Legal aid terminated: %(case)s"),
        _("The agency terminated legal aid for %(defendant)s: %(ground)s (%(basis)s)."),
    ),
    "help_request_routed": (
        _("Interim help requested: %(person)s"),
        _("At %(station)s: %(details)s"),
    ),
    "help_request_unrouted": (
        _("No duty lawyer on shift: %(station)s"),
        _("A request for interim help from %(person)s could not be routed: %(details)s"),
    ),
}

# What each kind is called where users choose their channels (notification preferences).
LABELS = {
    "designation_made": _("Designations to me"),
    "designation_to_court": _("Lawyers designated (for the court)"),
    "designation_declined": _("Designations declined"),
    "designation_ended": _("Designations ended"),
    "defendant_refused": _("Defendants refusing the lawyer"),
    "aid_terminated": _("Legal aid terminated"),
    "help_request_routed": _("Interim help requests"),
    "help_request_unrouted": _("Interim help requests with no one on shift"),
}

MESSAGE_KINDS = table(KINDS, LABELS)
