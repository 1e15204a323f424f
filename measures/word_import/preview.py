"""What importing a program read from Word would do (the import itself is `services.program_import_word`).

Each section, measure and risk of the file is compared with the program: new, changed (with what changes) or
unchanged. A cell the portal cannot understand (a deadline, a unit, a score) is never dropped: the row is marked
unreadable, the cell's text is kept and shown with the reason, and the secretary corrects it in the preview or in the
file. Nothing is written until no row is unreadable and the secretary confirms; then units the file names but the
organisation lacks are created, and the sections, risks and measures are written in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from core.history import FieldChange
from measures.deadline_parse import DeadlineParseError, deadline_parse
from measures.excel import ImportRow, _existing_measures, _match, _split_number
from measures.word_import.reading import ReadDocument, TableRow, normalised
from programs.models import Program, ProgramSection, Unit
from risks.choices import Function
from risks.models import ConsequenceLevel, ProbabilityLevel, Risk

SPLIT = re.compile(r"[\n,;]+")
STATUSES = ("new", "changed", "unchanged", "unreadable")
# Keywords of the functions the methodology groups risks by (Ukrainian and Russian stems).
FUNCTION_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (Function.PERSONNEL, ("персонал", "кадр")),
    (Function.REGULATIONS, ("нормативно", "нормативн")),
    (Function.FINANCE, ("фінанс", "финанс", "бюджет")),
    (Function.PROCUREMENT, ("матеріальн", "материальн", "закупів", "закуп", "будівн", "строит")),
    (Function.AUDIT, ("аудит", "внутрішній контроль", "внутренний контроль")),
    (Function.CORRUPTION_PREVENTION, ("запобіган", "корупц", "коррупц")),
    (Function.ADMINISTRATIVE_SERVICES, ("адміністративн", "административн")),
]


# A correction names a flagged cell as `t<table>r<row>.<column>` (Flag.key) and keeps at most this many characters.
CORRECTION_KEY = re.compile(r"t\d+r\d+\.\w+")
MAX_CORRECTION = 1000


def corrections_cleaned(corrections: dict[str, str]) -> dict[str, str]:
    """The corrections that name a cell, each cut to MAX_CORRECTION characters (the page's preview and the API)."""
    return {key: text[:MAX_CORRECTION] for key, text in corrections.items() if CORRECTION_KEY.fullmatch(key)}


@dataclass
class Flag:
    """A cell kept as written because the portal could not understand it; `key` names its correction field."""

    key: str
    column: str
    text: str
    reason: str


@dataclass
class SectionItem:
    position: int
    title: str
    body: str
    section: ProgramSection | None = None

    @property
    def status(self) -> str:
        if self.section is None:
            return "new"
        same = normalised(self.section.title) == self.title and normalised(self.section.body) == normalised(self.body)
        return "unchanged" if same else "changed"


@dataclass
class MeasureItem:
    row: ImportRow
    key: str
    where: str
    unit_names: list[str] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)
    risk_numbers: list[int] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "unreadable" if self.flags or self.row.errors else self.row.status


@dataclass
class RiskItem:
    key: str
    where: str
    number: int | None
    data: dict[str, Any]
    owner_proposed: str = ""
    risk: Risk | None = None
    changes: list[FieldChange] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.flags or self.errors:
            return "unreadable"
        if self.risk is None:
            return "new"
        return "changed" if self.changes else "unchanged"


@dataclass
class WordPreview:
    sections: list[SectionItem] = field(default_factory=list)
    measures: list[MeasureItem] = field(default_factory=list)
    risks: list[RiskItem] = field(default_factory=list)
    # Units the file names that the organisation lacks: abbreviation → name (from the list of abbreviations).
    units: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def counts(self, items: list) -> dict[str, int]:
        counted = dict.fromkeys(STATUSES, 0)
        for item in items:
            counted[item.status] += 1
        return counted

    @property
    def section_counts(self) -> dict[str, int]:
        return self.counts(self.sections)

    @property
    def measure_counts(self) -> dict[str, int]:
        return self.counts(self.measures)

    @property
    def risk_counts(self) -> dict[str, int]:
        return self.counts(self.risks)

    @property
    def unreadable(self) -> int:
        return sum(item.status == "unreadable" for item in [*self.measures, *self.risks])

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unreadable and bool(self.sections or self.measures or self.risks)

    @property
    def versions(self) -> dict[str, dict[str, list[int]]]:
        """What the preview compared the file with: the import refuses if any of it was saved since."""
        return {
            "sections": {
                str(item.position): [item.section.pk, item.section.version] for item in self.sections if item.section
            },
            "risks": {item.key: [item.risk.pk, item.risk.version] for item in self.risks if item.risk},
            "measures": {
                str(item.row.line): [item.row.measure.pk, item.row.measure.version]
                for item in self.measures
                if item.row.measure
            },
        }


def _where(row: TableRow) -> str:
    return _("table %(table)s, row %(row)s") % {"table": row.table, "row": row.row}


class _Units:
    """The organisation's units by abbreviation and by name, and the file's list of abbreviations."""

    def __init__(self, program: Program, read: ReadDocument, preview: WordPreview) -> None:
        self.known: dict[str, Unit] = {}
        for unit in Unit.objects.filter(organisation=program.organisation_id):
            self.known.setdefault(unit.abbreviation.casefold(), unit)
            self.known.setdefault(normalised(unit.name).casefold(), unit)
        self.listed = read.abbreviations
        self.by_name = {normalised(name).casefold(): short for short, name in read.abbreviations.items()}
        self.preview = preview

    def resolve(self, text: str) -> tuple[Unit | None, str, str]:
        """(a unit of the organisation, or the abbreviation of a unit to propose, or an error) for one name."""
        unit = self.known.get(text.casefold())
        if unit is not None:
            return unit, "", ""
        # An abbreviation is one word («ВПЗВК»), or any that the file's own list of abbreviations names («ЄІАС УМП»).
        one_word = len(text) <= 30 and " " not in text.strip()
        short = self.by_name.get(text.casefold()) or (text if one_word or text in self.listed else "")
        if not short:
            return (
                None,
                "",
                _("“%(unit)s” is neither the abbreviation nor the name of a unit: write its abbreviation.")
                % {"unit": text},
            )
        unit = self.known.get(short.casefold())
        if unit is not None:
            return unit, "", ""
        self.preview.units.setdefault(short, self.listed.get(short, short))
        return None, short, ""


def _text(row: TableRow, name: str, corrections: dict[str, str]) -> str:
    """A cell's text, or the correction typed for it in the preview."""
    key = f"{row.key}.{name}"
    return normalised(corrections[key]) if key in corrections else row.cells.get(name, "")


def _measure_item(row: TableRow, line: int, section: str, task: str, context: dict) -> MeasureItem:
    corrections, units = context["corrections"], context["units"]
    section_number, section_title = _split_number(section)
    task_number, task_title = _split_number(task)
    number, content = _split_number(row.cells.get("content", ""))
    deadline_text = _text(row, "deadline", corrections)
    item = MeasureItem(
        row=ImportRow(
            line=line,
            section_number=section_number,
            section_title=section_title,
            task_number=task_number,
            task_title=task_title,
            number=number,
            content=content,
            deadline_text=deadline_text,
            target_audience=row.cells.get("audience", ""),
            indicator=row.cells.get("indicator", ""),
        ),
        key=row.key,
        where=_where(row),
    )
    if not task_title:
        item.row.errors.append(_("Name the task: the task column of this row and of the rows above it is empty."))
    try:
        item.row.deadline = deadline_parse(deadline_text)
    except DeadlineParseError as error:
        item.flags.append(Flag(f"{row.key}.deadline", _("Deadline"), deadline_text, str(error)))
    units_text = _text(row, "units", corrections)
    problems = []
    for name in filter(None, (part.strip(" .") for part in SPLIT.split(units_text))):
        unit, proposed, problem = units.resolve(name)
        if unit is not None and unit not in item.row.units:
            item.row.units.append(unit)
        if proposed:
            item.proposed.append(proposed)
        if problem:
            problems.append(problem)
        item.unit_names.append(unit.abbreviation if unit else proposed or name)
    if not problems and not item.row.units and not item.proposed:
        problems.append(_("Name at least one responsible unit by its abbreviation."))
    if problems:
        item.flags.append(Flag(f"{row.key}.units", _("Responsible units"), units_text, " ".join(problems)))
    risks_text = _text(row, "risks", corrections)
    for token in filter(None, (part.strip(" №") for part in SPLIT.split(risks_text))):
        risk = context["risks"].get(int(token)) if token.isdigit() else None
        if risk is not None:
            item.row.risks.append(risk)
        elif token.isdigit() and int(token) in context["file_risks"]:
            item.risk_numbers.append(int(token))
        else:
            reason = _("There is no risk № %(number)s in the register or in the file.") % {"number": token}
            item.flags.append(Flag(f"{row.key}.risks", _("Risks treated"), risks_text, reason))
            break
    return item


def _measures(read: ReadDocument, program: Program, preview: WordPreview, context: dict) -> None:
    existing = _existing_measures(program)
    matched: dict[int, int] = {}
    section = task = ""
    table = 0
    with translation.override(program.organisation.working_language):
        default_section = _("Measures")
    for line, row in enumerate(read.measure_rows, start=1):
        if row.table != table:
            table, section, task = row.table, "", ""
        if "section_row" in row.cells:
            text = _one_line(row.cells["section_row"])
            numbered = re.match(r"^\s*[IVXІХ]+\s*\.", text)
            section, task = (text, "") if numbered else (section, text)
            continue
        section = _one_line(row.cells.get("section", "")) or section
        task = _one_line(row.cells.get("task", "")) or task
        item = _measure_item(row, line, section or default_section, task, context)
        if item.status != "unreadable":
            _match(item.row, existing, matched, program)
            if item.proposed and item.row.measure is not None:
                old = ", ".join(sorted(unit.abbreviation for unit in item.row.measure.responsible_units.all()))
                item.row.changes = [change for change in item.row.changes if change.field != _units_label()]
                item.row.changes.append(FieldChange(_units_label(), old or "—", ", ".join(item.unit_names)))
        preview.measures.append(item)


def _one_line(text: str) -> str:
    """A title as one line: a narrow column of Word breaks «2. Проведення / інформаційних / кампаній» over lines."""
    return re.sub(r"\s+", " ", text).strip()


def _units_label() -> str:
    from measures.models import Measure

    return str(Measure._meta.get_field("responsible_units").verbose_name).capitalize()


def _level(text: str, levels: list) -> Any:
    """The level of the program's matrix a score cell names: by its score («2», «бал 2») or by its name in any of
    the portal's languages («Висока», «высокая»); words are compared by their stem, so «високі» finds «Високий»."""
    digits = re.findall(r"\d+", text)
    if digits:
        return next((level for level in levels if level.score == int(digits[0])), None)
    word = normalised(text).casefold().split(" ")[0] if text.strip() else ""
    if len(word) < 3:
        return None
    stem = word[: max(3, min(len(word) - 2, 5))]
    for level in levels:
        names = (level.name_uk, level.name_ru, level.name_en)
        if any(name.casefold().startswith(stem) for name in names if name):
            return level
    return None


def _function(text: str) -> tuple[str, str]:
    lowered = text.casefold()
    for function, words in FUNCTION_WORDS:
        if any(word in lowered for word in words):
            return function, text
    return Function.OTHER, text


def _score(row: TableRow, name: str, column: str, levels: list, item: RiskItem, corrections, required: bool):
    text = _text(row, name, corrections)
    if not text:
        if required:
            item.flags.append(Flag(f"{row.key}.{name}", column, text, _("Enter the score.")))
        return None
    level = _level(text, levels)
    if level is None:
        names = ", ".join(f"{level.score} – {level.name}" for level in levels)
        reason = _("“%(text)s” is not a score of the program's matrix (%(scores)s).") % {"text": text, "scores": names}
        item.flags.append(Flag(f"{row.key}.{name}", column, text, reason))
    return level


RISK_FIELDS = (
    "function",
    "process",
    "title",
    "description",
    "factors",
    "possible_consequences",
    "existing_controls",
    "owner_unit",
    "inherent_probability",
    "inherent_consequence",
    "residual_probability",
    "residual_consequence",
)


def _risk_changes(risk: Risk, data: dict[str, Any]) -> list[FieldChange]:
    changes = []
    for name in RISK_FIELDS:
        old, new = getattr(risk, name), data.get(name)
        if isinstance(old, str) or isinstance(new, str):
            old, new = normalised(old or ""), normalised(new or "")
        if old != new:
            label = str(Risk._meta.get_field(name).verbose_name).capitalize()
            changes.append(FieldChange(label, str(old or "—"), str(new or "—")))
    return changes


def _risks(read: ReadDocument, program: Program, preview: WordPreview, context: dict) -> None:
    corrections, units = context["corrections"], context["units"]
    probabilities = list(ProbabilityLevel.objects.filter(matrix=program.risk_matrix_id))
    consequences = list(ConsequenceLevel.objects.filter(matrix=program.risk_matrix_id))
    by_number = context["risks"]
    by_title = {normalised(risk.title).casefold(): risk for risk in by_number.values()}
    claimed: dict[int, str] = {}
    for row in read.risk_rows:
        cells = row.cells
        digits = re.findall(r"\d+", cells.get("number", ""))
        function, process = _function(cells.get("function", ""))
        item = RiskItem(key=row.key, where=_where(row), number=int(digits[0]) if digits else None, data={})
        item.data = {
            "function": function,
            "process": process[:500],
            "title": cells.get("title", "")[:1000],
            "description": cells.get("description", ""),
            "factors": cells.get("factors", ""),
            "possible_consequences": cells.get("possible_consequences", ""),
            "existing_controls": cells.get("existing_controls", ""),
            "owner_unit": None,
        }
        if not item.data["title"]:
            item.errors.append(_("Name the corruption risk."))
        probability, consequence = _("Probability"), _("Consequences")
        item.data["inherent_probability"] = _score(
            row, "probability", probability, probabilities, item, corrections, True
        )
        item.data["inherent_consequence"] = _score(
            row, "consequence", consequence, consequences, item, corrections, True
        )
        residual_p = _score(row, "residual_probability", probability, probabilities, item, corrections, False)
        residual_c = _score(row, "residual_consequence", consequence, consequences, item, corrections, False)
        if bool(residual_p) != bool(residual_c) and not item.flags:
            item.errors.append(_("Score the residual risk in full: both probability and consequences, or neither."))
        item.data["residual_probability"], item.data["residual_consequence"] = residual_p, residual_c
        owner_text = _text(row, "owner", corrections).split("\n")[0].strip()
        if owner_text:
            unit, proposed, problem = units.resolve(owner_text)
            item.data["owner_unit"], item.owner_proposed = unit, proposed
            if problem:
                item.flags.append(Flag(f"{row.key}.owner", _("Risk owner"), owner_text, problem))
        title_key = normalised(item.data["title"]).casefold()
        same_number = by_number.get(item.number) if item.number else None
        if same_number is not None and normalised(same_number.title).casefold() == title_key:
            item.risk = same_number
        elif title_key in by_title:
            item.risk = by_title[title_key]
        elif same_number is not None:
            item.errors.append(
                _("Risk № %(number)s of the register is “%(title)s”: give this risk a free number or that title.")
                % {"number": item.number, "title": same_number.title}
            )
        if item.number and item.number in claimed and not item.errors:
            item.errors.append(_("Another row of the file has risk № %(number)s.") % {"number": item.number})
        if item.number:
            claimed.setdefault(item.number, item.key)
        if item.risk is not None and item.status != "unreadable":
            item.changes = _risk_changes(item.risk, item.data)
        preview.risks.append(item)


def word_preview(*, read: ReadDocument, program: Program, corrections: dict[str, str] | None = None) -> WordPreview:
    """What importing `read` into `program` would do; `corrections` are cells retyped in the preview."""
    preview = WordPreview()
    sections = {section.position: section for section in ProgramSection.objects.filter(program=program)}
    for section in read.sections:
        preview.sections.append(
            SectionItem(section.position, section.title[:500], section.body, sections.get(section.position))
        )
    risks = {risk.number: risk for risk in Risk.objects.filter(program=program)}
    context = {
        "corrections": corrections or {},
        "units": _Units(program, read, preview),
        "risks": risks,
        "file_risks": {
            int(digits[0]) for row in read.risk_rows if (digits := re.findall(r"\d+", row.cells.get("number", "")))
        },
    }
    _risks(read, program, preview, context)
    _measures(read, program, preview, context)
    if not (preview.sections or preview.measures or preview.risks):
        preview.errors.append(
            _(
                "Nothing in the file looks like a program: no sections numbered «I.», «II.» …, and no table whose "
                "header names the columns of measures («Зміст заходу», «Строк виконання» …) or of risks "
                "(«Корупційний ризик», «Імовірність» …)."
            )
        )
    return preview
