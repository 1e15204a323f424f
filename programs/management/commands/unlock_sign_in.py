"""Lift a sign-in lockout before it expires: `manage.py unlock_sign_in officer` or `--address 203.0.113.7`."""

from django.core.management.base import BaseCommand, CommandError

from programs.lockout import sign_in_unlock


class Command(BaseCommand):
    help = "Unlock sign-in for the given usernames and/or client addresses."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="Usernames to unlock.")
        parser.add_argument("--address", action="append", default=[], help="A client address to unlock (repeatable).")

    def handle(self, *args, usernames, address, **options):
        if not usernames and not address:
            raise CommandError("Name at least one username or --address.")
        for username in usernames:
            sign_in_unlock(username=username)
            self.stdout.write(f"Unlocked the account {username}.")
        for value in address:
            sign_in_unlock(address=value)
            self.stdout.write(f"Unlocked the address {value}.")
