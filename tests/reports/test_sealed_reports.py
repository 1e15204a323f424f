"""Sealed reports: the execution report of an approved period is signed (PAdES) with the organisation's certificate,
verifies with pyHanko, and the pages say whether it is signed, by whom and when — and say INVALID loudly when a
single byte of the file changed.

The certificates are throw-away ones made by `seal_keys`; the PKCS#12 reaches the worker through its environment.
"""

from __future__ import annotations

import hashlib
import io
import socket
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from reports.choices import ReportFormat, ReportKind, ReportStatus, SealState
from reports.documents.models import GeneratedReport
from reports.documents.seal import STAMP_HEIGHT, STAMP_RIGHT, STAMP_TOP, STAMP_WIDTH, certificates_load, pdf_seal_check
from reports.documents.services import report_publish, report_request
from reports.execution.period_services import period_approve, period_send_for_review
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision
from tests.reports.seal_keys import PASSWORD, throw_away_seal, throw_away_tsa
from tests.worker import celery_worker, wait_for

SIGNER = "Державна міграційна служба"


@pytest.fixture
def seal(settings, tmp_path):
    """A throw-away CA and seal certificate, configured as the deployment's seal."""
    made = throw_away_seal()
    archive = tmp_path / "seal.p12"
    archive.write_bytes(made.pkcs12)
    settings.REPORT_SIGNING_PKCS12 = str(archive)
    settings.REPORT_SIGNING_PKCS12_PASSWORD = PASSWORD
    return made


def worker_environment(settings) -> dict[str, str]:
    return {
        "REPORT_SIGNING_PKCS12": settings.REPORT_SIGNING_PKCS12,
        "REPORT_SIGNING_PKCS12_PASSWORD": settings.REPORT_SIGNING_PKCS12_PASSWORD,
    }


def approve(period, secretary):
    period_send_for_review(user=secretary, period=period)
    return period_approve(
        user=secretary, period=period, decision=approval_decision(period), incomplete_reason=GAPS_ACCEPTED
    )


def request_report(user, period, file_format=ReportFormat.PDF) -> GeneratedReport:
    with transaction.atomic():
        return report_request(
            user=user, kind=ReportKind.EXECUTION, program=period.program, period=period, file_format=file_format
        )


@pytest.fixture
def render_here(eager_tasks, private_storage, django_capture_on_commit_callbacks):
    """Render requested reports in this process (the worker's own test is the one marked `worker`)."""

    def render(user, period, file_format=ReportFormat.PDF) -> GeneratedReport:
        with django_capture_on_commit_callbacks(execute=True):
            return request_report(user, period, file_format)

    return render


def stored(report: GeneratedReport) -> bytes:
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    with report.file.open("rb") as file:
        return file.read()


def replace_stored(report: GeneratedReport, content: bytes) -> None:
    """What a tampered storage looks like: the same file name holding other bytes."""
    name = report.file.name
    report.file.storage.delete(name)
    assert report.file.storage.save(name, ContentFile(content)) == name


def pyhanko_status(content: bytes, ca_pem: bytes):
    """pyHanko's own verdict, independent of the portal's code: the CA is the only trust root."""
    roots = [asn1_x509.Certificate.load(der) for _kind, _headers, der in pem.unarmor(ca_pem, multiple=True)]
    signature = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures[0]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    return pyhanko_validate(signature, signer_validation_context=context)


def pyhanko_validate(signature, **contexts):
    """pyHanko's validation, in a thread: it starts an asyncio loop, which cannot run where Playwright's already
    does (browser tests share this process)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(validate_pdf_signature, signature, **contexts).result()


def first_revision(content: bytes) -> bytes:
    """The PDF as WeasyPrint wrote it: everything up to its first end-of-file marker."""
    end = content.index(b"%%EOF") + len(b"%%EOF")
    return content[: end + 1] if content[end : end + 1] == b"\n" else content[:end]


def stamp_ink(content: bytes, tmp_path) -> int:
    """Dark pixels in the stamp's box on the last page, as pdftoppm draws it (72 dpi: one pixel per point)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(content)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", str(pages), "-l", str(pages), str(pdf), str(tmp_path / "page")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page-*.png"))).convert("L")
    right = image.width - STAMP_RIGHT
    box = image.crop((right - STAMP_WIDTH, STAMP_TOP, right, STAMP_TOP + STAMP_HEIGHT))
    return sum(box.histogram()[:128])


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_seals_an_approved_periods_report_and_not_a_draft(
    program_content, secretary, seal, settings, client, tmp_path
):
    approved, draft = program_content.periods[0], program_content.periods[1]
    approve(approved, secretary)

    with celery_worker(environment=worker_environment(settings)):
        sealed_report = request_report(secretary, approved)
        draft_report = request_report(secretary, draft)
        wait_for(
            lambda: all(
                GeneratedReport.objects.get(pk=pk).status in {ReportStatus.READY, ReportStatus.FAILED}
                for pk in (sealed_report.pk, draft_report.pk)
            ),
            # The worker part runs three processes on two cores: a bound, not an expectation.
            timeout=120,
        )

    content = stored(sealed_report)
    status = pyhanko_status(content, seal.ca_pem)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == SIGNER
    # The stored and published SHA-256 is the sealed file's; the rendered bytes come first, unchanged.
    assert hashlib.sha256(content).hexdigest() == sealed_report.sha256
    assert content.startswith(first_revision(content))
    assert len(content) > len(first_revision(content))
    # The visible stamp is on the last page, and not in the report as rendered.
    assert stamp_ink(content, tmp_path / "sealed") > 100
    assert stamp_ink(first_revision(content), tmp_path / "rendered") == 0

    assert pdf_seal_check(stored(draft_report), trusted=[]).state == SealState.UNSIGNED

    client.force_login(secretary)
    page = client.get(reverse("reports:detail", args=[sealed_report.pk])).content.decode()
    assert "Підписано" in page
    assert SIGNER in page
    page = client.get(reverse("reports:detail", args=[draft_report.pk])).content.decode()
    assert "Не підписано" in page


@pytest.fixture
def sealed_report(program_content, secretary, seal, render_here):
    """An approved quarter's report, rendered in this process and sealed, published on the public page."""
    period = approve(program_content.periods[0], secretary)
    report = render_here(secretary, period)
    stored(report)
    return report_publish(report=report, user=secretary, public=True)


@pytest.mark.django_db
def test_the_public_page_shows_who_sealed_the_report_and_when(sealed_report, seal, client):
    check = pdf_seal_check(stored(sealed_report), trusted=certificates_load(seal.ca_pem))

    page = client.get(reverse("reports:published", args=[sealed_report.organisation_id])).content.decode()

    assert check.state == SealState.SIGNED
    assert 'class="badge seal-signed"' in page
    assert SIGNER in page
    assert "ДМС України" in page
    assert f"{timezone.localtime(check.signed_at):%d.%m.%Y %H:%M:%S}" in page
    # In the portal's time, as the signing time: a certificate valid from 22:00 UTC is valid from midnight in Kyiv.
    valid_from, valid_until = timezone.localtime(check.valid_from), timezone.localtime(check.valid_until)
    assert f"сертифікат чинний {valid_from:%d.%m.%Y}–{valid_until:%d.%m.%Y}" in page
    assert "НЕДІЙСНИЙ" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("where", [0.02, 0.25, 0.5, 0.75, 0.98])
def test_a_byte_flipped_in_the_signed_range_fails_verification_and_the_page_says_invalid(
    sealed_report, seal, client, where
):
    content = stored(sealed_report)
    signed_end = len(first_revision(content))
    position = int(signed_end * where)
    flipped = bytearray(content)
    flipped[position] ^= 0x01
    flipped = bytes(flipped)

    try:
        status = pyhanko_status(flipped, seal.ca_pem)
    except Exception:  # a flip in the PDF structure may stop pyHanko from reading the file at all
        status = None
    replace_stored(sealed_report, flipped)
    page = client.get(reverse("reports:published", args=[sealed_report.organisation_id])).content.decode()

    assert status is None or not status.bottom_line
    assert pdf_seal_check(flipped, trusted=[]).state == SealState.INVALID
    assert "Підпис НЕДІЙСНИЙ" in page
    assert 'class="badge seal-signed"' not in page


@pytest.mark.django_db
def test_a_sealed_file_whose_stored_copy_changed_is_invalid_even_when_its_pdf_still_verifies(sealed_report, client):
    """Storage swapped for another validly sealed file of the same organisation: its SHA-256 is not the recorded one."""
    content = stored(sealed_report)
    replace_stored(sealed_report, content + b"\n")

    page = client.get(reverse("reports:published", args=[sealed_report.organisation_id])).content.decode()

    assert "Підпис НЕДІЙСНИЙ" in page
    assert "SHA-256" in page


@pytest.mark.django_db
def test_a_report_sealed_by_a_certificate_the_portal_does_not_trust_is_invalid(
    sealed_report, settings, tmp_path, client
):
    stranger = throw_away_seal()
    archive = tmp_path / "other.p12"
    archive.write_bytes(stranger.pkcs12)
    settings.REPORT_SIGNING_PKCS12 = str(archive)

    page = client.get(reverse("reports:published", args=[sealed_report.organisation_id])).content.decode()

    assert "Підпис НЕДІЙСНИЙ" in page
    assert "не належить до довірених" in page


@pytest.mark.django_db
def test_without_a_certificate_reports_are_unsigned_and_the_pages_say_so(
    program_content, secretary, settings, render_here, client
):
    settings.REPORT_SIGNING_PKCS12 = ""
    period = approve(program_content.periods[0], secretary)
    report = render_here(secretary, period)
    content = stored(report)
    report_publish(report=report, user=secretary, public=True)

    assert PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures == []
    assert pdf_seal_check(content, trusted=[]).state == SealState.UNSIGNED
    page = client.get(reverse("reports:published", args=[report.organisation_id])).content.decode()
    assert "Не підписано" in page
    client.force_login(secretary)
    assert "Не підписано" in client.get(reverse("reports:detail", args=[report.pk])).content.decode()


@pytest.mark.django_db
def test_a_report_asked_for_before_approval_is_not_reused_once_the_period_is_approved(
    program_content, secretary, seal, render_here
):
    period = program_content.periods[0]
    draft = render_here(secretary, period)
    assert pdf_seal_check(stored(draft), trusted=[]).state == SealState.UNSIGNED

    period = approve(period, secretary)
    sealed = render_here(secretary, period)

    assert sealed.pk != draft.pk
    assert PdfFileReader(io.BytesIO(stored(sealed)), strict=False).embedded_signatures


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_format", "claim"),
    [
        pytest.param(ReportFormat.PDF, 'pdfuaid:part="1"', id="published-pdf-ua-1"),
        pytest.param(ReportFormat.PDFA, 'pdfaid:part="3"', id="archival-pdf-a-3b"),
    ],
)
def test_a_sealed_report_keeps_its_conformance_claim_and_consistent_metadata(
    program_content, secretary, seal, render_here, file_format, claim
):
    period = approve(program_content.periods[0], secretary)
    content = stored(render_here(secretary, period, file_format=file_format))

    reader = PdfReader(io.BytesIO(content))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert claim in xmp
    # PDF/A: the information dictionary and the XMP metadata must name the same producer.
    assert f'pdf:Producer="{reader.metadata["/Producer"]}"' in xmp
    assert pyhanko_status(content, seal.ca_pem).bottom_line
    # PDF/UA: the visible stamp is a Form element of the structure tree, described for screen readers.
    root = reader.trailer["/Root"]
    widget_ref = root["/AcroForm"]["/Fields"][0]
    widget = widget_ref.get_object()
    numbers = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    element = dict(zip(numbers[::2], numbers[1::2], strict=True))[widget["/StructParent"]].get_object()
    assert element["/S"] == "/Form"
    assert element["/K"].raw_get("/Obj").idnum == widget_ref.idnum
    assert widget["/TU"] == f"Підписано: {SIGNER}, ДМС України"
    assert widget["/P"].get_object()["/Tabs"] == "/S"


@pytest.mark.django_db
def test_the_command_checks_a_file_from_the_shell(sealed_report, tmp_path, capsys):
    good = tmp_path / "report.pdf"
    good.write_bytes(stored(sealed_report))
    broken = tmp_path / "broken.pdf"
    flipped = bytearray(good.read_bytes())
    flipped[len(flipped) // 3] ^= 0x01
    broken.write_bytes(bytes(flipped))

    call_command("verify_report_signature", str(good))
    assert f"SIGNED by {SIGNER}" in capsys.readouterr().out

    with pytest.raises(CommandError, match="1 of 2"):
        call_command("verify_report_signature", str(good), str(broken))
    assert "INVALID" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        pytest.param("missing", "reports.E001", id="missing-file"),
        pytest.param("wrong-password", "reports.E001", id="wrong-password"),
        pytest.param("not-certificates", "reports.E002", id="trust-roots-not-pem"),
        pytest.param("no-font", "reports.E003", id="stamp-font-missing"),
        pytest.param("good", None, id="usable"),
    ],
)
def test_a_seal_that_cannot_be_used_stops_the_deployment_at_start(
    settings, tmp_path, monkeypatch, configured, expected
):
    archive = tmp_path / "seal.p12"
    archive.write_bytes(throw_away_seal().pkcs12)
    settings.REPORT_SIGNING_PKCS12 = str(tmp_path / "absent.p12") if configured == "missing" else str(archive)
    settings.REPORT_SIGNING_PKCS12_PASSWORD = "не той" if configured == "wrong-password" else PASSWORD
    if configured == "not-certificates":
        roots = tmp_path / "roots.pem"
        roots.write_bytes(b"not a certificate")
        settings.REPORT_SIGNING_TRUST_ROOTS = str(roots)
    if configured == "no-font":
        monkeypatch.setattr("reports.documents.checks.STAMP_FONT", tmp_path / "absent.ttf")

    ids = [message.id for message in run_checks() if message.id.startswith("reports.")]

    assert ids == ([expected] if expected else [])


@pytest.fixture
def time_stamping_authority(settings, tmp_path):
    """An RFC 3161 service on loopback, signing with a throw-away authority certificate; its root is trusted."""
    authority = throw_away_tsa()
    stamper = DummyTimeStamper(tsa_cert=authority.certificate, tsa_key=authority.key)
    requests_seen = []

    class Service(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            requests_seen.append(request)
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Service)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    roots = tmp_path / "tsa-roots.pem"
    roots.write_bytes(authority.pem)
    settings.REPORT_SIGNING_TSA_URL = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.REPORT_SIGNING_TRUST_ROOTS = str(roots)
    yield requests_seen
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_with_a_time_stamping_authority_the_seal_carries_its_trusted_time(
    program_content, secretary, seal, time_stamping_authority, render_here, settings
):
    period = approve(program_content.periods[0], secretary)
    content = stored(render_here(secretary, period))
    authority_root = certificates_load(open(settings.REPORT_SIGNING_TRUST_ROOTS, "rb").read())  # noqa: SIM115

    check = pdf_seal_check(content, trusted=certificates_load(seal.ca_pem) + authority_root)
    untrusted = pdf_seal_check(content, trusted=certificates_load(seal.ca_pem))

    assert time_stamping_authority  # asked (pyHanko asks once more to size the signature)
    assert check.state == SealState.SIGNED
    signature = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures[0]
    context = ValidationContext(trust_roots=authority_root, allow_fetching=False)
    status = pyhanko_validate(
        signature,
        signer_validation_context=ValidationContext(trust_roots=certificates_load(seal.ca_pem), allow_fetching=False),
        ts_validation_context=context,
    )
    # PAdES B-T: a signature timestamp from the authority, and the pages show its time.
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.trusted
    assert check.signed_at == status.timestamp_validity.timestamp
    assert untrusted.state == SealState.INVALID
    assert untrusted.problem == "timestamp_untrusted"


@pytest.mark.django_db
def test_a_time_stamping_authority_that_does_not_answer_fails_the_report_rather_than_leave_it_unsealed(
    program_content, secretary, seal, render_here, settings
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.REPORT_SIGNING_TSA_URL = f"http://127.0.0.1:{closed_port}/"
    period = approve(program_content.periods[0], secretary)

    report = render_here(secretary, period)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "time-stamping authority did not answer" in report.error
    assert not report.file


@pytest.mark.django_db
def test_a_file_changed_at_rest_in_its_encrypted_form_is_shown_invalid_not_as_an_error(sealed_report, client):
    """A byte flipped in the encrypted file itself fails decryption; the public page still answers, and says so."""
    path = sealed_report.file.storage.path(sealed_report.file.name)
    with open(path, "r+b") as encrypted:
        encrypted.seek(200)
        byte = encrypted.read(1)
        encrypted.seek(200)
        encrypted.write(bytes([byte[0] ^ 0x01]))

    response = client.get(reverse("reports:published", args=[sealed_report.organisation_id]))

    assert response.status_code == 200
    assert "Підпис НЕДІЙСНИЙ" in response.content.decode()
    assert "не вдається прочитати" in response.content.decode()


@pytest.mark.django_db
def test_after_the_certificate_is_replaced_reports_sealed_before_stay_valid_when_the_old_one_is_kept_trusted(
    sealed_report, seal, settings, tmp_path, client
):
    successor = tmp_path / "renewed.p12"
    successor.write_bytes(throw_away_seal().pkcs12)
    settings.REPORT_SIGNING_PKCS12 = str(successor)
    previous = tmp_path / "previous.pem"
    previous.write_bytes(seal.ca_pem)
    settings.REPORT_SIGNING_TRUST_ROOTS = str(previous)

    page = client.get(reverse("reports:published", args=[sealed_report.organisation_id])).content.decode()

    assert 'class="badge seal-signed"' in page
    assert "НЕДІЙСНИЙ" not in page
