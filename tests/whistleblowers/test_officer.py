"""The officer's registry: only the officer sees reports; numbering, transitions, identity log, journal, export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import ReporterIdentityFactory, WhistleblowerReportFactory
from whistleblowers.choices import CaseStatus, Channel, Recipient
from whistleblowers.models import Forwarding, IdentityAccess, InducementNotification, WhistleblowerReport
from whistleblowers.services import report_change_status, report_register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


PERSONAS_WITHOUT_ACCESS = ["secretary", "manager", "commission", "reporter", "admin_user", "outsider", "superuser"]


def detail_url(report, suffix: str = "") -> str:
    return reverse("whistleblowers:report-detail", args=[report.pk]) + suffix


@pytest.fixture
def named_report(organisation):
    return ReporterIdentityFactory(report__organisation=organisation, full_name="Іваненко Марія Петрівна").report


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_ACCESS)
def test_nobody_but_the_officer_reaches_a_report_or_its_identity(persona, named_report, login):
    client = login(persona)

    assert client.get(detail_url(named_report)).status_code == 404
    assert client.get(detail_url(named_report, "identity/")).status_code == 404
    assert client.post(detail_url(named_report, "identity/"), {"purpose": "цікавість"}).status_code == 404
    assert client.post(detail_url(named_report, "register/")).status_code == 404
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "manager", "superuser"])
def test_the_journals_answer_404_to_other_roles(persona, named_report, login):
    client = login(persona)

    for name in ("report-list", "report-export", "report-create", "inducement-list", "inducement-create"):
        assert client.get(reverse(f"whistleblowers:{name}")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(named_report, login):
    response = login("anonymous").get(detail_url(named_report))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_officer_reads_the_identity_only_with_a_reason_and_the_reading_is_logged(named_report, login, officer):
    client = login("officer")

    assert "Іваненко" not in client.get(detail_url(named_report, "identity/")).content.decode()
    response = client.post(detail_url(named_report, "identity/"), {"purpose": "Уточнення обставин"})

    assert "Іваненко Марія Петрівна" in response.content.decode()
    access = IdentityAccess.objects.get()
    assert (access.user, access.purpose) == (officer, "Уточнення обставин")


def test_the_identity_page_states_the_notice_period_the_organisation_set(named_report, login, officer, rules):
    rules.disclosure_notice_working_days = 21
    rules.save()

    page = login("officer").post(detail_url(named_report, "identity/"), {"purpose": "Запит слідчого"})

    assert "щонайменше за 21 робочий день" in page.content.decode()


def test_managers_see_only_anonymised_counts(named_report, login):
    response = login("manager").get(reverse("whistleblowers:statistics"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<td class="num">1</td>' in page
    assert named_report.details not in page


def test_registration_numbers_follow_the_pattern_and_run_per_year(organisation, officer, rules):
    rules.number_pattern = "ВК-{seq}/{year}"
    rules.save()
    first, second = WhistleblowerReportFactory.create_batch(2, organisation=organisation)

    report_register(report=first, user=officer, on=dt.date(2024, 12, 31))
    report_register(report=second, user=officer, on=dt.date(2025, 1, 2))
    third = report_register(
        report=WhistleblowerReportFactory(organisation=organisation), user=officer, on=dt.date(2025, 1, 3)
    )

    numbers = list(WhistleblowerReport.objects.order_by("pk").values_list("registration_number", flat=True))
    assert numbers == ["ВК-1/2024", "ВК-1/2025", "ВК-2/2025"]
    assert third.assignee == officer


def test_a_report_is_not_registered_twice(organisation, officer):
    report = report_register(report=WhistleblowerReportFactory(organisation=organisation), user=officer)

    with pytest.raises(Exception, match="already registered"):
        report_register(report=report, user=officer)


def test_the_officer_registers_a_report_received_by_phone(organisation, login, officer):
    response = login("officer").post(
        reverse("whistleblowers:report-create"),
        {
            "organisation": organisation.pk,
            "channel": Channel.PHONE,
            "received_on": "2024-03-04",
            "basis_of_knowledge": "work",
            "summary": "Вимагання за довідку",
            "details": "Дзвінок на спеціальну лінію.",
            "is_anonymous": "",
            "full_name": "Петренко Петро",
        },
    )

    report = WhistleblowerReport.objects.get()
    assert response.status_code == 302
    assert report.channel == Channel.PHONE
    assert report.registration_number == f"1/{timezone.localdate().year}-В"
    assert report.identity.full_name == "Петренко Петро"


def test_status_transitions_are_checked_and_closing_needs_an_outcome(organisation, officer):
    report = report_register(report=WhistleblowerReportFactory(organisation=organisation), user=officer)

    with pytest.raises(Exception, match="cannot become"):
        report_change_status(report=report, status=CaseStatus.CLOSED)
    report_change_status(report=report, status=CaseStatus.PRELIMINARY_REVIEW)
    report = report_change_status(report=report, status=CaseStatus.VERIFICATION, on=dt.date(2024, 2, 16))
    assert report.verification_started_on == dt.date(2024, 2, 16)
    with pytest.raises(Exception, match="outcome"):
        report_change_status(report=report, status=CaseStatus.CLOSED)
    with pytest.raises(Exception, match="Record where"):
        report_change_status(report=report, status=CaseStatus.FORWARDED)
    closed = report_change_status(report=report, status=CaseStatus.CLOSED, outcome="Факти підтвердились")
    assert closed.closed_on == timezone.localdate()


def test_the_officer_records_a_forwarding_through_the_page(organisation, login, officer):
    report = report_register(report=WhistleblowerReportFactory(organisation=organisation), user=officer)

    response = login("officer").post(
        detail_url(report, "forwarding/"),
        {"recipient": Recipient.NABU, "sent_on": "2024-02-20", "outgoing_number": "15/2-345"},
    )

    assert response.status_code == 302
    assert Forwarding.objects.get().outgoing_number == "15/2-345"


def test_the_officer_records_signs_of_an_offence_and_the_page_shows_the_24_hour_deadline(organisation, login, officer):
    report = report_register(report=WhistleblowerReportFactory(organisation=organisation), user=officer)
    today = timezone.localdate()

    saved = login("officer").post(detail_url(report, "offence/"), {"found_on": today.strftime("%d.%m.%Y")})
    future = login("officer").post(detail_url(report, "offence/"), {"found_on": "01.01.2100"})
    page = login("officer").get(detail_url(report))

    assert saved.status_code == 302
    assert WhistleblowerReport.objects.get().offence_signs_found_on == today
    assert future.status_code == 400
    assert (today + dt.timedelta(days=1)).strftime("%d.%m.%Y") in page.content.decode()


def test_an_invalid_action_re_renders_the_case_with_the_error(organisation, login, officer):
    report = report_register(report=WhistleblowerReportFactory(organisation=organisation), user=officer)

    response = login("officer").post(detail_url(report, "status/"), {"status": CaseStatus.CLOSED})

    assert response.status_code == 400
    assert WhistleblowerReport.objects.get().status == CaseStatus.RECEIVED


def test_the_journal_filters_by_status_and_overdue(organisation, login, officer):
    overdue = WhistleblowerReportFactory(organisation=organisation, registered=True)  # received 05.02.2024
    fresh = WhistleblowerReportFactory(organisation=organisation, received_at=timezone.now())
    client = login("officer")

    page = client.get(reverse("whistleblowers:report-list"), {"overdue": "true"}).content.decode()
    assert detail_url(overdue) in page
    assert detail_url(fresh) not in page
    page = client.get(reverse("whistleblowers:report-list"), {"status": "closed"}).content.decode()
    assert detail_url(overdue) not in page


def test_the_journal_exports_to_excel(organisation, login, officer):
    report = WhistleblowerReportFactory(organisation=organisation, registered=True, summary="Вимагання коштів")

    response = login("officer").get(reverse("whistleblowers:report-export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == report.registration_number
    assert rows[1][4] == "Вимагання коштів"


@pytest.mark.parametrize("count", [10, 300])
def test_the_journal_needs_the_same_number_of_queries_for_10_and_300_reports(
    count, organisation, login, officer, django_assert_max_num_queries
):
    WhistleblowerReport.objects.bulk_create(
        [
            WhistleblowerReport(
                organisation=organisation,
                received_at=dt.datetime(2024, 2, 5, 10, tzinfo=dt.UTC),
                channel=Channel.EMAIL,
                basis_of_knowledge="work",
                details=f"Повідомлення {i}",
                assignee=officer,
            )
            for i in range(count)
        ]
    )
    client = login("officer")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("whistleblowers:report-list"))
    assert response.status_code == 200


def test_the_inducement_journal_numbers_notifications_per_year_and_records_the_resolution(organisation, login, officer):
    client = login("officer")
    data = {
        "organisation": organisation.pk,
        "registered_on": "2024-03-01",
        "notifier": "Сидоренко С. С., інспектор",
        "summary": "Пропозиція неправомірної вигоди",
        "sheets": 2,
    }
    client.post(reverse("whistleblowers:inducement-create"), data)
    client.post(reverse("whistleblowers:inducement-create"), {**data, "registered_on": "2024-03-05"})
    notification = InducementNotification.objects.get(sequence=2)

    response = client.post(
        reverse("whistleblowers:inducement-edit", args=[notification.pk]),
        {
            **data,
            "registered_on": "2024-03-05",
            "resolution": "Провести перевірку",
            "resolution_due": "2024-03-15",
            "version": notification.version,
        },
    )

    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.year, notification.resolution) == (2024, "Провести перевірку")
    assert login("manager").get(reverse("whistleblowers:inducement-edit", args=[notification.pk])).status_code == 404
