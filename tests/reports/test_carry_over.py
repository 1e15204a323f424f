"""A missed deadline stays due and overdue in later periods: the grid, the PDF's rows, the dashboard and its API say
the same, never «Строк не настав».

The small program of the conftest runs 2023–2025; a measure «до 29.03.2023» is reported «Не виконано» in the
І quarter and nothing in the ІІ quarter, as measure 3.1.3 of the demo in 2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.periods import PeriodKind
from measures.choices import DeadlineKind
from reports.choices import ExecutionStatus
from reports.dashboard.selectors import program_summary
from reports.documents.content import execution_document
from reports.execution.grid import period_grid
from tests.factories import ExecutionEntryFactory, MeasureFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

NOT_YET_DUE = "Строк не настав"
PASSED = "Строк минув 29.03.2023."


@pytest.fixture
def late_measure(program_content, reporter_unit):
    task = program_content.measures["unit_quarter"].task
    measure = MeasureFactory(
        task=task,
        number=9,
        content="Затвердити порядок ротації членів конкурсної комісії",
        deadline_kind=DeadlineKind.DATE,
        deadline_part=None,
        deadline_date=date(2023, 3, 29),
        responsible_units=[reporter_unit],
    )
    ExecutionEntryFactory(
        measure=measure,
        period=program_content.periods[0],
        status=ExecutionStatus.NOT_DONE,
        narrative="Проєкт порядку на погодженні",
        non_execution_reasons="Не погоджено юридичним управлінням",
        next_steps="Погодити у квітні",
        submitted=True,
    )
    return measure


def grid_row(period, secretary, measure):
    return next(row for row in period_grid(user=secretary, period=period).rows if row.measure.pk == measure.pk)


def document_status(program, period, measure) -> str:
    document = execution_document(program=program, period=period)
    rows = [row for section in document.sections for task in section.tasks for row in task.rows]
    return next(row.status for row in rows if row.content == measure.content)


def test_the_grid_keeps_a_missed_measure_due_and_overdue_in_the_next_quarter(program_content, late_measure, secretary):
    row = grid_row(program_content.periods[1], secretary, late_measure)

    assert row.due
    assert row.standing.carried
    assert row.standing.overdue_since == date(2023, 3, 29)
    assert row.status == "missing"
    assert row.sentence == f"Не виконано. {PASSED} Інформацію не подано."
    assert NOT_YET_DUE not in row.sentence


def test_the_grid_counts_the_carried_measure_against_its_unit(program_content, late_measure, secretary, reporter_unit):
    grid = period_grid(user=secretary, period=program_content.periods[1])

    lagging = {item.unit.pk: item for item in grid.not_submitted}
    assert reporter_unit.pk in lagging
    assert late_measure.pk in {row.measure.pk for row in grid.findings}


def test_the_execution_report_prints_the_latest_status_and_when_the_deadline_passed(program_content, late_measure):
    status = document_status(program_content.program, program_content.periods[1], late_measure)

    assert status == f"Не виконано. {PASSED} Інформацію не подано."


def test_an_entry_of_the_later_quarter_reads_with_the_passed_deadline(program_content, late_measure, secretary):
    second = program_content.periods[1]
    ExecutionEntryFactory(
        measure=late_measure,
        period=second,
        status=ExecutionStatus.PARTIALLY_DONE,
        narrative="Порядок погоджено, триває затвердження",
    )

    expected = f"Виконано частково. Порядок погоджено, триває затвердження {PASSED}"
    assert grid_row(second, secretary, late_measure).sentence == expected
    assert document_status(program_content.program, second, late_measure) == expected


def test_once_reported_done_it_is_no_longer_due_and_later_reports_say_when(program_content, late_measure, secretary):
    second = program_content.periods[1]
    ExecutionEntryFactory(measure=late_measure, period=second, status=ExecutionStatus.DONE, narrative="Затверджено")
    third = ReportingPeriodFactory(program=program_content.program, kind=PeriodKind.QUARTER, year=2023, number=3)

    assert grid_row(second, secretary, late_measure).sentence == "Виконано. Затверджено"
    row = grid_row(third, secretary, late_measure)
    assert not row.due
    assert row.sentence == "Виконано (ІІ квартал 2023 року)."
    assert document_status(program_content.program, third, late_measure) == "Виконано (ІІ квартал 2023 року)."


def test_a_measure_whose_deadline_has_not_come_still_reads_not_yet_due(program_content, secretary):
    row = grid_row(program_content.periods[0], secretary, program_content.measures["unit_year"])

    assert not row.due
    assert row.sentence == "Строк не настав."


def test_the_dashboard_lists_the_carried_measure_as_overdue(program_content, late_measure, manager):
    summary = program_summary(
        user=manager, program=program_content.program, period=program_content.periods[1], today=date(2023, 11, 28)
    )

    overdue = {item["measure"]: item for item in summary["overdue"]}
    assert overdue[late_measure.pk]["due_on"] == date(2023, 3, 29)
    assert overdue[late_measure.pk]["carried_over"] is True
    assert overdue[late_measure.pk]["status"] == "missing"
    assert summary["statuses"]["missing"] >= 1


def test_the_dashboard_api_and_the_grid_page_agree(program_content, late_measure, login):
    second = program_content.periods[1]

    response = login("manager").get(
        "/api/v1/dashboard/summary/", {"program": program_content.program.pk, "period": second.pk}
    )
    page = login("secretary").get(f"/reports/periods/{second.pk}/")

    assert response.status_code == 200
    assert late_measure.pk in {item["measure"] for item in response.json()["overdue"]}
    assert page.status_code == 200
    html = page.content.decode()
    assert "строк минув 29.03.2023" in html
