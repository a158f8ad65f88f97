from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.models import Court
from legalaid.models import ApiToken, Role, User


class Command(BaseCommand):
    help = "Issue an API key for a court's account (created if missing). The key is printed once, alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("court_code", help="The court's code as in its case numbers, e.g. 豫1702")
        parser.add_argument("--name", default="", help="A label for the key (e.g. the integrating system)")

    def handle(self, court_code, name, **options):
        court = Court.objects.filter(code=court_code).first()
        if court is None:
            raise CommandError(f"No court with code {court_code!r}.")
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                username=f"court-{court.code}",
                defaults={"role": Role.COURT, "court": court, "full_name": court.name})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            token = ApiToken(user=user, name=name or "issued from the command line")
            raw = ApiToken.new_key()
            token.set_key(raw)
            token.save()
        self.stdout.write(f"Key for {court.name} ({court.code}), account {user.username}:")
        self.stdout.write(raw)
