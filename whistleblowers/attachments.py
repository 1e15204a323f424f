"""Deciding what an uploaded file is by its content, never by its name (pure functions, no ORM).

Accepted: PDF, JPEG, PNG, plain text, DOCX and ODT. Refused: anything else, in particular executables (PE, ELF,
Mach-O, scripts) and office documents with macros or executable members. Photos are re-saved without their metadata
(camera, GPS position), which could identify a whistleblower.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
EXECUTABLE_SUFFIXES = (
    ".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".msi", ".js", ".vbs", ".ps1", ".sh", ".jar", ".elf", ".so",
)  # fmt: skip
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_ZIP_MEMBERS = 2000


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    content: bytes


class RefusedFile(ValueError):
    """A file the portal does not accept; the message says what the person can do instead."""


def max_files() -> int:
    return int(getattr(settings, "WHISTLEBLOWER_MAX_FILES", 5))


def max_file_size() -> int:
    return int(getattr(settings, "WHISTLEBLOWER_MAX_FILE_SIZE", 10 * 1024 * 1024))


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


def _office(content: bytes) -> Sniffed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise RefusedFile(_("The archive holds too many files."))
        names = {member.filename for member in members}
        for member in members:
            lowered = member.filename.lower()
            if lowered.endswith(EXECUTABLE_SUFFIXES) or lowered.endswith("vbaproject.bin"):
                raise RefusedFile(_("The document contains macros or programs; save it as PDF and attach that."))
            if not member.is_dir() and archive.open(member).read(4).startswith(EXECUTABLE_MAGIC):
                raise RefusedFile(_("The document contains programs; save it as PDF and attach that."))
        if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
            return Sniffed("application/vnd.oasis.opendocument.text", "odt", content)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return Sniffed("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", content)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
        raise RefusedFile(_("The archive cannot be read.")) from error
    raise RefusedFile(_("Archives are not accepted; attach the documents themselves."))


def _strip_image_metadata(content: bytes, image_format: str) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            clean = image.copy()
        # Pillow writes only what it is given: with `info` emptied, EXIF, XMP and comments are not carried over.
        clean.info = {}
        output = io.BytesIO()
        clean.save(output, format=image_format, **({"quality": 92} if image_format == "JPEG" else {}))
        return output.getvalue()
    except (UnidentifiedImageError, OSError) as error:
        raise RefusedFile(_("The image is damaged and cannot be opened.")) from error


def sniff(content: bytes) -> Sniffed:
    """What the file is, judged by its bytes; `RefusedFile` for anything not accepted."""
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
    if _is_text(content):
        return Sniffed("text/plain", "txt", content)
    raise RefusedFile(_("This type of file is not accepted. Accepted: PDF, JPEG, PNG, text, DOCX, ODT."))


def check_upload(upload) -> Sniffed:
    """Size first (without reading a huge file into memory), then the content."""
    if upload.size > max_file_size():
        raise RefusedFile(_("The file is larger than %(size)s MB.") % {"size": max_file_size() // (1024 * 1024)})
    upload.seek(0)
    return sniff(upload.read())
