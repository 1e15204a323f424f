"""Published reports can be found: the public site lists the organisations that publish, each linking to its page."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reports.choices import ReportKind, ReportStatus
from tests.factories import GeneratedReportFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def ready(organisation, *, kind=ReportKind.EXECUTION, public=True):
    report = GeneratedReportFactory(organisation=organisation, kind=kind)
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.sha256, report.status = "a" * 64, ReportStatus.READY
    if public:
        report.is_public, report.published_at = True, timezone.now()
    report.save()
    return report


def test_the_public_index_lists_only_organisations_with_published_reports(
    client, private_storage, organisation, other_organisation, parent_organisation
):
    ready(organisation)
    ready(organisation)
    ready(other_organisation, public=False)

    response = client.get(reverse("reports:published-index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("reports:published", args=[organisation.pk]) in html
    assert "2 звіти" in html
    assert f'data-organisation="{other_organisation.pk}"' not in html
    assert f'data-organisation="{parent_organisation.pk}"' not in html


def test_the_index_is_reached_from_the_public_pages_and_sends_strict_headers(client):
    for url in (reverse("whistleblowers:public-index"), reverse("login")):
        assert reverse("reports:published-index") in client.get(url).content.decode()

    response = client.get(reverse("reports:published-index"))

    assert "default-src" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"].startswith("no-store")


def test_an_empty_portal_says_nothing_is_published(client):
    response = client.get(reverse("reports:published-index"))

    assert response.status_code == 200
    assert "Ще нічого не оприлюднено." in response.content.decode()


def test_the_index_reads_a_fixed_number_of_queries(client, private_storage, django_assert_max_num_queries):
    for _ in range(5):
        ready(OrganisationFactory())

    with django_assert_max_num_queries(3):
        client.get(reverse("reports:published-index"))


def test_publishing_asks_for_confirmation_first(private_storage, organisation, login):
    report = ready(organisation, public=False)
    client = login("secretary")
    url = reverse("reports:publication", args=[report.pk])

    unconfirmed = client.post(url, {"public": "on"}, follow=True)
    report.refresh_from_db()
    assert not report.is_public
    assert "Позначте підтвердження" in unconfirmed.content.decode()

    client.post(url, {"public": "on", "confirm": "on"})
    report.refresh_from_db()
    assert report.is_public


def test_the_detail_page_offers_the_confirmation_beside_the_publish_button(private_storage, organisation, login):
    report = ready(organisation, public=False)

    html = login("secretary").get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert 'name="confirm"' in html
    assert "<div><dt>" in html
