"""Whistleblower reports: encrypted at rest, numbered once per organisation, journals that make sense."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import (
    InducementNotificationFactory,
    OrganisationFactory,
    ReporterIdentityFactory,
    WhistleblowerReportFactory,
)
from whistleblowers.choices import CaseStatus
from whistleblowers.models import InducementNotification, ReporterIdentity, WhistleblowerReport

pytestmark = pytest.mark.django_db

DETAILS = "Начальник відділу оформлення паспортів вимагає 500 доларів за прискорення оформлення."
FULL_NAME = "Іваненко Марія Петрівна"


def stored(model, column: str, pk: int) -> str:
    """The value as the database holds it, bypassing the model field."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_details_of_a_report_are_not_stored_in_clear_text():
    report = WhistleblowerReportFactory(details=DETAILS, accused="Петренко П. П.")

    raw = stored(WhistleblowerReport, "details", report.pk)

    assert raw
    assert raw != DETAILS
    assert "500" not in raw
    assert "Петренко" not in stored(WhistleblowerReport, "accused", report.pk)


def test_reading_a_report_through_the_model_gives_the_clear_text_back():
    report = WhistleblowerReportFactory(details=DETAILS, accused="Петренко П. П.")

    fresh = WhistleblowerReport.objects.get(pk=report.pk)

    assert fresh.details == DETAILS
    assert fresh.accused == "Петренко П. П."


def test_the_whistleblowers_name_is_not_stored_in_clear_text_and_reads_back_through_the_model():
    identity = ReporterIdentityFactory(full_name=FULL_NAME, contacts="maria@example.org")

    assert FULL_NAME not in stored(ReporterIdentity, "full_name", identity.pk)
    assert "maria" not in stored(ReporterIdentity, "contacts", identity.pk)
    fresh = ReporterIdentity.objects.get(pk=identity.pk)
    assert (fresh.full_name, fresh.contacts) == (FULL_NAME, "maria@example.org")


def test_the_same_text_encrypts_differently_each_time():
    first = WhistleblowerReportFactory(details=DETAILS)
    second = WhistleblowerReportFactory(details=DETAILS)

    assert stored(WhistleblowerReport, "details", first.pk) != stored(WhistleblowerReport, "details", second.pk)


def test_an_empty_optional_field_stays_empty_so_queries_can_tell_it_was_not_given():
    report = WhistleblowerReportFactory(summary="")

    assert stored(WhistleblowerReport, "summary", report.pk) == ""
    assert WhistleblowerReport.objects.get(pk=report.pk).summary == ""


def test_the_inducement_journal_encrypts_the_notifier():
    notification = InducementNotificationFactory(notifier="Сидоренко С. С., інспектор")

    assert "Сидоренко" not in stored(InducementNotification, "notifier", notification.pk)
    assert InducementNotification.objects.get(pk=notification.pk).notifier == "Сидоренко С. С., інспектор"


def test_a_registration_number_is_not_repeated_within_one_organisation():
    organisation = OrganisationFactory()
    WhistleblowerReportFactory(
        organisation=organisation, registration_year=2024, registration_sequence=1, registration_number="1/2024-В"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        WhistleblowerReportFactory(
            organisation=organisation, registration_year=2024, registration_sequence=2, registration_number="1/2024-В"
        )


def test_two_organisations_may_use_the_same_registration_number():
    for organisation in OrganisationFactory.create_batch(2):
        WhistleblowerReportFactory(
            organisation=organisation, registration_year=2024, registration_sequence=1, registration_number="1/2024-В"
        )

    assert WhistleblowerReport.objects.filter(registration_number="1/2024-В").count() == 2


def test_many_unregistered_reports_may_wait_in_one_organisation():
    organisation = OrganisationFactory()
    WhistleblowerReportFactory.create_batch(2, organisation=organisation)

    assert WhistleblowerReport.objects.filter(organisation=organisation, registration_number="").count() == 2


def test_a_report_registered_without_a_number_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        WhistleblowerReportFactory(registration_year=2024, registration_sequence=3, registration_number="")


def test_a_closed_report_needs_its_closing_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        WhistleblowerReportFactory(status=CaseStatus.CLOSED, closed_on=None)


def test_an_inducement_notification_has_at_least_one_sheet():
    with pytest.raises(IntegrityError), transaction.atomic():
        InducementNotificationFactory(sheets=0)


def test_an_inducement_sequence_number_is_not_repeated_within_a_year():
    notification = InducementNotificationFactory(year=2024, sequence=7)

    with pytest.raises(IntegrityError), transaction.atomic():
        InducementNotificationFactory(organisation=notification.organisation, year=2024, sequence=7)
