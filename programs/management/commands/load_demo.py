"""`manage.py load_demo`: a realistic body to explore the portal with (ДМС of Ukraine and ГСМ при ПКР)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programs.choices import Role
from programs.demo import DEMO_PASSWORD, people
from programs.demo.loader import DemoLoader
from programs.permissions import must_use_second_factor


class Command(BaseCommand):
    help = (
        "Load the demo bodies (ДМС with its 2023–2025 program, ГСМ при ПКР with its Form 1 report) and one demo "
        "user per role. Safe to run again: existing rows are kept and nothing is duplicated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when DEBUG is off. The demo users share a published password.",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: the demo users share a published password. "
                "Pass --allow-production to load the demo anyway."
            )
        with transaction.atomic():
            created = DemoLoader().run()

        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {sum(created.values())} rows created."))
            for label, count in sorted(created.items()):
                self.stdout.write(f"  {label}: {count}")
        else:
            self.stdout.write(self.style.SUCCESS("Demo data is already loaded: nothing changed."))
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Log in at {settings.SITE_URL.rstrip('/')}/ with any of these users:")
        passwords = dict(
            get_user_model()
            .objects.filter(username__in=[person.username for person in people.USERS])
            .values_list("username", "password")
        )
        width = max(len(person.username) for person in people.USERS)
        # Computed from the accounts as loaded, by the portal's own rule: officers, administrators and staff.
        needs_app = {
            user.username
            for user in get_user_model().objects.filter(username__in=[person.username for person in people.USERS])
            if must_use_second_factor(user)
        }
        for person in people.USERS:
            if person.is_superuser:
                role = "platform superuser (Django admin)"
            else:
                role = f"{Role(person.role).label} — {person.organisation}"
                if person.unit:
                    role += f", {person.unit}"
            # An account that existed before the demo keeps its own password.
            if not check_password(DEMO_PASSWORD, passwords.get(person.username)):
                role += " (existing account: its own password)"
            if person.username in needs_app:
                role += " [second factor]"
            self.stdout.write(f"  {person.username:<{width}}  {role}")
        self.stdout.write(f'Password for every demo user: "{DEMO_PASSWORD}" (public: never use it in production).')
        self.stdout.write(
            "Users marked [second factor] set up an authenticator app (FreeOTP, Aegis, Google or Microsoft "
            "Authenticator) at their first sign-in: scan the QR code, type the six-digit code, keep the recovery codes."
        )
