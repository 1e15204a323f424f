"""The officers learn by e-mail that a report or a whistleblower's message arrived, and nothing of what it says."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase

from core.roles import Role
from programs.choices import Country
from tests.conftest import member
from tests.factories import OrganisationFactory
from tests.mail import RefusingServer
from tests.whistleblowers.conftest import DETAILS, follow_up_url, shown_receipt, submit
from whistleblowers.models import OfficerNotice, ReportMessage, WhistleblowerReport
from whistleblowers.notifications import officer_notice_send
from whistleblowers.tasks import send_pending_officer_notices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mailbox(settings, eager_tasks):
    # Delivering e-mail is outside the project: the outgoing messages are kept in memory.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.org"


def submitted(client, organisation, **fields) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = submit(client, organisation, **fields)
    return shown_receipt(response.content.decode())


def test_the_officers_are_told_a_report_arrived_with_the_review_deadline_but_not_its_content(
    organisation, other_organisation, officer, public_client
):
    second = member(Role.OFFICER, organisation, username="officer2")
    member(Role.OFFICER, other_organisation, username="foreign_officer")
    member(Role.SECRETARY, organisation, username="secretary_only")

    submitted(public_client, organisation, disclosure="named", full_name="Коваленко Олена", contacts="o@example.org")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    report = WhistleblowerReport.objects.get()
    assert sorted(message.bcc) == sorted([officer.email, second.email])
    assert message.to == []
    assert "Нове повідомлення викривача" in message.subject
    assert f"https://portal.example.org/whistleblowing/reports/{report.pk}/" in message.body
    assert "попередній розгляд до" in message.body
    for secret in (DETAILS, "Коваленко", "o@example.org", "березень 2024"):
        assert secret not in message.body
        assert secret not in message.subject
    assert report.officers_notified_at is not None


def test_a_report_is_announced_once_however_often_the_task_runs(organisation, officer, public_client):
    submitted(public_client, organisation)
    notice = OfficerNotice.objects.get()

    assert officer_notice_send(notice_id=notice.pk) is False
    assert send_pending_officer_notices.apply().get() == 0
    assert len(mail.outbox) == 1


def test_a_refused_e_mail_never_costs_the_whistleblower_the_receipt_and_the_retry_sends_it_once(
    settings, organisation, officer, public_client
):
    RefusingServer.configure(settings, refusals=1)

    receipt = submitted(public_client, organisation)

    assert len(receipt) == 16
    report = WhistleblowerReport.objects.get()
    notice = OfficerNotice.objects.get(report=report)
    assert mail.outbox == []
    assert report.officers_notified_at is None
    assert (notice.sent_at, notice.attempts, notice.last_error) == (None, 1, "SMTPException")
    assert send_pending_officer_notices.apply().get() == 0  # the back-off has not elapsed yet

    OfficerNotice.objects.filter(pk=notice.pk).update(next_attempt_at=notice.created_at)
    assert send_pending_officer_notices.apply().get() == 1
    assert send_pending_officer_notices.apply().get() == 0
    assert len(mail.outbox) == 1
    report.refresh_from_db()
    assert report.officers_notified_at is not None


def test_the_officers_are_told_the_whistleblower_wrote_but_not_what(organisation, officer, public_client):
    receipt = submitted(public_client, organisation)
    with TestCase.captureOnCommitCallbacks(execute=True):
        public_client.post(follow_up_url(organisation), {"receipt": receipt})
        public_client.post(
            follow_up_url(organisation), {"receipt": receipt, "action": "reply", "body": "Ще факти про вимагання"}
        )

    assert len(mail.outbox) == 2
    notice = mail.outbox[1]
    assert notice.bcc == [officer.email]
    assert "Ще факти" not in notice.body
    assert "електронною поштою не надсилаються" in notice.body
    assert ReportMessage.objects.get().officers_notified_at is not None


def test_a_kyrgyz_body_gets_its_notice_in_russian(public_client):
    body = OrganisationFactory(short_name="ГКНБ-тест", country=Country.KYRGYZSTAN)
    member(Role.OFFICER, body, username="kg_officer")

    submitted(public_client, body)

    assert "Новое сообщение разоблачителя" in mail.outbox[0].subject


def test_no_officer_with_an_address_means_no_e_mail_but_the_report_is_kept(organisation, public_client):
    submitted(public_client, organisation)

    assert mail.outbox == []
    assert WhistleblowerReport.objects.get().officers_notified_at is not None


def test_without_a_worker_the_management_command_sends_what_the_mail_server_refused(
    settings, organisation, officer, public_client
):
    from django.core.management import call_command

    RefusingServer.configure(settings, refusals=1)
    submitted(public_client, organisation)
    OfficerNotice.objects.update(next_attempt_at=OfficerNotice.objects.get().created_at)  # the back-off elapsed

    call_command("send_officer_notices", stdout=None)
    call_command("send_officer_notices", stdout=None)

    assert len(mail.outbox) == 1
    assert OfficerNotice.objects.get().sent_at is not None


def test_the_notice_names_the_body_in_the_nominative_so_no_ukrainian_case_is_wrong(
    organisation, officer, public_client
):
    # «для Головне управління …» was ungrammatical: the name is quoted after «Орган:», where the nominative is right.
    submitted(public_client, organisation)

    body = mail.outbox[0].body
    assert f"Орган: {organisation.name}." in body
    assert f"для {organisation.name}" not in body
    assert "https://portal.example.org/" in body
    assert ":8000" not in body
