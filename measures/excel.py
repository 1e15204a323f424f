"""Measures to and from .xlsx with the columns of seed 001 (and a section column before them).

Import is two-step: `parse_workbook` turns the file into rows with per-row errors and nothing is written; only when no
row has an error does `measure_import` write everything in one transaction. A row whose section, task and measure
numbers (and section and task titles) are those of a measure of the program updates that measure, so an exported
file can be corrected and imported back; any other row adds a measure.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.concurrency import ConcurrentEditError
from core.history import FieldChange, created_with_lists
from core.spreadsheets import workbook_bytes
from measures.choices import DeadlineKind, SectionKind
from measures.deadline_parse import DeadlineParseError, deadline_parse
from measures.deadlines import Deadline, phrase
from measures.models import Measure, MeasureSection, Task
from measures.places import places_deferred
from measures.services import measure_units_set, measure_update
from programs.models import Program, Unit
from risks.excel import register_widths
from risks.models import Risk

SECTION, TASK, CONTENT, DEADLINE, UNITS, AUDIENCE, INDICATOR, RISKS = range(8)
HEADERS = [
    "Розділ",
    "Найменування завдання",
    "Зміст заходу",
    "Строк виконання",
    "Підрозділ, відповідальний",
    "Цільова аудиторія",
    "Індикатор виконання (очікуваний результат)",
    "Корупційні ризики (№)",
]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
NUMBERED = re.compile(r"^\s*(?P<number>[IVXІ]+|\d+)\s*[.)]\s*(?P<rest>.+)$", re.DOTALL)
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
EVENT_KINDS = frozenset({DeadlineKind.BEFORE_EVENT, DeadlineKind.AFTER_EVENT})
# What each kind of deadline is made of; whatever else is stored means nothing for that kind.
DEADLINE_PARTS = {
    DeadlineKind.DATE: ("on",),
    DeadlineKind.QUARTER: ("part", "year"),
    DeadlineKind.HALF_YEAR: ("part", "year"),
    DeadlineKind.YEAR: ("year",),
    DeadlineKind.BEFORE_EVENT: ("days",),
    DeadlineKind.AFTER_EVENT: ("days",),
}


def _split_number(text: str) -> tuple[int | None, str]:
    """ "1) Проведення тренінгу" → (1, "Проведення тренінгу"); "І. Програма …" → (1, "Програма …")."""
    match = NUMBERED.match(text)
    if not match:
        return None, text.strip()
    raw = match["number"].replace("І", "I")
    number = int(raw) if raw.isdigit() else ROMAN.get(raw)
    return number, match["rest"].strip()


def _cell(row: tuple, index: int) -> str:
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value).strip()


@dataclass
class ImportRow:
    line: int
    section_number: int | None
    section_title: str
    task_number: int | None
    task_title: str
    number: int | None
    content: str
    deadline_text: str
    deadline: Deadline | None = None
    units: list[Unit] = field(default_factory=list)
    target_audience: str = ""
    indicator: str = ""
    risks: list[Risk] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The measure of the program this row updates (None: the row adds one), and what the update changes.
    measure: Measure | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.measure is None:
            return "new"
        return "changed" if self.changes else "unchanged"


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    errors: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = {"new": 0, "changed": 0, "unchanged": 0}
        for row in self.rows:
            counted[row.status] += 1
        return counted

    @property
    def versions(self) -> dict[int, tuple[int, int]]:
        """Line → (measure id, version) of each row that updates a measure: what an import must still find."""
        return {row.line: (row.measure.pk, row.measure.version) for row in self.rows if row.measure is not None}

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(bool(row.errors) for row in self.rows)

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and bool(self.rows)


def check_upload(upload) -> bytes:
    """The bytes of an uploaded workbook, or a ValidationError saying what is wrong with the file."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is 2 MB.") % {"size": round(upload.size / 1048576, 1)}
        )
    content = upload.read()
    # An .xlsx is a zip archive with a workbook part; the name or the browser's content type prove nothing.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise ValidationError(
            _("This is not an Excel workbook (.xlsx). Save the file as .xlsx and upload it again.")
        ) from None
    return content


def parse_workbook(content: bytes, *, program: Program) -> ImportPreview:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        return ImportPreview(rows=[], errors=[_("The workbook could not be read; it may be damaged.")])
    sheet = workbook.worksheets[0]
    units = {unit.abbreviation.casefold(): unit for unit in Unit.objects.filter(organisation=program.organisation)}
    risks = {risk.number: risk for risk in Risk.objects.filter(program=program)}
    existing = _existing_measures(program)
    matched_lines: dict[int, int] = {}
    rows: list[ImportRow] = []
    section_text = task_text = ""
    for line, raw in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if line > MAX_ROWS + 1:
            workbook.close()
            return ImportPreview(rows=[], errors=[_("The file has more than %(max)s rows.") % {"max": MAX_ROWS}])
        raw = tuple(raw or ())
        if not any(_cell(raw, index) for index in range(len(HEADERS))):
            continue
        # As in the Word annexes, a section or a task is written once and holds for the rows below it.
        section_text = _cell(raw, SECTION) or section_text
        task_text = _cell(raw, TASK) or task_text
        section_number, section_title = _split_number(section_text)
        task_number, task_title = _split_number(task_text)
        number, content_text = _split_number(_cell(raw, CONTENT))
        row = ImportRow(
            line=line,
            section_number=section_number,
            section_title=section_title,
            task_number=task_number,
            task_title=task_title,
            number=number,
            content=content_text,
            deadline_text=_cell(raw, DEADLINE),
            target_audience=_cell(raw, AUDIENCE),
            indicator=_cell(raw, INDICATOR),
        )
        if not section_title:
            row.errors.append(_("Name the section (first column)."))
        if not task_title:
            row.errors.append(_("Name the task."))
        if not content_text:
            row.errors.append(_("Enter the content of the measure."))
        try:
            row.deadline = deadline_parse(row.deadline_text)
        except DeadlineParseError as error:
            row.errors.append(str(error))
        unknown_unit = False
        for abbreviation in filter(None, (part.strip() for part in re.split(r"[\n,;]+", _cell(raw, UNITS)))):
            unit = units.get(abbreviation.casefold())
            if unit is None:
                unknown_unit = True
                row.errors.append(
                    _("Unknown unit “%(unit)s”: use the abbreviation of a unit of the organisation.")
                    % {"unit": abbreviation}
                )
            else:
                row.units.append(unit)
        if not row.units and not unknown_unit:
            row.errors.append(_("Name at least one responsible unit by its abbreviation."))
        for token in filter(None, (part.strip(" №") for part in re.split(r"[\n,;]+", _cell(raw, RISKS)))):
            risk = risks.get(int(token)) if token.isdigit() else None
            if risk is None:
                row.errors.append(_("There is no risk № %(number)s in the register.") % {"number": token})
            else:
                row.risks.append(risk)
        if not row.errors:
            _match(row, existing, matched_lines, program)
        rows.append(row)
    workbook.close()
    preview = ImportPreview(rows=rows)
    if not rows:
        preview.errors.append(_("The file has no measures: fill in the rows below the header of the template."))
    return preview


def _existing_measures(program: Program) -> dict[tuple, list[Measure]]:
    """The program's measures by (section number, task number, measure number), in three queries."""
    measures = (
        Measure.objects.filter(task__section__program=program)
        .select_related("task__section")
        .prefetch_related("unit_links__unit", "risks")
    )
    found: dict[tuple, list[Measure]] = defaultdict(list)
    for measure in measures:
        found[(measure.task.section.number, measure.task.number, measure.number)].append(measure)
    return found


def _same_title(stored: str, given: str) -> bool:
    return stored.strip().casefold() == given.casefold()


def _match(row: ImportRow, existing: dict, matched_lines: dict[int, int], program: Program) -> None:
    """Point the row at the measure it updates, if any, and list what the update changes.

    The numbers must lead to a section and a task of the same titles: numbers alone would let the file of another
    program overwrite whatever measure this program has at the same place.
    """
    candidates = existing.get((row.section_number, row.task_number, row.number), [])
    if len(candidates) != 1:
        return
    measure = candidates[0]
    task = measure.task
    if not (_same_title(task.section.title, row.section_title) and _same_title(task.title, row.task_title)):
        return
    if measure.pk in matched_lines:
        row.errors.append(
            _("This row repeats the section, task and measure numbers of row %(line)s.")
            % {"line": matched_lines[measure.pk]}
        )
        return
    matched_lines[measure.pk] = row.line
    row.measure = measure
    row.changes = _changes(row, measure, program)


def _row_deadline(row: ImportRow, measure: Measure | None) -> Deadline:
    """The row's deadline. An exported phrase names no event ("… з дня після (події)"): a row naming none keeps the
    event of the measure it updates."""
    deadline = row.deadline
    if measure is not None and deadline.kind in EVENT_KINDS and not deadline.event:
        return replace(deadline, event=measure.deadline_event)
    return deadline


def _deadline_fields(deadline: Deadline) -> dict[str, Any]:
    return {
        "deadline_kind": deadline.kind,
        "deadline_year": deadline.year,
        "deadline_part": deadline.part,
        "deadline_date": deadline.on,
        "deadline_days": deadline.days,
        "deadline_event": deadline.event,
    }


def _deadline_key(deadline: Deadline) -> tuple:
    return (deadline.kind, *(getattr(deadline, name) for name in DEADLINE_PARTS.get(deadline.kind, ())))


def _event(deadline: Deadline) -> str:
    return deadline.event if deadline.kind in EVENT_KINDS else ""


def _units_text(units: Iterable[Unit]) -> str:
    # In the measure's order: a row that only reorders the units changes the measure.
    return ", ".join(unit.abbreviation for unit in units)


def _risks_text(risks: Iterable[Risk]) -> str:
    return ", ".join(f"№ {number}" for number in sorted(risk.number for risk in risks))


def _changes(row: ImportRow, measure: Measure, program: Program) -> list[FieldChange]:
    """Each field of the measure the row changes, as the history shows changes: its name, old → new."""
    old_deadline, new_deadline = measure.deadline, _row_deadline(row, measure)
    units, risks = measure.ordered_units(), list(measure.risks.all())
    compared = [
        ("content", measure.content.strip(), row.content),
        (
            "deadline_kind",
            _deadline_key(old_deadline),
            _deadline_key(new_deadline),
            phrase(old_deadline, program.start_year, program.end_year),
            phrase(new_deadline, program.start_year, program.end_year),
        ),
        ("deadline_event", _event(old_deadline), _event(new_deadline)),
        ("responsible_units", units, list(row.units), _units_text(units), _units_text(row.units)),
        ("target_audience", measure.target_audience.strip(), row.target_audience),
        ("indicator", measure.indicator.strip(), row.indicator),
        ("risks", set(risks), set(row.risks), _risks_text(risks), _risks_text(row.risks)),
    ]
    changes = []
    for name, old, new, *shown in compared:
        if old != new:
            old_text, new_text = shown or (old, new)
            label = str(Measure._meta.get_field(name).verbose_name).capitalize()
            changes.append(FieldChange(label, old_text or "—", new_text or "—"))
    return changes


def _section_for(program: Program, row: ImportRow, sections: dict) -> MeasureSection:
    key = row.section_title.casefold()
    if key not in sections:
        by_number = row.section_number and MeasureSection.objects.filter(program=program, number=row.section_number)
        section = by_number.first() if by_number else None
        if section is None or section.title.casefold() != key:
            top = MeasureSection.objects.filter(program=program).aggregate(top=Max("number"))["top"] or 0
            number = row.section_number if row.section_number and not section else top + 1
            section = MeasureSection.objects.create(
                program=program, number=number, title=row.section_title, kind=SectionKind.OTHER
            )
        sections[key] = section
    return sections[key]


def _task_for(section: MeasureSection, row: ImportRow, tasks: dict) -> Task:
    key = (section.pk, row.task_title.casefold())
    if key not in tasks:
        task = Task.objects.filter(section=section, title__iexact=row.task_title).first()
        if task is None:
            top = Task.objects.filter(section=section).aggregate(top=Max("number"))["top"] or 0
            taken = row.task_number and Task.objects.filter(section=section, number=row.task_number).exists()
            number = row.task_number if row.task_number and not taken else top + 1
            task = Task.objects.create(section=section, number=number, title=row.task_title)
        tasks[key] = task
    return tasks[key]


@dataclass
class ImportResult:
    created: list[Measure] = field(default_factory=list)
    updated: list[Measure] = field(default_factory=list)
    unchanged: int = 0


def _locked_matches(preview: ImportPreview, versions: dict[int, tuple[int, int]]) -> dict[int, Measure]:
    """The measures the rows update, locked until the import ends. Refused unless every row still finds the measure
    and the version its preview showed: a save since, or a measure added or deleted at its place, means the
    preview no longer says what the import would do."""
    ids = {row.measure.pk for row in preview.rows if row.measure} | {pk for pk, _ in versions.values()}
    locked = Measure.objects.select_for_update(of=("self",)).select_related("task__section__program").in_bulk(ids)

    def found(row: ImportRow) -> tuple[int, int] | None:
        current = locked.get(row.measure.pk) if row.measure else None
        return (current.pk, current.version) if current else None

    stale = [row.line for row in preview.rows if found(row) != versions.get(row.line)]
    if stale:
        raise ConcurrentEditError(
            _(
                "The measures of rows %(rows)s were saved by someone else after this preview was made, so nothing "
                "was imported. The preview now compares the file with their latest versions: check it and import "
                "again."
            )
            % {"rows": ", ".join(map(str, stale))}
        )
    return locked


def _update(measure: Measure, row: ImportRow, *, user, version: int, reason: str) -> Measure:
    measure._change_reason = reason
    data = {
        "task": measure.task,
        "content": row.content,
        **_deadline_fields(_row_deadline(row, measure)),
        "target_audience": row.target_audience,
        "indicator": row.indicator,
        "responsible_units": row.units,
        "risks": row.risks,
    }
    return measure_update(measure=measure, user=user, data=data, expected_version=version)


@transaction.atomic
def measure_import(
    *, program: Program, user, preview: ImportPreview, versions: dict[int, tuple[int, int]], reason: str = ""
) -> ImportResult:
    """Add the new measures of a clean preview (with their sections and tasks) and update the changed ones, or
    write nothing at all. `versions` are the preview's as it was shown (`ImportPreview.versions`); `reason` is what
    the history of each measure says of the change (the Word import names itself)."""
    reason = reason or _("Imported from Excel")
    if not preview.ok:
        raise ValidationError(_("Correct the errors in the file and upload it again; nothing was imported."))
    locked = _locked_matches(preview, versions)
    existing_sections = {
        section.title.casefold(): section for section in MeasureSection.objects.filter(program=program)
    }
    tasks: dict = {}
    result = ImportResult()
    # Each new measure moves the places of those after it: the program is renumbered once, at the end.
    with places_deferred():
        for row in preview.rows:
            if row.measure is not None:
                if row.changes:
                    measure = _update(
                        locked[row.measure.pk], row, user=user, version=versions[row.line][1], reason=reason
                    )
                    result.updated.append(measure)
                else:
                    result.unchanged += 1
                continue
            task = _task_for(_section_for(program, row, existing_sections), row, tasks)
            number = row.number
            if number and Measure.objects.filter(task=task, number=number).exists():
                # The task already has this number (the file adds to an existing task): continue its numbering.
                number = (Measure.objects.filter(task=task).aggregate(top=Max("number"))["top"] or 0) + 1
            position = (Measure.objects.filter(task=task).aggregate(top=Max("position"))["top"] or 0) + 1
            measure = Measure(
                task=task,
                number=number,
                position=position,
                content=row.content,
                target_audience=row.target_audience,
                indicator=row.indicator,
                **_deadline_fields(row.deadline),
            )
            measure._history_user = user
            measure._change_reason = reason
            measure.full_clean(exclude=["responsible_units", "risks"])
            with created_with_lists(measure):
                measure.save()
                measure_units_set(measure=measure, units=row.units)
                if row.risks:
                    measure.risks.set(row.risks)
            result.created.append(measure)
    return result


def template_workbook() -> bytes:
    example = [
        "І. Програма антикорупційних навчань",
        "1. Навчання та заходи з поширення інформації щодо програм антикорупційного спрямування",
        "1) Проведення тренінгу «Практичні аспекти заповнення електронної декларації»",
        "І квартал",
        "ВПЗВК\nУП",
        "Працівники апарату",
        "Проведено навчання",
        "",
    ]
    return workbook_bytes("Заходи", HEADERS, [example], widths=register_widths)


def measures_workbook(measures: Iterable[Measure]) -> bytes:
    """The same columns as the template, so an exported file can be edited and imported into another program."""
    with translation.override("uk"):
        rows: list[list[Any]] = []
        for measure in measures:
            task = measure.task
            rows.append(
                [
                    f"{task.section.number}. {task.section.title}",
                    f"{task.number}. {task.title}",
                    f"{measure.label} {measure.content}".strip(),
                    measure.deadline_phrase(),
                    "\n".join(unit.abbreviation for unit in measure.ordered_units()),
                    measure.target_audience,
                    measure.indicator,
                    ", ".join(str(risk.number) for risk in measure.risks.all()),
                ]
            )
        return workbook_bytes("Заходи", HEADERS, rows, widths=register_widths)
