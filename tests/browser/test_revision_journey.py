"""In Chromium: the secretary records grounds for revising the demo program, holds a meeting with a quorum and
records the commission's decision, then finds the meeting on the revision page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "Антикорупційна програма Державної міграційної служби України на 2023–2025 роки"


@pytest.fixture
def demo(transactional_db):
    load_demo()


def test_the_secretary_takes_a_revision_from_grounds_to_the_commissions_decision(demo, page, sign_in):
    today = timezone.localdate()
    sign_in("secretary", "demo-portal-2026")
    page.get_by_role("link", name=PROGRAM).first.click()
    page.wait_for_load_state()

    page.locator("a[href$='/revisions/new/']").first.click()
    page.select_option("select[name=ground]", "nazk_proposals")
    page.fill("input[name=ground_arose_on]", today.isoformat())
    page.fill("textarea[name=ground_details]", "Пропозиції НАЗК щодо оцінки ризиків у сфері закупівель")
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    assert re.search(r"/programs/revisions/\d+/$", page.url)
    revision_url = page.url
    body = page.locator("main").inner_text()
    assert "Пропозиції НАЗК щодо оцінки ризиків у сфері закупівель" in body
    assert (today + dt.timedelta(weeks=3)).strftime("%d.%m.%Y") in body

    page.locator("a[href$='/commission/']").first.click()
    page.wait_for_load_state()
    page.locator("a[href$='/meetings/new/']").first.click()
    page.fill("input[name=held_on]", today.isoformat())
    boxes = page.locator("input[name=attendees]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    assert re.search(r"/programs/meetings/\d+/$", page.url)
    assert page.locator(".quorum-ok").count() == 1

    page.fill("input[name=title]", "Про перегляд Антикорупційної програми")
    page.click("form[action$='/items/new/'] [type=submit]")
    page.wait_for_load_state()
    page.select_option("select[name=decision_kind]", "approve_revision")
    page.select_option("select[name=revision]", index=1)
    page.fill("textarea[name=decided]", "Підтримати внесення змін до Антикорупційної програми")
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    assert "Підтримати внесення змін до Антикорупційної програми" in page.locator("main").inner_text()

    page.goto(revision_url)
    assert "Підтримати внесення змін до Антикорупційної програми" in page.locator("main").inner_text()
