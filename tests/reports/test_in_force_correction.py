"""Correcting the date a program came into force (reports/execution/in_force.py): the periods follow the new date,
and nothing anyone recorded in a period is lost when a later date leaves that period out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.concurrency import ConcurrentEditError
from core.periods import PeriodKind
from programs.choices import ProgramStatus
from reports.choices import PeriodState
from reports.execution.in_force import program_in_force_correct
from reports.execution.models import ReportingPeriod
from reports.execution.periods_create import reporting_periods_create
from tests.factories import (
    ExecutionEntryFactory,
    GeneratedReportFactory,
    MeasureFactory,
    MeetingFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

Q1, Q2, Q3, Q4 = ((2025, PeriodKind.QUARTER, n) for n in (1, 2, 3, 4))
H1, H2 = ((2025, PeriodKind.HALF_YEAR, n) for n in (1, 2))
YEAR = (2025, PeriodKind.YEAR, 1)
ALL_2025 = {Q1, Q2, Q3, Q4, H1, H2, YEAR}


def _periods(program) -> set[tuple]:
    return set(program.periods.values_list("year", "kind", "number"))


def _period(program, key) -> ReportingPeriod:
    year, kind, number = key
    return program.periods.get(year=year, kind=kind, number=number)


def _entry_in(program, key):
    measure = MeasureFactory(task__section__program=program)
    return ExecutionEntryFactory(measure=measure, period=_period(program, key))


def _state(program, key, state):
    ReportingPeriod.objects.filter(pk=_period(program, key).pk).update(state=state)


def _report_for(program, key):
    GeneratedReportFactory(organisation=program.organisation, program=program, period=_period(program, key))


def _decision_on(program, key):
    meeting = MeetingFactory(commission__organisation=program.organisation)
    return meeting.items.create(position=1, title="Звіт", period=_period(program, key))


def _approved(program, key):
    decision = _decision_on(program, key)
    ReportingPeriod.objects.filter(pk=decision.period_id).update(
        state=PeriodState.APPROVED, approval_decision=decision, approved_at=timezone.now()
    )


# From → to, what was recorded beforehand in which period, → the periods afterwards, the ones kept despite the date.
CASES = [
    ("earlier opens what it brings in", date(2025, 8, 20), date(2025, 2, 1), None, None, ALL_2025, set()),
    ("earlier within the same quarter", date(2025, 8, 20), date(2025, 7, 1), None, None, {Q3, Q4, H2, YEAR}, set()),
    ("later removes untouched periods", date(2025, 2, 1), date(2025, 8, 20), None, None, {Q3, Q4, H2, YEAR}, set()),
    (
        "later keeps a quarter with an entry",
        date(2025, 2, 1),
        date(2025, 8, 20),
        _entry_in,
        Q1,
        {Q1, Q3, Q4, H2, YEAR},
        {Q1},
    ),
    (
        "later keeps a quarter under review",
        date(2025, 2, 1),
        date(2025, 8, 20),
        lambda p, k: _state(p, k, PeriodState.UNDER_REVIEW),
        Q2,
        {Q2, Q3, Q4, H2, YEAR},
        {Q2},
    ),
    (
        "later keeps an approved half-year",
        date(2025, 2, 1),
        date(2025, 8, 20),
        _approved,
        H1,
        {H1, Q3, Q4, H2, YEAR},
        {H1},
    ),
    (
        "later keeps a quarter with a report document",
        date(2025, 2, 1),
        date(2025, 8, 20),
        _report_for,
        Q1,
        {Q1, Q3, Q4, H2, YEAR},
        {Q1},
    ),
    (
        "later keeps a quarter a decision names",
        date(2025, 2, 1),
        date(2025, 8, 20),
        _decision_on,
        Q2,
        {Q2, Q3, Q4, H2, YEAR},
        {Q2},
    ),
    ("last day of a quarter keeps it", date(2025, 2, 1), date(2025, 6, 30), None, None, ALL_2025 - {Q1}, set()),
    ("first day of the next drops it", date(2025, 2, 1), date(2025, 7, 1), None, None, {Q3, Q4, H2, YEAR}, set()),
    ("a date in the year before opens every period", date(2025, 8, 20), date(2024, 11, 3), None, None, ALL_2025, set()),
]


@pytest.fixture
def program_in_force(organisation):
    def make(on: date):
        program = ProgramFactory(
            organisation=organisation, status=ProgramStatus.IN_FORCE, start_year=2025, end_year=2025, in_force_on=on
        )
        reporting_periods_create(program=program)
        return program

    return make


@pytest.mark.parametrize(
    ("case", "was", "becomes", "record", "recorded_in", "expected", "kept"), CASES, ids=[row[0] for row in CASES]
)
def test_the_periods_follow_the_corrected_date_and_recorded_ones_stay(
    program_in_force, secretary, case, was, becomes, record, recorded_in, expected, kept
):
    program = program_in_force(was)
    if record is not None:
        record(program, recorded_in)
    entries_before = set(program.periods.values_list("entries__pk", flat=True)) - {None}

    correction = program_in_force_correct(
        program=program,
        user=secretary,
        in_force_on=becomes,
        reason="Наказ від 01.02.2025",
        expected_version=program.version,
    )

    assert _periods(program) == expected
    assert {(p.year, p.kind, p.number) for p in correction.kept} == kept
    assert set(program.periods.values_list("entries__pk", flat=True)) - {None} == entries_before
    program.refresh_from_db()
    assert program.in_force_on == becomes
    assert program.history.first().history_change_reason == "Наказ від 01.02.2025"


def test_opened_and_removed_periods_are_named(program_in_force, secretary):
    program = program_in_force(date(2025, 2, 1))

    later = program_in_force_correct(
        program=program,
        user=secretary,
        in_force_on=date(2025, 4, 2),
        reason="Помилка",
        expected_version=program.version,
    )
    earlier = program_in_force_correct(
        program=program,
        user=secretary,
        in_force_on=date(2025, 1, 1),
        reason="Помилка",
        expected_version=program.version,
    )

    assert later.removed == [str(ReportingPeriod(program=program, kind=PeriodKind.QUARTER, year=2025, number=1))]
    assert [(p.kind, p.number) for p in earlier.opened] == [(PeriodKind.QUARTER, 1)]


TODAY = timezone.localdate()
REFUSALS = [
    ("no date", ProgramStatus.IN_FORCE, None, "причина", "in_force_on"),
    ("a future date", ProgramStatus.IN_FORCE, TODAY + timedelta(days=1), "причина", "in_force_on"),
    ("after the last year", ProgramStatus.IN_FORCE, date(TODAY.year + 1, 1, 2), "причина", "in_force_on"),
    ("the same date", ProgramStatus.IN_FORCE, date(2025, 2, 1), "причина", "in_force_on"),
    ("no reason", ProgramStatus.IN_FORCE, date(2025, 3, 1), "  ", "reason"),
    ("a draft", ProgramStatus.DRAFT, date(2025, 3, 1), "причина", "__all__"),
    ("a program no longer in force", ProgramStatus.EXPIRED, date(2025, 3, 1), "причина", "__all__"),
]


@pytest.mark.parametrize(("case", "status", "on", "reason", "field"), REFUSALS, ids=[row[0] for row in REFUSALS])
def test_a_correction_that_cannot_be_right_is_refused_and_nothing_changes(
    organisation, secretary, case, status, on, reason, field
):
    program = ProgramFactory(
        organisation=organisation, status=status, start_year=2025, end_year=TODAY.year, in_force_on=date(2025, 2, 1)
    )
    reporting_periods_create(program=program)
    before = (date(2025, 2, 1), program.version, _periods(program))

    with pytest.raises(ValidationError) as refused:
        program_in_force_correct(
            program=program, user=secretary, in_force_on=on, reason=reason, expected_version=program.version
        )

    assert field in refused.value.message_dict
    program.refresh_from_db()
    assert (program.in_force_on, program.version, _periods(program)) == before


def test_a_stale_version_is_refused(program_in_force, secretary):
    program = program_in_force(date(2025, 2, 1))

    with pytest.raises(ConcurrentEditError):
        program_in_force_correct(
            program=program,
            user=secretary,
            in_force_on=date(2025, 8, 1),
            reason="причина",
            expected_version=program.version + 7,
        )

    assert _periods(program) == ALL_2025


def test_the_secretary_corrects_the_date_on_the_page(login, organisation, program_in_force):
    program = program_in_force(date(2025, 8, 20))
    client = login("secretary")
    assert "/in-force/" in client.get(f"/programs/{program.pk}/").content.decode()

    response = client.post(
        f"/reports/programs/{program.pk}/in-force/",
        {"in_force_on": "2025-02-01", "reason": "Наказ № 7-од від 01.02.2025", "version": program.version},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/programs/{program.pk}/"
    assert "Дату набрання чинності виправлено." in page
    assert "01.02.2025" in page
    assert _periods(program) == ALL_2025


def test_the_page_shows_field_errors_in_ukrainian_and_keeps_what_was_typed(login, program_in_force):
    program = program_in_force(date(2025, 8, 20))

    response = login("secretary").post(
        f"/reports/programs/{program.pk}/in-force/",
        {"in_force_on": "2025-02-01", "reason": "", "version": program.version},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Це поле обов&#x27;язкове." in page
    assert 'value="2025-02-01"' in page
    assert _periods(program) == {Q3, Q4, H2, YEAR}


def test_the_api_corrects_the_date_and_names_the_periods(api, program_in_force):
    program = program_in_force(date(2025, 2, 1))
    _entry_in(program, Q1)

    response = api("secretary").post(
        f"/api/v1/programs/{program.pk}/in-force/",
        {"in_force_on": "2025-08-20", "reason": "Наказ", "version": program.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["program"]["in_force_on"] == "2025-08-20"
    assert len(body["kept"]) == 1
    assert len(body["removed"]) == 2  # the second quarter and the first half-year
    assert _periods(program) == {Q1, Q3, Q4, H2, YEAR}


def test_the_api_refuses_a_future_date_with_a_field_error(api, program_in_force):
    program = program_in_force(date(2025, 2, 1))

    response = api("secretary").post(
        f"/api/v1/programs/{program.pk}/in-force/",
        {"in_force_on": (TODAY + timedelta(days=3)).isoformat(), "reason": "Наказ", "version": program.version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )

    assert response.status_code == 400
    assert "in_force_on" in response.json()["fields"]
    assert _periods(program) == ALL_2025
