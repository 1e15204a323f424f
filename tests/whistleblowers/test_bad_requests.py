"""Malformed requests answer a clear 400 or 404, never a server error; forged client addresses do not escape the
rate limits."""

from __future__ import annotations

import pytest

from tests.factories import WhistleblowerReportFactory
from tests.whistleblowers.conftest import follow_up_url, shown_receipt, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

JOURNAL_URLS = ["/whistleblowing/reports/", "/whistleblowing/reports/export.xlsx", "/api/v1/whistleblower-reports/"]


@pytest.mark.parametrize("url", JOURNAL_URLS)
@pytest.mark.parametrize("year", ["0", "10000", "-5", "2024.5", "рік"])
def test_a_year_the_calendar_cannot_hold_is_a_clear_400(url, year, organisation, login):
    WhistleblowerReportFactory(organisation=organisation)

    response = login("officer").get(url, {"year": year}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    text = response.content.decode()
    assert any(word in text for word in ("greater than or equal to 2000", "less than or equal to 2100", "whole number"))


@pytest.mark.parametrize("url", JOURNAL_URLS[:2])
def test_a_year_in_range_still_filters_the_journal(url, organisation, login):
    WhistleblowerReportFactory(organisation=organisation)

    assert login("officer").get(url, {"year": "2024"}).status_code == 200


@pytest.mark.parametrize("suffix", ["", "receipt/", "follow-up/"])
def test_a_nul_character_in_the_organisation_address_is_a_404(suffix, public_client, db):
    assert public_client.get(f"/whistleblowing/report/%00/{suffix}").status_code in (404, 405)
    assert public_client.post(f"/whistleblowing/report/%00/{suffix}", {}).status_code == 404


def test_forty_receipt_guesses_behind_a_proxy_are_limited_whatever_the_client_writes_in_the_header(
    organisation, public_client, settings
):
    settings.WHISTLEBLOWER_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    receipt = shown_receipt(submit(public_client, organisation).content.decode())

    answers = [
        public_client.post(
            follow_up_url(organisation),
            {"receipt": f"{guess:016d}"},
            # The client writes any address it likes; the proxy appends the one it saw.
            HTTP_X_FORWARDED_FOR=f"10.{guess}.0.1, 198.51.100.23",
            REMOTE_ADDR="10.0.0.2",
        ).status_code
        for guess in range(40)
    ]

    assert answers.count(400) == 10
    assert answers.count(429) == 30
    right = public_client.post(
        follow_up_url(organisation), {"receipt": receipt}, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.23"
    )
    assert right.status_code == 429


def test_another_client_behind_the_same_proxy_is_not_limited_by_the_guesser(organisation, public_client, settings):
    settings.WHISTLEBLOWER_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    receipt = shown_receipt(submit(public_client, organisation).content.decode())
    for guess in range(10):
        public_client.post(
            follow_up_url(organisation), {"receipt": f"{guess:016d}"}, HTTP_X_FORWARDED_FOR="198.51.100.23"
        )

    honest = public_client.post(follow_up_url(organisation), {"receipt": receipt}, HTTP_X_FORWARDED_FOR="192.0.2.44")

    assert honest.status_code == 200


def test_with_two_trusted_proxies_the_client_is_the_second_entry_from_the_end(organisation, public_client, settings):
    settings.WHISTLEBLOWER_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.WHISTLEBLOWER_TRUSTED_PROXIES = 2
    for guess in range(10):
        public_client.post(
            follow_up_url(organisation),
            {"receipt": f"{guess:016d}"},
            HTTP_X_FORWARDED_FOR=f"10.{guess}.0.1, 198.51.100.23, 10.1.1.{guess}",
        )

    blocked = public_client.post(
        follow_up_url(organisation), {"receipt": "1" * 16}, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23, 10.1.1.99"
    )

    assert blocked.status_code == 429
