"""`manage.py verify_report_signature FILE.pdf …`: check a report's electronic seal from the shell, with the
certificates this portal trusts (and any given with --trust), exactly as the public page checks it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.choices import SealState
from reports.documents.seal import certificates_load, pdf_seal_check
from reports.documents.sealing import trusted_certificates


class Command(BaseCommand):
    help = "Check the PAdES signature (the organisation's seal) of report PDF files; exits with 1 unless all are valid."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--trust", type=Path, action="append", default=[], help="a PEM file of extra trust roots")

    def handle(self, *args, files: list[Path], trust: list[Path], **options) -> None:
        trusted = trusted_certificates()
        for path in trust:
            trusted.extend(certificates_load(path.read_bytes()))
        failed = []
        for path in files:
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: cannot be read: {error}") from error
            check = pdf_seal_check(content, trusted=trusted)
            if check.state == SealState.SIGNED:
                self.stdout.write(
                    f"{path}: SIGNED by {check.signer}"
                    + (f" ({check.organisation})" if check.organisation else "")
                    + f" at {check.signed_at:%Y-%m-%d %H:%M:%S %z}; certificate valid "
                    f"{check.valid_from:%Y-%m-%d} to {check.valid_until:%Y-%m-%d}"
                )
                continue
            failed.append(path)
            if check.state == SealState.UNSIGNED:
                self.stdout.write(f"{path}: NOT SIGNED")
            else:
                self.stdout.write(f"{path}: INVALID: {check.problem_text}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} file(s) do not carry a valid seal.")
