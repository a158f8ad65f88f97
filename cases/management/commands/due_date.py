from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.deadlines import rules as registry
from cases.deadlines.inputs import parse_start
from cases.deadlines.services import current_calendar
from cases.models import Region
from legalaid import clock


class Command(BaseCommand):
    help = ("Print the due moment of a deadline rule counted from a start (docs/court-api.md): ISO 8601 with its "
            "offset on the first line, followed by ' provisional' when a year it crosses has no entered "
            "calendar; the rule and its legal basis below.")

    def add_arguments(self, parser):
        parser.add_argument("code", help="The rule code, e.g. agency_assign_lawyer")
        parser.add_argument("start", help="YYYY-MM-DD (a Beijing date) or an ISO 8601 time; for a rule counted "
                                          "before an event (court_supplement_materials), the event")
        parser.add_argument("--region", default="", help="Division code whose jurisdiction rules apply")
        parser.add_argument("--in-custody", action="store_true", help="The defendant is in custody (CPL 105)")

    def handle(self, code, start, region, in_custody, **options):
        moment = parse_start(start)
        if moment is None:
            raise CommandError(_("%(start)r is neither a YYYY-MM-DD date nor an ISO 8601 time.") % {"start": start})
        where = None
        if region:
            where = Region.objects.filter(code=region).first()
            if where is None:
                raise CommandError(_("No region with code %(code)r.") % {"code": region})
        rule = registry.rule_for(code, where)
        if rule is None:
            raise CommandError(_("No deadline rule %(code)r. Rules: %(rules)s")
                               % {"code": code, "rules": ", ".join(registry.REGISTRY)})
        due = registry.compute_due(rule, moment, current_calendar(), in_custody=in_custody)
        # The first line is fixed by docs/court-api.md, in every language.
        self.stdout.write(clock.to_beijing(due.due_at).isoformat() + (" provisional" if due.provisional else ""))
        self.stdout.write(f"{rule.code}: {rule.title} — {rule.period} {rule.unit}, {rule.basis}")
        if due.provisional:
            self.stdout.write(_("Provisional: a year it crosses has no entered working-day calendar (enter it "
                                "with `manage.py load_calendar FILE`)."))
