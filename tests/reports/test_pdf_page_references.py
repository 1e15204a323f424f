"""The tagged PDF's page references are built once per page added, not once per tagged element, and the structure
tree written with them is the one pydyf's own property gives."""

from __future__ import annotations

import io

import pydyf
import pytest
from pypdf import PdfReader

from reports.documents import pdf as pdf_module
from reports.documents.pdf import page_references_kept, render_pdf

ROWS = 240  # several A4 pages of one tagged table

TABLE = (
    "<html lang='uk'><head><meta charset='utf-8'><title>Звіт</title></head><body><h1>Звіт</h1><table>"
    "<thead><tr><th>№</th><th>Захід</th></tr></thead><tbody>"
    + "".join(f"<tr><td>{n}</td><td>Проведення навчання № {n}</td></tr>" for n in range(1, ROWS + 1))
    + "</tbody></table></body></html>"
)


def new_page(pdf: pydyf.PDF) -> None:
    pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference}))


def test_the_references_are_pydyfs_and_built_again_only_when_a_page_is_added():
    pdf = pydyf.PDF()
    for _ in range(3):
        new_page(pdf)
    first = pdf.page_references

    assert first == pdf_module._BUILD_PAGE_REFERENCES(pdf)
    assert len(first) == 3
    assert pdf.page_references is first  # read again: the same tuple, not a new one

    new_page(pdf)

    assert pdf.page_references is not first
    assert pdf.page_references == pdf_module._BUILD_PAGE_REFERENCES(pdf)
    assert len(pdf.page_references) == 4


def test_pydyfs_property_is_the_kept_one():
    assert pydyf.PDF.page_references.fget is page_references_kept


def test_a_tagged_report_builds_the_references_at_most_once_a_page(monkeypatch):
    builds = []
    build = pdf_module._BUILD_PAGE_REFERENCES
    monkeypatch.setattr(pdf_module, "_BUILD_PAGE_REFERENCES", lambda pdf: builds.append(1) or build(pdf))

    pages = len(PdfReader(io.BytesIO(render_pdf(TABLE))).pages)

    assert pages >= 4
    assert 1 <= len(builds) <= pages  # before: once per tagged element, thousands of times


def structure_pages(content: bytes) -> list[tuple[str, int]]:
    """Every structure element's role and the index of the page it names, in the tree's order."""
    reader = PdfReader(io.BytesIO(content))
    index = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get"):
            if "/S" in node and "/Pg" in node:
                found.append((str(node["/S"]), index[node.raw_get("/Pg").idnum]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.parametrize("archival", [False, True])
def test_the_structure_tree_names_the_same_pages_as_with_pydyfs_own_property(monkeypatch, archival):
    kept = structure_pages(render_pdf(TABLE, archival=archival))
    monkeypatch.setattr(pydyf.PDF, "page_references", property(pdf_module._BUILD_PAGE_REFERENCES))
    built_every_time = structure_pages(render_pdf(TABLE, archival=archival))

    assert kept == built_every_time
    assert {page for _, page in kept} == set(range(max(page for _, page in kept) + 1))  # every page is named
