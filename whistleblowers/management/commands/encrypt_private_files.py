"""Encrypt the private files stored in clear before encryption at rest: the whistleblowers' attachments, the generated
reports, and any other file field kept on the encrypted storage.

Idempotent and safe to interrupt: each clear file is written encrypted under a new name, the row is pointed at it,
then the clear file is deleted. Run it once after upgrading (and after restoring an old backup of the storage).

The files are found from the models, as the key rotation finds them (`whistleblowers.rotation.encrypted_columns`):
the encrypted storage lives in this app, and the apps above it that keep files there need not be named here.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.storage import encrypted_storage
from whistleblowers.rotation import encrypted_columns


class Command(BaseCommand):
    help = "Encrypt whistleblower attachments and generated reports still stored in clear."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the clear files.")

    def handle(self, *args, dry_run: bool, **options):
        converted = missing = 0
        for columns in encrypted_columns():
            model = columns.model
            for field in columns.files:
                rows = model._base_manager.exclude(**{field: ""}).values_list("pk", field).iterator()
                for pk, name in rows:
                    if not encrypted_storage.exists(name):
                        missing += 1
                        self.stderr.write(f"{model._meta.label} {pk}: the file {name} is missing.")
                        continue
                    if encrypted_storage.is_encrypted(name):
                        continue
                    converted += 1
                    if not dry_run:
                        self._encrypt(model, field, pk, name)
        verb = "would be encrypted" if dry_run else "encrypted"
        self.stdout.write(f"{converted} files {verb}; {missing} missing.")

    def _encrypt(self, model, field: str, pk: int, name: str) -> None:
        # Reading through the encrypted storage passes a clear file through unchanged, in chunks.
        with encrypted_storage.open(name) as clear:
            new_name = encrypted_storage.save(name, clear)
        with transaction.atomic():
            updated = model._base_manager.filter(pk=pk, **{field: name}).update(**{field: new_name})
        if updated:
            encrypted_storage.delete(name)
        else:  # the row changed meanwhile: keep its file, drop the copy
            encrypted_storage.delete(new_name)
