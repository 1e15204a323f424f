"""Encrypted files no row names: what a rotation (or a conversion) killed half-way leaves behind, found and removed.

A rotation copies a file under the new key before pointing the row at the copy (`rotation._rotate_file`); killed in
between — or while the copy is being written — it leaves a copy no row names, holding confidential content. Such a
file is removed only when all of these hold, so nothing a reader or a concurrent upload needs is ever touched:

- it lies in a folder of an encrypted file field (`whistleblowers/`, `reports/`), which nothing but those fields
  writes into: whatever no row names there is a leftover, be it a copy cut short (it may not even have its MAGIC
  header yet) or a clear original that `encrypt_private_files` had replaced when it was killed;
- it was last written before the run started and at least ORPHAN_MIN_AGE before: an upload writes its file before
  its row commits, and no upload's request lasts that long;
- no row of any model names it, read after the candidates were listed, so a row committed meanwhile keeps its file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

from whistleblowers.rotation import encrypted_columns

ORPHAN_MIN_AGE = timedelta(minutes=15)


def encrypted_folders() -> tuple[str, ...]:
    """The top folders the encrypted file fields write into, from their `upload_to`."""
    folders = set()
    for columns in encrypted_columns():
        for name in columns.files:
            upload_to = columns.model._meta.get_field(name).upload_to
            if isinstance(upload_to, str) and "/" in upload_to:
                folders.add(upload_to.split("/", 1)[0])
    return tuple(sorted(folders))


def _files_under(folder: str) -> Iterator[str]:
    if not default_storage.exists(folder):
        return
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _files_under(f"{folder}/{directory}")


def _referenced(folders: tuple[str, ...]) -> set[str]:
    """Every file name any row names under `folders`, whatever storage its field uses."""
    names: set[str] = set()
    starts = models.Q()
    for folder in folders:
        starts |= models.Q(value__startswith=f"{folder}/")
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.annotate(value=models.F(field.attname)).filter(starts)
                names.update(rows.values_list("value", flat=True).iterator())
    return names


def orphan_sweep(*, started_at: datetime) -> list[str]:
    """Remove the encrypted files no row names (see the module's docstring); returns their names."""
    folders = encrypted_folders()
    written_before = started_at - ORPHAN_MIN_AGE
    candidates = [
        name
        for folder in folders
        for name in _files_under(folder)
        if default_storage.get_modified_time(name) < written_before
    ]
    if not candidates:
        return []
    referenced = _referenced(folders)
    orphans = [name for name in candidates if name not in referenced]
    for name in orphans:
        default_storage.delete(name)
    return orphans
