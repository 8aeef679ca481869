from django.core.management.base import BaseCommand

from core import outbox
from core.models import OutboxMessage


class Command(BaseCommand):
    help = "Hand the tasks waiting in the outbox to the broker (they wait while it is down)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the waiting tasks.")

    def handle(self, *args, dry_run=False, **options):
        waiting = OutboxMessage.objects.count()
        if dry_run:
            self.stdout.write(f"{waiting} tasks waiting in the outbox.")
            return
        sent = outbox.drain(min_age_seconds=0)
        style = self.style.SUCCESS if sent == waiting else self.style.WARNING
        self.stdout.write(style(f"{sent} of {waiting} waiting tasks published."))
