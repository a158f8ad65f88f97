"""The messages quality control sends (notifications.kinds)."""
from django.utils.translation import gettext_lazy as _


def register_kinds():
    from notifications import kinds

    kinds.register("suspension_proposed", _("Suspension proposals"),
                   _("Suspension proposed: %(lawyer)s"),
                   _("In the last %(months)s months %(lawyer)s had %(fails)s failed cases and %(missed_cases)s cases "
                     "with a missed duty. A supervisor decides whether to suspend the lawyer from designations."))
