"""A canary: a named report with a file planted through the public form, then the officer at work on it; the
identity, the text, the file's content and the receipt are then looked for in the database dump, in Redis, in the
logs and in the storage folder. None may be found in clear anywhere."""

from __future__ import annotations

import logging
import os
import subprocess
from urllib.parse import urlparse

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from reports.choices import ReportFormat, ReportKind
from reports.documents.services import report_render, report_request
from whistleblowers.models import ReportAttachment, WhistleblowerReport
from whistleblowers.services import report_register

from .conftest import follow_up_url, shown_receipt, submit
from .test_attachments import upload

# Committed data, so pg_dump (another connection) sees it.
pytestmark = pytest.mark.django_db(transaction=True)

CANARIES = {
    "name": "Канарейченко Ярина Остапівна",
    "contacts": "kanarka-7319@example.org",
    "position": "провідний інспектор-канарка",
    "details": "Канарковий опис: керівник відділу вимагав 7319 гривень",
    "accused": "Пташенко Канарій Гнатович",
    "place": "кабінет канарки 7319",
    "file": "KANARKA-FILE-CONTENT-7319-канарковий-вміст",
}


@pytest.fixture
def redis_url(settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def redis_dump(url: str) -> bytes:
    """Every key of this run's Redis database with its value, whatever its type (cache entries, broker queues)."""
    client = redis.Redis.from_url(url)
    parts = []
    for key in client.keys("*"):
        kind = client.type(key)
        if kind == b"string":
            value = [client.get(key)]
        elif kind == b"list":
            value = client.lrange(key, 0, -1)
        elif kind == b"hash":
            value = [item for pair in client.hgetall(key).items() for item in pair]
        elif kind == b"set":
            value = list(client.smembers(key))
        elif kind == b"zset":
            value = client.zrange(key, 0, -1)
        else:
            value = [client.dump(key) or b""]
        parts.append(key + b"=" + b"|".join(value))
    return b"\n".join(parts)


def database_dump() -> bytes:
    settings = connection.settings_dict
    url = urlparse(os.environ.get("DATABASE_URL", ""))
    environment = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or (url.password or "")}
    return subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"],
            settings["NAME"],
        ],
        capture_output=True,
        check=True,
        env=environment,
    ).stdout


def storage_dump(root) -> bytes:
    return b"\n".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


def test_nothing_planted_through_the_public_form_is_found_in_clear_anywhere(
    organisation, public_client, private_storage, redis_url, caplog, login, officer
):
    if connection.vendor != "postgresql":
        pytest.skip("the dump is PostgreSQL's")
    caplog.set_level(logging.DEBUG)
    response = submit(
        public_client,
        organisation,
        files=[upload("kanarka.txt", CANARIES["file"].encode(), "text/plain")],
        details=CANARIES["details"],
        accused=CANARIES["accused"],
        place_and_time=CANARIES["place"],
        disclosure="named",
        full_name=CANARIES["name"],
        contacts=CANARIES["contacts"],
        position=CANARIES["position"],
    )
    receipt = shown_receipt(response.content.decode())
    # The whistleblower follows up and writes again; the officer registers, reads and prints the journal.
    public_client.post(follow_up_url(organisation), {"receipt": receipt})
    report = WhistleblowerReport.objects.get()
    report_register(report=report, user=officer)
    officer_client = login("officer")
    officer_client.get(reverse("whistleblowers:report-detail", args=[report.pk]))
    identity = officer_client.post(
        reverse("whistleblowers:report-identity", args=[report.pk]), {"purpose": "перевірка"}
    )
    attachment = ReportAttachment.objects.get()
    download = officer_client.get(reverse("whistleblowers:attachment-download", args=[attachment.pk]))
    for file_format in (ReportFormat.XLSX, ReportFormat.PDF):
        journal = report_request(
            user=officer,
            kind=ReportKind.WHISTLEBLOWER_JOURNAL,
            organisation=organisation,
            year=report.received_at.year,
            file_format=file_format,
        )
        report_render(report_id=journal.pk)
    # The planted values did reach the officer: the searches below look for what is really there.
    assert CANARIES["name"] in identity.content.decode()
    assert b"".join(download.streaming_content) == CANARIES["file"].encode()

    places = {
        "database dump": database_dump(),
        "redis": redis_dump(redis_url),
        "logs": caplog.text.encode(),
        "storage folder": storage_dump(private_storage),
    }
    assert places["database dump"]  # the dump did run and hold rows
    found = [
        f"{label} in the {place}"
        for label, value in {**CANARIES, "receipt": receipt}.items()
        for place, content in places.items()
        if value.encode() in content
    ]
    assert found == []
    cache.clear()
