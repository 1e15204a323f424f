"""The portal's PDFs are compressed at zlib's default level, not pydyf's slowest (issue 21: the structure tree's
object stream and its cross-reference table cost 0.26 s of a 6 s report at level 9), and are otherwise the very file
WeasyPrint writes: every object the same once its stream is decompressed. Anything else pydyf writes keeps its level."""

from __future__ import annotations

import io
import zlib

import pydyf
import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from reports.documents import pdf as pdf_module
from reports.documents.pdf import COMPRESSION, PYDYF_COMPRESSION, compressed_at, render_pdf
from tests.reports.test_pdf_page_streams import STYLED


def _plain(item):
    """A pypdf object as plain values, a reference as its number."""
    if isinstance(item, IndirectObject):
        return ("ref", item.idnum, item.generation)
    if isinstance(item, dict):
        return {key: _plain(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_plain(value) for value in item]
    return item


def _objects(content: bytes) -> dict[int, object]:
    """Every object of the file by number: a stream as its dictionary (without the length and filter of its
    compressed bytes) and its decompressed data; anything else as it is. The cross-reference stream, which holds the
    objects' byte offsets (and PDF/A's identifier, a digest of the compressed bytes), is left out."""
    reader = PdfReader(io.BytesIO(content))
    objects = {}
    for number in range(1, reader.trailer["/Size"]):
        item = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(item, StreamObject):
            if item.get("/Type") == "/XRef":
                continue
            described = {key: value for key, value in item.items() if key not in ("/Length", "/Filter")}
            objects[number] = (_plain(described), item.get_data())
        elif item is not None:
            objects[number] = _plain(item)
    return objects


def _raw_streams(content: bytes) -> list[bytes]:
    """The compressed bytes of each stream written in the clear (pages, fonts, the object and cross-reference
    streams), in the file's order."""
    streams, start = [], 0
    while (begin := content.find(b">>\nstream\n", start)) != -1:
        length = int(content[content.rfind(b"/Length ", 0, begin) + 8 : begin].split()[0].rstrip(b">"))
        data = content[begin + 10 : begin + 10 + length]
        streams.append(data)
        start = begin + 10 + length
    return streams


@pytest.mark.parametrize("archival", [False, True], ids=["pdf-ua", "pdf-a"])
def test_the_file_is_weasyprints_own_compressed_at_the_default_level(monkeypatch, archival):
    portal = render_pdf(STYLED, archival=archival)
    monkeypatch.setattr(pdf_module, "COMPRESSION", PYDYF_COMPRESSION)
    weasyprints = render_pdf(STYLED, archival=archival)

    assert portal != weasyprints
    assert _objects(portal) == _objects(weasyprints)
    streams = _raw_streams(portal)
    assert len(streams) >= 5
    for data in streams:
        compressor = zlib.compressobj(level=COMPRESSION)
        assert compressor.compress(zlib.decompress(data)) + compressor.flush() == data


def test_what_pydyf_writes_outside_a_render_keeps_pydyfs_level():
    assert pydyf.zlib is pdf_module.LeveledZlib
    stream = pydyf.Stream([b"BT /F1 10 Tf (" + b"text " * 500 + b") Tj ET"], compress=True)
    data = stream.data
    compressed = data[data.index(b"stream\n") + 7 : data.rindex(b"\nendstream")]

    compressor = zlib.compressobj(level=PYDYF_COMPRESSION)
    assert compressed == compressor.compress(b"BT /F1 10 Tf (" + b"text " * 500 + b") Tj ET") + compressor.flush()


def test_the_level_chosen_for_a_render_ends_with_it():
    with compressed_at(1):
        assert pdf_module.compression_level() == 1
    assert pdf_module.compression_level() == PYDYF_COMPRESSION
