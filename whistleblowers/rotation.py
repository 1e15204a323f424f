"""Key rotation: every encrypted value and file re-encrypted under the first of FIELD_ENCRYPTION_KEYS.

The application reads with every configured key, so the rotation runs while the portal serves: each batch of rows is
its own short transaction (readers are never blocked; a writer to one of the batch's rows waits milliseconds), and a
run stopped anywhere is simply run again — values already under the first key are skipped, so it continues where it
stopped and a complete run is followed by runs that change nothing. Rows are updated with `update()` on the
encrypted columns only: no `version` is bumped and no history is written, so nobody's open form goes stale because of
a rotation.

What is rotated is found from the models, not listed by hand: every `EncryptedTextField` and every file field stored
on `EncryptedStorage`, in any app — a new encrypted field is covered without touching this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.functions import Cast

from core.crypto import is_under_primary_key, reencrypt
from core.fields import EncryptedTextField
from core.storage import EncryptedStorage, encrypted_storage


@dataclass(frozen=True)
class EncryptedColumns:
    """A model's encrypted text fields and its file fields kept on the encrypted storage."""

    model: type[models.Model]
    texts: tuple[str, ...]
    files: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass
class BatchResult:
    label: str
    checked: int  # rows read in the batch
    changed: int  # values and files re-encrypted
    missing: int  # files the row names but the storage no longer holds


def encrypted_columns() -> list[EncryptedColumns]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = model._meta.concrete_fields
        texts = tuple(field.attname for field in fields if isinstance(field, EncryptedTextField))
        files = tuple(
            field.attname
            for field in fields
            if isinstance(field, models.FileField) and isinstance(field.storage, EncryptedStorage)
        )
        if texts or files:
            found.append(EncryptedColumns(model=model, texts=texts, files=files))
    return sorted(found, key=lambda columns: columns.label)


def _raw(name: str) -> str:
    return f"_stored_{name}"


def _stored_values(columns: EncryptedColumns, queryset) -> Iterator[tuple]:
    """(pk, stored text tokens…, file names…): the tokens as stored, not decrypted, to tell which key wrote them."""
    annotated = queryset.annotate(**{_raw(name): Cast(name, models.TextField()) for name in columns.texts})
    return annotated.values_list("pk", *(_raw(name) for name in columns.texts), *columns.files)


def _text_is_stale(token: str | None) -> bool:
    return bool(token) and not is_under_primary_key(token.encode())


def _file_is_stale(name: str | None) -> bool:
    return bool(name) and encrypted_storage.exists(name) and not encrypted_storage.is_under_primary_key(name)


def _rotate_texts(columns: EncryptedColumns, rows: list[tuple]) -> int:
    changed = 0
    for pk, *stored in rows:
        try:
            updates = {
                name: models.Value(reencrypt(token.encode()).decode(), output_field=models.TextField())
                for name, token in zip(columns.texts, stored[: len(columns.texts)], strict=True)
                if _text_is_stale(token)
            }
        except ImproperlyConfigured as error:
            raise ImproperlyConfigured(f"{columns.label} {pk}: {error}") from error
        if updates:
            # A Value is written as given: the field's own encryption would wrap the token a second time.
            columns.model._base_manager.filter(pk=pk).update(**updates)
            changed += len(updates)
    return changed


def _rotate_file(columns: EncryptedColumns, field: str, pk: int, name: str) -> bool:
    """Write the file again under the first key, point the row at the copy, then remove the old file.

    The copy is written before the row moves and the old file removed after, so a reader always finds one whole
    file; if the row changed meanwhile (a report rendered again), the copy is dropped instead.
    """
    try:
        with encrypted_storage.open(name) as current:
            copy = encrypted_storage.save(name, current)
    except FileNotFoundError:  # replaced meanwhile (a report rendered again): the new file is under the new key
        return False
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"{columns.label} {pk} ({name}): {error}") from error
    with transaction.atomic():
        moved = columns.model._base_manager.filter(pk=pk, **{field: name}).update(**{field: copy})
    encrypted_storage.delete(name if moved else copy)
    return bool(moved)


def rotate_batches(*, batch_size: int) -> Iterator[BatchResult]:
    """Re-encrypt everything under the first key, one batch at a time; a caller may stop between any two batches."""
    for columns in encrypted_columns():
        last_pk = None
        while True:
            missing = changed = 0
            with transaction.atomic():
                queryset = columns.model._base_manager.order_by("pk")
                if last_pk is not None:
                    queryset = queryset.filter(pk__gt=last_pk)
                # Locked so that a concurrent save cannot be overwritten by the old value re-encrypted.
                rows = list(_stored_values(columns, queryset.select_for_update()[:batch_size]))
                if not rows:
                    break
                last_pk = rows[-1][0]
                if columns.texts:
                    changed += _rotate_texts(columns, rows)
            # Files are copied outside the batch's transaction: no row stays locked while megabytes are rewritten.
            for pk, *stored in rows:
                for field, name in zip(columns.files, stored[len(columns.texts) :], strict=True):
                    if name and not encrypted_storage.exists(name):
                        missing += 1
                    elif _file_is_stale(name) and _rotate_file(columns, field, pk, name):
                        changed += 1
            yield BatchResult(label=columns.label, checked=len(rows), changed=changed, missing=missing)


def stale_counts() -> dict[str, int]:
    """How many values and files of each model are still under an old key (or, for a file, in clear)."""
    counts = {}
    for columns in encrypted_columns():
        stale = 0
        for _pk, *stored in _stored_values(columns, columns.model._base_manager.order_by("pk")).iterator():
            stale += sum(_text_is_stale(token) for token in stored[: len(columns.texts)])
            stale += sum(_file_is_stale(name) for name in stored[len(columns.texts) :])
        counts[columns.label] = stale
    return counts
