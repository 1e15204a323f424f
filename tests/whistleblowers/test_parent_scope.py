"""A report belongs to the body it was sent to: a parent body's officer sees its children's reports as counts only,
and reads a case once it has been forwarded to the parent (recorded as a forwarding)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from reports.choices import ReportKind, ReportStatus
from tests.conftest import member
from tests.factories import GeneratedReportFactory, ReporterIdentityFactory
from whistleblowers.choices import MessageAuthor, Recipient
from whistleblowers.models import Forwarding, ReportAttachment, ReportMessage
from whistleblowers.services import forwarding_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

SECRET_SUMMARY = "Хабар за паспорт у секторі прийому"


@pytest.fixture
def parent_officer(parent_organisation):
    return member(Role.OFFICER, parent_organisation, username="parent_officer")


@pytest.fixture
def child_case(organisation):
    """A named report sent to the territorial body, with a file and a generated journal of that body."""
    report = ReporterIdentityFactory(
        report__organisation=organisation, report__registered=True, report__summary=SECRET_SUMMARY
    ).report
    attachment = ReportAttachment(report=report, content_type="text/plain", size=5, sha256="0" * 64)
    attachment.file.save("note.txt", ContentFile(b"hello"), save=False)
    attachment.save()
    journal = GeneratedReportFactory(
        organisation=organisation,
        kind=ReportKind.WHISTLEBLOWER_JOURNAL,
        year=2024,
        status=ReportStatus.READY,
        sha256="1" * 64,
        file=ContentFile(b"%PDF-1.7 journal", name="journal.pdf"),
    )
    return report, attachment, journal


def case_urls(report, attachment, journal) -> list[str]:
    return [
        reverse("whistleblowers:report-detail", args=[report.pk]),
        reverse("whistleblowers:report-identity", args=[report.pk]),
        reverse("whistleblowers:attachment-download", args=[attachment.pk]),
        reverse("reports:detail", args=[journal.pk]),
        reverse("reports:download", args=[journal.pk]),
        f"/api/v1/whistleblower-reports/{report.pk}/",
        f"/api/v1/reports/{journal.pk}/",
    ]


def journal_text(client) -> str:
    workbook = load_workbook(io.BytesIO(client.get(reverse("whistleblowers:report-export")).content))
    return " ".join(str(cell.value) for row in workbook.active.iter_rows() for cell in row)


def test_a_parent_officer_gets_404_on_a_childs_case_identity_attachment_and_journal(child_case, parent_officer, login):
    client = login("parent_officer")

    for url in case_urls(*child_case):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("whistleblowers:report-list")).status_code == 200
    assert SECRET_SUMMARY not in client.get(reverse("whistleblowers:report-list")).content.decode()
    assert SECRET_SUMMARY not in journal_text(client)
    assert client.get("/api/v1/whistleblower-reports/").json()["count"] == 0
    assert child_case[2].pk not in {row["id"] for row in client.get("/api/v1/reports/").json()["results"]}


def test_a_parent_officer_still_sees_the_childs_counts(child_case, parent_officer, login, organisation):
    client = login("parent_officer")

    statistics = client.get("/api/v1/dashboard/whistleblowers/", {"organisation": organisation.pk})
    page = client.get(reverse("whistleblowers:statistics"))

    assert statistics.status_code == 200
    assert statistics.json()["received"] == 1
    assert page.status_code == 200
    assert SECRET_SUMMARY not in page.content.decode()


def test_a_parent_officer_cannot_register_a_report_in_a_child_body(parent_officer, organisation, login):
    response = login("parent_officer").get(reverse("whistleblowers:report-create"))

    assert organisation.name not in response.content.decode()


def test_the_childs_own_officer_still_reads_the_case(child_case, officer, login):
    client = login("officer")

    for url in case_urls(*child_case):
        assert client.get(url).status_code == 200, url


def test_a_case_forwarded_to_the_parent_is_read_by_the_parents_officer_but_not_changed(
    child_case, parent_officer, parent_organisation, login
):
    report, attachment, journal = child_case
    forwarding = forwarding_create(
        report=report, recipient=Recipient.PARENT_BODY, sent_on=dt.date(2024, 2, 6), outgoing_number="12/3"
    )
    client = login("parent_officer")

    assert forwarding.to_organisation == parent_organisation
    for url in case_urls(report, attachment, journal)[:3] + case_urls(report, attachment, journal)[5:6]:
        assert client.get(url).status_code == 200, url
    assert SECRET_SUMMARY in journal_text(client)
    # The body's own journal (a document of the child) stays with the child's officer.
    assert client.get(reverse("reports:download", args=[journal.pk])).status_code == 404
    assert client.post(reverse("whistleblowers:report-action", args=[report.pk, "assign"]), {}).status_code == 404


def test_a_body_without_a_parent_cannot_forward_to_its_parent(other_organisation):
    report = ReporterIdentityFactory(report__organisation=other_organisation, report__registered=True).report

    with pytest.raises(ValidationError, match="no parent body"):
        forwarding_create(
            report=report, recipient=Recipient.PARENT_BODY, sent_on=dt.date(2024, 2, 6), outgoing_number="1"
        )
    assert not Forwarding.objects.exists()


def test_the_parents_officer_reads_a_forwarded_case_without_handling_it_or_marking_its_messages_read(
    child_case, parent_officer, login
):
    report = child_case[0]
    report.receipt_hash = "hash-of-a-receipt"
    report.save(update_fields=["receipt_hash"])
    message = ReportMessage.objects.create(report=report, author=MessageAuthor.REPORTER, body="Ще одне повідомлення")
    forwarding_create(report=report, recipient=Recipient.PARENT_BODY, sent_on=dt.date(2024, 2, 6), outgoing_number="9")

    html = login("parent_officer").get(reverse("whistleblowers:report-detail", args=[report.pk])).content.decode()

    assert "Ще одне повідомлення" in html
    assert reverse("whistleblowers:report-action", args=[report.pk, "status"]) not in html
    assert reverse("whistleblowers:report-action", args=[report.pk, "message"]) not in html
    assert "розглядає його уповноважена особа органу" in html
    message.refresh_from_db()
    assert message.read_at is None
