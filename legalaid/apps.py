from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalAidConfig(AppConfig):
    name = "legalaid"
    verbose_name = _("Accounts and platform")

    def ready(self):
        from legalaid import audit
        from legalaid.api import schema  # noqa: F401  (registers the OpenAPI auth extension)

        audit.connect()
