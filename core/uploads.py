"""Deciding what an uploaded file is by its content, never by its name (pure functions, no ORM).

Used by the whistleblowers' public form, the evidence of measures and the Word import of a program; how many files
each takes and how large stays with each of them. The public form accepts PDF, JPEG, PNG, plain text, DOCX and ODT;
evidence of a measure also XLSX, ODS and legacy DOC/XLS, and must be what its name says. Refused everywhere:
executables (PE, ELF, Mach-O, scripts), office documents with macros or executable members, archives that would
inflate far beyond their size and images of more pixels than a photo has. Archives are judged from their directory
and the first bytes of each member, never inflated whole. Photos are re-saved without their metadata (camera, GPS
position), which could identify a whistleblower.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
EXECUTABLE_SUFFIXES = (
    ".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".msi", ".js", ".vbs", ".ps1", ".sh", ".jar", ".elf", ".so",
)  # fmt: skip
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word and Excel (.doc, .xls)
# Word's "Macros" and Excel's "_VBA_PROJECT_CUR" storages both hold a `_VBA_PROJECT` stream; directory names are
# UTF-16, so the name is found without parsing the container.
OLE_MACRO_NAME = "_VBA_PROJECT".encode("utf-16-le")
MAX_ZIP_MEMBERS = 2000
# An office document's parts compress 3-20 times; a bomb compresses a thousand times. The sizes come from the
# archive's directory, so a document is judged without inflating anything.
MAX_ZIP_UNPACKED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
ZIP_RATIO_FROM = 1024 * 1024  # small parts (a page of XML) may compress better than the ratio without harm
ZIP_PREFIX = 256  # the most of any member ever inflated: enough for a magic number or the `mimetype` line
# Pillow would otherwise inflate a 400-megapixel PNG (1.6 GB) just to re-save it; a 50-megapixel photo is larger
# than any phone takes by default.
MAX_IMAGE_PIXELS = 50_000_000

# What each file name ending may hold, judged by content: a name only chooses among these.
CONTENT_OF_EXTENSION = {
    ".pdf": {"pdf"},
    ".jpg": {"jpg"},
    ".jpeg": {"jpg"},
    ".png": {"png"},
    ".txt": {"txt"},
    ".docx": {"docx"},
    ".odt": {"odt"},
    ".xlsx": {"xlsx"},
    ".ods": {"ods"},
    ".doc": {"ole"},
    ".xls": {"ole"},
}
PUBLIC_KINDS = frozenset({"pdf", "jpg", "png", "txt", "docx", "odt"})


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    content: bytes


class RefusedFile(ValueError):
    """A file the portal does not accept; the message says what the person can do instead."""


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    for encoding in ("utf-8", "cp1251"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\t\r\n\f" for ch in text)
    return False


# What reading a damaged or hostile zip archive (an Office file) can raise, short of a bomb (RefusedFile).
UNREADABLE_ZIP_ERRORS = (
    zipfile.BadZipFile,
    RuntimeError,
    NotImplementedError,
    ValueError,
    EOFError,
    OSError,
    zlib.error,
)


def zip_members_checked(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members, once the archive's own directory shows nothing unpacks to a bomb."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise RefusedFile(_("The archive holds too many files."))
    inflated = any(
        member.file_size > ZIP_RATIO_FROM and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)
        for member in members
    )
    # Deflate never grows data by more than a few bytes a block: a member "larger packed than unpacked" is a
    # directory that lies about what the member inflates to.
    lying = any(member.compress_size > member.file_size + member.file_size // 100 + 1024 for member in members)
    if inflated or lying or sum(member.file_size for member in members) > MAX_ZIP_UNPACKED:
        raise RefusedFile(
            _("The document unpacks to far more than its size, as damaging files do; save it as PDF and attach that.")
        )
    return members


def _zip_prefix(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    # Only the first bytes are ever inflated, whatever the directory claims: memory stays bounded even if it lies.
    with archive.open(member) as stream:
        return stream.read(ZIP_PREFIX)


def _office(content: bytes) -> Sniffed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = zip_members_checked(archive)
        names = {member.filename for member in members}
        mimetype = b""
        for member in members:
            lowered = member.filename.lower()
            if lowered.endswith(EXECUTABLE_SUFFIXES) or lowered.endswith("vbaproject.bin"):
                raise RefusedFile(_("The document contains macros or programs; save it as PDF and attach that."))
            if member.is_dir():
                continue
            head = _zip_prefix(archive, member)
            if head.startswith(EXECUTABLE_MAGIC):
                raise RefusedFile(_("The document contains programs; save it as PDF and attach that."))
            if member.filename == "mimetype":
                mimetype = head.strip()
    except RefusedFile:
        raise
    except UNREADABLE_ZIP_ERRORS as error:
        raise RefusedFile(_("The archive cannot be read.")) from error
    if mimetype == ODT_MIMETYPE:
        return Sniffed("application/vnd.oasis.opendocument.text", "odt", content)
    if mimetype == ODS_MIMETYPE:
        return Sniffed("application/vnd.oasis.opendocument.spreadsheet", "ods", content)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return Sniffed("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", content)
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return Sniffed("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", content)
    raise RefusedFile(_("Archives are not accepted; attach the documents themselves."))


def _legacy_office(content: bytes) -> Sniffed:
    if OLE_MACRO_NAME in content:
        raise RefusedFile(_("The document contains macros or programs; save it as PDF and attach that."))
    return Sniffed("application/x-ole-storage", "ole", content)


def _image_too_large() -> RefusedFile:
    return RefusedFile(
        _("The image is too large: at most %(megapixels)s megapixels. Attach a smaller photo or scan.")
        % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000}
    )


def _strip_image_metadata(content: bytes, image_format: str) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns of a decompression bomb from 89 megapixels on; the limit below refuses it first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                # The header gives the size: a huge image is refused before a single pixel is inflated.
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _image_too_large()
                image.load()
                # Pillow writes only what it is given: with `info` emptied, EXIF, XMP and comments are not carried
                # over. Re-saving the loaded image itself, not a copy, holds one set of pixels in memory.
                image.info = {}
                output = io.BytesIO()
                image.save(output, format=image_format, **({"quality": 92} if image_format == "JPEG" else {}))
                return output.getvalue()
    except RefusedFile:
        raise
    except Image.DecompressionBombError as error:
        raise _image_too_large() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise RefusedFile(_("The image is damaged and cannot be opened.")) from error


def identify(content: bytes) -> Sniffed:
    """What the file is, judged by its bytes, among every kind the portal knows; `RefusedFile` for programs,
    documents with macros, damaging archives and images, and anything unknown."""
    if not content:
        raise RefusedFile(_("The file is empty."))
    if content.startswith(EXECUTABLE_MAGIC) or content.startswith(b"#!"):
        raise RefusedFile(_("Programs are not accepted."))
    if content.startswith(b"%PDF-"):
        return Sniffed("application/pdf", "pdf", content)
    if content.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", "jpg", _strip_image_metadata(content, "JPEG"))
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", "png", _strip_image_metadata(content, "PNG"))
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    if content.startswith(OLE_MAGIC):
        return _legacy_office(content)
    if _is_text(content):
        return Sniffed("text/plain", "txt", content)
    raise RefusedFile(_("This type of file is not accepted. Accepted: PDF, JPEG, PNG, text, DOCX, ODT."))


def sniff(content: bytes) -> Sniffed:
    """What a file sent through the public form is; it accepts PDF, JPEG, PNG, text, DOCX and ODT only."""
    sniffed = identify(content)
    if sniffed.extension not in PUBLIC_KINDS:
        raise RefusedFile(_("This type of file is not accepted. Accepted: PDF, JPEG, PNG, text, DOCX, ODT."))
    return sniffed


def content_matches_name(name: str, content: bytes) -> Sniffed:
    """For uploads whose name says what they are (evidence of a measure): the content must be what the name
    ending says, so an `invoice.pdf` that is a program or a `report.docx` that is a web page is refused."""
    ending = os.path.splitext(name)[1].lower()
    sniffed = identify(content)
    if sniffed.extension not in CONTENT_OF_EXTENSION.get(ending, set()):
        raise RefusedFile(
            _("The content of the file is not what its name ends with (%(ending)s); attach the document itself.")
            % {"ending": ending or "—"}
        )
    return sniffed
