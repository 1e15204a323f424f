"""A citizen reports anonymously with a file and keeps the receipt; the officer registers the report and asks a
question; the citizen reads it with the receipt and answers; the officer sees the answer. Real Chromium."""

import re
from urllib.parse import quote

import pytest

from tests.demo_snapshot import load_demo
from whistleblowers.models import WhistleblowerReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-portal-2026"
FORM = "/whistleblowing/report/" + quote("ДМС") + "/"
FOLLOW_UP = FORM + "follow-up/"
DETAILS = "Браузерний тест: працівник вимагав 2 000 гривень за прискорення оформлення документів."


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    load_demo()


@pytest.fixture
def citizen(browser, live_server):
    # A browser without JavaScript: the public channel must work for the most careful whistleblower.
    context = browser.new_context(locale="uk-UA", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_citizen_and_the_officer_exchange_messages_through_the_receipt(demo, citizen, page, sign_in):
    citizen.goto(FORM)
    assert citizen.locator("html").get_attribute("lang") == "uk"
    citizen.locator("input[name=basis_of_knowledge][value=work]").check()
    citizen.fill("textarea[name=details]", DETAILS)
    citizen.set_input_files(
        "input[name=attachments]",
        files=[{"name": "akt.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%demo\n"}],
    )
    citizen.locator("form[enctype] button[type=submit]").click()
    citizen.wait_for_load_state()

    receipt = re.sub(r"\D", "", citizen.locator("#receipt-number").inner_text())
    assert len(receipt) == 16
    citizen.fill("input[name=receipt]", receipt)
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_load_state()
    assert citizen.locator(f"main a[href='{FOLLOW_UP}']").count() == 1

    report = WhistleblowerReport.objects.get(registration_number="", details__isnull=False, channel="web_form")
    sign_in("officer", PASSWORD)
    page.goto(f"/whistleblowing/reports/{report.pk}/")
    assert DETAILS in page.locator("main").inner_text()
    page.locator("form[action$='/register/'] button").click()
    page.wait_for_load_state()
    number = WhistleblowerReport.objects.get(pk=report.pk).registration_number
    assert number
    assert number in page.locator("h1").inner_text()
    page.fill("textarea[name=body]", "Уточніть, будь ласка, дату звернення.")
    page.locator("form[action$='/message/'] button").click()
    page.wait_for_load_state()

    citizen.goto(FOLLOW_UP)
    citizen.fill("input[name=receipt]", receipt)
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_load_state()
    assert "Уточніть, будь ласка, дату звернення." in citizen.locator("main").inner_text()
    assert number in citizen.locator("main").inner_text()
    citizen.fill("textarea[name=body]", "Це було 12 березня, вікно № 3.")
    citizen.locator("form[enctype] button[type=submit]").click()
    citizen.wait_for_load_state()
    assert "Це було 12 березня, вікно № 3." in citizen.locator("main").inner_text()

    page.reload()
    assert "Це було 12 березня, вікно № 3." in page.locator("main").inner_text()
    assert page.locator("a[href^='/whistleblowing/attachments/']").count() == 1
