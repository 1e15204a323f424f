"""A reminder whose SMTP server fails halfway: the retried task mails only the units that did not get it yet."""

from __future__ import annotations

from smtplib import SMTPException

import pytest
from django.core import mail

from reports.models import ReminderDelivery
from reports.period_services import period_remind, period_reminder_send
from tests.factories import UnitFactory
from tests.mail import RefusingServer

pytestmark = pytest.mark.django_db


def test_a_retried_reminder_mails_each_unit_exactly_once(settings, secretary, program_content, organisation):
    RefusingServer.configure(settings, accept_first=1, refusals=1)
    units = [
        UnitFactory(organisation=organisation, abbreviation=f"В{number}", email=f"unit{number}@example.org")
        for number in (1, 2, 3)
    ]
    event = period_remind(user=secretary, period=program_content.periods[0], units=units)

    with pytest.raises(SMTPException):
        period_reminder_send(event_id=event.pk)
    assert len(mail.outbox) == 1
    assert ReminderDelivery.objects.filter(event=event).count() == 1

    assert period_reminder_send(event_id=event.pk) == 2  # the retry

    addressed = sorted(address for message in mail.outbox for address in message.to)
    assert addressed == ["unit1@example.org", "unit2@example.org", "unit3@example.org"]
    assert period_reminder_send(event_id=event.pk) == 0  # a duplicate delivery of the task sends nothing
