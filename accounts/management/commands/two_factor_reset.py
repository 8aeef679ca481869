from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import services, two_factor


class Command(BaseCommand):
    help = (
        "Remove every second factor (authenticator apps, recovery codes) of one account, for "
        "a lost phone when no other superuser can do it in the admin. The account sets up a "
        "new authenticator at its next admin sign-in. Recorded in the account's history under "
        "the superuser named with --by."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account whose second factor is reset.")
        parser.add_argument(
            "--by", required=True, help="Username of the superuser doing the reset."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed, change nothing."
        )

    def handle(self, *args, username, by, dry_run, **options):
        users = get_user_model()._default_manager
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username {username!r}.")
        actor = users.filter(username=by, is_superuser=True, is_active=True).first()
        if actor is None:
            raise CommandError(f"{by!r} is not an active superuser.")
        apps = two_factor.authenticators(user).count()
        codes = two_factor.recovery_codes_left(user)
        if dry_run:
            self.stdout.write(
                f"Would remove {apps} authenticator app(s) and {codes} recovery code(s) "
                f"of {username} (dry run)."
            )
            return
        services.second_factor_reset(user=user, actor=actor)
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {apps} authenticator app(s) and {codes} recovery code(s) of {username}."
            )
        )
