"""Issue an API key to a detention centre or an e-file-review system (its account and reporting
system are created when missing). The key is printed once, alone on the last line."""
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assignments.work.models import ReportingSource
from cases.models import Region
from legalaid import clock
from legalaid.models import ApiToken, Role, User

ROLE_OF_KIND = {ReportingSource.Kind.DETENTION_CENTRE: Role.DETENTION_CENTRE,
                ReportingSource.Kind.FILE_SYSTEM: Role.FILE_SYSTEM}


class Command(BaseCommand):
    help = ("Issue an API key for a detention centre or an e-file-review system (created if missing). "
            "The key is printed once, alone on the last line.")

    def add_arguments(self, parser):
        parser.add_argument("name", help="The system's name; a detention centre's as courts write the place of "
                                         "custody, e.g. 驻马店市看守所")
        parser.add_argument("--kind", choices=[k.value for k in ReportingSource.Kind],
                            default=ReportingSource.Kind.DETENTION_CENTRE)
        parser.add_argument("--region", help="Division code of the region served (needed to create the system)")
        parser.add_argument("--label", default="", help="A label for the key")

    def handle(self, name, kind, region, label, **options):
        with transaction.atomic():
            source = ReportingSource.objects.select_related("account").filter(name=name).first()
            if source is None:
                area = Region.objects.filter(code=region or "").first()
                if area is None:
                    raise CommandError("Give --region with a known division code to create the system.")
                account = User.objects.create(username=f"{kind}-{ReportingSource.objects.count() + 1}-{area.code}",
                                              role=ROLE_OF_KIND[kind], full_name=name)
                account.set_unusable_password()
                account.save(update_fields=["password"])
                source = ReportingSource.objects.create(kind=kind, name=name, region=area, account=account,
                                                        reporting_since=clock.now())
            elif source.kind != kind:
                raise CommandError(f"{name} is a {source.get_kind_display()}, not {kind}.")
            token = ApiToken(user=source.account, name=label or "issued from the command line")
            raw = ApiToken.new_key()
            token.set_key(raw)
            token.save()
        self.stdout.write(f"Key for {source.name} ({source.get_kind_display()}), account {source.account.username}:")
        self.stdout.write(raw)
