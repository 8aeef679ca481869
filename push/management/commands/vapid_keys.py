from django.core.management.base import BaseCommand

from push.services import vapid_key_pair


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for web push as environment lines (VAPID_PUBLIC_KEY, "
        "VAPID_PRIVATE_KEY). Keep the private key secret; changing the pair later "
        "invalidates every existing subscription."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--subject",
            default="mailto:newsroom@levant24.example",
            help="The contact push services may use (a mailto: or https: URL).",
        )

    def handle(self, *args, subject, **options):
        public, private = vapid_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"VAPID_SUBJECT={subject}")
