"""Recompute every lawyer's load (open cases, recent and last designations) from the designations,
repair the rows that differ and record the run (what the hourly task does; see assignments.load)."""
from django.core.management.base import BaseCommand

from assignments.load import load_check


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        run = load_check()
        self.stdout.write(f"{run.lawyers} lawyers checked, {run.drifted} loads repaired "
                          f"({(run.finished_at - run.started_at).total_seconds():.1f} s)")
        for detail in run.details[:20]:
            self.stdout.write(f"  {detail}")
