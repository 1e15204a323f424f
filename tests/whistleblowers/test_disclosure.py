"""The lawful disclosure of a whistleblower's identity (art. 53-5): notice at least 18 working days before, then the
disclosure or the notice's withdrawal, each kept with who recorded it and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import Role
from core.workdays import WorkCalendar, add_working_days
from programs.choices import Country
from tests.conftest import member
from tests.factories import OrganisationFactory, ReporterIdentityFactory, WhistleblowerReportFactory
from tests.whistleblowers.conftest import follow_up_url, shown_receipt, submit
from whistleblowers.choices import DisclosureState, MessageAuthor, NoticeChannel
from whistleblowers.deadlines import earliest_disclosure_on
from whistleblowers.disclosure import disclosure_notice_create, disclosure_notice_withdraw, disclosure_record
from whistleblowers.models import CaseRules, DisclosureNotice, ReportMessage, WhistleblowerReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

RULES = CaseRules()  # the defaults: 18 working days
GROUND = "Запит слідчого № 12/345 від 28.02.2024, ст. 53-5 ч. 2 Закону"
RECIPIENT = "Слідчий відділ ГУНП у Київській області"
# A notice given on Friday 01.03.2024 allows the disclosure from Wednesday 27.03.2024 (18 working days later).
NOTIFIED_ON = dt.date(2024, 3, 1)
EARLIEST_ON = dt.date(2024, 3, 27)
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def case_url(report) -> str:
    return reverse("whistleblowers:report-detail", args=[report.pk])


def notice_url(report) -> str:
    return reverse("whistleblowers:report-action", args=[report.pk, "disclosure-notice"])


def step_url(notice, step: str) -> str:
    return reverse("whistleblowers:disclosure-notice-step", args=[notice.report_id, notice.pk, step])


def give_notice(report, user, *, notified_on=NOTIFIED_ON, channel=NoticeChannel.CONTACTS) -> DisclosureNotice:
    return disclosure_notice_create(
        report=report, user=user, ground=GROUND, recipient=RECIPIENT, notified_on=notified_on, channel=channel
    )


def notice_data(**fields) -> dict:
    return {
        "ground": GROUND,
        "recipient": RECIPIENT,
        "notified_on": NOTIFIED_ON.isoformat(),
        "channel": NoticeChannel.CONTACTS,
        **fields,
    }


@pytest.fixture
def report(whistleblower_records):
    """A registered report received on 05.02.2024 with the whistleblower's identity and no receipt."""
    return whistleblower_records.report


@pytest.fixture
def notice(report, officer) -> DisclosureNotice:
    return give_notice(report, officer)


@pytest.fixture
def other_officer(other_organisation):
    return member(Role.OFFICER, other_organisation, username="other_officer")


@pytest.fixture
def parent_officer(parent_organisation):
    return member(Role.OFFICER, parent_organisation, username="parent_officer")


# --- the earliest date ----------------------------------------------------------------------------------------------


def test_the_disclosure_is_allowed_eighteen_working_days_after_the_notice_skipping_weekends():
    assert earliest_disclosure_on(NOTIFIED_ON, RULES) == EARLIEST_ON


def test_the_earliest_date_skips_the_public_holidays_of_peacetime():
    # 27.12.2021 (Christmas moved from Saturday), 03.01.2022 (New Year moved from Saturday) and 07.01.2022 were days
    # off: without them the 18th working day after Monday 20.12.2021 would be 13.01.2022.
    assert earliest_disclosure_on(dt.date(2021, 12, 20), RULES) == dt.date(2022, 1, 18)


def test_under_martial_law_the_suspended_holidays_count_as_working_days_unless_the_body_rules_otherwise():
    # 25.12.2024 and 01.01.2025 are working days under martial law (core.workdays).
    assert earliest_disclosure_on(dt.date(2024, 12, 16), RULES) == dt.date(2025, 1, 9)
    peacetime = WorkCalendar(suspended_holidays_are_days_off=True)
    assert earliest_disclosure_on(dt.date(2024, 12, 16), RULES, calendar=peacetime) == dt.date(2025, 1, 13)


def test_the_notice_keeps_the_rule_of_its_organisation_in_force_when_it_was_given(report, officer, organisation):
    CaseRules.objects.create(organisation=organisation, disclosure_notice_working_days=20)

    notice = give_notice(report, officer)
    CaseRules.objects.filter(organisation=organisation).update(disclosure_notice_working_days=5)
    notice.refresh_from_db()

    assert (notice.notice_working_days, notice.earliest_disclosure_on) == (20, dt.date(2024, 3, 29))


# --- recording the notice -------------------------------------------------------------------------------------------


def test_the_officer_records_a_notice_on_the_case_page_and_sees_when_the_disclosure_is_allowed(report, login, officer):
    client = login("officer")

    response = client.post(notice_url(report), notice_data(), **ENGLISH)
    page = client.get(case_url(report), **ENGLISH).content.decode()

    assert response.status_code == 302
    notice = DisclosureNotice.objects.get()
    assert (notice.ground, notice.recipient, notice.notified_on) == (GROUND, RECIPIENT, NOTIFIED_ON)
    assert (notice.created_by, notice.earliest_disclosure_on) == (officer, EARLIEST_ON)
    assert notice.message is None  # no receipt: the whistleblower cannot read messages on the portal
    assert "Identity disclosure allowed from" in page
    assert "27.03.2024" in page
    assert GROUND in page


def test_the_journal_shows_when_a_pending_notice_allows_the_disclosure(report, notice, login):
    client = login("officer")

    pending = client.get(reverse("whistleblowers:report-list"), **ENGLISH).content.decode()
    disclosure_notice_withdraw(notice=notice, user=notice.created_by, reason="Запит відкликано")
    withdrawn = client.get(reverse("whistleblowers:report-list"), **ENGLISH).content.decode()

    assert "Identity disclosure allowed from 27.03.2024" in pending
    assert "Identity disclosure allowed from" not in withdrawn


def test_the_ground_and_the_recipient_are_not_stored_in_clear_text(notice):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ground, recipient FROM {DisclosureNotice._meta.db_table}")
        stored = " ".join(cursor.fetchone())

    assert "слідчого" not in stored
    assert "Слідчий відділ" not in stored


def test_an_anonymous_report_has_no_identity_to_disclose(organisation, officer):
    anonymous_report = WhistleblowerReportFactory(organisation=organisation, registered=True)

    with pytest.raises(ValidationError, match="anonymous"):
        give_notice(anonymous_report, officer)
    assert not DisclosureNotice.objects.exists()


def test_a_notice_through_the_portal_needs_a_receipt(report, officer):
    with pytest.raises(ValidationError, match="no receipt"):
        give_notice(report, officer, notified_on=timezone.localdate(), channel=NoticeChannel.PORTAL)
    assert not DisclosureNotice.objects.exists()


def test_a_notice_through_the_portal_is_dated_the_day_it_is_sent(organisation, officer):
    report = ReporterIdentityFactory(report__organisation=organisation, report__receipt_hash="test-receipt").report

    with pytest.raises(ValidationError, match="sent now"):
        give_notice(report, officer, channel=NoticeChannel.PORTAL)
    assert not DisclosureNotice.objects.exists()
    assert not ReportMessage.objects.exists()


def test_an_anonymous_report_refuses_a_notice_on_the_page_with_the_reason(organisation, login):
    anonymous_report = WhistleblowerReportFactory(organisation=organisation, registered=True)

    response = login("officer").post(notice_url(anonymous_report), notice_data(), **ENGLISH)

    assert response.status_code == 400
    assert "there is no identity to disclose" in response.content.decode()
    assert not DisclosureNotice.objects.exists()


# --- what the whistleblower reads ----------------------------------------------------------------------------------


def test_the_whistleblower_reads_the_notice_with_the_receipt(organisation, public_client, login):
    receipt = shown_receipt(
        submit(public_client, organisation, disclosure="named", full_name="Коваленко Олена Іванівна").content.decode()
    )
    report = WhistleblowerReport.objects.get()
    today = timezone.localdate()

    login("officer").post(
        notice_url(report), notice_data(notified_on=today.isoformat(), channel=NoticeChannel.PORTAL), **ENGLISH
    )
    page = public_client.post(follow_up_url(organisation), {"receipt": receipt}).content.decode()

    notice = DisclosureNotice.objects.get()
    assert notice.message.author == MessageAuthor.OFFICER
    assert notice.earliest_disclosure_on == add_working_days(today, 18)
    assert GROUND in page
    assert RECIPIENT in page
    assert notice.earliest_disclosure_on.strftime("%d.%m.%Y") in page


@pytest.mark.parametrize(
    ("country", "title", "ground_label", "foreign_title"),
    [
        (
            Country.KYRGYZSTAN,
            "Уведомление о возможном раскрытии вашей личности.",
            "Правовое основание: ",
            "Повідомлення про можливе розголошення вашої особи.",
        ),
        (
            Country.UKRAINE,
            "Повідомлення про можливе розголошення вашої особи.",
            "Правова підстава: ",
            "Уведомление о возможном раскрытии вашей личности.",
        ),
    ],
)
def test_the_notice_is_written_in_the_working_language_of_the_organisation(country, title, ground_label, foreign_title):
    body = OrganisationFactory(short_name="Тест", country=country)
    identity = ReporterIdentityFactory(report__organisation=body, report__receipt_hash="test-language")

    with translation.override("en"):  # the officer's own interface language must not leak into the message
        give_notice(identity.report, member(Role.OFFICER, body))

    message = ReportMessage.objects.get(report=identity.report).body
    assert message.startswith(title)
    assert f"{ground_label}{GROUND}" in message
    assert "27.03.2024" in message
    assert foreign_title not in message
    assert "Notice of a possible disclosure" not in message


# --- the disclosure and the withdrawal ------------------------------------------------------------------------------


def test_the_disclosure_before_the_earliest_date_is_refused_and_nothing_is_stored(notice, login):
    response = login("officer").post(
        step_url(notice, "disclose"), {"disclosed_on": "26.03.2024", "note": "Лист № 77"}, **ENGLISH
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Not before 27.03.2024" in page
    assert "Лист № 77" in page
    notice.refresh_from_db()
    assert (notice.disclosed_on, notice.disclosure_note, notice.disclosed_by) == (None, "", None)


def test_the_officer_records_the_disclosure_from_the_earliest_date(notice, login, officer):
    client = login("officer")

    response = client.post(step_url(notice, "disclose"), {"disclosed_on": "27.03.2024", "note": "Лист № 77"})
    page = client.get(case_url(notice.report), **ENGLISH).content.decode()
    journal = client.get(reverse("whistleblowers:report-list"), **ENGLISH).content.decode()

    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.disclosed_on, notice.disclosure_note, notice.disclosed_by) == (EARLIEST_ON, "Лист № 77", officer)
    assert notice.disclosure_recorded_at is not None
    assert notice.state_on(timezone.localdate()) == DisclosureState.DISCLOSED
    assert "Лист № 77" in page
    assert "Record the disclosure" not in page
    assert "Identity disclosure allowed from" not in journal


def test_a_notice_is_used_for_one_disclosure_only(notice, officer):
    disclosure_record(notice=notice, user=officer, disclosed_on=EARLIEST_ON, note="Лист № 77")

    with pytest.raises(ValidationError, match="already recorded"):
        disclosure_record(notice=notice, user=officer, disclosed_on=EARLIEST_ON, note="Лист № 78")
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        disclosure_notice_withdraw(notice=notice, user=officer, reason="Передумали")


def test_a_withdrawn_notice_cannot_be_used_to_disclose(notice, login, officer):
    withdrawn = login("officer").post(step_url(notice, "withdraw"), {"reason": "Запит відкликано"})

    refused = login("officer").post(
        step_url(notice, "disclose"), {"disclosed_on": "27.03.2024", "note": "Лист № 77"}, **ENGLISH
    )

    assert withdrawn.status_code == 302
    assert refused.status_code == 400
    assert "This notice was withdrawn on" in refused.content.decode()
    notice.refresh_from_db()
    assert (notice.withdrawn_by, notice.withdrawal_reason, notice.disclosed_on) == (officer, "Запит відкликано", None)
    assert notice.state_on(EARLIEST_ON) == DisclosureState.WITHDRAWN


def test_a_disclosure_without_a_notice_of_this_case_is_refused(report, organisation, officer, login):
    other_case = ReporterIdentityFactory(report__organisation=organisation, report__registered=True).report
    foreign_notice = give_notice(other_case, officer)

    response = login("officer").post(
        reverse("whistleblowers:disclosure-notice-step", args=[report.pk, foreign_notice.pk, "disclose"]),
        {"disclosed_on": "27.03.2024", "note": "Лист № 77"},
    )
    page = login("officer").get(case_url(report), **ENGLISH).content.decode()

    assert response.status_code == 404
    assert not DisclosureNotice.objects.filter(disclosed_on__isnull=False).exists()
    assert "Record the disclosure" not in page


def test_the_database_refuses_a_disclosure_before_the_earliest_date_even_outside_the_services(notice, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureNotice.objects.filter(pk=notice.pk).update(
            disclosed_on=NOTIFIED_ON, disclosed_by=officer, disclosure_recorded_at=timezone.now()
        )


def test_a_notice_is_never_both_disclosed_and_withdrawn_in_the_database(notice, officer):
    disclosure_record(notice=notice, user=officer, disclosed_on=EARLIEST_ON, note="Лист № 77")

    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureNotice.objects.filter(pk=notice.pk).update(withdrawn_at=timezone.now(), withdrawn_by=officer)


# --- bad input ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error", "typed"),
    [
        ({"ground": ""}, "This field is required.", RECIPIENT),
        ({"notified_on": "2100-01-01"}, "cannot be in the future", "2100-01-01"),
        ({"notified_on": "вчора"}, "Enter a valid date.", "вчора"),
    ],
    ids=["missing ground", "notified in the future", "not a date"],
)
def test_bad_input_shows_the_error_keeps_what_was_typed_and_stores_nothing(report, login, fields, error, typed):
    response = login("officer").post(notice_url(report), notice_data(**fields), **ENGLISH)

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert typed in page
    assert 'aria-invalid="true"' in page
    assert not DisclosureNotice.objects.exists()
    assert not ReportMessage.objects.exists()


def test_a_refused_withdrawal_names_the_field_and_keeps_the_notice_pending(notice, login):
    response = login("officer").post(step_url(notice, "withdraw"), {"reason": ""}, **ENGLISH)

    page = response.content.decode()
    assert response.status_code == 400
    assert f'aria-describedby="id_notice{notice.pk}_reason_error"' in page
    notice.refresh_from_db()
    assert notice.pending


# --- who may do it --------------------------------------------------------------------------------------------------

PERSONAS = [
    "secretary",
    "reporter",
    "commission",
    "manager",
    "admin_user",
    "outsider",
    "parent_secretary",
    "superuser",
    "other_officer",
    "parent_officer",
]
STEPS = {
    "notice": lambda notice: (notice_url(notice.report), notice_data()),
    "disclose": lambda notice: (step_url(notice, "disclose"), {"disclosed_on": "27.03.2024", "note": "Лист № 77"}),
    "withdraw": lambda notice: (step_url(notice, "withdraw"), {"reason": "Запит відкликано"}),
}


def stored_state() -> list[tuple]:
    return list(DisclosureNotice.objects.order_by("pk").values_list("pk", "disclosed_on", "withdrawn_at"))


@pytest.mark.parametrize("step", STEPS)
def test_the_officer_of_the_organisation_takes_every_step(step, notice, login):
    url, data = STEPS[step](notice)

    response = login("officer").post(url, data)

    assert response.status_code == 302
    assert response["Location"] == case_url(notice.report)


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_but_the_officer_of_the_organisation_reaches_a_disclosure_step(persona, step, notice, login):
    url, data = STEPS[step](notice)
    before = stored_state()

    response = login(persona).post(url, data)

    assert response.status_code == 404
    assert stored_state() == before


@pytest.mark.parametrize("step", STEPS)
def test_anonymous_visitors_are_sent_to_sign_in_before_any_disclosure_step(step, notice, login):
    url, data = STEPS[step](notice)
    before = stored_state()

    response = login("anonymous").post(url, data)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert stored_state() == before
