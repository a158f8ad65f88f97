"""What each kind of message says. Rendered when shown, in the reader's language."""
from django.utils.translation import gettext_lazy as _

KINDS = {
    "deadline_reminder": (
        _("Deadline soon: %(rule)s"),
        _("%(case)s · %(defendant)s: %(rule)s is due %(due)s (%(basis)s)."),
    ),
    "deadline_breach": (
        _("Deadline breached: %(rule)s"),
        _("%(case)s · %(defendant)s: %(rule)s was due %(due)s and is not done (%(basis)s). Responsible: %(party)s."),
    ),
    "deadline_moved": (
        _("Due date changed: %(rule)s"),
        _("%(case)s · %(defendant)s: %(rule)s moved from %(before)s to %(due)s after the calendar was entered."),
    ),
    "notice_received": (
        _("New notice of defence: %(case)s"),
        _("%(court)s notified the agency for %(defendant)s (%(category)s)."),
    ),
    "supplement_requested": (
        _("Materials requested: %(case)s"),
        _("The legal aid agency asks the court to supplement: %(items)s. %(note)s"),
    ),
    "supplement_drafted": (
        _("Materials still missing 15 days before the hearing: %(case)s"),
        _("A request to the court to supplement %(items)s (and possibly move the hearing) is drafted for you to send."),
    ),
}


def render(kind: str, params: dict):
    subject, body = KINDS.get(kind, (kind, ""))
    safe = _Defaults(params)
    return str(subject) % safe, str(body) % safe


class _Defaults(dict):
    def __missing__(self, key):
        return ""
