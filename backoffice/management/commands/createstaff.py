"""Create or update a staff account and give it a role (backoffice.roles)."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backoffice.roles import ROLES, ROLES_BY_CODE


def _role_list():
    return "; ".join(f"{role.code} ({role.description})" for role in ROLES)


class Command(BaseCommand):
    help = (
        "Create or update a staff account and add it to a role's group. The account keeps "
        "any other roles it has. A new account gets a random password, printed once, unless "
        "--password-env names an environment variable holding one. An existing account keeps "
        "its password unless --password-env or --reset-password is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"One of: {_role_list()}.")
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="The environment variable that holds the password; refused if unset or empty.",
        )
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give an existing account a new random password, printed once.",
        )
        parser.add_argument("--email", help="The account's email address.")

    def handle(self, *args, username, role, password_env, reset_password, email, **options):
        if role not in ROLES_BY_CODE:
            codes = ", ".join(ROLES_BY_CODE)
            raise CommandError(f"Unknown role {role!r}. The roles are: {codes}.")
        password = self._password_from_env(password_env) if password_env else None
        with transaction.atomic():
            user, created = self._user(username)
            if email is not None:
                user.email = email
            user.is_staff = True
            self._validate(user, password)
            generated = None
            if password is None and (created or reset_password):
                generated = password = secrets.token_urlsafe(16)
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.add(self._group(role))
        self._report(user, role, created=created, generated=generated)

    def _password_from_env(self, name):
        password = os.environ.get(name, "")
        if not password:
            raise CommandError(f"The environment variable {name} is unset or empty.")
        return password

    def _user(self, username):
        User = get_user_model()
        try:
            return User.objects.get_by_natural_key(username), False
        except User.DoesNotExist:
            return User(**{User.USERNAME_FIELD: username}), True

    def _group(self, role):
        try:
            return Group.objects.get(name=role)
        except Group.DoesNotExist:
            raise CommandError(
                f"The group of the role {role!r} is missing; run `manage.py migrate`."
            ) from None

    def _validate(self, user, password):
        """Refuse a bad username or email, and a password Django's validators reject."""
        try:
            user.full_clean(exclude=["password"], validate_unique=user._state.adding)
            if password is not None:
                validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _report(self, user, role, *, created, generated):
        action = "Created" if created else "Updated"
        self.stdout.write(f"{action} staff account {user.get_username()!r} with the role {role}.")
        if generated:
            self.stdout.write(f"Password (shown once): {generated}")
        if not user.is_active:
            self.stderr.write("The account is inactive: it cannot log in until activated.")
