"""The messages quality control sends (listed in legalaid/hooks.py, `notification_kinds`)."""
from django.utils.translation import gettext_lazy as _

from notifications.kinds import define

MESSAGE_KINDS = {k.code: k for k in [
    define("suspension_proposed", _("Suspension proposals"),
           _("Suspension proposed: %(lawyer)s"),
           _("In the last %(months)s months %(lawyer)s had %(fails)s failed cases and %(missed_cases)s cases "
             "with a missed duty. A supervisor decides whether to suspend the lawyer from designations.")),
]}
