"""`manage.py rotate_encryption_keys`: re-encrypt every encrypted value and file under the first of
FIELD_ENCRYPTION_KEYS, while the portal keeps serving; `--check` tells when the old keys can be removed.

Stopping it (Ctrl-C, `--max-batches`, a crash) loses nothing: run it again and it continues. A run killed while it
copied a file leaves a copy no row names; the next run removes such copies (whistleblowers/orphans.py).
"""

from collections import Counter

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from whistleblowers.orphans import orphan_sweep
from whistleblowers.rotation import rotate_batches, stale_counts


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field and file under the first of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="Rows per transaction (default 200).")
        parser.add_argument(
            "--max-batches",
            type=int,
            default=None,
            help="Stop after this many batches, e.g. to spread a large rotation over quiet hours; run again to go on.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Only count the values and files still under an old key."
        )

    def handle(self, *args, batch_size: int, max_batches: int | None, check: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if max_batches is not None and max_batches < 1:
            raise CommandError("--max-batches must be at least 1.")
        if check:
            self._check()
            return
        started_at = timezone.now()
        changed, checked, missing = Counter(), Counter(), Counter()
        batches = 0
        try:
            for batch in rotate_batches(batch_size=batch_size):
                batches += 1
                checked[batch.label] += batch.checked
                changed[batch.label] += batch.changed
                missing[batch.label] += batch.missing
                self.stdout.write(
                    f"{batch.label}: {checked[batch.label]} rows checked, {changed[batch.label]} re-encrypted"
                )
                if max_batches is not None and batches >= max_batches:
                    self.stdout.write(f"Stopped after {batches} batch(es); run the command again to continue.")
                    break
        except ImproperlyConfigured as error:
            raise CommandError(
                f"{error} The batches before this one are saved; nothing after it was changed."
            ) from error
        for label in sorted(checked):
            line = f"{label}: {changed[label]} changed"
            if missing[label]:
                line += f", {missing[label]} file(s) missing from the storage"
            self.stdout.write(line)
        self.stdout.write(f"Total: {sum(changed.values())} changed.")
        orphans = orphan_sweep(started_at=started_at)
        for name in orphans:
            self.stdout.write(f"Removed {name}: a copy left by an interrupted run, named by no row.")
        self.stdout.write(f"Orphan files removed: {len(orphans)}.")

    def _check(self) -> None:
        counts = stale_counts()
        for label, stale in counts.items():
            self.stdout.write(f"{label}: {stale} under an old key")
        total = sum(counts.values())
        if total:
            self.stdout.write(f"{total} value(s) and file(s) still need the old keys: run rotate_encryption_keys.")
        else:
            self.stdout.write("Everything is under the first key: the old keys can be removed.")
