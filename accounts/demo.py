"""Demo reader accounts for development. Called by the `load_demo` management command."""

from django.contrib.auth import get_user_model
from django.db import transaction

# Development-only passwords, printed on purpose so a developer can sign in as a reader.
DEMO_READERS = [
    {
        "username": "reader1",
        "email": "reader1@levant24.example",
        "display_name": "ريم الحلبي",
        "password": "levant24-reader-1",
    },
    {
        "username": "reader2",
        "email": "reader2@levant24.example",
        "display_name": "خالد الدمشقي",
        "password": "levant24-reader-2",
    },
]


@transaction.atomic
def load(*, stdout) -> list:
    """Create or refresh the two demo readers (confirmed email, no staff rights).

    Running it again resets their names and passwords to the values printed here.
    """
    users = get_user_model()._default_manager
    readers = []
    for data in DEMO_READERS:
        user, created = users.get_or_create(
            username=data["username"], defaults={"email": data["email"]}
        )
        user.email = data["email"]
        user.display_name = data["display_name"]
        user.email_confirmed = True
        user.is_staff = False
        user.is_superuser = False
        user.is_active = True
        user.set_password(data["password"])
        user.save()
        readers.append(user)
        stdout.write(
            f"{'created' if created else 'updated'} reader {data['username']} "
            f"({data['email']}) password: {data['password']}\n"
        )
    return readers
