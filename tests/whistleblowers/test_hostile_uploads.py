"""Files made to exhaust the server: an archive that inflates a thousand times, an image of hundreds of megapixels.
Each is refused from its directory or header, quickly, in bounded memory, and the whistleblower's text is kept."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import ODT_MIMETYPE, RefusedFile, sniff
from tests.whistleblowers.conftest import DETAILS, form_token, submit
from whistleblowers.models import WhistleblowerReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

BOMB_MEGABYTES = 300
MEMORY_BUDGET = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    """An ODT whose `mimetype` member inflates to 300 MB from about 300 KB, written in chunks (cheap to make)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as member:
            member.write(ODT_MIMETYPE)
            chunk = bytes(1024 * 1024)
            for _ in range(BOMB_MEGABYTES):
                member.write(chunk)
        archive.writestr("content.xml", "<office:document-content/>")
    content = output.getvalue()
    assert len(content) < 1024 * 1024
    return content


def lying_bomb() -> bytes:
    """The same bomb with a directory that claims its member is tiny: whatever is read stays a short prefix."""
    stream = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = stream.compress(ODT_MIMETYPE) + b"".join(stream.compress(bytes(1024 * 1024)) for _ in range(64))
    body += stream.flush()
    name = b"mimetype"
    claimed = len(ODT_MIMETYPE)
    crc = zlib.crc32(ODT_MIMETYPE)
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), claimed, len(name), 0)
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(body), claimed, len(name), 0, 0, 0, 0, 0, 0
    )
    directory_at = len(local) + len(name) + len(body)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), directory_at, 0)
    return local + name + body + central + name + end


def png_header_only(width: int, height: int) -> bytes:
    """A real 1-bit PNG of `width` × `height` pixels: its rows of zeros compress to almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = bytes(1 + (width + 7) // 8)
    stream = zlib.compressobj(9)
    pixels = b"".join(stream.compress(row * 500) for _ in range(height // 500)) + stream.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def measured(action):
    """What `action` returned or raised, its peak of Python memory and its duration."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        try:
            outcome = action()
        except RefusedFile as refusal:
            outcome = refusal
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return outcome, peak, time.monotonic() - started


@pytest.mark.parametrize("bomb", ["honest directory", "lying directory"])
def test_an_archive_bomb_is_refused_without_inflating_it(odt_bomb, bomb):
    content = odt_bomb if bomb == "honest directory" else lying_bomb()

    outcome, peak, seconds = measured(lambda: sniff(content))

    assert isinstance(outcome, RefusedFile)
    assert peak < MEMORY_BUDGET
    assert seconds < 5


def test_the_refusal_of_an_archive_bomb_says_why(odt_bomb):
    with pytest.raises(RefusedFile, match="unpacks to far more than its size"):
        sniff(odt_bomb)


def test_an_archive_bomb_sent_through_the_public_form_is_refused_and_the_text_kept(
    organisation, public_client, odt_bomb
):
    bomb = SimpleUploadedFile("zvit.odt", odt_bomb, content_type="application/vnd.oasis.opendocument.text")
    token = form_token(public_client, organisation)

    response, peak, seconds = measured(
        lambda: submit(public_client, organisation, token=token, accused="Начальник сектору", files=[bomb])
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "zvit.odt" in page
    assert "unpacks to far more than its size" in page
    assert DETAILS in page
    assert "Начальник сектору" in page
    assert not WhistleblowerReport.objects.exists()
    assert peak < MEMORY_BUDGET
    assert seconds < 10


@pytest.mark.parametrize("megapixels", [400, 169])
def test_an_image_of_hundreds_of_megapixels_is_refused_and_the_text_kept(organisation, public_client, megapixels):
    side = int((megapixels * 1_000_000) ** 0.5)
    picture = SimpleUploadedFile("foto.png", png_header_only(side, side), content_type="image/png")
    token = form_token(public_client, organisation)

    response, peak, _seconds = measured(lambda: submit(public_client, organisation, token=token, files=[picture]))

    page = response.content.decode()
    assert response.status_code == 400
    assert "The image is too large: at most 50 megapixels" in page
    assert DETAILS in page
    assert not WhistleblowerReport.objects.exists()
    assert peak < MEMORY_BUDGET


def test_a_photo_below_the_pixel_limit_is_still_accepted(organisation, public_client):
    picture = SimpleUploadedFile("scan.png", png_header_only(4000, 3000), content_type="image/png")

    assert submit(public_client, organisation, files=[picture]).status_code == 200


def test_failed_posts_count_towards_the_limit_before_any_file_is_opened_and_the_text_comes_back(
    organisation, public_client, settings, monkeypatch
):
    settings.WHISTLEBLOWER_FORM_POSTS_PER_HOUR = 3
    note = SimpleUploadedFile("note.txt", b"note", content_type="text/plain")
    for _ in range(3):
        assert submit(public_client, organisation, files=[note], website="http://spam.example").status_code == 400

    def must_not_be_called(upload):
        raise AssertionError("an attachment was opened past the limit")

    monkeypatch.setattr("whistleblowers.forms.check_upload", must_not_be_called)
    refused = submit(public_client, organisation, accused="Начальник сектору", files=[note])

    page = refused.content.decode()
    assert refused.status_code == 429
    assert "this connection must wait a little" in page
    assert DETAILS in page
    assert "Начальник сектору" in page
    assert not WhistleblowerReport.objects.exists()


def test_a_damaged_archive_is_refused_as_unreadable():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 50)
    content = bytearray(output.getvalue())
    data_at = 30 + len("[Content_Types].xml")
    content[data_at : data_at + 4] = b"\xff\xff\xff\xff"  # a deflate block of the reserved type

    with pytest.raises(RefusedFile, match="cannot be read"):
        sniff(bytes(content))
