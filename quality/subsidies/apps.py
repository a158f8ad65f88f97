from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    """Lawyers' subsidies (办案补贴; M 8, N2018, LAL 52): an app of its own (label `subsidies`)
    inside the quality package, so that its schedules and payments have their own migrations."""

    name = "quality.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        from assignments.work.services import closing
        from quality.subsidies.services import on_closing_accepted
        from quality.subsidies.statistics import register_sections

        # After the quality app's grade (inserted first): the subsidy's tier reads it.
        if on_closing_accepted not in closing.CLOSING_ACCEPTED_RECEIVERS:
            closing.CLOSING_ACCEPTED_RECEIVERS.append(on_closing_accepted)
        register_sections()
