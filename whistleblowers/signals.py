"""Signals the whistleblower cases send, so that the apps above them need not be named here."""

from django.dispatch import Signal

# Sent by `whistleblowers.retention.erase_case` inside the erasing transaction, once the case's own rows are erased,
# with `report` (the case), `organisation_id` and `year` (its registration year; None when it was never registered).
# A receiver holding documents that quoted the case's texts withdraws them and returns how many; the erasure records
# their sum as "generated_reports". Receivers raise rather than swallow: a failure rolls the erasure back.
case_erased = Signal()
