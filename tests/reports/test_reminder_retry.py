"""Reminders wait in an outbox (ReminderDelivery) written with the reminder, like the officers' notices: a refused
e-mail is retried with back-off by the drain until the mail server takes it, each unit is mailed exactly once, and
nothing is sent about a period that is no longer open (issue 17, defect 3)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from reports.choices import PeriodState
from reports.execution.models import ReminderDelivery
from reports.execution.period_services import period_remind, period_reminder_send, reminders_send_pending
from reports.execution.tasks import send_pending_reminders
from tests.factories import UnitFactory
from tests.mail import RefusingServer
from tests.worker import broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(organisation):
    return [
        UnitFactory(organisation=organisation, abbreviation=f"В{number}", email=f"unit{number}@example.org")
        for number in (1, 2, 3)
    ]


def addressed() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def back_off_elapsed() -> None:
    ReminderDelivery.objects.filter(sent_at__isnull=True).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_the_reminder_is_in_the_outbox_before_any_mail_is_sent(secretary, program_content, units):
    event = period_remind(user=secretary, period=program_content.periods[0], units=units)

    waiting = ReminderDelivery.objects.filter(event=event)
    assert sorted(waiting.values_list("unit__abbreviation", flat=True)) == ["В1", "В2", "В3"]
    assert not waiting.filter(sent_at__isnull=False).exists()
    assert mail.outbox == []


def test_a_refused_reminder_waits_for_its_back_off_then_the_drain_sends_it_once(
    settings, secretary, program_content, units
):
    RefusingServer.configure(settings, accept_first=1, refusals=1)
    event = period_remind(user=secretary, period=program_content.periods[0], units=units)

    assert period_reminder_send(event_id=event.pk) == 2  # the kick: the second unit is refused, not lost
    refused = ReminderDelivery.objects.get(event=event, sent_at__isnull=True)
    assert (refused.unit.abbreviation, refused.attempts, refused.last_error) == ("В2", 1, "SMTPException")
    assert refused.next_attempt_at > timezone.now()
    assert reminders_send_pending() == 0  # the back-off has not elapsed

    back_off_elapsed()
    assert send_pending_reminders.apply().get() == 1

    assert addressed() == ["unit1@example.org", "unit2@example.org", "unit3@example.org"]
    assert period_reminder_send(event_id=event.pk) == 0  # a duplicate kick sends nothing
    assert reminders_send_pending() == 0


@pytest.mark.parametrize(
    ("refusals", "attempts", "minutes"),
    [(1, 1, 1), (2, 2, 2), (3, 3, 4), (7, 7, 60), (9, 9, 60)],
)
def test_the_back_off_doubles_and_stops_at_an_hour(
    settings, secretary, program_content, organisation, refusals, attempts, minutes
):
    unit = UnitFactory(organisation=organisation, abbreviation="ВК", email="vk@example.org")
    RefusingServer.configure(settings, refusals=refusals)
    period_remind(user=secretary, period=program_content.periods[0], units=[unit])

    for _ in range(refusals):
        back_off_elapsed()
        reminders_send_pending()
    delivery = ReminderDelivery.objects.get(unit=unit)
    assert delivery.attempts == attempts
    expected = timezone.now() + timedelta(minutes=minutes)
    assert abs((delivery.next_attempt_at - expected).total_seconds()) < 5

    back_off_elapsed()
    assert reminders_send_pending() == 1
    assert addressed() == ["vk@example.org"]


def test_a_reminder_is_not_sent_once_the_period_is_no_longer_open(settings, secretary, program_content, units):
    RefusingServer.configure(settings, refusals=3)
    period = program_content.periods[0]
    event = period_remind(user=secretary, period=period, units=units)
    period_reminder_send(event_id=event.pk)  # all three refused
    type(period).objects.filter(pk=period.pk).update(state=PeriodState.UNDER_REVIEW)

    back_off_elapsed()
    assert reminders_send_pending() == 0

    assert mail.outbox == []
    given_up = ReminderDelivery.objects.filter(event=event)
    assert set(given_up.values_list("last_error", flat=True)) == {"PeriodNotOpen"}
    assert not given_up.filter(next_attempt_at__isnull=False).exists()


def test_with_the_broker_down_the_reminder_is_recorded_and_the_daily_run_sends_it(
    settings, secretary, program_content, units
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with broker("redis://127.0.0.1:1/0"), TestCase.captureOnCommitCallbacks(execute=True):  # nothing listens there
        period_remind(user=secretary, period=program_content.periods[0], units=units)
    assert mail.outbox == []

    call_command("run_daily_jobs", stdout=StringIO())

    assert addressed() == ["unit1@example.org", "unit2@example.org", "unit3@example.org"]
