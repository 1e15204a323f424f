"""The organisation's electronic seal on report PDFs: PAdES signing and checking with pyHanko, no database.

A sealed report proves to anyone holding the file that the organisation issued exactly these bytes: the signature
covers the whole PDF as rendered, and is added as an incremental update, so the original bytes (and their PDF/A and
PDF/UA claims) stay as they were and any change after sealing is detected.

The stamp is visible: a reviewer in a Ukrainian public body looks for «Підписано …» on the paper-like page, as on a
document signed in the national systems, rather than opening a reader's signature panel. It sits in the top margin
of the last page, which the report layout leaves empty, so it never covers a line of the report. Its text is in a
DejaVu font (the PDF base fonts have no Cyrillic), embedded as a subset as PDF/A requires, and it is tagged in the
structure tree as PDF/UA requires of a visible widget.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import x509
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from reports.choices import SealState

# pyHanko (with aiohttp, requests and its certificate validator) is imported where it is used: every process loads
# this module through the system checks, and a worker that renders without sealing need not hold it (issue 21: memory).
if TYPE_CHECKING:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

logger = logging.getLogger(__name__)

FIELD_NAME = "OrganisationSeal"
STAMP_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# The stamp's box in the last page's top margin, in points from the page's top-right corner (the reports' top
# margin is 15 mm landscape, 20 mm portrait; the box is 11 mm tall and 2 mm below the paper's edge).
STAMP_WIDTH, STAMP_HEIGHT, STAMP_TOP, STAMP_RIGHT = 300, 31, 6, 34
TIME_FORMAT = "%d.%m.%Y %H:%M:%S %Z"
# A time-stamping authority that does not answer fails the render (retried by asking again), never an unsealed file.
TSA_TIMEOUT_SECONDS = 20


@functools.cache
def _stamp_font_class() -> type:
    """`StampFont`, made with pyHanko's font factory when a report is first sealed."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class StampFont(GlyphAccumulatorFactory):
        """DejaVu Sans rescaled to 1000 units per em for the stamp.

        pyHanko writes the glyph widths of an embedded font (/W) in the font's own units, while PDF reads them in
        thousandths of an em: DejaVu's 2048-unit glyphs would be spaced twice too wide. Rescaled, the numbers agree.
        """

        def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(_stamp_font_bytes()),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    return StampFont


@functools.cache
def _stamp_font_bytes() -> bytes:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(STAMP_FONT)
    scale_upem(font, 1000)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


class SealError(Exception):
    """The seal cannot be used: a PKCS#12 that does not open, a certificate without a name, a TSA that refused."""


@dataclass(frozen=True)
class SealKey:
    """An organisation's key and certificate, loaded from its PKCS#12."""

    signer: signers.SimpleSigner
    certificate: x509.Certificate

    @property
    def fingerprint(self) -> str:
        """Identifies the certificate: a report sealed with another one is another document."""
        return hashlib.sha256(self.certificate.dump()).hexdigest()


# Why a seal is INVALID, by code: a check is cached and shown in each visitor's language.
PROBLEMS = {
    "damaged": _lazy("The file is damaged: it cannot be read as a PDF."),
    "signature_damaged": _lazy("The signature is damaged."),
    "content_changed": _lazy("The file was changed after it was signed: the signature does not match its content."),
    "untrusted": _lazy("The signing certificate is not one this portal trusts."),
    "modified": _lazy("The file was changed after it was signed."),
    "timestamp_untrusted": _lazy(
        "The signature's timestamp is damaged or comes from an authority this portal does not trust."
    ),
    "file_differs": _lazy("The stored file is not the one the portal produced: its SHA-256 sum has changed."),
    "file_missing": _lazy("The stored file is missing or cannot be read."),
}


@dataclass(frozen=True)
class SealCheck:
    """What a check of a PDF's seal found, as the pages show it."""

    state: str
    signer: str = ""
    organisation: str = ""
    signed_at: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    problem: str = ""

    @property
    def is_valid(self) -> bool:
        return self.state == SealState.SIGNED

    @property
    def problem_text(self) -> str:
        return str(PROBLEMS[self.problem]) if self.problem else ""


def outside_event_loop(function, /, *args, **kwargs):
    """Call one of pyHanko's synchronous functions. Each runs an asyncio loop of its own, which cannot start inside a
    running one (an ASGI server, or a process that drove Playwright's synchronous API): then it runs in a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def seal_key_load(pkcs12: bytes, password: str) -> SealKey:
    """Open a PKCS#12 archive; a wrong password or a damaged file raises SealError saying which file is at fault."""
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=password.encode() or None)
    except (ValueError, TypeError) as error:
        raise SealError(f"The PKCS#12 could not be opened (wrong password or not a PKCS#12 file): {error}") from error
    certificate = signer.signing_cert
    if certificate is None or not _name_part(certificate, "common_name"):
        raise SealError("The PKCS#12 holds no certificate with a common name (CN) to show as the signer.")
    return SealKey(signer=signer, certificate=certificate)


def certificates_load(pem_or_der: bytes) -> list[x509.Certificate]:
    """Trust roots from a PEM bundle (several certificates) or a single DER certificate."""
    from asn1crypto import pem

    if pem.detect(pem_or_der):
        return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(pem_or_der, multiple=True)]
    return [x509.Certificate.load(pem_or_der)]


def _name_part(certificate: x509.Certificate, part: str) -> str:
    value = certificate.subject.native.get(part, "")
    return ", ".join(value) if isinstance(value, list) else str(value)


def _stamp_text(certificate: x509.Certificate) -> str:
    """«Підписано: <CN>», the organisation, and the signing time pyHanko fills in (%(ts)s); `%` in names escaped."""
    common_name = _name_part(certificate, "common_name").replace("%", "%%")
    organisation = _name_part(certificate, "organization_name").replace("%", "%%")
    lines = [_("Signed: %(signer)s") % {"signer": common_name}]
    if organisation and organisation != common_name:
        lines.append(organisation)
    lines.append("%(ts)s")
    return "\n".join(lines)


def _stamp_box(writer: IncrementalPdfFileWriter) -> tuple[int, tuple[float, float, float, float]]:
    """The last page's number and the stamp's rectangle in its top-right margin."""
    last = int(writer.root["/Pages"]["/Count"]) - 1
    page = writer.find_page_for_modification(last)[0].get_object()
    _left, _bottom, right, top = (float(value) for value in page["/MediaBox"])
    box = (right - STAMP_RIGHT - STAMP_WIDTH, top - STAMP_TOP - STAMP_HEIGHT, right - STAMP_RIGHT, top - STAMP_TOP)
    return last, box


def pdf_seal(content: bytes, *, key: SealKey, tsa_url: str = "") -> bytes:
    """Seal a PDF as PAdES B-B, or B-T with a signature timestamp when a TSA is configured (`tsa_url`).

    The signature is an incremental update: the rendered bytes come first, unchanged.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper
    from pyhanko.stamp import TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    _align_producer(writer)
    page, box = _stamp_box(writer)
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=page, box=box))
    _tag_stamp(writer, description=_stamp_text(key.certificate).replace("%(ts)s", "").strip().replace("\n", ", "))
    style = TextStampStyle(
        stamp_text=_stamp_text(key.certificate),
        timestamp_format=TIME_FORMAT,
        text_box_style=TextBoxStyle(font=_stamp_font_class()(str(STAMP_FONT)), font_size=7.5, leading=9),
        border_width=1,
        background=None,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=_name_part(key.certificate, "common_name"),
    )
    timestamper = HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT_SECONDS) if tsa_url else None
    signer = signers.PdfSigner(meta, signer=key.signer, timestamper=timestamper, stamp_style=style)
    try:
        output = outside_event_loop(signer.sign_pdf, writer, existing_fields_only=True)
    except timestamps.TimestampRequestError as error:
        raise SealError(f"The time-stamping authority did not answer: {error}") from error
    return output.getvalue()


def _tag_stamp(writer: IncrementalPdfFileWriter, *, description: str) -> None:
    """Put the stamp into the document's structure tree as a Form element, as PDF/UA requires of every visible
    widget (ISO 14289-1, 7.18.4), with its description for screen readers, and make its page's tab order follow
    the structure (7.18.3). pyHanko leaves this to the caller. An untagged document (none of ours) is left as it is,
    and so is a parent tree split into kids, which WeasyPrint does not write."""
    from pyhanko.pdf_utils import generic

    structure = writer.root.get("/StructTreeRoot")
    if structure is None:
        return
    structure = structure.get_object()
    parent_tree = structure["/ParentTree"].get_object()
    numbers = parent_tree.get("/Nums")
    document_ref = structure["/K"][0] if isinstance(structure["/K"], generic.ArrayObject) else structure["/K"]
    document = document_ref.get_object()
    if numbers is None or "/Kids" in parent_tree or not isinstance(document.get("/K"), generic.ArrayObject):
        return
    widget_ref = next(ref for ref in writer.root["/AcroForm"]["/Fields"] if ref.get_object()["/T"] == FIELD_NAME)
    widget = widget_ref.get_object()
    page_ref = widget.raw_get("/P")
    key = max(
        [int(structure.get("/ParentTreeNextKey", 0)), *(int(numbers[index]) + 1 for index in range(0, len(numbers), 2))]
    )
    element_ref = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/StructElem"),
                generic.pdf_name("/S"): generic.pdf_name("/Form"),
                generic.pdf_name("/P"): document_ref,
                generic.pdf_name("/Alt"): generic.TextStringObject(description),
                generic.pdf_name("/K"): generic.DictionaryObject(
                    {
                        generic.pdf_name("/Type"): generic.pdf_name("/OBJR"),
                        generic.pdf_name("/Obj"): widget_ref,
                        generic.pdf_name("/Pg"): page_ref,
                    }
                ),
            }
        )
    )
    widget["/StructParent"] = generic.NumberObject(key)
    widget["/TU"] = generic.TextStringObject(description)
    widget["/Contents"] = generic.TextStringObject(description)
    writer.mark_update(widget_ref)
    document["/K"].append(element_ref)
    writer.update_container(document)
    numbers.extend([generic.NumberObject(key), element_ref])
    writer.update_container(numbers)
    structure["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(structure)
    page = page_ref.get_object()
    page["/Tabs"] = generic.pdf_name("/S")
    writer.mark_update(page_ref)


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Name pyHanko alone as the producer in the document information, as pyHanko names itself in the XMP metadata.

    pyHanko appends its name to the information dictionary's /Producer but writes only its name into the XMP
    pdf:Producer; PDF/A requires the two to agree, so the archival copy would lose its PDF/A-3b conformance.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None:
        return
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)


def pdf_seal_check(content: bytes, *, trusted: list[x509.Certificate]) -> SealCheck:
    """Check every signature of a PDF against the trusted certificates; anything short of intact and trusted is
    INVALID with the reason, never shown as valid."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # a damaged file: pyHanko raises many kinds of parse errors
        logger.info("A report PDF could not be read for its seal: %s", error)
        return SealCheck(state=SealState.INVALID, problem="damaged")
    if not signatures:
        return SealCheck(state=SealState.UNSIGNED)
    found = SealCheck(state=SealState.UNSIGNED)
    for signature in signatures:
        found = _signature_check(signature, trusted)
        if not found.is_valid:
            return found
    return found


def _signature_check(signature, trusted: list[x509.Certificate]) -> SealCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    certificate = signature.signer_cert
    facts = {
        "signer": _name_part(certificate, "common_name"),
        "organisation": _name_part(certificate, "organization_name"),
        "signed_at": signature.self_reported_timestamp,
        "valid_from": certificate.not_valid_before,
        "valid_until": certificate.not_valid_after,
    }
    # The certificate must have been valid when the report was sealed, not today: a sealed report stays sealed
    # after its certificate expires.
    context = ValidationContext(trust_roots=trusted, allow_fetching=False, moment=facts["signed_at"])
    # A time-stamping authority's root is trusted the same way (REPORT_SIGNING_TRUST_ROOTS).
    timestamp_context = ValidationContext(trust_roots=trusted, allow_fetching=False)
    try:
        status = outside_event_loop(
            validate_pdf_signature,
            signature,
            signer_validation_context=context,
            ts_validation_context=timestamp_context,
        )
    except Exception as error:  # a mangled signature value or structure
        logger.info("A report's signature could not be validated: %s", error)
        return SealCheck(state=SealState.INVALID, problem="signature_damaged", **facts)
    if not (status.intact and status.valid):
        return SealCheck(state=SealState.INVALID, problem="content_changed", **facts)
    if not status.trusted:
        return SealCheck(state=SealState.INVALID, problem="untrusted", **facts)
    stamp = status.timestamp_validity
    if stamp is not None:
        if not (stamp.intact and stamp.valid and stamp.trusted):
            return SealCheck(state=SealState.INVALID, problem="timestamp_untrusted", **facts)
        # PAdES B-T: the time-stamping authority's time, not the worker's clock, is when the report was sealed.
        facts["signed_at"] = stamp.timestamp
    if not status.bottom_line:
        return SealCheck(state=SealState.INVALID, problem="modified", **facts)
    return SealCheck(state=SealState.SIGNED, **facts)
