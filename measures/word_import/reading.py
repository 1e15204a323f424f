"""What a program written in Word holds, read from the .docx without the ORM.

Three things are looked for, wherever they stand in the file: the numbered sections of the program (a paragraph
«I. Засади …» up to the next one), tables whose header row names the columns of a measures annex (seed 001) or of a
risk register (domain §3), in Ukrainian or Russian and in any order, and the list of abbreviations, which names the
units the tables abbreviate. Merged cells are read as Word shows them: a task cell merged down over several measures
holds for each of them, as does a task cell left empty under the one above.

The file is checked before python-docx opens it: a real .docx by its parts, no macros, and an archive directory that
promises no more than a document's worth of XML. python-docx reads a part no further than the size the directory
declares, so those checks bound the memory the import can take.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import UNREADABLE_ZIP_ERRORS, RefusedFile, zip_members_checked

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 300-measure annex is about 2 MB of document XML; ten times that is no program.
MAX_DOCUMENT_XML = 20 * 1024 * 1024
MAX_TABLE_ROWS = 3000
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
HEADING = re.compile(r"^\s*(?P<numeral>[IVXІХ]{1,5})\s*\.\s*(?P<title>\S.*)$", re.DOTALL)
ANNEX = re.compile(r"^\s*(?:додаток|приложение)\b", re.IGNORECASE)
ABBREVIATIONS_HEADING = re.compile(r"(?:перелік|список)\s+(?:скорочень|сокращений)", re.IGNORECASE)
ABBREVIATION = re.compile(
    r"^\s*(?P<short>[A-ZА-ЯІЇЄҐ][A-ZА-ЯІЇЄҐа-яіїєґ'’ ]{0,29}?)\s+[–—-]\s+(?P<name>.{3,300}?)[;.]?\s*$"
)


def roman_value(numeral: str) -> int | None:
    """«IV» → 4, with Cyrillic І and Х read as the Latin letters they imitate; None for anything else."""
    numeral = numeral.upper().replace("І", "I").replace("Х", "X")
    if not numeral or any(letter not in ROMAN_VALUES for letter in numeral):
        return None
    total = 0
    for index, letter in enumerate(numeral):
        value = ROMAN_VALUES[letter]
        following = ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if 0 < total <= 30 else None


def normalised(text: str) -> str:
    # Spacing only: the letters, apostrophes (’) and quotes stay as the body typed them.
    text = text.replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", re.sub(r"\s*\n\s*", "\n", text)).strip()


# --- the file -----------------------------------------------------------------------------------------------------


def too_large(size: int) -> ValidationError | None:
    """The refusal of a file of `size` bytes, known from the upload before any of it is read; None if it fits."""
    if size <= MAX_UPLOAD_BYTES:
        return None
    return ValidationError(
        _("The file is too large (%(size)s MB); a program in Word is at most %(limit)s MB.")
        % {"size": round(size / 1048576, 1), "limit": MAX_UPLOAD_BYTES // 1048576}
    )


def check_docx(content: bytes) -> None:
    """Refuse, with a message a secretary can act on, anything but a Word document of a sane size."""
    error = too_large(len(content))
    if error is not None:
        raise error
    not_docx = ValidationError(
        _(
            "This is not a Word document (.docx). Open the file in Word, save it as “Word Document (.docx)” "
            "and upload it."
        )
    )
    if not content.startswith(b"PK\x03\x04"):
        raise not_docx
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = zip_members_checked(archive)
    except RefusedFile:
        raise ValidationError(
            _("The file unpacks to far more than its size, as damaging files do; it was not read.")
        ) from None
    except UNREADABLE_ZIP_ERRORS:
        raise not_docx from None
    names = {member.filename: member for member in members}
    if any(name.lower().endswith(MACRO_PARTS) for name in names):
        raise ValidationError(
            _("The document contains macros. Save it as “Word Document (.docx)”, without macros, and upload it.")
        )
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise not_docx
    if names["word/document.xml"].file_size > MAX_DOCUMENT_XML:
        raise ValidationError(_("The document holds far more text and tables than a program does; it was not read."))


def _open(content: bytes):
    import docx

    try:
        return docx.Document(io.BytesIO(content))
    except Exception:  # python-docx and lxml raise many kinds of errors on damaged files
        raise ValidationError(_("The Word document could not be read; it may be damaged.")) from None


# --- what it holds --------------------------------------------------------------------------------------------------


@dataclass
class Section:
    position: int
    title: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class TableRow:
    """One row of a recognised table: its place in the file and each recognised column's text."""

    table: int
    row: int
    cells: dict[str, str]

    @property
    def key(self) -> str:
        return f"t{self.table}r{self.row}"


@dataclass
class ReadDocument:
    sections: list[Section] = field(default_factory=list)
    measure_rows: list[TableRow] = field(default_factory=list)
    risk_rows: list[TableRow] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    # The header row of each recognised table as the file writes it (table number → headers), for the preview.
    tables: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    unrecognised_tables: int = 0


# Each column is recognised by words of its header, tried in this order, so that the more particular header wins
# («Стан виконання» before «виконавець», «Існуючі заходи контролю» before «заходи»).
MEASURE_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("deadline", ("строк", "термін", "срок")),
    ("audience", ("аудитор",)),
    ("units", ("відповідальн", "виконав", "ответствен", "исполнит")),
    ("indicator", ("індикатор", "результат", "индикатор")),
    ("status", ("стан викон", "состояни", "статус")),
    ("task", ("завдан", "задач")),
    ("content", ("захід", "заход", "мероприят")),
    ("risks", ("ризик", "риск")),
    ("resources", ("ресурс",)),
    ("section", ("розділ", "раздел")),
    ("number", ("№",)),
]
RISK_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("residual", ("залишков", "остаточн")),
    ("level", ("рівень", "уровень", "пріоритет", "приоритет")),
    ("probability", ("імовірн", "ймовірн", "вероятн")),
    ("possible_consequences", ("можлив", "возможн")),
    ("consequence", ("наслідк", "последств")),
    ("existing_controls", ("контрол",)),
    ("factors", ("джерел", "чинник", "источник", "фактор", "причин")),
    ("description", ("зміст", "опис", "содержан")),
    ("owner", ("власник", "владел")),
    ("measures", ("заход", "мероприят", "строк", "срок", "виконав", "исполнит", "ресурс", "індикатор", "стан")),
    ("title", ("ризик", "риск")),
    ("function", ("функці", "процес", "функци")),
    ("number", ("№",)),
]


def _role(header: str, columns: list[tuple[str, tuple[str, ...]]]) -> str | None:
    text = normalised(header).casefold()
    if not text:
        return None
    for role, words in columns:
        if any(word in text for word in words):
            if role == "residual":
                if any(word in text for word in ("імовірн", "ймовірн", "вероятн")):
                    return "residual_probability"
                if any(word in text for word in ("наслідк", "последств")):
                    return "residual_consequence"
                return None
            if role == "possible_consequences" and not any(word in text for word in ("наслідк", "последств")):
                continue
            return role
    return None


def _roles(headers: list[str], columns) -> dict[int, str]:
    """Column index → role; a role named twice keeps its first column."""
    found: dict[int, str] = {}
    for index, header in enumerate(headers):
        role = _role(header, columns)
        if role and role not in found.values():
            found[index] = role
    return found


def _grid(table) -> list[list[str]]:
    """The table as a grid of texts, a cell spanning columns repeated in each, a cell merged down repeated below."""
    from docx.table import _Cell

    rows = table._tbl.tr_lst
    if len(rows) > MAX_TABLE_ROWS:
        # Refused whole rather than read in part: a row left out would be a measure silently dropped.
        raise ValidationError(
            _("A table of the document has %(rows)s rows; the import reads tables of at most %(max)s rows.")
            % {"rows": len(rows), "max": MAX_TABLE_ROWS}
        )
    grid: list[list[str]] = []
    for tr in rows:
        row: list[str] = []
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                column = len(row)
                above = grid[-1][column] if grid and column < len(grid[-1]) else ""
                text = above
            else:
                text = normalised(_Cell(tc, table).text)
            row.extend([text] * max(tc.grid_span, 1))
        grid.append(row)
    return grid


def _is_numbering_row(row: list[str]) -> bool:
    """The «1 2 3 4 5 6 7» row under the headers of an official table."""
    texts = [text for text in row if text]
    return bool(texts) and all(text.isdigit() for text in texts)


def _kind(headers: list[str]) -> tuple[str, dict[int, str]] | None:
    """("risks" or "measures", column → role) when the headers name the columns of either table."""
    risk_roles = _roles(headers, RISK_COLUMNS)
    if {"probability", "title"} <= set(risk_roles.values()):
        return "risks", risk_roles
    measure_roles = _roles(headers, MEASURE_COLUMNS)
    if {"content", "deadline"} <= set(measure_roles.values()):
        return "measures", measure_roles
    return None


def _header(grid: list[list[str]]) -> tuple[int, list[str]]:
    """How many rows the header takes and each column's heading. Registers often group columns under a heading
    of two rows («Оцінка ризику» over «Імовірність» and «Наслідки»): the second row joins the first when it is
    short text that names more columns than the first row alone."""
    first = grid[0]
    if len(grid) < 2 or _is_numbering_row(grid[1]) or any(len(text) > 80 for text in grid[1]):
        return 1, first
    joined = [
        " ".join(dict.fromkeys(filter(None, (top, bottom))))
        for top, bottom in zip(first, grid[1] + [""] * (len(first) - len(grid[1])), strict=False)
    ]
    alone, both = _kind(first), _kind(joined)
    if both and (alone is None or len(both[1]) > len(alone[1])):
        return 2, joined
    return 1, first


def _read_table(grid: list[list[str]], index: int, result: ReadDocument) -> None:
    if not grid:
        return
    header_rows, headers = _header(grid)
    found = _kind(headers)
    if found is None:
        result.unrecognised_tables += 1
        return
    kind, roles = found
    target = result.risk_rows if kind == "risks" else result.measure_rows
    result.tables[index] = (kind, headers)
    for number, row in enumerate(grid[header_rows:], start=header_rows + 1):
        if _is_numbering_row(row) or not any(row):
            continue
        cells = {role: (row[column] if column < len(row) else "") for column, role in roles.items()}
        distinct = {text for text in row if text}
        spanning = len(distinct) == 1 and (not cells.get("content") or all(text == row[0] for text in row))
        if kind == "measures" and spanning:
            # A row spanning the table: the title of a section of the annex («І. Програма антикорупційних навчань»).
            cells = {"section_row": distinct.pop()}
        target.append(TableRow(table=index, row=number, cells=cells))


def _paragraph_text(paragraph) -> str:
    return normalised(paragraph.text)


def _is_heading(paragraph, text: str) -> re.Match | None:
    match = HEADING.match(text)
    if match is None or roman_value(match["numeral"]) is None:
        return None
    # A heading is short; a long paragraph that happens to open with «I.» is text.
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    return match if len(text) <= 600 or style.lower().startswith(("heading", "заголовок")) else None


def read_docx(content: bytes) -> ReadDocument:
    """Sections, measures tables, risk tables and abbreviations of a checked .docx (see `check_docx`)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = _open(content)
    result = ReadDocument()
    current: Section | None = None
    in_abbreviations = False
    table_index = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            table_index += 1
            _read_table(_grid(Table(element, document)), table_index, result)
            continue
        if tag != "p":
            continue
        paragraph = Paragraph(element, document)
        text = _paragraph_text(paragraph)
        if not text:
            continue
        if ABBREVIATIONS_HEADING.search(text) and len(text) < 200:
            in_abbreviations, current = True, None
            continue
        if in_abbreviations:
            match = ABBREVIATION.match(text)
            if match:
                result.abbreviations.setdefault(match["short"].strip(), match["name"].strip().rstrip(";."))
                continue
        heading = _is_heading(paragraph, text)
        if heading:
            in_abbreviations = False
            current = Section(position=roman_value(heading["numeral"]), title=normalised(heading["title"]))
            if all(section.position != current.position for section in result.sections):
                result.sections.append(current)
            continue
        if ANNEX.match(text):
            current = None
            continue
        if current is not None:
            current.paragraphs.append(text)
    return result
