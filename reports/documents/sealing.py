"""Which reports carry the organisation's electronic seal, with which certificate, and what the pages show of it.

Only what the commission approved is sealed: the execution report (and Form 1) of an approved period, quarterly,
half-yearly or annual, as PDF or PDF/A. A draft carries no seal, so a sealed file always means "approved".

One certificate per deployment, from settings (REPORT_SIGNING_PKCS12). A deployment that hosts several
organisations seals all their reports with the operator's certificate, and the stamp names that certificate's
holder; an organisation that must seal with its own KEP runs its own deployment (see README, "Sealed reports").

Checks read the stored file on every showing and are cached by the file's own SHA-256 and the trusted
certificates: a file changed in storage (or a new trust list) is checked afresh, an unchanged one costs one read.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

from asn1crypto import x509
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from reports.choices import PeriodState, ReportFormat, ReportKind, ReportStatus, SealState
from reports.documents.models import GeneratedReport
from reports.documents.seal import (
    SealCheck,
    SealError,
    SealKey,
    certificates_load,
    pdf_seal,
    pdf_seal_check,
    seal_key_load,
)
from reports.execution.models import ReportingPeriod

SEALED_KINDS = frozenset({ReportKind.EXECUTION, ReportKind.FORM1})
SEALED_FORMATS = frozenset({ReportFormat.PDF, ReportFormat.PDFA})
CHECK_CACHE_SECONDS = 24 * 60 * 60

logger = logging.getLogger(__name__)


def seal_key() -> SealKey | None:
    """The configured seal, or None when none is configured; SealError when it is configured but unusable."""
    path = settings.REPORT_SIGNING_PKCS12
    if not path:
        return None
    try:
        changed = Path(path).stat().st_mtime_ns
    except OSError as error:
        raise SealError(f"REPORT_SIGNING_PKCS12 names {path}, which cannot be read: {error}") from error
    return _seal_key_cached(path, changed, settings.REPORT_SIGNING_PKCS12_PASSWORD)


@functools.lru_cache(maxsize=4)
def _seal_key_cached(path: str, changed: int, password: str) -> SealKey:
    """Loaded once per process and file version: a replaced certificate file is read again."""
    return seal_key_load(Path(path).read_bytes(), password)


def trusted_certificates() -> list[x509.Certificate]:
    """The seal's own certificate (self-signed ones are the common first deployment) and any configured roots."""
    trusted = []
    try:
        key = seal_key()
    except SealError:
        logger.exception("The report seal is configured but cannot be loaded; its certificate is not trusted.")
        key = None
    if key is not None:
        trusted.append(key.certificate)
    if settings.REPORT_SIGNING_TRUST_ROOTS:
        trusted.extend(certificates_load(Path(settings.REPORT_SIGNING_TRUST_ROOTS).read_bytes()))
    return trusted


def seal_applies(*, kind: str, file_format: str, period: ReportingPeriod | None) -> bool:
    return (
        kind in SEALED_KINDS
        and file_format in SEALED_FORMATS
        and period is not None
        and period.state == PeriodState.APPROVED
    )


def seal_identity(*, kind: str, file_format: str, period: ReportingPeriod | None) -> str:
    """What a report's fingerprint must include so that a sealed file is never reused for an unsealed request or
    the other way round: empty when no seal applies, else the certificate's fingerprint (a broken configuration
    gives its own value, and the render then fails with the reason)."""
    if not seal_applies(kind=kind, file_format=file_format, period=period):
        return ""
    try:
        key = seal_key()
    except SealError:
        return "unusable-seal"
    return key.fingerprint if key is not None else ""


def report_sealed_content(*, report: GeneratedReport, content: bytes) -> bytes:
    """The rendered PDF sealed when the report is one that carries the seal; otherwise the bytes as they are."""
    if not seal_applies(kind=report.kind, file_format=report.format, period=report.period):
        return content
    key = seal_key()
    if key is None:
        return content
    with translation.override(report.language):
        return pdf_seal(content, key=key, tsa_url=settings.REPORT_SIGNING_TSA_URL)


def report_seal_check(report: GeneratedReport) -> SealCheck | None:
    """The seal of a ready PDF report as the pages show it; None for spreadsheets and documents, which carry none."""
    if report.status != ReportStatus.READY or report.format not in SEALED_FORMATS:
        return None
    try:
        with report.file.open("rb") as stored:
            content = stored.read()
    except (OSError, ValueError, ImproperlyConfigured):
        # Missing, cut off, or (ImproperlyConfigured) not decryptable: changed at rest or a wrong key. Either way
        # the page must say the file cannot be vouched for, not fail.
        logger.exception("The stored file of report %s cannot be read for its seal check.", report.pk)
        return SealCheck(state=SealState.INVALID, problem="file_missing")
    trusted = trusted_certificates()
    digest = hashlib.sha256(content).hexdigest()
    trust = hashlib.sha256(b"".join(certificate.dump() for certificate in trusted)).hexdigest()
    key = f"report-seal:{digest}:{trust}"
    check = cache.get(key)
    if check is None:
        check = pdf_seal_check(content, trusted=trusted)
        cache.set(key, check, CHECK_CACHE_SECONDS)
    if digest != report.sha256:
        # Whatever the PDF says of itself, it is not the file the portal produced and published.
        return SealCheck(
            state=SealState.INVALID,
            signer=check.signer,
            organisation=check.organisation,
            signed_at=check.signed_at,
            valid_from=check.valid_from,
            valid_until=check.valid_until,
            problem=check.problem or "file_differs",
        )
    return check
