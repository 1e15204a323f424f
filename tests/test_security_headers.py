"""Headers and cookies on each kind of page: CSP on staff and sign-in pages, no caching of case content, a CSRF
cookie that ends with the browser session, and API documentation only for signed-in users."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from config.security import API_DOCS_CSP, STAFF_CSP
from reports.choices import ReportKind, ReportStatus
from tests.factories import GeneratedReportFactory, WhistleblowerReportFactory
from whistleblowers.security import PUBLIC_CSP

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.IGNORECASE)


# (persona, url, expected policy): every kind of page the portal serves as HTML.
PAGES = [
    ("anonymous", "/accounts/login/", STAFF_CSP),
    ("secretary", "/", STAFF_CSP),
    ("secretary", "/dashboard/", STAFF_CSP),
    ("secretary", "/reports/", STAFF_CSP),
    ("superuser", "/admin/", STAFF_CSP),
    ("officer", "/whistleblowing/reports/", PUBLIC_CSP),
    ("anonymous", "/whistleblowing/", PUBLIC_CSP),
    ("secretary", "/api/v1/docs/", STAFF_CSP),
    ("secretary", "/api/v1/redoc/", API_DOCS_CSP),
]


@pytest.mark.parametrize(("persona", "url", "policy"), PAGES)
def test_each_kind_of_page_has_a_content_security_policy(persona, url, policy, login, organisation):
    response = login(persona).get(url)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == policy


@pytest.mark.parametrize(("persona", "url", "policy"), PAGES)
def test_no_page_relies_on_inline_script_or_style_the_policy_would_block(persona, url, policy, login, organisation):
    html = login(persona).get(url).content.decode()

    assert not INLINE_SCRIPT.findall(html)
    assert not INLINE_STYLE.findall(html)


def test_the_staff_policy_allows_only_the_portals_own_scripts_and_styles():
    directives = dict(part.strip().split(" ", 1) for part in STAFF_CSP.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "'unsafe-inline'" not in API_DOCS_CSP.split("script-src", 1)[1].split(";", 1)[0]


def test_the_swagger_page_loads_its_start_up_script_as_a_file(login):
    client = login("secretary")
    html = client.get("/api/v1/docs/").content.decode()
    script_url = re.findall(r'<script src="([^"]+\?script[^"]*)"', html)[0].replace("&amp;", "&")

    response = client.get(script_url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_schema_and_docs_need_sign_in(url, login, token_api, secretary):
    anonymous = login("anonymous").get(url)

    assert anonymous.status_code in (302, 401, 403)
    assert b"openapi" not in anonymous.content
    assert login("secretary").get(url).status_code == 200


def test_the_api_schema_is_served_to_a_token(token_api, secretary):
    assert token_api(secretary).get("/api/v1/schema/").status_code == 200


@pytest.mark.parametrize("url", ["/whistleblowing/", "/accounts/login/"])
def test_the_csrf_cookie_lasts_only_for_the_browser_session(url, organisation, login):
    client = login("anonymous")
    if url == "/whistleblowing/":
        url = reverse("whistleblowers:public-form", args=[organisation.short_name])

    cookie = client.get(url).cookies["csrftoken"]

    assert cookie.value
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


@pytest.fixture
def journal(organisation):
    return GeneratedReportFactory(
        organisation=organisation,
        kind=ReportKind.WHISTLEBLOWER_JOURNAL,
        year=2024,
        status=ReportStatus.READY,
        sha256="1" * 64,
        file=ContentFile(b"%PDF-1.7 journal", name="journal.pdf"),
    )


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_journal_downloads_are_never_cached(journal, login, api):
    page = login("officer").get(reverse("reports:download", args=[journal.pk]))
    over_api = api("officer").get(f"/api/v1/reports/{journal.pk}/download/")

    assert page.status_code == over_api.status_code == 200
    assert no_store(page)
    assert no_store(over_api)


def test_the_whistleblower_reports_api_is_never_cached(organisation, api):
    report = WhistleblowerReportFactory(organisation=organisation)
    client = api("officer")

    for url in ("/api/v1/whistleblower-reports/", f"/api/v1/whistleblower-reports/{report.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url
    assert no_store(api("secretary").get(f"/api/v1/whistleblower-reports/{report.pk}/"))


def test_the_officers_journal_export_is_never_cached(organisation, login):
    response = login("officer").get(reverse("whistleblowers:report-export"))

    assert response.status_code == 200
    assert no_store(response)
