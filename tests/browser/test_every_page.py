"""Every page each role can open, at a laptop's and a phone's width: WCAG 2.1 AA (axe-core), no sideways scrolling,
no console error, no English on a Ukrainian page (issue 17 item 5).

The URLs come from the permission matrix (tests/matrix_urls.py filled with tests/matrix_world.py's objects): every
GET pattern a role gets a 200 on is visited, so a new page joins the sweep as soon as it joins the matrix. One
browser, one live server, one signed-in context per role.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Error as PlaywrightError

from tests.browser.test_accessibility import AXE, axe_run
from tests.conftest import build_program, build_whistleblower_records
from tests.matrix_world import build_body
from tests.second_factor import verified_login
from tests.test_permission_matrix import EXPECTED, ROLES, address, method_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNED_IN_ROLES = ["secretary", "reporter", "commission", "manager", "officer", "admin_user"]
WIDTHS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# The API's own pages (Swagger UI, ReDoc) are third-party screens in English by design; the admin is Django's.
NOT_PORTAL_PAGES = ("api-", "admin:")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

# An untranslated string shows its English msgid. Names of formats and products are English in Ukrainian too.
ENGLISH_WORDS = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,]+[a-z]{2,}){2,}\b")
ALLOWED_ENGLISH = re.compile(r"(?:example\.org|@|https?://)")


def english_msgids() -> set[str]:
    """The portal's own msgids of two words or more: any of them on a Ukrainian page is a missing translation."""
    po = Path(settings.BASE_DIR) / "locale" / "uk" / "LC_MESSAGES" / "django.po"
    found = set()
    for match in re.finditer(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), flags=re.MULTILINE):
        text = match.group(1)
        if " " in text and "%" not in text and "{" not in text and re.search(r"[a-z]{3}", text):
            found.add(text)
    return found


# The first screens differ most by role; every role sees these. Any other page is checked as the first role in
# SIGNED_IN_ROLES that may open it (the secretary sees the most buttons), which keeps the sweep near three minutes.
EVERY_ROLES_PAGES = {"home", "dashboard:index"}


def pages_of(role: str, seen: set[str]) -> list[str]:
    column = ROLES.index(role)
    return sorted(
        name
        for name, statuses in EXPECTED.items()
        if statuses[column] == 200
        and method_of(name) == "get"
        and not name.startswith(NOT_PORTAL_PAGES)
        and (name not in seen or name in EVERY_ROLES_PAGES)
    )


PAGE_PROBLEMS_JS = """
() => {
  const scroller = document.scrollingElement;
  // The innermost elements that reach past the right edge: what to fix when the page scrolls sideways.
  const name = (element) =>
    element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
    (element.classList.length ? "." + [...element.classList].join(".") : "");
  const wide = [...document.body.querySelectorAll("*")].filter((element) => {
    if (element.getBoundingClientRect().right <= window.innerWidth + 1) { return false; }
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== "visible") { return false; }  // scrolls inside its own box
    }
    return true;
  });
  const innermost = wide.filter((element) => !wide.some((other) => other !== element && element.contains(other)));
  return {
    culprits: innermost.slice(0, 3).map((element) => name(element.parentElement) + " > " + name(element)),
    scrollWidth: scroller.scrollWidth,
    innerWidth: window.innerWidth,
    text: document.body.innerText,
    title: document.title,
  };
}
"""


def axe_violations(page) -> list[str]:
    return [
        f"{violation['id']} ({len(violation['nodes'])} × {violation['nodes'][0]['target']}"
        f" {violation['nodes'][0].get('failureSummary', '')[:160]!r})"
        for violation in axe_run(page, None)
    ]


@pytest.fixture
def world(organisation, other_organisation, reporter_unit, other_unit, private_storage, parent_organisation):
    content = build_program(organisation, [reporter_unit, other_unit], title="Програма ГУДМС")
    return build_body(organisation, content, build_whistleblower_records(organisation), reporter_unit)


def signed_in_context(browser, live_server, user):
    client = Client()
    verified_login(client, user)
    context = browser.new_context(locale="uk-UA", base_url=live_server.url, bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_every_page_of_every_role_reads_on_a_laptop_and_a_phone(request, browser, live_server, world):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (scripts/bootstrap runs npm ci)")
    axe_source = AXE.read_text(encoding="utf-8")
    msgids = english_msgids()
    with translation.override("uk"):
        portal_name = gettext("Anti-corruption program portal")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    visited = 0
    seen: set[str] = set()
    for role in SIGNED_IN_ROLES:
        context = signed_in_context(browser, live_server, request.getfixturevalue(role))
        # axe-core (500 KB) comes with every page the context opens: injected into each page after it loaded, its
        # transfer and parsing were 16 of the sweep's 80 s.
        context.add_init_script(script=axe_source)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("console", lambda message, errors=errors: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        for name in pages_of(role, seen):
            seen.add(name)
            url, query = address(name, world)
            if url.startswith("/api/"):
                continue  # the API's browsable pages are DRF's, for developers
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                errors.clear()
                try:
                    response = page.goto(url + ("?" + urlencode(query) if query else ""))
                except PlaywrightError as error:
                    if "Download is starting" in str(error):
                        break  # a download (Excel, PDF, an attachment): nothing to lay out
                    raise
                if not response.headers.get("content-type", "").startswith("text/html"):
                    break  # a file the browser shows itself (a PDF)
                visited += 1
                found = []
                state = page.evaluate(PAGE_PROBLEMS_JS)
                if state["scrollWidth"] > state["innerWidth"]:
                    wide = f"{state['scrollWidth']} px in {state['innerWidth']}"
                    found.append(f"scrolls sideways: {wide}: {state['culprits']}")
                if not state["title"].endswith(portal_name):
                    found.append(f"title {state['title']!r} does not end with the portal's name")
                english = sorted(msgid for msgid in msgids if msgid in state["text"])
                english += [
                    words
                    for words in ENGLISH_WORDS.findall(state["text"])
                    if not ALLOWED_ENGLISH.search(words) and words not in english
                ]
                if english:
                    found.append(f"English on a Ukrainian page: {english[:5]}")
                found += [f"console: {error}" for error in errors]
                found += axe_violations(page)
                if found:
                    problems[f"{role} {name} {width} {url}"] = found
        context.close()

    assert visited > 80, "the sweep visited too few pages to mean anything"
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())
