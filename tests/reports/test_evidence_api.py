"""Evidence over the API: a unit attaches the letter or the scan that proves its entry, as on the entry page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.execution.models import Evidence
from reports.execution.period_services import period_approve, period_send_for_review
from tests.conftest import member
from tests.dashboard.conftest import token_client
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

API = "/api/v1/execution-entries/"
LETTER = {"kind": "letter", "issuer": "ВПЗВК", "number": "99/7-23", "issued_on": "2023-03-28"}


def scan(name: str = "protocol.pdf", size: int = 2048) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_a_reporter_attaches_a_letter_and_it_reads_back_in_the_entrys_sentence(login, program_content):
    entry = program_content.entries["unit_quarter"]
    client = login("reporter")

    response = client.post(f"{API}{entry.pk}/evidence/", LETTER, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["phrase"].startswith("Лист ВПЗВК від 28.03.2023 № 99/7-23")
    read = client.get(f"{API}{entry.pk}/").json()
    assert response.json()["id"] in {item["id"] for item in read["evidence"]}
    assert read["version"] == entry.version + 1


def test_a_reporter_uploads_a_scan_which_downloads_only_for_those_who_see_the_entry(login, program_content):
    entry = program_content.entries["unit_quarter"]

    response = login("reporter").post(
        f"{API}{entry.pk}/evidence/", {"kind": "file", "file": scan()}, format="multipart"
    )

    assert response.status_code == 201
    link = response.json()["file"]
    assert login("secretary").get(link).status_code == 200
    assert login("outsider").get(link).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "telegram"}, "kind"),
        ({"kind": "web_page"}, "url"),
        ({"kind": "file"}, "file"),
        ({"kind": "letter", "issued_on": "28.03.2023"}, "issued_on"),
        ({"kind": "file", "file": scan("virus.exe")}, "file"),
        ({"kind": "file", "file": scan(size=11 * 1024 * 1024)}, "file"),
    ],
    ids=["unknown-kind", "page-without-address", "file-without-file", "date-as-typed", "exe", "too-large"],
)
def test_bad_evidence_is_a_field_error_and_nothing_is_attached(login, program_content, payload, field):
    entry = program_content.entries["unit_quarter"]
    before = Evidence.objects.filter(entry=entry).count()

    response = login("reporter").post(f"{API}{entry.pk}/evidence/", payload, format="multipart")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert Evidence.objects.filter(entry=entry).count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretary", 201),
        ("reporter", 201),
        ("admin_user", 403),  # administers users and structure, does not report
        ("commission", 403),
        ("manager", 403),
        ("officer", 403),
        ("parent_secretary", 403),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_attach_evidence_to_a_units_entry(login, program_content, persona, status):
    entry = program_content.entries["unit_quarter"]

    response = login(persona).post(f"{API}{entry.pk}/evidence/", LETTER, content_type="application/json")

    assert response.status_code == status
    assert Evidence.objects.filter(entry=entry, number="99/7-23").exists() is (status == 201)


def test_a_token_of_another_organisation_cannot_attach_or_remove_evidence(other_organisation, program_content):
    entry = program_content.entries["unit_quarter"]
    item = entry.evidence.first()
    client = token_client(member("secretary", other_organisation, username="other_secretary"))

    assert client.post(f"{API}{entry.pk}/evidence/", LETTER, format="json").status_code == 404
    assert client.delete(f"{API}{entry.pk}/evidence/{item.pk}/").status_code == 404
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_a_reporter_removes_evidence_but_not_another_entrys(login, program_content):
    entry = program_content.entries["unit_quarter"]
    item = entry.evidence.first()
    foreign = Evidence.objects.exclude(entry=entry).first()
    client = login("reporter")

    if foreign is not None:
        assert client.delete(f"{API}{entry.pk}/evidence/{foreign.pk}/").status_code == 404
    assert client.delete(f"{API}{entry.pk}/evidence/{item.pk}/").status_code == 204
    assert not Evidence.objects.filter(pk=item.pk).exists()


def test_nothing_is_attached_or_removed_once_the_period_is_approved(login, secretary, program_content):
    entry = program_content.entries["unit_quarter"]
    item = entry.evidence.first()
    period_send_for_review(user=secretary, period=entry.period)
    period_approve(
        user=secretary, period=entry.period, decision=approval_decision(entry.period), incomplete_reason=GAPS_ACCEPTED
    )
    client = login("secretary")

    assert client.post(f"{API}{entry.pk}/evidence/", LETTER, content_type="application/json").status_code == 403
    assert client.delete(f"{API}{entry.pk}/evidence/{item.pk}/").status_code == 403
    assert Evidence.objects.filter(pk=item.pk).exists()
