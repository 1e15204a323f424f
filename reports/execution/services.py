"""Writes to execution entries, evidence and evaluations: what units report each period and what the commission says.

Every write checks, in this order: the user may report on the measure (404 earlier, in the view), the period is not
locked, the entry was not changed by someone else since the user opened it (optimistic locking).
"""

from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, FilteredRelation, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import (
    ConcurrentEditError,
    get_for_share,
    save_if_unchanged,
    update_if_unchanged_in_one_statement,
)
from core.periods import PeriodKind
from core.updating import model_update
from core.uploads import RefusedFile, content_matches_name
from measures.models import Measure
from reports.choices import EntryState, EvidenceKind, ExecutionStatus, PeriodState
from reports.execution.evidence import evidence_problems, marker_problems
from reports.execution.models import Evaluation, Evidence, ExecutionEntry, ReportingPeriod
from reports.permissions import may_evaluate_period, may_keep_period, may_report_on_measure

ENTRY_FIELDS = ("status", "narrative", "participants", "non_execution_reasons", "next_steps")
# What a write of an entry sets: the unit's text, and with it who changed it and, when it goes back to draft, the
# state and the submission it drops.
ENTRY_WRITTEN = (*ENTRY_FIELDS, "state", "submitted_at", "submitted_by", "updated_by")
DRAFT = {"state": EntryState.DRAFT, "submitted_at": None, "submitted_by": None}
# Form 1 (seed 004) asks for the reasons and the next steps whenever a measure is not fully done.
NEEDS_REASONS = frozenset({ExecutionStatus.NOT_DONE, ExecutionStatus.PARTIALLY_DONE})
NEEDS_NARRATIVE = frozenset({ExecutionStatus.DONE, ExecutionStatus.PARTIALLY_DONE, ExecutionStatus.IN_PROGRESS})
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods"})
# Every field of a period that the write rules read (`period_editable_by`, `may_report_on_measure`).
PERIOD_RULE_FIELDS = ("state", "opened_early_on", "kind", "year", "number", "program_id")


class PeriodLockedError(PermissionDenied):
    """The period is approved (or not open to this user): nothing in it may change."""


def grid_cell_get(*, user, period_pk: int, measure_pk: int) -> tuple[ReportingPeriod, Measure]:
    """The period and the measure of one grid cell in one query, each as the user may see it: 404 when either is out
    of scope or the measure belongs to another program (what `grid.period_get` and `grid.measure_get` answer)."""
    periods = ReportingPeriod.objects.restrict(user).filter(pk=period_pk)
    measures = (
        Measure.objects.restrict(user)
        .annotate(
            cell_period=FilteredRelation(
                "task__section__program__periods", condition=Q(task__section__program__periods__pk=period_pk)
            )
        )
        .filter(pk=measure_pk, cell_period__in=periods)
        .select_related("task__section__program__organisation", "cell_period")
    )
    measure = get_object_or_404(measures)
    period = measure.cell_period
    period.program = measure.task.section.program
    return period, measure


def period_editable_by(user, period: ReportingPeriod) -> bool:
    """Units write while the period is open and has begun (or was opened early); the secretary writes in an open
    period at any time and may still correct during review; approval locks it."""
    if period.state == PeriodState.OPEN:
        return period.has_begun() or may_keep_period(user, period)
    return period.state == PeriodState.UNDER_REVIEW and may_keep_period(user, period)


def _check_writable(user, measure: Measure, period: ReportingPeriod) -> ReportingPeriod:
    # Re-read the state inside the transaction, holding the period's row in SHARE mode until the entry is saved: an
    # approval (which locks the row exclusively) either commits first and is seen here, or waits for this save to
    # finish; saves of other entries of the period share the lock and never wait for each other.
    program = period.program if ReportingPeriod.program.is_cached(period) else None
    period = get_for_share(ReportingPeriod, period.pk)
    if program is not None:
        period.program = program  # a period never moves to another program: spare the second read
    if period.state == PeriodState.APPROVED:
        raise PeriodLockedError(
            _("The report for %(period)s is approved and locked. Ask the secretary to reopen it.") % {"period": period}
        )
    if not period_editable_by(user, period):
        if period.state == PeriodState.OPEN:
            raise PeriodLockedError(
                _("%(period)s opens to units on %(date)s; the secretary may open it earlier.")
                % {"period": period, "date": period.starts_on.strftime("%d.%m.%Y")}
            )
        raise PeriodLockedError(
            _("%(period)s is under commission review: only the secretary can change it now.") % {"period": period}
        )
    if not may_report_on_measure(user, measure, period):
        raise PermissionDenied(_("You do not report on this measure."))
    return period


def _clean_changes(changes: dict) -> dict:
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)})
    cleaned = dict(changes)
    if "status" in cleaned and cleaned["status"] not in ExecutionStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    if "participants" in cleaned and cleaned["participants"] in ("", None):
        cleaned["participants"] = None
    for name in ("narrative", "non_execution_reasons", "next_steps"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


def _write(
    *, user, measure: Measure, period: ReportingPeriod, changes: dict, expected_version: int, to_draft: bool
) -> ExecutionEntry:
    changes = _clean_changes(changes)
    # Locked here, its version read with it: the optimistic-lock check needs no second round trip.
    entry = ExecutionEntry.objects.select_for_update(of=("self",)).filter(measure=measure, period=period).first()
    if entry is None:
        if expected_version:
            raise ValidationError(_("This record no longer exists."))
        if not changes.get("status"):
            raise ValidationError({"status": _("Choose the status of the measure first.")})
        entry = ExecutionEntry(measure=measure, period=period, updated_by=user, **changes)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as error:
            raise ConcurrentEditError(
                _("Someone else reported on this measure after you opened it. Reload the page and apply your changes.")
            ) from error
        return entry
    entry, _changed = model_update(
        instance=entry,
        fields=ENTRY_WRITTEN,
        data={**changes, **(DRAFT if to_draft else {}), "updated_by": user},
        expected_version=expected_version,
        locked_version=entry.version,
        clean=False,
    )
    return entry


def _write_in_one_statement(
    *, user, measure: Measure, period: ReportingPeriod, changes: dict, expected_version: int, to_draft: bool
) -> ExecutionEntry | None:
    """The everyday save — of an entry that exists, in a period the user may write in — as one statement that
    commits on its own (core.concurrency.update_if_unchanged_in_one_statement): the rules of `_check_writable`
    are checked on the period as the caller read it, and the statement writes only if, under its shared lock, the
    period still holds the values they were checked on. None when it did not write: the checked path then decides,
    with its refusal if there is one, so no answer differs from it."""
    if not (period_editable_by(user, period) and may_report_on_measure(user, measure, period)):
        return None
    try:
        values = _clean_changes(changes)
    except ValidationError:
        return None
    if to_draft:
        values.update(state=EntryState.DRAFT, submitted_at=None, submitted_by_id=None)
    values["updated_by_id"] = user.pk
    entry = update_if_unchanged_in_one_statement(
        ExecutionEntry,
        match={"measure_id": measure.pk, "period_id": period.pk},
        values=values,
        expected_version=expected_version,
        shared=period,
        shared_unchanged=PERIOD_RULE_FIELDS,
    )
    if entry is not None:
        entry.measure, entry.period = measure, period
    return entry


@transaction.atomic
def _write_checked(
    *, user, measure: Measure, period: ReportingPeriod, changes: dict, expected_version: int, to_draft: bool
) -> ExecutionEntry:
    period = _check_writable(user, measure, period)
    return _write(
        user=user, measure=measure, period=period, changes=changes, expected_version=expected_version, to_draft=to_draft
    )


def _save(
    *, user, measure: Measure, period: ReportingPeriod, changes: dict, expected_version: int, to_draft: bool
) -> ExecutionEntry:
    arguments = {
        "user": user,
        "measure": measure,
        "period": period,
        "changes": changes,
        "expected_version": expected_version,
        "to_draft": to_draft,
    }
    return _write_in_one_statement(**arguments) or _write_checked(**arguments)


def entry_save_draft(
    *, user, measure: Measure, period: ReportingPeriod, changes: dict, expected_version: int
) -> ExecutionEntry:
    """Save what a unit has written so far; a changed entry must be submitted again."""
    return _save(
        user=user, measure=measure, period=period, changes=changes, expected_version=expected_version, to_draft=True
    )


def entry_edit(
    *, user, measure: Measure, period: ReportingPeriod, changes: dict, expected_version: int
) -> ExecutionEntry:
    """The secretary's grid: change some fields of one entry, keeping whether it was submitted."""
    return _save(
        user=user, measure=measure, period=period, changes=changes, expected_version=expected_version, to_draft=False
    )


def entry_save(
    *, user, measure: Measure, period: ReportingPeriod, changes: dict, expected_version: int
) -> ExecutionEntry:
    """A save from outside the pages (the API): the rule of the page the user works on.

    The secretary works in the grid, whose saves keep whether an entry was submitted; a unit reporter works on the
    entry page, where a changed entry goes back to draft and must be submitted again.
    """
    save = entry_edit if may_keep_period(user, period) else entry_save_draft
    return save(user=user, measure=measure, period=period, changes=changes, expected_version=expected_version)


def entry_problems(entry: ExecutionEntry) -> dict[str, str]:
    """What must be filled in before an entry can be submitted."""
    problems = {}
    if entry.status in NEEDS_NARRATIVE and not entry.narrative.strip():
        problems["narrative"] = _("Describe what was done.")
    cites_nothing = marker_problems(entry.narrative, entry.evidence.count())
    if cites_nothing:
        problems["narrative"] = " ".join(cites_nothing)
    if entry.status in NEEDS_REASONS:
        if not entry.non_execution_reasons.strip():
            problems["non_execution_reasons"] = _("Give the reasons why the measure was not fully done.")
        if not entry.next_steps.strip():
            problems["next_steps"] = _("Describe the next steps.")
    return problems


@transaction.atomic
def entry_submit(*, user, entry: ExecutionEntry, expected_version: int) -> ExecutionEntry:
    """Hand the entry to the secretary; it counts as reported from now on."""
    _check_writable(user, entry.measure, entry.period)
    if entry.state == EntryState.SUBMITTED:
        raise ValidationError(_("This entry has already been submitted."))
    problems = entry_problems(entry)
    if problems:
        raise ValidationError(problems)
    entry.state = EntryState.SUBMITTED
    entry.submitted_at = timezone.now()
    entry.submitted_by = user
    entry.updated_by = user
    return save_if_unchanged(entry, expected_version=expected_version)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    """The period of the same kind just before this one (IV quarter of last year before the I quarter)."""
    if period.kind == PeriodKind.YEAR or period.number == 1:
        last = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}[period.kind]
        year, number = period.year - 1, last
    else:
        year, number = period.year, period.number - 1
    return ReportingPeriod.objects.filter(
        program_id=period.program_id, kind=period.kind, year=year, number=number
    ).first()


@transaction.atomic
def entry_copy_previous(*, user, measure: Measure, period: ReportingPeriod) -> ExecutionEntry:
    """Start this period's entry from the same measure's text and evidence of the previous period, as a draft."""
    period = _check_writable(user, measure, period)
    earlier = previous_period(period)
    source = (
        ExecutionEntry.objects.filter(measure=measure, period=earlier).prefetch_related("evidence").first()
        if earlier
        else None
    )
    if source is None:
        raise ValidationError(_("There is no entry for this measure in the previous period to copy."))
    entry = ExecutionEntry.objects.filter(measure=measure, period=period).first()
    if entry is not None and (entry.narrative or entry.evidence.exists()):
        raise ValidationError(_("This entry already has text; copying would overwrite it. Clear it first."))
    values = {name: getattr(source, name) for name in ENTRY_FIELDS}
    if entry is None:
        entry = ExecutionEntry.objects.create(measure=measure, period=period, updated_by=user, **values)
    else:
        entry, _changed = model_update(
            instance=entry,
            fields=ENTRY_WRITTEN,
            data={**values, **DRAFT, "updated_by": user},
            expected_version=entry.version,
            clean=False,
        )
    Evidence.objects.bulk_create(
        [
            Evidence(
                entry=entry,
                position=item.position,
                kind=item.kind,
                issuer=item.issuer,
                number=item.number,
                issued_on=item.issued_on,
                title=item.title,
                url=item.url,
                file=item.file.name,
            )
            for item in source.evidence.all()
        ]
    )
    return entry


def evidence_file_problem(upload) -> str | None:
    if upload is None:
        return None
    if upload.size > EVIDENCE_MAX_BYTES:
        return _("The file is larger than 10 MB. Attach a smaller scan or give a link instead.")
    if os.path.splitext(upload.name)[1].lower() not in EVIDENCE_EXTENSIONS:
        return _("Attach a PDF, an image (JPEG, PNG) or an office document (DOC, DOCX, ODT, XLS, XLSX, ODS).")
    # The name only says what the file claims to be: the public form's content check decides what it is, so a
    # program named invoice.pdf or a web page named report.docx never reaches the commission's computers.
    upload.seek(0)
    try:
        content_matches_name(upload.name, upload.read())
    except RefusedFile as refusal:
        return str(refusal)
    finally:
        upload.seek(0)
    return None


@transaction.atomic
def evidence_add(*, user, entry: ExecutionEntry, data: dict, upload=None) -> Evidence:
    """Attach a structured reference (letter, order, protocol …) or an uploaded file to an entry."""
    _check_writable(user, entry.measure, entry.period)
    kind = data.get("kind")
    problems = evidence_problems(
        kind=kind,
        issuer=data.get("issuer") or "",
        number=data.get("number") or "",
        issued_on=data.get("issued_on"),
        url=data.get("url") or "",
        has_file=upload is not None,
        today=timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)
    problem = evidence_file_problem(upload)
    if problem:
        raise ValidationError({"file": problem})
    position = (entry.evidence.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = Evidence(
        entry=entry,
        position=position,
        kind=kind,
        issuer=data.get("issuer", ""),
        number=data.get("number", ""),
        issued_on=data.get("issued_on"),
        title=data.get("title", "") or (upload.name if upload is not None and kind == EvidenceKind.FILE else ""),
        url=data.get("url", ""),
    )
    if upload is not None:
        item.file.save(os.path.basename(upload.name), upload, save=False)
    item.save()
    # The entry's history shows that its evidence changed, and a concurrent editor sees a new version.
    ExecutionEntry.objects.filter(pk=entry.pk).update(version=entry.version + 1, updated_by=user)
    entry.version += 1
    return item


@transaction.atomic
def evidence_delete(*, user, evidence: Evidence) -> None:
    entry = evidence.entry
    _check_writable(user, entry.measure, entry.period)
    stored = evidence.file.name
    evidence.delete()
    ExecutionEntry.objects.filter(pk=entry.pk).update(version=entry.version + 1, updated_by=user)
    # An entry copied from the previous period shares its files: the file goes only with its last reference,
    # and only once the delete is committed (a rolled-back delete keeps a row whose file must still be there).
    if stored and not Evidence.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: _forget_file(stored), robust=True)


@transaction.atomic
def evidence_reorder(*, user, entry: ExecutionEntry, order: list[int]) -> list[Evidence]:
    """Put the entry's documents in the order given (every document of the entry, each once): the sentence of the
    report lists them in that order."""
    _check_writable(user, entry.measure, entry.period)
    items = {item.pk: item for item in Evidence.objects.select_for_update().filter(entry=entry)}
    if len(order) != len(set(order)) or set(order) != set(items):
        raise ValidationError(
            {"evidence": _("List every document of the entry once, in the new order; reload the entry and try again.")}
        )
    for position, pk in enumerate(order, start=1):
        items[pk].position = position
    Evidence.objects.bulk_update(items.values(), ["position"])
    # Like a document added or removed: a concurrent editor of the entry sees a new version.
    ExecutionEntry.objects.filter(pk=entry.pk).update(version=F("version") + 1, updated_by=user)
    entry.version = ExecutionEntry.objects.values_list("version", flat=True).get(pk=entry.pk)
    return [items[pk] for pk in order]


@transaction.atomic
def evidence_move(*, user, evidence: Evidence, position: int) -> list[Evidence]:
    """Move one document to `position` (1 = first) among its entry's documents; the others keep their order."""
    entry = ExecutionEntry.objects.select_related("measure", "period").get(pk=evidence.entry_id)
    order = list(entry.evidence.order_by("position", "pk").exclude(pk=evidence.pk).values_list("pk", flat=True))
    order.insert(max(position, 1) - 1, evidence.pk)
    return evidence_reorder(user=user, entry=entry, order=order)


def _forget_file(name: str) -> None:
    if not Evidence.objects.filter(file=name).exists():  # referenced again by a copy made meanwhile
        default_storage.delete(name)


@transaction.atomic
def evaluation_save(
    *, user, entry: ExecutionEntry, timeliness: str, completeness: str, effectiveness: str, comment: str = ""
) -> Evaluation:
    """The commission's view of one entry: timely, complete, effective."""
    period = ReportingPeriod.objects.select_related("program").get(pk=entry.period_id)
    if not may_evaluate_period(user, period):
        raise PermissionDenied(_("Only commission members and the secretary evaluate entries."))
    if period.state == PeriodState.APPROVED:
        raise PeriodLockedError(_("The report for %(period)s is approved and locked.") % {"period": period})
    evaluation, _created = Evaluation.objects.update_or_create(
        entry=entry,
        defaults={
            "timeliness": timeliness,
            "completeness": completeness,
            "effectiveness": effectiveness,
            "comment": comment.strip(),
            "evaluated_by": user,
        },
    )
    return evaluation
