"""WCAG 2.1 AA checks with axe-core (installed from the npm registry by scripts/bootstrap) in the real Chromium."""

import io
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command

from core.roles import Role
from programs.second_factor_models import AuthenticatorApp
from tests.browser import dayone
from tests.conftest import member
from tests.demo_snapshot import load_demo
from tests.factories import OrganisationFactory
from tests.second_factor import app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe():
    if not AXE.exists():
        message = "axe-core is not installed (scripts/bootstrap runs npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


# axe-core's own option for speed: only the violations are read, so passes and "incomplete" results are not collected
# node by node (they were half of each page's check: the sweep of every page spent 36 s in axe.run).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}


def axe_run(page, axe_source: str | None) -> list[dict]:
    """The WCAG 2.1 AA violations axe-core finds on the page, after injecting `axe_source` — None when the page's
    context already loads axe-core into every page it opens (`BrowserContext.add_init_script`)."""
    if axe_source is not None:
        page.add_script_tag(content=axe_source)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def violations(page, axe_source: str) -> list[str]:
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} × {violation['nodes'][0]['target']})"
        for violation in axe_run(page, axe_source)
    ]


@pytest.fixture
def page(browser, live_server):
    """A page that may inject axe-core although the public pages forbid inline scripts (their CSP stays on)."""
    context = browser.new_context(locale="uk-UA", base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    load_demo()


def test_the_check_finds_what_a_page_breaks(browser, axe):
    """The sweep's checks read only violations: a page that breaks the rules is still reported, rule by rule."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="uk"><head><title>Перевірка</title></head><body><main><h1>Звіт</h1>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
            '<p style="color:#bbb;background:#fff">Ледь видимий текст</p></main></body></html>'
        )
        found = {violation["id"] for violation in axe_run(page, axe)}
    finally:
        page.close()

    assert {"image-alt", "label", "color-contrast"} <= found


@pytest.mark.parametrize(
    "path",
    [
        "/whistleblowing/",
        "/whistleblowing/report/" + quote("ДМС") + "/",
        "/whistleblowing/report/" + quote("ДМС") + "/follow-up/",
        "/accounts/login/",
    ],
)
def test_public_pages_meet_wcag_2_1_aa(demo, page, axe, path):
    page.goto(path)

    assert violations(page, axe) == []


def test_the_public_form_with_errors_still_meets_wcag_2_1_aa(demo, page, axe):
    page.goto("/whistleblowing/report/" + quote("ДМС") + "/")
    page.locator("form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()

    assert violations(page, axe) == []


def test_the_secretarys_program_page_meets_wcag_2_1_aa(demo, page, axe, sign_in):
    sign_in("secretary", "demo-portal-2026")
    page.get_by_role(
        "link", name="Антикорупційна програма Державної міграційної служби України на 2023–2025 роки"
    ).first.click()
    page.wait_for_load_state()

    assert violations(page, axe) == []


def test_the_day_one_pages_meet_wcag_2_1_aa(transactional_db, page, axe):
    """The set-password page, the people list, the invitation form with its errors and a person's page."""
    out = io.StringIO()
    call_command("create_organisation", stdout=out, **dayone.ORGANISATION)
    link = dayone.link_path(out.getvalue())
    page.goto(link)
    assert violations(page, axe) == []

    dayone.accept(page, link)
    dayone.add_unit(page, "УП", "Управління персоналу")
    dayone.invite(page, "secretary@dsp.gov.ua", Role.SECRETARY)
    assert violations(page, axe) == []  # the people list with a pending invitation

    page.get_by_role("link", name="Запросити працівника").click()
    page.fill("input[name=email]", "not an address")
    page.get_by_role("button", name="Надіслати запрошення").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() >= 1
    assert violations(page, axe) == []

    page.goto("/programs/people/")
    page.locator("#people a").first.click()
    page.wait_for_load_state()
    assert violations(page, axe) == []


def test_the_second_factor_pages_meet_wcag_2_1_aa(transactional_db, page, axe):
    """Enrolment with its QR code, the recovery codes, and the code step showing an error."""
    officer = member(Role.OFFICER, OrganisationFactory(), username="ivanenko", password=dayone.PASSWORD)
    password_step(page, "ivanenko")
    assert "/accounts/second-factor/enrol/" in page.url
    assert violations(page, axe) == []

    device = AuthenticatorApp.objects.get(user=officer, confirmed=False)
    page.fill("input[name=code]", app_code(device))
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
    assert page.locator("#recovery-codes").is_visible()
    assert violations(page, axe) == []

    dayone.sign_out(page)
    password_step(page, "ivanenko")
    page.fill("input[name=code]", "12")
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
    assert page.locator("#id_code_error").is_visible()
    assert violations(page, axe) == []


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", dayone.PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
