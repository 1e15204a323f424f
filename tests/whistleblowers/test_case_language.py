"""The language switch on the whistleblower's case page keeps the case open (issue 17 item 4): the switch posts the
receipt with the language, so nothing asks for it again and it appears in no URL."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from tests.whistleblowers.conftest import follow_up_url, shown_receipt, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_page(organisation, public_client):
    receipt = shown_receipt(submit(public_client, organisation).content.decode())
    page = public_client.post(follow_up_url(organisation), {"receipt": receipt}).content.decode()
    return receipt, page


def test_the_case_page_offers_the_language_switch_to_itself_with_the_receipt(organisation, case_page):
    _receipt, page = case_page
    switch = page[page.index('class="inline-form lang-form"') :]
    switch = switch[: switch.index("</form>")]

    assert f'action="{follow_up_url(organisation)}"' in switch
    assert 'name="action" value="language"' in switch
    assert 'name="receipt"' in switch
    assert "?" not in switch.split('action="')[1].split('"')[0]  # the receipt is posted, never in the address


@pytest.mark.parametrize(
    ("language", "heading"),
    [("uk", "Моє повідомлення"), ("ru", "Моё сообщение"), ("en", "My report")],
)
def test_switching_the_language_shows_the_same_case_in_that_language(
    organisation, public_client, case_page, caplog, language, heading
):
    receipt, _page = case_page
    caplog.set_level(logging.DEBUG)

    response = public_client.post(
        follow_up_url(organisation), {"receipt": receipt, "action": "language", "language": language}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert 'name="body"' in html  # the case is open: the reply form is there, not the receipt form
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert receipt.replace(" ", "") not in caplog.text.replace(" ", "")


def test_a_language_the_portal_does_not_speak_leaves_the_case_open_in_its_language(
    organisation, public_client, case_page
):
    receipt, _page = case_page

    response = public_client.post(
        follow_up_url(organisation), {"receipt": receipt, "action": "language", "language": "xx"}
    )

    assert response.status_code == 200
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
