"""What each kind of message says, and which channels carry it unless the user chose otherwise.
Rendered when shown, in the reader's language. Each app keeps a table of its own kinds beside its
services; the hook table (legalaid/hooks.py, `notification_kinds`) lists them all, in order."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from legalaid import hooks

# Channels a user may choose per kind. The inbox is not among them: every message is kept there, as
# the record of what the system told whom.
EMAIL, SMS = "email", "sms"
USER_CHANNELS = (EMAIL, SMS)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # what the preferences page calls it
    subject: str
    body: str
    # Channels on by default, besides the inbox. A text message carries only the subject and a link.
    channels: frozenset = frozenset({EMAIL})


def define(code: str, label, subject, body, *, channels=(EMAIL,)) -> Kind:
    return Kind(code, label, subject, body, frozenset(channels))


def table(texts: dict, labels: dict) -> dict[str, Kind]:
    """{code: Kind} from {code: (subject, body)} and {code: label}, with the default channels."""
    return {code: define(code, labels[code], subject, body) for code, (subject, body) in texts.items()}


def all_kinds() -> dict[str, Kind]:
    """Every kind of every app, in the hook table's order."""
    out = {}
    for entries in hooks.receivers("notification_kinds"):
        out.update(entries)
    return out


BUILT_IN = {k.code: k for k in [
    define("deadline_reminder", _("Deadline reminders"),
           _("Deadline soon: %(rule)s"),
           _("%(case)s · %(defendant)s: %(rule)s is due %(due)s (%(basis)s)."),
           channels=(EMAIL, SMS)),
    define("deadline_breach", _("Deadline breaches"),
           _("Deadline breached: %(rule)s"),
           _("%(case)s · %(defendant)s: %(rule)s was due %(due)s and is not done (%(basis)s). Responsible: %(party)s."),
           channels=(EMAIL, SMS)),
    define("deadline_moved", _("Due dates moved"),
           _("Due date changed: %(rule)s"),
           _("%(case)s · %(defendant)s: %(rule)s moved from %(before)s to %(due)s after the calendar was entered.")),
    define("notice_received", _("New notices of defence"),
           _("New notice of defence: %(case)s"),
           _("%(court)s notified the agency for %(defendant)s (%(category)s).")),
    define("supplement_requested", _("Requests to supplement materials"),
           _("Materials requested: %(case)s"),
           _("The legal aid agency asks the court to supplement: %(items)s. %(note)s")),
    define("supplement_drafted", _("Drafted supplement requests"),
           _("Materials still missing 15 days before the hearing: %(case)s"),
           _("A request to the court to supplement %(items)s (and possibly move the hearing) is drafted for "
             "you to send.")),
]}


def get(code: str) -> Kind:
    """The kind, or a plain stand-in for one nobody registered (its code is its subject)."""
    return all_kinds().get(code) or Kind(code, code, code, "")


def render(kind: str, params: dict):
    entry = get(kind)
    safe = _Defaults(params)
    return str(entry.subject) % safe, str(entry.body) % safe


class _Defaults(dict):
    def __missing__(self, key):
        return ""
