"""Create the local demo's admin account and print its login (refuses outside DEBUG).

Its password is printed and committed, so unlike the loaders it has no flag for DEBUG off, and it
refuses a database holding real content even with DEBUG on.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from devtools import guard

USERNAME = "admin"
PASSWORD = "russian-thaw-1957"


class Command(BaseCommand):
    help = "Create a local admin account for the demo and print its login (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo admin account is for local DEBUG runs only.")
        guard.refuse_real_content("ensure_demo_admin")
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "Admin: http://127.0.0.1:8000/admin/ "
                f"user {USERNAME!r}, password {PASSWORD!r} (local demo only)"
            )
        )
