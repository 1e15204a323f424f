"""Getting started: an organisation and its first administrator on an empty database, without the Django admin."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from programs.choices import OrganisationKind
from programs.models import Organisation
from programs.people import organisation_create


class Command(BaseCommand):
    help = (
        "Create an organisation with its first administrator and print a one-time link where the administrator "
        "sets a password. The same link is also sent by e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Full name of the body.")
        parser.add_argument("--short-name", required=True, help="Short name shown in lists and the header.")
        parser.add_argument("--admin-email", required=True, help="E-mail address of the first administrator.")
        parser.add_argument("--kind", choices=OrganisationKind.values, default=OrganisationKind.CENTRAL)
        parser.add_argument("--parent", type=int, help="Id of the parent organisation, for a territorial body.")

    def handle(self, *args, **options):
        try:
            validate_email(options["admin_email"])
        except ValidationError as error:
            raise CommandError(f"--admin-email: {' '.join(error.messages)}") from error
        parent = None
        if options["parent"] is not None:
            parent = Organisation.objects.filter(pk=options["parent"]).first()
            if parent is None:
                raise CommandError(f"--parent: there is no organisation with id {options['parent']}.")
        try:
            organisation, sent = organisation_create(
                name=options["name"],
                short_name=options["short_name"],
                admin_email=options["admin_email"],
                kind=options["kind"],
                parent=parent,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        invitation = sent.invitation
        self.stdout.write(f"Organisation «{organisation.name}» created (id {organisation.pk}).")
        self.stdout.write(
            f"Its administrator {invitation.email} sets a password at this one-time link, valid until "
            f"{timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M}:"
        )
        self.stdout.write(sent.link)
        if not sent.delivered:
            self.stderr.write("The e-mail with the link could not be sent; hand the link over yourself.")
