"""Writes of programs, their sections, lifecycle, revisions and the organisation's units.

Views pass cleaned form data here; every function checks the state it needs and raises ValidationError with a
message a secretary can act on. Permission to call them is checked by the views through `restrict`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.updating import model_update
from programs import report_headings
from programs.choices import ProgramStatus, RevisionStatus
from programs.lifecycle import NEEDS_DOCUMENT, NEEDS_REASON, allowed_transitions, is_locked
from programs.models import Organisation, Program, ProgramRevision, ProgramSection, ProgramStatusChange, Unit
from programs.signals import reported_program_saved

# The fields of a program its editors change: the form, the serializer and `program_update` all read this one list.
PROGRAM_EDITABLE = (
    "title",
    "start_year",
    "end_year",
    "risk_matrix",
    "published_url",
    "revision_decision_months",
    "revision_meeting_weeks",
    "revision_protocol_working_days",
    "submission_due_days",
    "reminder_days_before",
    "report_annex_heading",
    "report_title",
    "report_columns",
)

# A program in these statuses is being reported on: it has its reporting periods.
REPORTED_STATUSES = frozenset({ProgramStatus.IN_FORCE, ProgramStatus.UNDER_REVISION})
# The sections of seed 000; a new program starts with them so the secretary only fills in the text. They are the
# document's own headings (in the document's language), not interface text.
STANDARD_SECTIONS = (
    "Засади загальної відомчої політики щодо запобігання та протидії корупції",
    "Оцінка корупційних ризиків",
    "Навчання та заходи з поширення інформації щодо програм антикорупційного спрямування",
    "Процедури щодо моніторингу, оцінки виконання та періодичного перегляду програми",
)
OPEN_REVISION_STATUSES = (RevisionStatus.OPEN, RevisionStatus.DECIDED)


# --- programs --------------------------------------------------------------------------------------------------


@transaction.atomic
def program_create(*, user, organisation: Organisation, data: dict[str, Any]) -> Program:
    """A new draft program with the standard sections of seed 000."""
    if Program.objects.filter(organisation=organisation, title=data.get("title", "")).exists():
        raise ValidationError({"title": _("This organisation already has a program with this title.")})
    program, _created = model_update(
        instance=Program(organisation=organisation, status=ProgramStatus.DRAFT),
        fields=PROGRAM_EDITABLE,
        data=data,
        user=user,
        clean=False,  # the form or serializer validated the fields; the title's uniqueness is said above
    )
    ProgramSection.objects.bulk_create(
        ProgramSection(program=program, position=position, title=title)
        for position, title in enumerate(STANDARD_SECTIONS, start=1)
    )
    return program


def _change_reason(revision: ProgramRevision | None) -> str | None:
    if revision is None:
        return None
    return _("Revision No. %(number)s") % {"number": revision.number}


def _check_content_editable(program: Program, revision: ProgramRevision | None) -> None:
    if program.status == ProgramStatus.EXPIRED:
        raise ValidationError(_("The program is no longer in force; its content cannot be changed."))
    if not is_locked(program.status):
        return
    if revision is None:
        raise ValidationError(
            _(
                "The program has been approved: its content changes only through a revision. Record the grounds "
                "for a revision first, then choose it here."
            )
        )
    if revision.program_id != program.pk or revision.status not in OPEN_REVISION_STATUSES:
        raise ValidationError({"revision": _("Choose an open revision of this program.")})


@transaction.atomic
def program_update(
    *, program: Program, user, data: dict[str, Any], expected_version: int, revision: ProgramRevision | None = None
) -> Program:
    """Change the core fields; an approved program only under an open revision, which the history then names."""
    changed = {name for name in PROGRAM_EDITABLE if name in data and data[name] != getattr(program, name)}
    if revision is not None or not changed <= report_headings.REPORT_FIELDS:
        _check_content_editable(program, revision)
    if (
        "risk_matrix" in data
        and data["risk_matrix"].pk != program.risk_matrix_id
        and program.risks.exists()  # levels of recorded risks would point into another matrix
    ):
        raise ValidationError(
            {"risk_matrix": _("Risks are already scored on the current matrix; the matrix can no longer change.")}
        )
    duplicate = Program.objects.filter(organisation_id=program.organisation_id, title=data.get("title", program.title))
    if duplicate.exclude(pk=program.pk).exists():
        raise ValidationError({"title": _("This organisation already has a program with this title.")})
    program._change_reason = _change_reason(revision)
    program, _changed = model_update(
        instance=program, fields=PROGRAM_EDITABLE, data=data, user=user, expected_version=expected_version, clean=False
    )
    if program.status in REPORTED_STATUSES:
        # A revision that changed the years adds their quarters (reports opens them, in this transaction).
        reported_program_saved.send(sender=Program, program=program)
    return program


@transaction.atomic
def program_transition(
    *,
    program: Program,
    to_status: str,
    user,
    reason: str = "",
    document_number: str | None = None,
    document_date: dt.date | None = None,
) -> ProgramStatusChange:
    """Move the program to `to_status` if the lifecycle allows it, recording who, when, why and by which document."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    from_status = program.status
    if to_status not in allowed_transitions(from_status):
        raise ValidationError(
            _("A program in the status “%(current)s” cannot be moved to “%(target)s”.")
            % {"current": ProgramStatus(from_status).label, "target": ProgramStatus(to_status).label}
        )
    errors: dict[str, str] = {}
    if to_status in NEEDS_DOCUMENT:
        if not document_number:
            errors["document_number"] = _("Enter the number of the order or letter that makes this change.")
        if not document_date:
            errors["document_date"] = _("Enter the date of the order or letter.")
    if to_status in NEEDS_REASON and not (reason or "").strip():
        errors["reason"] = _("Explain why, so that readers of the history understand the change.")
    if document_date and document_date > timezone.localdate():
        errors["document_date"] = _("The document date cannot be in the future.")
    if (
        to_status == ProgramStatus.UNDER_REVISION
        and not program.revisions.filter(status__in=OPEN_REVISION_STATUSES).exists()
    ):
        errors["__all__"] = _("Record the grounds for the revision first; then the program can go under revision.")
    if (
        from_status == ProgramStatus.UNDER_REVISION
        and to_status == ProgramStatus.IN_FORCE
        and program.revisions.filter(status__in=OPEN_REVISION_STATUSES).exists()
    ):
        errors["__all__"] = _(
            "Close the open revision (changes approved or not needed) before the program is in force."
        )
    if errors:
        raise ValidationError(errors)
    if to_status == ProgramStatus.APPROVED:
        program.approval_order_number, program.approval_order_date = document_number, document_date
    elif to_status == ProgramStatus.AGREED:
        program.nazk_agreement_number, program.nazk_agreement_date = document_number, document_date
    if to_status == ProgramStatus.IN_FORCE and program.in_force_on is None:
        # The first entry into force dates the program; a return from a revision keeps that date. Without a document
        # of its own, the latest order that made it effective dates it (NAZK's agreement, else the head's approval):
        # a body that starts using the portal in the middle of its program reports the quarters it has been running.
        program.in_force_on = (
            document_date or program.nazk_agreement_date or program.approval_order_date or timezone.localdate()
        )
    program.status = to_status
    program.version += 1
    program._change_reason = reason or None
    program._history_user = user
    program.save()
    if to_status in REPORTED_STATUSES:
        reported_program_saved.send(sender=Program, program=program)  # reports opens the reporting periods
    return ProgramStatusChange.objects.create(
        program=program,
        from_status=from_status,
        to_status=to_status,
        changed_by=user,
        reason=reason or "",
        document_number=document_number or "",
        document_date=document_date,
    )


# --- sections --------------------------------------------------------------------------------------------------

SECTION_EDITABLE = ("position", "title", "body")


@transaction.atomic
def program_section_create(
    *, program: Program, user, position: int, title: str, body: str, revision: ProgramRevision | None = None
) -> ProgramSection:
    _check_content_editable(program, revision)
    if program.sections.filter(position=position).exists():
        raise ValidationError({"position": _("Another section already has this number; choose a free one.")})
    section = ProgramSection(program=program, position=position, title=title, body=body)
    section._change_reason = _change_reason(revision)
    section.save()
    return section


@transaction.atomic
def program_section_update(
    *,
    section: ProgramSection,
    user,
    position: int,
    title: str,
    body: str,
    expected_version: int,
    revision: ProgramRevision | None = None,
) -> ProgramSection:
    _check_content_editable(section.program, revision)
    if section.program.sections.filter(position=position).exclude(pk=section.pk).exists():
        raise ValidationError({"position": _("Another section already has this number; choose a free one.")})
    section._change_reason = _change_reason(revision)
    section, _changed = model_update(
        instance=section,
        fields=SECTION_EDITABLE,
        data={"position": position, "title": title, "body": body},
        expected_version=expected_version,
        clean=False,
    )
    return section


# --- revisions -------------------------------------------------------------------------------------------------

# What the secretary may change while a revision is open (its number, status and order come with its steps).
REVISION_EDITABLE = ("ground", "ground_details", "ground_arose_on", "head_decision_on", "changes_summary")


@transaction.atomic
def program_revision_open(
    *, program: Program, user, ground: str, ground_arose_on: dt.date, ground_details: str = ""
) -> ProgramRevision:
    """Record the grounds for revising an approved program; the deadlines of seed 000 §IV run from the ground."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not is_locked(program.status) or program.status == ProgramStatus.EXPIRED:
        raise ValidationError(
            _("Only an approved program that is still in force is revised; a draft is simply edited.")
        )
    if ground_arose_on > timezone.localdate():
        raise ValidationError({"ground_arose_on": _("The ground cannot arise in the future.")})
    number = (program.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ProgramRevision.objects.create(
        program=program,
        number=number,
        ground=ground,
        ground_details=ground_details,
        ground_arose_on=ground_arose_on,
        created_by=user,
    )


@transaction.atomic
def program_revision_update(*, revision: ProgramRevision, user, data: dict[str, Any]) -> ProgramRevision:
    """Change the grounds, the head's decision date and the summary of changes while the revision is open."""
    if revision.status not in OPEN_REVISION_STATUSES:
        raise ValidationError(_("This revision is closed; open a new one for further changes."))
    decided_on = data.get("head_decision_on", revision.head_decision_on)
    if decided_on and decided_on < data.get("ground_arose_on", revision.ground_arose_on):
        raise ValidationError({"head_decision_on": _("The head cannot decide before the ground arose.")})
    revision, _changed = model_update(instance=revision, fields=REVISION_EDITABLE, data=data, clean=False)
    return revision


@transaction.atomic
def program_revision_close(
    *,
    revision: ProgramRevision,
    user,
    outcome: str,
    changes_summary: str = "",
    order_number: str = "",
    order_date: dt.date | None = None,
) -> ProgramRevision:
    """Close a revision: the changes were approved by an amending order, or the commission found none needed."""
    revision = ProgramRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status not in OPEN_REVISION_STATUSES:
        raise ValidationError(_("This revision is already closed."))
    if outcome == RevisionStatus.APPROVED:
        errors = {}
        if revision.status != RevisionStatus.DECIDED:
            errors["__all__"] = _(
                "The commission has not decided on this revision yet: record its decision at a meeting first."
            )
        if not order_number:
            errors["order_number"] = _("Enter the number of the order that approved the changes.")
        if not order_date:
            errors["order_date"] = _("Enter the date of the order that approved the changes.")
        if not (changes_summary or revision.changes_summary).strip():
            errors["changes_summary"] = _("Describe what changed in the program.")
        if errors:
            raise ValidationError(errors)
        revision.order_number, revision.order_date = order_number, order_date
    elif outcome != RevisionStatus.REJECTED:
        raise ValidationError(_("Choose whether the changes were approved or not needed."))
    if changes_summary:
        revision.changes_summary = changes_summary
    revision.status = outcome
    revision.save()
    return revision


# --- organisations ---------------------------------------------------------------------------------------------

# The details an organisation's administrator keeps up to date. The parent is not among them: the hierarchy decides
# who reads whose data, so it stays with the platform's Django admin.
ORGANISATION_EDITABLE = ("name", "name_genitive", "short_name", "kind", "code", "website")


@transaction.atomic
def organisation_update(*, organisation: Organisation, user, data: dict[str, Any]) -> Organisation:
    """Change the organisation's name (and its genitive), short name, kind, identification code and website."""
    try:
        with transaction.atomic():
            # Not cleaned: the database's refusal of a duplicate short name is answered below, next to the field.
            model_update(instance=organisation, fields=ORGANISATION_EDITABLE, data=data, user=user, clean=False)
    except IntegrityError as error:
        raise ValidationError({"short_name": _("Another organisation already uses this short name.")}) from error
    return organisation


# --- units -----------------------------------------------------------------------------------------------------

UNIT_EDITABLE = ("abbreviation", "name", "parent", "head_name", "email", "is_active")


def _check_unit_parent(unit: Unit, parent: Unit | None) -> None:
    seen = set()
    current = parent
    while current is not None:
        if current.organisation_id != unit.organisation_id:
            raise ValidationError({"parent": _("The parent unit must belong to the same organisation.")})
        if unit.pk and current.pk == unit.pk:
            raise ValidationError({"parent": _("A unit cannot be placed under itself or under one of its own units.")})
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = current.parent


@transaction.atomic
def unit_save(
    *,
    user,
    organisation: Organisation,
    data: dict[str, Any],
    unit: Unit | None = None,
    expected_version: int | None = None,
) -> Unit:
    """Create or change a unit (a change unless someone saved it after `expected_version` was read); the
    abbreviation is what the program's list of abbreviations shows."""
    unit = unit or Unit(organisation=organisation)
    _check_unit_parent(unit, data.get("parent", unit.parent))
    try:
        with transaction.atomic():
            # Not cleaned: the database's refusal of a duplicate abbreviation is answered below, next to the field.
            model_update(
                instance=unit,
                fields=UNIT_EDITABLE,
                data=data,
                user=user,
                expected_version=expected_version,
                clean=False,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"abbreviation": _("Another unit of this organisation uses this abbreviation.")}
        ) from error
    return unit
