"""A reporting year that runs itself: a program entering into force gets its periods, a quarter opens to units on its
first day (or earlier, by the secretary), and the scheduler reminds units before the due date and after it.

Everything here starts from an EMPTY database: an organisation, its people and a program made through the services.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from core.periods import PeriodKind
from measures.choices import DeadlineKind
from programs.choices import ProgramStatus, RevisionGround
from programs.services import program_revision_open, program_transition, program_update
from reports.choices import ExecutionStatus, PeriodAction
from reports.execution.automation import period_open_early, periods_remind
from reports.execution.models import PeriodEvent, ReportingPeriod
from reports.execution.services import PeriodLockedError, entry_save_draft
from tests.factories import MeasureFactory, ProgramFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def bring_into_force(program, user):
    for status in (ProgramStatus.APPROVED, ProgramStatus.IN_FORCE):
        program_transition(
            program=program,
            to_status=status,
            user=user,
            document_number="1-од" if status == ProgramStatus.APPROVED else None,
            # In force from the order's date: every quarter of the years is reported (tests/reports/test_in_force.py).
            document_date=date(THIS_YEAR, 1, 2),
        )


@pytest.fixture
def draft(organisation, secretary):
    return ProgramFactory(
        organisation=organisation, status=ProgramStatus.DRAFT, start_year=THIS_YEAR, end_year=THIS_YEAR + 1
    )


def test_a_program_entering_into_force_gets_every_quarter_half_year_and_year(draft, secretary):
    assert not ReportingPeriod.objects.filter(program=draft).exists()

    bring_into_force(draft, secretary)

    periods = ReportingPeriod.objects.filter(program=draft)
    counts = {kind: periods.filter(kind=kind).count() for kind in PeriodKind.values}
    assert counts == {PeriodKind.QUARTER: 8, PeriodKind.HALF_YEAR: 4, PeriodKind.YEAR: 2}
    first = periods.get(kind=PeriodKind.QUARTER, year=THIS_YEAR, number=1)
    assert first.submission_due == date(THIS_YEAR, 4, 15)


def test_a_revision_that_adds_a_year_adds_its_periods_and_keeps_the_others(draft, secretary):
    bring_into_force(draft, secretary)
    draft.refresh_from_db()
    before = set(ReportingPeriod.objects.filter(program=draft).values_list("pk", flat=True))

    # The years change under a revision, as the program's edit page does it.
    revision = program_revision_open(
        program=draft, user=secretary, ground=RevisionGround.NEW_RISKS, ground_arose_on=timezone.localdate()
    )
    program_transition(program=draft, to_status=ProgramStatus.UNDER_REVISION, user=secretary, reason="Нові ризики")
    draft.refresh_from_db()
    program_update(
        program=draft,
        user=secretary,
        data={"end_year": THIS_YEAR + 2},
        expected_version=draft.version,
        revision=revision,
    )

    after = ReportingPeriod.objects.filter(program=draft)
    assert before < set(after.values_list("pk", flat=True))
    assert after.filter(year=THIS_YEAR + 2, kind=PeriodKind.QUARTER).count() == 4


def test_a_draft_program_has_no_periods_yet(draft):
    assert not ReportingPeriod.objects.filter(program=draft).exists()


@pytest.fixture
def future_quarter(organisation, reporter_unit, secretary):
    program = ProgramFactory(organisation=organisation, start_year=THIS_YEAR + 1, end_year=THIS_YEAR + 1)
    bring_into_force_from = ProgramStatus.IN_FORCE
    program.status = bring_into_force_from
    program.save()
    from reports.execution.periods_create import reporting_periods_create

    reporting_periods_create(program=program)
    measure = MeasureFactory(
        task__section__program=program,
        deadline_kind=DeadlineKind.CONTINUOUS,
        deadline_part=None,
        responsible_units=[reporter_unit],
    )
    period = ReportingPeriod.objects.get(program=program, kind=PeriodKind.QUARTER, number=1)
    return period, measure


def test_units_cannot_report_before_the_quarter_begins_until_the_secretary_opens_it(
    future_quarter, reporter, secretary, english_messages
):
    period, measure = future_quarter
    changes = {"status": ExecutionStatus.IN_PROGRESS, "narrative": "Готуємо"}

    with pytest.raises(PeriodLockedError, match=r"opens to units on 01\.01\."):
        entry_save_draft(user=reporter, measure=measure, period=period, changes=changes, expected_version=0)
    period_open_early(user=secretary, period=period)
    entry = entry_save_draft(user=reporter, measure=measure, period=period, changes=changes, expected_version=0)

    assert entry.narrative == "Готуємо"
    assert period.events.filter(action=PeriodAction.OPENED_EARLY, by=secretary).exists()
    with pytest.raises(ValidationError):
        period_open_early(user=secretary, period=period)


@pytest.mark.parametrize(("persona", "status"), [("secretary", 302), ("reporter", 403), ("outsider", 404)])
def test_only_the_secretary_opens_a_quarter_early(future_quarter, login, persona, status):
    period, _measure = future_quarter

    response = login(persona).post(reverse("reports:open-early", args=[period.pk]))

    assert response.status_code == status
    period.refresh_from_db()
    assert (period.opened_early_on is not None) is (persona == "secretary")


def test_the_grid_says_when_a_future_quarter_opens(future_quarter, login):
    period, _measure = future_quarter

    html = login("secretary").get(reverse("reports:period", args=[period.pk])).content.decode()

    assert "data-not-begun" in html
    assert reverse("reports:open-early", args=[period.pk]) in html


# --- the scheduler's reminders -------------------------------------------------------------------------------------


@pytest.fixture
def reminding(settings, eager_tasks, organisation, reporter_unit, reporter):
    """A 2024 program in force with one continuous measure of УП, whose reporter has an e-mail address."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    program = ProgramFactory(organisation=organisation, start_year=2024, end_year=2024, reminder_days_before=5)
    from reports.execution.periods_create import reporting_periods_create

    reporting_periods_create(program=program)
    MeasureFactory(
        task__section__program=program,
        deadline_kind=DeadlineKind.CONTINUOUS,
        deadline_part=None,
        responsible_units=[reporter_unit],
    )
    return program


@pytest.fixture
def run(monkeypatch):
    """The scheduler's job on a given day: the clock (outside the project) reads that morning."""

    def run_on(today: date):
        morning = timezone.make_aware(datetime.combine(today, time(7, 0)))
        monkeypatch.setattr(timezone, "now", lambda: morning)
        with TestCase.captureOnCommitCallbacks(execute=True):
            return periods_remind()

    return run_on


# The ІІ quarter of 2024 is due on 15.07.2024 (a Monday). (day, reminders before the due date, overdue reminders)
SCHEDULE = [
    (date(2024, 7, 1), 0, 0),  # 10 working days before: too early
    (date(2024, 7, 8), 1, 0),  # 5 working days before: reminded
    (date(2024, 7, 9), 0, 0),  # already reminded for this quarter
    (date(2024, 7, 15), 0, 0),  # the due date itself
    (date(2024, 7, 16), 0, 1),  # late: reminded
    (date(2024, 7, 19), 0, 0),  # 3 working days after the last reminder
    (date(2024, 7, 23), 0, 1),  # 5 working days after it: reminded again
]


def test_the_scheduler_reminds_before_the_due_date_and_late_units_after_it(reminding, run):
    second = ReportingPeriod.objects.get(program=reminding, kind=PeriodKind.QUARTER, number=2)
    # Earlier quarters are approved elsewhere in the story: only the ІІ quarter is open for reporting here.
    ReportingPeriod.objects.filter(program=reminding).exclude(pk=second.pk).update(state="under_review")

    for day, before, after in SCHEDULE:
        result = run(day)
        assert (len(result.due_soon), len(result.overdue)) == (before, after), day

    events = PeriodEvent.objects.filter(period=second).order_by("at")
    assert [event.action for event in events] == [
        PeriodAction.AUTO_REMINDED,
        PeriodAction.OVERDUE_REMINDED,
        PeriodAction.OVERDUE_REMINDED,
    ]
    assert all(event.by is None for event in events)
    assert len(mail.outbox) == 3
    assert mail.outbox[0].to == ["reporter@example.org"]
    assert "15.07.2024" in mail.outbox[0].body


def test_only_the_latest_overdue_quarter_of_a_program_is_mailed_about(reminding, run):
    result = run(date(2024, 11, 28))

    assert result.overdue == [ReportingPeriod.objects.get(program=reminding, kind=PeriodKind.QUARTER, number=3).pk]
    assert len(mail.outbox) == 1


def test_a_unit_nobody_can_be_mailed_at_is_not_recorded_as_reminded(reminding, reporter, run):
    reporter.email = ""
    reporter.save()

    result = run(date(2024, 7, 8))

    assert result.due_soon == []
    assert not PeriodEvent.objects.filter(action=PeriodAction.AUTO_REMINDED).exists()


def test_programs_not_in_force_are_left_alone(reminding, run):
    reminding.status = ProgramStatus.EXPIRED
    reminding.save()

    assert run(date(2024, 7, 8)).due_soon == []


def test_the_daily_jobs_run_from_the_command_line_and_from_beat(reminding, capsys):
    call_command("run_daily_jobs")

    assert "Reminders before the due date" in capsys.readouterr().out
    schedule = django_settings.CELERY_BEAT_SCHEDULE["daily-jobs"]
    assert schedule["task"] == "reports.tasks.daily_jobs"
