from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from legalaid.celery import periodic_schedule


class Command(BaseCommand):
    help = "Write every periodic task declared in legalaid/celery.py into django-celery-beat's tables."

    def handle(self, **options):
        with transaction.atomic():
            for name, (task, seconds) in periodic_schedule().items():
                interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
                PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "interval": interval,
                                                                           "enabled": True})
                self.stdout.write(f"{name}: {task} every {seconds}s")
