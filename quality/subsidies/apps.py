from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    """Lawyers' subsidies (办案补贴; M 8, N2018, LAL 52): an app of its own (label `subsidies`)
    inside the quality package, so that its schedules and payments have their own migrations."""

    name = "quality.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidies")

