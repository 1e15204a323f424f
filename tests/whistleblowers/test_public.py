"""The public channel: a receipt shown once and kept nowhere in clear, follow-up, throttling, headers, spam."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.whistleblowers.conftest import DETAILS, follow_up_url, form_token, form_url, shown_receipt, submit
from whistleblowers.choices import MessageAuthor
from whistleblowers.models import ReporterIdentity, ReportMessage, WhistleblowerReport

pytestmark = pytest.mark.django_db


def every_stored_text() -> str:
    """Every text-like value in every table of the database, as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def test_an_anonymous_report_is_received_and_a_sixteen_digit_receipt_is_shown(organisation, public_client):
    response = submit(public_client, organisation)

    receipt = shown_receipt(response.content.decode())
    assert len(receipt) == 16
    assert receipt.isdigit()
    report = WhistleblowerReport.objects.get()
    assert report.details == DETAILS
    assert report.is_anonymous
    assert not ReporterIdentity.objects.exists()
    assert report.registration_number == ""


def test_the_receipt_appears_nowhere_in_the_database_or_the_logs_in_clear(organisation, public_client, caplog):
    caplog.set_level(logging.DEBUG)
    response = submit(public_client, organisation)
    receipt = shown_receipt(response.content.decode())
    public_client.post(follow_up_url(organisation), {"receipt": receipt})
    public_client.post(follow_up_url(organisation), {"receipt": receipt, "action": "reply", "body": "Ще факти"})

    stored = every_stored_text()
    assert receipt not in stored
    assert receipt not in stored.replace(" ", "")
    assert receipt not in caplog.text
    assert WhistleblowerReport.objects.get().receipt_hash.startswith("argon2id$")


def test_no_address_or_user_agent_is_stored_with_a_report(organisation, public_client, caplog):
    caplog.set_level(logging.DEBUG)
    submit(public_client, organisation)

    stored = every_stored_text()
    assert "203.0.113.7" not in stored
    assert "WhistleTest" not in stored
    assert "203.0.113.7" not in caplog.text


def test_a_named_report_keeps_the_identity_apart_and_encrypted(organisation, public_client):
    submit(
        public_client,
        organisation,
        disclosure="named",
        full_name="Коваленко Олена Іванівна",
        contacts="olena@example.org",
    )

    identity = ReporterIdentity.objects.get()
    assert identity.full_name == "Коваленко Олена Іванівна"
    assert "Коваленко" not in every_stored_text()
    assert not identity.report.is_anonymous


def test_choosing_to_give_a_name_without_one_keeps_the_text_and_asks_for_the_name(organisation, public_client):
    response = submit(public_client, organisation, disclosure="named", full_name="")

    assert response.status_code == 400
    assert "Enter your name" in response.content.decode()
    assert DETAILS in response.content.decode()
    assert not WhistleblowerReport.objects.exists()


def test_the_same_form_sent_twice_creates_one_report_and_shows_the_same_receipt(organisation, public_client):
    token = form_token(public_client, organisation)

    first = shown_receipt(submit(public_client, organisation, token=token).content.decode())
    second = shown_receipt(submit(public_client, organisation, token=token).content.decode())

    assert WhistleblowerReport.objects.count() == 1
    assert first == second


def test_confirming_the_receipt_needs_the_exact_number_and_then_forgets_it(organisation, public_client):
    token = form_token(public_client, organisation)
    receipt = shown_receipt(submit(public_client, organisation, token=token).content.decode())
    url = reverse("whistleblowers:public-receipt", args=[organisation.short_name])

    wrong = public_client.post(url, {"token": token, "receipt": "1" * 16})
    assert wrong.status_code == 200
    assert "does not match" in wrong.content.decode()
    assert shown_receipt(wrong.content.decode()) == receipt

    right = public_client.post(url, {"token": token, "receipt": receipt[:4] + " " + receipt[4:]})
    assert "your receipt is confirmed" in right.content.decode()
    again = submit(public_client, organisation, token=token)
    assert "can no longer be shown" in again.content.decode()


def test_the_receipt_opens_the_status_and_the_officers_question(organisation, public_client, officer):
    receipt = shown_receipt(submit(public_client, organisation).content.decode())
    report = WhistleblowerReport.objects.get()
    ReportMessage.objects.create(report=report, author=MessageAuthor.OFFICER, officer=officer, body="Коли це було?")

    response = public_client.post(follow_up_url(organisation), {"receipt": receipt}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "Коли це було?" in page
    assert "Preliminary review" in page
    assert ReportMessage.objects.get(author=MessageAuthor.OFFICER).read_at is not None


def test_the_whistleblower_replies_with_the_receipt(organisation, public_client):
    receipt = shown_receipt(submit(public_client, organisation).content.decode())

    response = public_client.post(
        follow_up_url(organisation), {"receipt": receipt, "action": "reply", "body": "Це було 12 березня."}
    )

    assert "Your message was sent" in response.content.decode()
    assert ReportMessage.objects.get().author == MessageAuthor.REPORTER


def test_a_receipt_of_another_organisation_opens_nothing(organisation, other_organisation, public_client):
    receipt = shown_receipt(submit(public_client, organisation).content.decode())

    response = public_client.post(follow_up_url(other_organisation), {"receipt": receipt})

    assert response.status_code == 400
    assert "No report matches" in response.content.decode()


def test_guessing_receipts_is_throttled_after_ten_failures(organisation, public_client, settings):
    receipt = shown_receipt(submit(public_client, organisation).content.decode())
    for guess in range(10):
        assert public_client.post(follow_up_url(organisation), {"receipt": f"{guess:016d}"}).status_code == 400

    blocked = public_client.post(follow_up_url(organisation), {"receipt": receipt})

    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()


def test_the_guess_throttle_is_per_client(organisation, public_client, client):
    receipt = shown_receipt(submit(public_client, organisation).content.decode())
    for guess in range(10):
        public_client.post(follow_up_url(organisation), {"receipt": f"{guess:016d}"})

    assert client.post(follow_up_url(organisation), {"receipt": receipt}, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_the_rate_limit_key_holds_no_client_address(organisation, public_client):
    from django.core.cache import cache

    for guess in range(3):
        public_client.post(follow_up_url(organisation), {"receipt": f"{guess:016d}"})

    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys, "the local-memory cache should hold the counter"
    assert not any("203.0.113.7" in str(key) for key in keys)


def test_more_than_five_reports_an_hour_from_one_client_are_refused(organisation, public_client, settings):
    for _ in range(5):
        assert submit(public_client, organisation).status_code == 200

    refused = submit(public_client, organisation)

    assert refused.status_code == 429
    assert WhistleblowerReport.objects.count() == 5


def test_a_filled_honeypot_creates_no_report(organisation, public_client):
    response = submit(public_client, organisation, website="http://spam.example")

    assert response.status_code == 400
    assert not WhistleblowerReport.objects.exists()


@pytest.mark.parametrize("view", ["public-form", "public-follow-up"])
def test_public_pages_send_strict_headers(organisation, public_client, view):
    response = public_client.get(reverse(f"whistleblowers:{view}", args=[organisation.short_name]))

    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"  # no referrer to any other site
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_public_pages_use_no_session_and_show_no_staff_navigation(organisation, public_client):
    response = public_client.get(form_url(organisation))

    assert "sessionid" not in response.cookies
    page = response.content.decode()
    assert "<script" not in page
    assert 'style="' not in page
    assert reverse("programs:list") not in page


def test_the_public_form_works_in_every_language(organisation, public_client):
    for language in ("uk", "ru", "en"):
        response = public_client.get(form_url(organisation), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_the_index_links_to_every_organisations_form(organisation, public_client):
    response = public_client.get(reverse("whistleblowers:public-index"))

    assert form_url(organisation) in response.content.decode()


def test_an_unknown_organisation_answers_404(public_client, db):
    assert public_client.get(reverse("whistleblowers:public-form", args=["nobody"])).status_code == 404


def test_each_visitor_gets_a_fresh_token_and_the_form_in_their_language_though_its_fields_are_rendered_once(
    organisation,
):
    ukrainian = Client(HTTP_ACCEPT_LANGUAGE="uk")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")

    first, second = form_token(ukrainian, organisation), form_token(ukrainian, organisation)
    ukrainian_page = ukrainian.get(form_url(organisation)).content.decode()
    english_page = english.get(form_url(organisation)).content.decode()

    assert first != second
    assert "Що сталося?" in ukrainian_page  # a label inside the fields rendered once per language
    assert "What happened?" in english_page
    assert "Що сталося?" not in english_page
    assert english_page.count('name="basis_of_knowledge"') == ukrainian_page.count('name="basis_of_knowledge"') > 1
