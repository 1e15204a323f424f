"""Serving a stored upload so that a browser saves it and never renders it as a page of the portal.

An uploaded name such as `invoice.html` or `logo.svg` must not come back under that name: saved and opened, it runs
as a web page. The name keeps its stem; the extension is one of the types the portal accepts, else `.bin`.
"""

from __future__ import annotations

import os
import unicodedata

from django.core.files import File
from django.http import FileResponse, HttpResponse

SAFE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
UNKNOWN_TYPE = ("bin", "application/octet-stream")
MAX_STEM = 100


def safe_download_name(name: str, *, extension: str | None = None) -> tuple[str, str]:
    """(file name, content type) to send for an upload called `name` whose real type has `extension`
    (the name's own extension when not given)."""
    base = os.path.basename(name.replace("\\", "/"))
    stem, own_extension = os.path.splitext(base)
    extension = (extension or own_extension).lower().lstrip(".")
    if extension in SAFE_CONTENT_TYPES:
        content_type = SAFE_CONTENT_TYPES[extension]
    else:
        extension, content_type = UNKNOWN_TYPE
    # Control and format characters (a right-to-left override can make "gpj.exe" read as "exe.jpg") are dropped.
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C").strip(" .")[:MAX_STEM] or "file"
    return f"{stem}.{extension}", content_type


def private_file_response(file: File, *, name: str, extension: str | None = None) -> FileResponse:
    """The stored `file` as a download named after `name`, with a safe extension, never rendered inline."""
    filename, content_type = safe_download_name(name, extension=extension)
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Opened by mistake in the portal's origin anyway, the file can run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def spreadsheet_response(content: bytes, filename: str) -> HttpResponse:
    """An exported .xlsx workbook, saved by the browser under `filename`."""
    response = HttpResponse(content, content_type=SAFE_CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
