"""PDF rendering with WeasyPrint, allowed to read nothing but the project's own static files."""

from __future__ import annotations

import ctypes
import gc
import mimetypes
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlparse
from xml.etree.ElementTree import Element

import pydyf
import weasyprint
import weasyprint.css
import weasyprint.document
import weasyprint.pdf
from django.conf import settings
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
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

# The level the portal's PDFs are compressed at: zlib's own default, where pydyf asks for its slowest (9). The file's
# two largest streams are the structure tree's objects (1.7 MB at 300 measures) and their cross-reference table;
# at 9 they cost 0.26 s of a 6 s report, at 6 0.05 s, for a file 3 % larger (the cross-reference table compresses to
# the same bytes). A render sets the level for itself (`compressed_at`); anything else pydyf writes keeps its own.
COMPRESSION = 6
PYDYF_COMPRESSION = 9  # the level pydyf 0.13 compresses streams at
_compression: ContextVar[int | None] = ContextVar("pdf_compression", default=None)


@contextmanager
def compressed_at(level: int) -> Iterator[None]:
    """pydyf's streams written in this block compressed at `level`."""
    token = _compression.set(level)
    try:
        yield
    finally:
        _compression.reset(token)


class LeveledZlib:
    """The `zlib` pydyf sees: its compressors at the level a render chose, else at the one pydyf asks for."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level: int = PYDYF_COMPRESSION, **kwargs):
        return zlib.compressobj(level=compression_level(level), **kwargs)


def compression_level(asked: int = PYDYF_COMPRESSION) -> int:
    """The level a stream written now is compressed at: the render's, else the one asked for."""
    chosen = _compression.get()
    return asked if chosen is None else chosen


# WeasyPrint keeps each page's drawing as a list of small byte strings, one per operator and operand, until the whole
# file is written, then joins and compresses each list. At 1,000 measures (317 pages) that held ~40 MB of a worker's
# peak. Once a page is painted nothing more is drawn on it (the tags read the stream's `_tags`, not its content), so
# its list is joined and compressed right away, exactly as pydyf would do it at the end: the file is byte for byte
# the same (tests/reports/test_pdf_page_streams.py).
_PAINT = weasyprint.document.Page.paint


def pack(stream: pydyf.Stream) -> None:
    """Join `stream`'s operators into one byte string and compress it as `pydyf.Stream.data` would."""
    content = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    if stream.compress:
        compressor = zlib.compressobj(level=compression_level())
        content = compressor.compress(content) + compressor.flush()
        stream.compress = False
        stream.extra["Filter"] = "/FlateDecode"
    stream.stream = [content]


def paint_packed(page, stream, *args, **kwargs) -> None:
    """`weasyprint.document.Page.paint`, the page's stream packed once painted."""
    _PAINT(page, stream, *args, **kwargs)
    pack(stream)


# Packing and the level step aside if pydyf or WeasyPrint changes what they rely on.
if pydyf.__version__ == "0.13.0" and getattr(_PAINT, "__module__", None) == "weasyprint.document":
    weasyprint.document.Page.paint = paint_packed
if pydyf.__version__ == "0.13.0" and pydyf.zlib is zlib:
    pydyf.zlib = LeveledZlib


# The worker's peak memory (issue 21: ~530 MB at 1,000 measures against a target of 400) was WeasyPrint holding, at
# once, every element's unused pseudo-element styles, every laid-out page and the PDF/UA structure tree. Two pieces of
# WeasyPrint 70.0 are wrapped below; both step aside with another version, and the file stays byte for byte the same.
#
# 1. Styles of pseudo-elements nobody asks for. WeasyPrint computes a style for every pseudo-element the user-agent
# sheet names for *any* element (`::marker`, `::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`,
# `::note-callback`): six styles per table cell, each holding its own copy of the cascaded declarations — 41,000
# styles at 1,000 measures (~46 MB for the whole render), while a cell is never a list item, a footnote or a note.
# Such a style is now created when layout first asks for it, exactly as WeasyPrint would have created it (same parent,
# same declarations, the same first computed property); until then the element keeps the declarations, shared by
# every element that has the same ones. A pseudo-element carrying an anchor is created at once, as before, since
# creating it registers the anchor.
_SET_COMPUTED_STYLES = weasyprint.css.StyleFor.set_computed_styles
_STYLE_FOR = weasyprint.css.StyleFor.__call__


def set_computed_styles_deferred(
    self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None
) -> None:
    """`StyleFor.set_computed_styles`, an element's pseudo-element left as its declarations until it is asked for."""
    if pseudo_type is None or parent is not element or not isinstance(element, Element):
        _SET_COMPUTED_STYLES(self, element, parent, root, pseudo_type, base_url, target_collector)
        return
    cascaded = self._cascaded_styles.get((element, pseudo_type), {})
    deferred = self.__dict__.get("_deferred_pseudo_styles")
    if deferred is None:
        deferred = self._deferred_pseudo_styles = {}
        self._deferred_declarations = {}
        self._deferred_from = (root, base_url)
    if "anchor" in cascaded or self._deferred_from != (root, base_url):
        _SET_COMPUTED_STYLES(self, element, parent, root, pseudo_type, base_url, target_collector)
        return
    # Equal declarations (the same values of the same rules, the same weights, in the same order) are kept once.
    same = tuple([(name, id(values), weight) for name, (values, weight) in cascaded.items()])
    deferred[element, pseudo_type] = self._deferred_declarations.setdefault(same, cascaded)


def style_for_deferred(self, element, pseudo_type=None):
    """`StyleFor.__call__`, creating a deferred pseudo-element's style first as `set_computed_styles` would have."""
    if pseudo_type is not None and (deferred := self.__dict__.get("_deferred_pseudo_styles")):
        cascaded = deferred.pop((element, pseudo_type), None)
        if cascaded is not None:
            root, base_url = self._deferred_from
            computed_styles = self._computed_styles
            computed = computed_styles[element, pseudo_type] = weasyprint.css.ComputedStyle(
                computed_styles[element, None],
                cascaded,
                pseudo_type,
                computed_styles[root, None],
                base_url,
                self.font_config,
                self.initial_page_sizes,
            )
            computed["anchor"]  # computed first, as `set_computed_styles` does (it has none: see above)
    return _STYLE_FOR(self, element, pseudo_type)


# 2. Laid-out pages once tagged. WeasyPrint builds the PDF/UA structure tree after every page is painted, from the
# pages' boxes, then writes the file: the pages (~0.5 MB each: boxes, their lines, text and measures), the tree and
# the file were all held at once. For a document `render_pdf` renders, and nothing paints again, each page's boxes
# are now let go as soon as its part of the tree is built. A laid-out table refers to itself (its columns keep a
# function reading the table's cells), so that link is cut for the page to be freed at once rather than by a full
# collection. The memory the pages held is given back to the system every few pages (glibc's `malloc_trim`): the
# boxes' attribute dictionaries live on the C heap, the tree's small objects in Python's own arenas, which could
# not reuse it.
_ADD_TAGS = weasyprint.pdf.add_tags
RELEASE_WHEN_TAGGED = "_release_pages_when_tagged"
TRIM_EVERY_PAGES = 32


def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc: the memory stays with the process until it ends
        return None


MALLOC_TRIM = _malloc_trim()


def give_back_memory() -> None:
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)


def page_release(page: weasyprint.document.Page) -> None:
    """Let a painted and tagged page's boxes go, cutting the tables' links to themselves first."""
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TableBox):
            for group in box.column_groups:
                for column in group.children:
                    column.__dict__.pop("get_cells", None)
        if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
            stack.extend(box.children)
    page._page_box = None


class PagesReleasedAsTagged(list):
    """A document's pages, each released once `add_tags` has gone past it (it reads them in one pass, in order)."""

    def __iter__(self):
        for number, page in enumerate(list.__iter__(self), start=1):
            yield page
            page_release(page)
            if number % TRIM_EVERY_PAGES == 0:
                give_back_memory()


def add_tags_releasing(pdf, document, pdf_version, page_streams) -> None:
    """`weasyprint.pdf.add_tags`, releasing each page of a document marked by `render_pdf` once it is tagged."""
    if not getattr(document, RELEASE_WHEN_TAGGED, False):
        return _ADD_TAGS(pdf, document, pdf_version, page_streams)
    pages = document.pages
    document.pages = PagesReleasedAsTagged(pages)
    try:
        return _ADD_TAGS(pdf, document, pdf_version, page_streams)
    finally:
        document.pages = pages
        give_back_memory()


if (
    weasyprint.__version__ == "70.0"
    and getattr(_SET_COMPUTED_STYLES, "__module__", None) == "weasyprint.css"
    and getattr(_STYLE_FOR, "__module__", None) == "weasyprint.css"
):
    weasyprint.css.StyleFor.set_computed_styles = set_computed_styles_deferred
    weasyprint.css.StyleFor.__call__ = style_for_deferred
if weasyprint.__version__ == "70.0" and getattr(_ADD_TAGS, "__module__", None) == "weasyprint.pdf.tags":
    weasyprint.pdf.add_tags = add_tags_releasing


# 3. The process's own objects out of the render's collections. A render allocates millions of objects, so Python's
# cyclic garbage collector runs a full collection several times during it, and each walks every object the process
# holds: Django, the apps, their caches, the document's data — 236,000 objects in a worker before it renders, two
# thirds of the collector's time (issue 21: 0.5 s of a 300-measure report's 6.3 s). Those objects outlive the render;
# they are frozen while it runs (`gc.freeze`, the permanent generation: never walked, never collected) and returned
# to the oldest generation after it. Before they are, the render's own cyclic garbage (the parsed page, its styles,
# the laid-out boxes) is collected in one pass over the render's objects alone, so that it is freed now, while the
# collection is cheap, not carried into the worker's next report. Cyclic garbage the process held before the render
# is collected at the next full collection after it. Renders in parallel threads share one freeze: the last to finish
# collects and lifts it. A process that froze objects itself (a server freezing its start-up objects) is left as it
# is. Should an exception stop a render between the lock and the block (a task's time limit arrives as one), the
# count stays up and later renders no longer freeze: slower, never holding anything.
_FREEZE_LOCK = threading.Lock()
_renders_frozen = 0


@contextmanager
def process_objects_frozen() -> Iterator[None]:
    """The objects the process holds now left out of every collection until the block ends; the block's own cyclic
    garbage collected as it ends."""
    global _renders_frozen
    with _FREEZE_LOCK:
        joined = _renders_frozen > 0 or gc.get_freeze_count() == 0
        if joined:
            _renders_frozen += 1
    try:
        if joined:
            with _FREEZE_LOCK:
                if _renders_frozen == 1 and gc.get_freeze_count() == 0:
                    gc.freeze()
        yield
    finally:
        if joined:
            with _FREEZE_LOCK:
                _renders_frozen -= 1
                if _renders_frozen == 0:
                    gc.collect()
                    gc.unfreeze()


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
    with process_objects_frozen(), compressed_at(COMPRESSION):
        # `HTML.write_pdf` in its two steps, so that the document can be marked: it is painted once, then dropped.
        document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher()).render(**options)
        setattr(document, RELEASE_WHEN_TAGGED, True)
        content = document.write_pdf(**options)
        del document  # garbage before the block ends, which collects it
    return content
