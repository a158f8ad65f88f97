from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtApiConfig(AppConfig):
    """The court-facing API's notice endpoints (docs/court-api.md): the top layer, beside the
    statistics, since their answers compose several apps (the notice from cases, its `assignment`
    block from assignments) and the events endpoint routes each court event to the app that owns it
    (legalaid/hooks.py, `court_events`)."""

    name = "courtapi"
    verbose_name = _("Court API")
