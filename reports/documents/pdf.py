"""PDF rendering with WeasyPrint, allowed to read nothing but the project's own static files."""

from __future__ import annotations

import mimetypes
import zlib
from pathlib import Path
from urllib.parse import unquote, urlparse

import pydyf
import weasyprint.document
from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# pydyf builds `PDF.page_references` (every page's "n 0 R") afresh on each read, and WeasyPrint's PDF/UA tagging
# reads it once per tagged element: the tuple of all pages is rebuilt tens of thousands of times, so tagging grows
# with pages × elements (measured: 2.8 s of a 1,000-measure report's 12 s of writing, 57,868 rebuilds of 317 pages).
# The pages' list is only ever appended to (`PDF.add_page`), so a tuple built for the same list of the same length
# is the same tuple; it is kept on the PDF object beside that length.
_BUILD_PAGE_REFERENCES = pydyf.PDF.__dict__["page_references"].fget


def page_references_kept(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """`PDF.page_references`, built again only when a page has been added since the last read."""
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get("_kept_page_references")
    if kept is None or kept[0] is not kids or kept[1] != len(kids):
        kept = (kids, len(kids), _BUILD_PAGE_REFERENCES(pdf))
        pdf._kept_page_references = kept
    return kept[2]


if getattr(_BUILD_PAGE_REFERENCES, "__module__", None) == "pydyf":  # not when pydyf itself has changed the property
    pydyf.PDF.page_references = property(page_references_kept)

# WeasyPrint keeps each page's drawing as a list of small byte strings, one per operator and operand, until the whole
# file is written, then joins and compresses each list. At 1,000 measures (317 pages) that held ~40 MB of a worker's
# peak. Once a page is painted nothing more is drawn on it (the tags read the stream's `_tags`, not its content), so
# its list is joined and compressed right away, exactly as pydyf would do it at the end: the file is byte for byte
# the same (tests/reports/test_pdf_page_streams.py).
_PAINT = weasyprint.document.Page.paint
PYDYF_COMPRESSION = 9  # the level pydyf 0.13 compresses streams at


def pack(stream: pydyf.Stream) -> None:
    """Join `stream`'s operators into one byte string and compress it as `pydyf.Stream.data` would."""
    content = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    if stream.compress:
        compressor = zlib.compressobj(level=PYDYF_COMPRESSION)
        content = compressor.compress(content) + compressor.flush()
        stream.compress = False
        stream.extra["Filter"] = "/FlateDecode"
    stream.stream = [content]


def paint_packed(page, stream, *args, **kwargs) -> None:
    """`weasyprint.document.Page.paint`, the page's stream packed once painted."""
    _PAINT(page, stream, *args, **kwargs)
    pack(stream)


# Packing steps aside if pydyf or WeasyPrint changes what it relies on.
if pydyf.__version__ == "0.13.0" and getattr(_PAINT, "__module__", None) == "weasyprint.document":
    weasyprint.document.Page.paint = paint_packed


class StaticOnlyFetcher(URLFetcher):
    """Serves files below the static directories and refuses every other URL (network, other local files).

    A report embeds text users typed; without this a crafted link or image could make the worker read local
    files or reach the network while rendering.
    """

    def __init__(self, roots: list[Path] | None = None) -> None:
        super().__init__(allowed_protocols={"file"})
        # STATICFILES_DIRS entries are paths or (prefix, path) pairs (vendor libraries from node_modules).
        configured = [Path(entry[1] if isinstance(entry, tuple) else entry) for entry in settings.STATICFILES_DIRS]
        self.roots = [root.resolve() for root in (roots or configured)]

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Refused to fetch {url!r}: reports may load only the portal's own static files")
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ValueError(f"Refused to fetch {url!r}: not one of the portal's static files")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(html: str, *, archival: bool = False) -> bytes:
    """Render HTML to PDF bytes.

    The copy for reading and publishing is PDF/UA-1: tagged, so a screen reader announces the table's headings and
    cells in order. `archival` produces PDF/A-3b for long-term storage, also tagged (the tags do not affect 3b).
    """
    base_url = (Path(settings.STATICFILES_DIRS[0]).resolve().as_uri()) + "/"
    options = {"pdf_variant": "pdf/a-3b", "pdf_tags": True} if archival else {"pdf_variant": "pdf/ua-1"}
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher()).write_pdf(**options)
