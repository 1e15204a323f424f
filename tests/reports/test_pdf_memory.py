"""The worker's memory while it renders a PDF (issue 21: at most 400 MB at 1,000 measures): the pseudo-elements'
styles made only when layout asks for one, each page let go once it is tagged, the Excel, Word and signing libraries
imported only when used — and the file byte for byte the one WeasyPrint writes without any of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import weasyprint.css
import weasyprint.pdf
from django.conf import settings
from weasyprint import HTML

from reports.documents import pdf as pdf_module
from reports.documents.pdf import RELEASE_WHEN_TAGGED, StaticOnlyFetcher, render_pdf
from tests.reports.test_pdf_page_streams import ROWS
from tests.reports.test_pdf_page_streams import STYLED as TABLE

# Every kind of pseudo-element and what refers to one: list markers, footnotes, ::before/::after with counters and
# quotes, first line and letter, anchors and internal links, spanning cells.
PSEUDO = (
    "<html lang='uk'><head><meta charset='utf-8'><title>Псевдоелементи</title><style>"
    "@page { @bottom-center { content: counter(page) } } li::marker { color: red } .fn { float: footnote }"
    "p.q::before { content: '« ' } p.q::after { content: ' »'; color: blue } h2::first-letter { font-size: 2em }"
    "p::first-line { font-weight: bold } .n::before { content: counter(c) '. '; counter-increment: c }"
    "dl dt { font-weight: bold } q { quotes: '«' '»' } table { border-collapse: collapse } td { border: 1px solid }"
    "</style></head><body><h1 id='top'>Заголовок</h1><h2>Розділ <a href='#top'>вгору</a></h2>"
    + "".join(
        f"<ul><li>пункт {i}<ol><li>вкладений {i}</li><li id='x{i}'>ще</li></ol></li>"
        "<li style='list-style: none'>без</li></ul>"
        f"<p class='q'>Текст <q>цитата</q> із виноскою<span class='fn'>Виноска {i}</span> і <br>розрив рядка.</p>"
        f"<dl><dt>термін</dt><dd>значення {i}</dd></dl><p class='n'>Нумерований абзац {i} " + "слово " * 60 + "</p>"
        f"<table><tr><th scope='row'>р</th><td>к {i}</td><td rowspan='2'>д</td></tr><tr><td colspan='2'>ш</td></tr>"
        "</table>"
        for i in range(25)
    )
    + "</body></html>"
)


def _weasyprint_alone(monkeypatch) -> None:
    """WeasyPrint's own pieces in place of the ones `reports.documents.pdf` wraps to save memory."""
    monkeypatch.setattr(weasyprint.css.StyleFor, "set_computed_styles", pdf_module._SET_COMPUTED_STYLES)
    monkeypatch.setattr(weasyprint.css.StyleFor, "__call__", pdf_module._STYLE_FOR)
    monkeypatch.setattr(weasyprint.pdf, "add_tags", pdf_module._ADD_TAGS)


def _html(page: str) -> HTML:
    base_url = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    return HTML(string=page, base_url=base_url, url_fetcher=StaticOnlyFetcher())


def test_the_memory_savers_are_in_place():
    assert weasyprint.css.StyleFor.set_computed_styles is pdf_module.set_computed_styles_deferred
    assert weasyprint.css.StyleFor.__call__ is pdf_module.style_for_deferred
    assert weasyprint.pdf.add_tags is pdf_module.add_tags_releasing


@pytest.mark.parametrize("page", [TABLE, PSEUDO], ids=["table", "pseudo-elements"])
@pytest.mark.parametrize("archival", [False, True], ids=["pdf-ua", "pdf-a"])
def test_the_file_is_byte_for_byte_the_one_weasyprint_writes_alone(monkeypatch, page, archival):
    saved = render_pdf(page, archival=archival)
    _weasyprint_alone(monkeypatch)
    alone = render_pdf(page, archival=archival)
    assert saved == alone
    assert saved.startswith(b"%PDF-")


def test_pseudo_element_styles_are_made_only_when_asked_for(monkeypatch):
    made = []
    original = weasyprint.css.ComputedStyle.__init__

    def counting(self, *args, **kwargs):
        made.append(args[2] if len(args) > 2 else kwargs.get("pseudo_type"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.css.ComputedStyle, "__init__", counting)
    _html(TABLE).render()
    saved = [pseudo for pseudo in made if pseudo]
    made.clear()
    _weasyprint_alone(monkeypatch)
    _html(TABLE).render()
    alone = [pseudo for pseudo in made if pseudo]
    # WeasyPrint made marker and footnote styles for every cell; layout asks for none of them in a plain table.
    assert len(alone) > 5 * 3 * ROWS
    assert len(saved) < len(alone) / 20


def test_each_page_is_let_go_once_tagged_in_a_document_render_pdf_marks():
    marked = _html(TABLE).render(pdf_variant="pdf/ua-1")
    setattr(marked, RELEASE_WHEN_TAGGED, True)
    unmarked = _html(TABLE).render(pdf_variant="pdf/ua-1")
    assert len(marked.pages) >= 4

    assert marked.write_pdf(pdf_variant="pdf/ua-1") == unmarked.write_pdf(pdf_variant="pdf/ua-1")
    assert all(page._page_box is None for page in marked.pages)
    # A document someone else renders (and may paint again) keeps its pages.
    assert all(page._page_box is not None for page in unmarked.pages)


def test_a_worker_holds_no_spreadsheet_word_or_signing_library_until_it_needs_one():
    probe = (
        "import django, sys; django.setup(); "
        "import config.celery, reports.documents.tasks, reports.documents.services, reports.documents.checks; "
        "print(sorted(name for name in ('openpyxl', 'docx', 'pyhanko', 'pyhanko_certvalidator', 'aiohttp') "
        "if name in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    ).stdout.strip()
    assert loaded == "[]"
