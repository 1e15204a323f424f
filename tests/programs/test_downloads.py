"""Uploads are downloaded under a safe name and type, never as a page the browser would render."""

import pytest

from core.downloads import safe_download_name

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("akt.pdf", None, ("akt.pdf", "application/pdf")),
        ("Протокол №2.DOCX", None, ("Протокол №2.docx", DOCX)),
        ("page.html", None, ("page.bin", "application/octet-stream")),
        ("logo.svg", None, ("logo.bin", "application/octet-stream")),
        ("page.html", "txt", ("page.txt", "text/plain; charset=utf-8")),  # its content was found to be text
        ("scan.svg", ".png", ("scan.png", "image/png")),
        ("evidence/2024/../../etc/passwd", None, ("passwd.bin", "application/octet-stream")),
        ("C:\\Users\\me\\report.pdf", None, ("report.pdf", "application/pdf")),
        ("\u202egpj.exe", None, ("gpj.bin", "application/octet-stream")),  # right-to-left override dropped
        (".htaccess", None, ("htaccess.bin", "application/octet-stream")),  # no hidden file
        ("", "pdf", ("file.pdf", "application/pdf")),
    ],
)
def test_a_download_keeps_the_stem_and_takes_a_safe_extension(name, extension, expected):
    assert safe_download_name(name, extension=extension) == expected
