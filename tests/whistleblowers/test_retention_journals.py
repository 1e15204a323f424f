"""A journal rendered before a case was erased loses its file with the erasure: the list says it was withdrawn and
why, downloading it is refused with that reason, and asking again renders a journal without the erased texts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.services import report_render, report_request
from reports.documents.withdrawal import journals_withdraw_for_erased_case
from tests.factories import InducementNotificationFactory
from tests.reports.test_documents import pdf_text
from whistleblowers.models import CaseErasure
from whistleblowers.retention import retention_run

from .test_retention import RETENTION_DAYS, full_case

pytestmark = pytest.mark.django_db

ACCUSED = "Коваль"  # the accused of full_case, the only erased text the journal shows
WITHDRAWN_UK = "Вилучено після знищення повідомлення за строком зберігання: сформуйте заново"


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.WHISTLEBLOWER_RETENTION_DAYS = RETENTION_DAYS


def rendered(
    officer, organisation, *, kind=ReportKind.WHISTLEBLOWER_JOURNAL, year=2024, file_format
) -> GeneratedReport:
    report = report_request(user=officer, kind=kind, organisation=organisation, year=year, file_format=file_format)
    return report_render(report_id=report.pk)


def text_of(content: bytes, file_format: str) -> str:
    if file_format == ReportFormat.XLSX:
        sheet = load_workbook(io.BytesIO(content)).active
        return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    return pdf_text(content)


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("file_format", [ReportFormat.PDF, ReportFormat.XLSX])
def test_an_erasure_deletes_the_journals_that_quoted_the_case_and_asking_again_renders_one_without_it(
    organisation, officer, private_storage, login, api, file_format
):
    case = full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 1)
    old = rendered(officer, organisation, file_format=file_format)
    old_path = private_storage / old.file.name
    assert ACCUSED in text_of(downloaded(login("officer").get(reverse("reports:download", args=[old.pk]))), file_format)
    other_year = rendered(officer, organisation, year=2023, file_format=file_format)
    InducementNotificationFactory(organisation=organisation, year=2024)
    inducements = rendered(officer, organisation, kind=ReportKind.INDUCEMENT_JOURNAL, file_format=file_format)

    assert retention_run() == 1

    assert not old_path.exists()
    old.refresh_from_db()
    assert (old.status, old.file.name, old.sha256) == (ReportStatus.WITHDRAWN, "", "")
    assert CaseErasure.objects.get(report=case).erased["generated_reports"] == 1
    # The journal of another year and the inducement journal never quoted the case: they stay.
    for kept in (other_year, inducements):
        kept.refresh_from_db()
        assert kept.status == ReportStatus.READY
        assert (private_storage / kept.file.name).exists()

    officer_page = login("officer")
    assert WITHDRAWN_UK in officer_page.get(reverse("reports:list")).content.decode()
    refused = officer_page.get(reverse("reports:download", args=[old.pk]))
    assert refused.status_code == 410
    assert WITHDRAWN_UK in refused.content.decode()
    refused_api = api("officer").get(f"/api/v1/reports/{old.pk}/download/", HTTP_ACCEPT_LANGUAGE="uk")
    assert refused_api.status_code == 410
    assert refused_api.json()["code"] == "withdrawn"
    assert "Сформуйте його заново" in refused_api.json()["message"]

    again = officer_page.post(reverse("reports:try-again", args=[old.pk]))
    new = GeneratedReport.objects.exclude(pk__in=[old.pk, other_year.pk, inducements.pk]).get()
    assert again.url == reverse("reports:detail", args=[new.pk])
    new = report_render(report_id=new.pk)
    assert new.status == ReportStatus.READY
    text = text_of(downloaded(officer_page.get(reverse("reports:download", args=[new.pk]))), file_format)
    assert case.registration_number in text  # the journal keeps the case's record
    assert ACCUSED not in text


def test_a_journal_rendering_while_the_case_is_erased_drops_what_it_made(organisation, officer, private_storage):
    full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 1)
    pending = report_request(user=officer, kind=ReportKind.WHISTLEBLOWER_JOURNAL, organisation=organisation, year=2024)
    assert journals_withdraw_for_erased_case(organisation_id=organisation.pk, year=2024) == 1

    report = report_render(report_id=pending.pk)

    assert (report.status, report.file.name) == (ReportStatus.WITHDRAWN, "")
    assert not [path for path in private_storage.rglob("*") if path.is_file() and "whistleblower_journal" in path.name]


def test_an_erased_case_that_was_never_registered_withdraws_nothing(organisation, officer):
    assert journals_withdraw_for_erased_case(organisation_id=organisation.pk, year=None) == 0
