"""Create a superuser with a random password on a fresh install, and say it once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the superuser `admin` with a random password if there is no superuser yet."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; no demo superuser created.")
            return
        if User.objects.filter(**{User.USERNAME_FIELD: USERNAME}).exists():
            # An ordinary user called admin: never promote it silently.
            self.stderr.write(
                f"A user named {USERNAME!r} exists but is not a superuser; "
                "run `manage.py createsuperuser` instead."
            )
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(USERNAME, email="", password=password)
        self.stdout.write(f"Demo superuser: {USERNAME} / {password} (shown once)")
