"""Signals the shared plumbing sends, so that it need not know who listens (the audit trail does)."""

from django.dispatch import Signal

# Sent by `core.concurrency.delete_unless_refused` after a row is deleted, in the deleting transaction, with
# `instance` (a copy that keeps its id), `user`, `organisation` and `label`. The audit trail records it.
record_deleted = Signal()
