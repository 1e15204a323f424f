"""System checks: a configured report seal that cannot be used stops the deployment at start, not at the first
approved report."""

from django.conf import settings
from django.core.checks import Error, register

from reports.documents.seal import STAMP_FONT, SealError


@register()
def report_seal_usable(app_configs, **kwargs) -> list[Error]:
    from reports.documents.sealing import seal_key, trusted_certificates

    errors = []
    try:
        if seal_key() is not None and not STAMP_FONT.is_file():
            errors.append(
                Error(
                    f"The seal's stamp font {STAMP_FONT} is missing.",
                    hint="Install fonts-dejavu-core.",
                    id="reports.E003",
                )
            )
    except SealError as error:
        errors.append(
            Error(str(error), hint="Check REPORT_SIGNING_PKCS12 and REPORT_SIGNING_PKCS12_PASSWORD.", id="reports.E001")
        )
    if settings.REPORT_SIGNING_TRUST_ROOTS:
        try:
            trusted_certificates()
        except (OSError, ValueError) as error:
            errors.append(
                Error(f"REPORT_SIGNING_TRUST_ROOTS cannot be read as PEM certificates: {error}", id="reports.E002")
            )
    return errors
