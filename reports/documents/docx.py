"""The report documents as Word files (.docx), since bodies still file and edit their reports in Word.

Built from the same document data as the PDFs (`documents.py`, `documents_program.py`, `documents_journals.py`) and
laid out as the PDF templates under `templates/reports/pdf/` lay them out: the organisation and the title sentence
above the table, section rows across the table, a task's cell merged down over its measures, the header row repeated
on every page, signatures and the generation note below. Every text comes from the document or from the same
translated column headers the spreadsheet export uses, never typed again here, so a change to a builder's wording
reaches the .docx as it reaches the PDF. Times New Roman is named for the text: Word has it, and LibreOffice
substitutes its metric twin (Liberation Serif), so the table breaks the same way in both.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

import docx
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.documents.content import Document, ExecutionDocument, SectionGroup
from reports.documents.journals import InducementJournal, WhistleblowerJournal
from reports.documents.program import Form1Document, ProgramDocument
from reports.documents.xlsx import TABLES, _plan_headers

FONT = "Times New Roman"
BODY_SIZE = Pt(12)
TABLE_SIZE = Pt(10)
TEXT_WIDTH = Cm(29.7 - 2 * 1.5)
# Column shares of the PDF's tables (static/reports/pdf.css), so the Word table wraps its text the same way.
PLAN_WIDTHS = (12, 17, 8, 9, 13, 13, 28)
FORM1_WIDTHS = (5, 20, 35, 20, 20)


def _font(run, *, size=None, bold: bool = False) -> None:
    run.font.name = FONT
    # Word picks the font of Cyrillic text from the complex-script and East Asian slots as well.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        run.font.size = size
    run.font.bold = bold or None


def _lines(paragraph, text: str, *, size=None, bold: bool = False) -> None:
    """Text with its line breaks kept as breaks inside one paragraph, as the PDF's `linebreaksbr` keeps them."""
    for index, line in enumerate(str(text).split("\n")):
        run = paragraph.add_run(line)
        if index:
            run._element.insert(0, OxmlElement("w:br"))
        _font(run, size=size, bold=bold)


def _paragraph(word, text: str, *, bold: bool = False, align=None, size=BODY_SIZE, style: str | None = None):
    paragraph = word.add_paragraph(style=style)
    _lines(paragraph, text, size=size, bold=bold)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _heading(word, text: str, level: int = 1):
    heading = word.add_heading(level=level)
    _lines(heading, text, size=Pt(14) if level == 1 else BODY_SIZE, bold=True)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return heading


def _cell(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    _lines(paragraph, text, size=TABLE_SIZE, bold=bold)


def _repeat_as_header(row) -> None:
    """Mark a row as a header row: Word and LibreOffice repeat it at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _widths(table, shares: tuple[int, ...] | None) -> None:
    """Fixed column widths (Word reads the grid, LibreOffice each cell); without shares the columns are equal."""
    count = len(table.columns)
    shares = shares or (1,) * count
    widths = [int(TEXT_WIDTH * share / sum(shares)) for share in shares]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _table(word, headers: list[str], *, numbered: bool = False):
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, header, bold=True)
    _repeat_as_header(table.rows[0])
    if numbered:  # the «1 2 3 …» row of the seed's tables
        numbers = table.add_row()
        for index, cell in enumerate(numbers.cells, start=1):
            _cell(cell, str(index))
        _repeat_as_header(numbers)
    return table


def _spanning_row(table, text: str) -> None:
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    _cell(merged, text, bold=True)


def _grouped(table, sections: list[SectionGroup], last: Callable) -> None:
    """Section rows across the table, then each task's measures with the task's cell merged down over them."""
    for section in sections:
        _spanning_row(table, section.title)
        for task in section.tasks:
            first = None
            for row in task.rows:
                cells = table.add_row().cells
                content = f"{row.label} {row.content}".strip() if row.label else row.content
                values = [content, row.deadline, "\n".join(row.units), row.audience, row.indicator, last(row)]
                for cell, value in zip(cells[1:], values, strict=True):
                    _cell(cell, value)
                if first is None:
                    first = cells[0]
                    _cell(first, task.title)
                else:
                    first = first.merge(cells[0])


def _signatures(word, signatories: Iterable[tuple[str, str]]) -> None:
    for position, name in signatories:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(18)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(11))
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(17))
        _lines(paragraph, f"{position}\t____________________\t{name}")


def _title_block(word, document: Document, preamble: str = "") -> None:
    _paragraph(word, document.organisation, align=WD_ALIGN_PARAGRAPH.CENTER)
    if preamble:
        _paragraph(word, preamble, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _heading(word, document.title, level=1)


def columns_of(document: Document) -> list[str]:
    """The column headings the builder gives its table (a program may define its own), else those of the
    spreadsheet export, which the PDF templates print too."""
    return list(getattr(document, "columns", None) or TABLES[type(document)](document)[0])


def _execution(word, document: ExecutionDocument) -> None:
    # As the PDF: the annex heading at the right in place of the organisation when the program defines one.
    annex = getattr(document, "annex_heading", None)
    if annex:
        _paragraph(word, "\n".join(annex), align=WD_ALIGN_PARAGRAPH.RIGHT)
    else:
        _paragraph(word, document.organisation, align=WD_ALIGN_PARAGRAPH.CENTER)
    _heading(word, document.title, level=1)
    table = _table(word, columns_of(document), numbered=True)
    _grouped(table, document.sections, lambda row: row.status)
    if not document.sections:
        _spanning_row(table, _("The program has no measures."))
    _widths(table, PLAN_WIDTHS)
    if document.approval_note:
        _paragraph(word, document.approval_note)
    if document.audit_head:
        _paragraph(word, document.audit_head)


def _program(word, document: ProgramDocument) -> None:
    preamble = f"{_('APPROVED')}\n{document.approval}" if document.approval else ""
    _title_block(word, document, preamble)
    for title, body in document.sections:
        _heading(word, title, level=2)
        # The PDF's `linebreaks`: a blank line separates paragraphs, a single break stays inside one.
        for text in filter(None, (part.strip() for part in body.split("\n\n"))):
            _paragraph(word, text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    risk_headers = TABLES[ProgramDocument](document)[0]
    _heading(word, _("Corruption risk register"), level=2)
    table = _table(word, risk_headers)
    for risk in document.risks:
        values = [
            risk.number,
            risk.function,
            risk.title,
            risk.factors,
            risk.consequences,
            risk.controls,
            risk.inherent,
            risk.residual,
            risk.owner,
            risk.measures,
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell(cell, str(value))
    if not document.risks:
        _spanning_row(table, _("No risks have been entered."))
    _widths(table, (3, 10, 14, 12, 12, 12, 8, 8, 8, 8))
    _heading(word, _("Measures"), level=2)
    table = _table(word, _plan_headers(_("Risks treated")))
    _grouped(table, document.plan, lambda row: row.risks)
    _widths(table, (14, 24, 9, 9, 16, 18, 10))
    if document.abbreviations:
        _heading(word, _("List of abbreviations"), level=2)
        for abbreviation, name in document.abbreviations:
            _paragraph(word, f"{abbreviation} – {name};")


def _form1(word, document: Form1Document) -> None:
    _paragraph(word, _("Form 1."), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _heading(word, document.title, level=1)
    officer = document.officer + (f", {document.officer_position}" if document.officer_position else "")
    for label, value in (
        (_("Name:"), document.organisation),
        (_("Reporting period:"), document.period),
        (_("Full name and position of the authorised person:"), officer),
        (_("Contacts (e-mail, office phone):"), document.contacts),
    ):
        _paragraph(word, f"{label} {value}")
    if getattr(document, "points", ""):
        _paragraph(word, document.points)
    table = _table(word, columns_of(document), numbered=True)
    for section in document.sections:
        _spanning_row(table, section.title)
        for row in section.rows:
            values = [row.number, row.measure, row.results, row.reasons, row.next_steps]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                _cell(cell, value)
    _widths(table, FORM1_WIDTHS)
    if document.officer:
        _signatures(word, [(document.officer_position[:1].upper() + document.officer_position[1:], document.officer)])


def _journal(word, document: Document) -> None:
    _title_block(word, document)
    headers, rows = TABLES[type(document)](document)
    table = _table(word, headers)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell(cell, "" if value is None else str(value))
    _widths(table, None)


WRITERS: dict[type, Callable] = {
    ExecutionDocument: _execution,
    ProgramDocument: _program,
    Form1Document: _form1,
    InducementJournal: _journal,
    WhistleblowerJournal: _journal,
}


def _page(word) -> None:
    """Landscape A4 with the margins of official annexes, and «Page N of M» in the footer as the PDF has it."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.5)
    for name in ("Normal", "Heading 1", "Heading 2"):
        style = word.styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(0, 0, 0)
        # The default template's headings take the theme's font (Calibri Light) before any named one.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    word.styles["Normal"].font.size = BODY_SIZE
    # The generation note stands in the foot of every page, as in the PDF: alone after the table it could fill a
    # page of its own.
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    generated = timezone.localdate().strftime("%d.%m.%Y")
    _lines(footer, f"{_('Generated by the anti-corruption program portal on')} {generated}\t", size=Pt(9))
    _lines(footer, f"{_('Page')} ", size=TABLE_SIZE)
    _field(footer, "PAGE")
    _lines(footer, f" {_('of')} ", size=TABLE_SIZE)
    _field(footer, "NUMPAGES")


def _field(paragraph, code: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def render_docx(document: Document, *, language: str) -> bytes:
    """The document as .docx bytes, in `language`."""
    with translation.override(language):
        word = docx.Document()
        word.core_properties.title = document.title[:250]
        word.core_properties.language = language
        _page(word)
        WRITERS[type(document)](word, document)
        if not isinstance(document, Form1Document):
            _signatures(word, document.signatories)
        buffer = io.BytesIO()
        word.save(buffer)
        return buffer.getvalue()
