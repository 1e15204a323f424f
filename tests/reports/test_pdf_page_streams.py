"""Each page's drawing is joined and compressed as soon as the page is painted (`reports.documents.pdf.pack`), not
kept as a list of small byte strings until the whole file is written, and the file is byte for byte the one
WeasyPrint writes on its own — tagged (PDF/UA), archival (PDF/A), with the report's page foot and repeated header."""

from __future__ import annotations

import copy
import io

import pydyf
import pytest
import weasyprint.document
from pypdf import PdfReader

from reports.documents import pdf as pdf_module
from reports.documents.pdf import pack, paint_packed, render_pdf

ROWS = 240
STYLED = (
    "<html lang='uk'><head><meta charset='utf-8'><title>Звіт</title><style>"
    "@page { size: A4 landscape; @bottom-right { content: 'Сторінка ' counter(page) ' з ' counter(pages) } }"
    "td, th { border: 0.5pt solid #000 }</style></head><body><h1>Звіт про стан виконання</h1>"
    "<table><thead><tr><th>№</th><th>Захід</th><th>Стан виконання</th></tr></thead><tbody>"
    + "".join(
        f"<tr><td>{n}</td><td>Проведення навчання № {n}</td><td><a href='https://example.gov.ua/{n}'>Виконано</a></td>"
        "</tr>"
        for n in range(1, ROWS + 1)
    )
    + "</tbody></table></body></html>"
)


def test_pages_are_painted_then_packed():
    assert weasyprint.document.Page.paint is paint_packed


@pytest.mark.parametrize("archival", [False, True])
def test_the_file_is_byte_for_byte_the_one_weasyprint_writes_on_its_own(monkeypatch, archival):
    packed = render_pdf(STYLED, archival=archival)
    monkeypatch.setattr(weasyprint.document.Page, "paint", pdf_module._PAINT)
    unpacked = render_pdf(STYLED, archival=archival)

    assert len(PdfReader(io.BytesIO(packed)).pages) >= 4
    assert packed == unpacked


@pytest.mark.parametrize("compress", [True, False])
def test_a_packed_stream_is_one_piece_that_writes_as_the_list_did(compress):
    stream = pydyf.Stream(compress=compress)
    stream.begin_text()
    stream.set_font_size("F1", 10.5)
    stream.move_text_to(12, 700.25)
    stream.show_text(pydyf.String("Звіт").data)
    stream.end_text()
    stream.begin_marked_content("P", pydyf.Dictionary({"MCID": 0}))
    stream.end_marked_content()
    original = copy.deepcopy(stream)

    pack(stream)

    assert len(stream.stream) == 1
    assert stream.data == original.data
