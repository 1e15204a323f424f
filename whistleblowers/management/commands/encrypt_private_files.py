"""Encrypt the whistleblowers' attachments and the generated reports stored in clear before encryption at rest.

Idempotent and safe to interrupt: each clear file is written encrypted under a new name, the row is pointed at it,
then the clear file is deleted. Run it once after upgrading (and after restoring an old backup of the storage).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.storage import encrypted_storage
from reports.documents.models import GeneratedReport
from whistleblowers.models import ReportAttachment


class Command(BaseCommand):
    help = "Encrypt whistleblower attachments and generated reports still stored in clear."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the clear files.")

    def handle(self, *args, dry_run: bool, **options):
        converted = missing = 0
        for model in (ReportAttachment, GeneratedReport):
            for pk, name in model.objects.exclude(file="").values_list("pk", "file").iterator():
                if not encrypted_storage.exists(name):
                    missing += 1
                    self.stderr.write(f"{model._meta.label} {pk}: the file {name} is missing.")
                    continue
                if encrypted_storage.is_encrypted(name):
                    continue
                converted += 1
                if not dry_run:
                    self._encrypt(model, pk, name)
        verb = "would be encrypted" if dry_run else "encrypted"
        self.stdout.write(f"{converted} files {verb}; {missing} missing.")

    def _encrypt(self, model, pk: int, name: str) -> None:
        # Reading through the encrypted storage passes a clear file through unchanged, in chunks.
        with encrypted_storage.open(name) as clear:
            new_name = encrypted_storage.save(name, clear)
        with transaction.atomic():
            updated = model.objects.filter(pk=pk, file=name).update(file=new_name)
        if updated:
            encrypted_storage.delete(name)
        else:  # the row changed meanwhile: keep its file, drop the copy
            encrypted_storage.delete(new_name)
