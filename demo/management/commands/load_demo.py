"""`manage.py load_demo`: a realistic body to explore the portal with (ДМС of Ukraine and ГСМ при ПКР)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.roles import Role
from demo import DEMO_PASSWORD, people
from demo.loader import DemoLoader
from programs.models import DemoLoad
from programs.permissions import must_use_second_factor

DEMO_PACKAGE = Path(__file__).resolve().parents[2]


def demo_fingerprint() -> str:
    """The digest of the demo's code and data (the modules of `demo`): it changes whenever the demo does."""
    digest = hashlib.sha256()
    for module in sorted(DEMO_PACKAGE.glob("*.py")):
        digest.update(module.name.encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _digest(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()


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
        parser.add_argument(
            "--skip-unchanged",
            action="store_true",
            help="Skip the loader when this database holds the demo as the code now describes it (scripts/run).",
        )

    def handle(self, *args, allow_production: bool = False, skip_unchanged: bool = False, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: the demo users share a published password. "
                "Pass --allow-production to load the demo anyway."
            )
        fingerprint = demo_fingerprint()
        marker = DemoLoad.objects.order_by("-pk").first()
        if skip_unchanged and marker is not None and marker.fingerprint == fingerprint:
            self.stdout.write(self.style.SUCCESS("Demo data is loaded and unchanged: skipped."))
        else:
            with transaction.atomic():
                created = DemoLoader().run()
                marker = marker or DemoLoad()
                marker.fingerprint = fingerprint
                marker.save()
            if created:
                self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {sum(created.values())} rows created."))
                for label, count in sorted(created.items()):
                    self.stdout.write(f"  {label}: {count}")
            else:
                self.stdout.write(self.style.SUCCESS("Demo data is already loaded: nothing changed."))
        self.print_logins(marker)

    def print_logins(self, marker: DemoLoad) -> None:
        self.stdout.write("")
        self.stdout.write(f"Log in at {settings.SITE_URL.rstrip('/')}/ with any of these users:")
        passwords = dict(
            get_user_model()
            .objects.filter(username__in=[person.username for person in people.USERS])
            .values_list("username", "password")
        )
        known = set(marker.demo_password_hashes)
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
            if not self.has_demo_password(passwords.get(person.username), known):
                role += " (existing account: its own password)"
            if person.username in needs_app:
                role += " [second factor]"
            self.stdout.write(f"  {person.username:<{width}}  {role}")
        self.stdout.write(f'Password for every demo user: "{DEMO_PASSWORD}" (public: never use it in production).')
        self.stdout.write(
            "Users marked [second factor] set up an authenticator app (FreeOTP, Aegis, Google or Microsoft "
            "Authenticator) at their first sign-in: scan the QR code, type the six-digit code, keep the recovery codes."
        )
        if known != set(marker.demo_password_hashes):
            marker.demo_password_hashes = sorted(known)
            marker.save(update_fields=["demo_password_hashes"])

    @staticmethod
    def has_demo_password(password_hash: str | None, known: set[str]) -> bool:
        """Whether the hash is of the demo password: an Argon2 check (half a second) only for a hash not seen yet.

        The answer is a pure function of the hash, so remembering it can never go stale: a changed password has a
        new hash, which is checked.
        """
        if not password_hash:
            return False
        if _digest(password_hash) in known:
            return True
        if check_password(DEMO_PASSWORD, password_hash):
            known.add(_digest(password_hash))
            return True
        return False
