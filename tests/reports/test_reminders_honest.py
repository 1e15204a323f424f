"""Reminders tell the truth: a unit nobody can be mailed at is shown as such and never marked reminded; an unticked
unit is not reminded; the e-mail links to the unit's measures for the period and names its due date."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from reports.execution.grid import period_grid
from reports.execution.models import PeriodEvent, ReminderDelivery
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(settings, eager_tasks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.org"


def remind(client, period, units):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("reports:remind", args=[period.pk]), {"unit": [unit.pk for unit in units]})


def test_a_unit_without_a_reporter_or_mailbox_is_listed_as_nobody_to_remind(program_content, login, other_unit):
    # УКЕС has measures due in the І quarter, no reporter and no mailbox.
    page = login("secretary").get(reverse("reports:period", args=[program_content.periods[0].pk]))

    html = page.content.decode()
    assert f'id="remind-{other_unit.pk}"' not in html
    assert "data-nobody" in html


def test_reminding_only_such_a_unit_is_refused_and_nothing_is_recorded(mailed, program_content, login, other_unit):
    period = program_content.periods[0]

    response = remind(login("secretary"), period, [other_unit])

    assert response.status_code == 302
    assert not PeriodEvent.objects.filter(period=period, action="reminded").exists()
    assert mail.outbox == []


def test_unticked_units_are_not_reminded_and_ticking_none_reminds_nobody(
    mailed, program_content, login, reporter, reporter_unit, other_unit, organisation
):
    other_unit.email = "ukes@example.org"
    other_unit.save()
    period = program_content.periods[0]
    client = login("secretary")

    nothing = remind(client, period, [])
    only_one = remind(client, period, [other_unit])

    assert nothing.status_code == only_one.status_code == 302
    assert [message.to for message in mail.outbox] == [["ukes@example.org"]]
    assert set(PeriodEvent.objects.get(period=period, action="reminded").units.all()) == {other_unit}


def test_a_mixed_choice_reminds_the_reachable_units_and_names_the_others(
    mailed, program_content, login, reporter, reporter_unit, other_unit
):
    period = program_content.periods[0]
    client = login("secretary")

    remind(client, period, [reporter_unit, other_unit])

    assert [message.to for message in mail.outbox] == [["reporter@example.org"]]
    page = client.get(reverse("reports:period", args=[period.pk])).content.decode()
    assert "Нікому нагадати в УКЕС" in page
    assert list(ReminderDelivery.objects.values_list("unit_id", flat=True)) == [reporter_unit.pk]


def test_the_email_links_to_the_units_page_for_the_period_and_names_the_due_date(
    mailed, program_content, login, reporter, reporter_unit
):
    period = program_content.periods[0]

    remind(login("secretary"), period, [reporter_unit])

    body = mail.outbox[0].body
    assert f"https://portal.example.org/reports/periods/{period.pk}/?unit={reporter_unit.pk}" in body
    assert period.submission_due.strftime("%d.%m.%Y") in body
    assert program_content.program.title in body


def test_the_grid_marks_a_unit_reminded_only_once_its_email_went_out(
    settings, program_content, secretary, reporter, reporter_unit, organisation
):
    from reports.execution.period_services import period_remind

    period = program_content.periods[0]
    period_remind(user=secretary, period=period, units=[reporter_unit])  # recorded; the task has not run

    progress = {item.unit.pk: item for item in period_grid(user=secretary, period=period).units}
    assert progress[reporter_unit.pk].last_reminded is None

    unit = UnitFactory(organisation=organisation)  # a unit never involved stays unmarked too
    ReminderDelivery.objects.filter(event=PeriodEvent.objects.get(period=period), unit=reporter_unit).update(
        sent_at=timezone.now()
    )  # the worker mailed it
    progress = {item.unit.pk: item for item in period_grid(user=secretary, period=period).units}
    assert progress[reporter_unit.pk].last_reminded is not None
    assert unit.pk not in progress


def test_after_the_due_date_the_units_that_have_not_submitted_show_as_late(program_content, login):
    # The І quarter of 2023 was due on 15.04.2023.
    html = login("secretary").get(reverse("reports:period", args=[program_content.periods[0].pk])).content.decode()

    panel = html.split('id="not-submitted"')[1].split("</section>")[0]
    assert "data-late" in panel
