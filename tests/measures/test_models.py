"""Measures: the database refuses incomplete deadlines; a measure reads its deadline the way a report does."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from measures.choices import DeadlineKind
from measures.models import Measure
from measures.selectors import measure_list, measure_sections_with_measures
from tests.factories import MeasureFactory, ProgramFactory, RiskFactory, TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "deadline",
    [
        {"deadline_kind": DeadlineKind.QUARTER, "deadline_part": None},
        {"deadline_kind": DeadlineKind.QUARTER, "deadline_part": 5},
        {"deadline_kind": DeadlineKind.QUARTER, "deadline_part": 0},
        {"deadline_kind": DeadlineKind.HALF_YEAR, "deadline_part": 3},
        {"deadline_kind": DeadlineKind.HALF_YEAR, "deadline_part": None},
        {"deadline_kind": DeadlineKind.DATE, "deadline_part": None, "deadline_date": None},
        {"deadline_kind": DeadlineKind.AFTER_EVENT, "deadline_part": None, "deadline_days": 0},
        {"deadline_kind": DeadlineKind.BEFORE_EVENT, "deadline_part": None, "deadline_days": 0},
        {"deadline_kind": DeadlineKind.AFTER_EVENT, "deadline_part": None, "deadline_days": None},
        {"deadline_kind": "weekly", "deadline_part": None},
    ],
    ids=[
        "quarter-without-quarter",
        "quarter-5",
        "quarter-0",
        "half-year-3",
        "half-year-without-half",
        "date-without-date",
        "after-event-0-days",
        "before-event-0-days",
        "after-event-without-days",
        "unknown-kind",
    ],
)
def test_an_incomplete_deadline_is_refused(deadline):
    task = TaskFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureFactory(task=task, **deadline)


@pytest.mark.parametrize(
    "deadline",
    [
        {"deadline_kind": DeadlineKind.QUARTER, "deadline_part": 4},
        {"deadline_kind": DeadlineKind.HALF_YEAR, "deadline_part": 2, "deadline_year": 2024},
        {"deadline_kind": DeadlineKind.DATE, "deadline_part": None, "deadline_date": dt.date(2024, 5, 15)},
        {"deadline_kind": DeadlineKind.AFTER_EVENT, "deadline_part": None, "deadline_days": 3},
        {"deadline_kind": DeadlineKind.CONTINUOUS, "deadline_part": None},
    ],
    ids=["quarter", "half-year", "date", "after-event", "continuous"],
)
def test_a_complete_deadline_is_accepted(deadline):
    measure = MeasureFactory(**deadline)

    assert measure.deadline.validate() == []


def test_two_measures_of_one_task_cannot_share_a_number():
    measure = MeasureFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureFactory(task=measure.task, number=1)


def test_several_unnumbered_measures_may_share_a_task():
    task = TaskFactory()
    MeasureFactory(task=task, number=None)
    MeasureFactory(task=task, number=None)

    assert Measure.objects.filter(task=task).count() == 2


def test_a_measure_reads_its_deadline_with_the_years_of_its_program():
    program = ProgramFactory(start_year=2020, end_year=2022)
    measure = MeasureFactory(
        task__section__program=program, deadline_kind=DeadlineKind.PROGRAM_PERIOD, deadline_part=None
    )

    with translation.override("en"):
        assert measure.deadline_phrase() == "January–December 2020–2022"


def test_a_measure_keeps_its_responsible_units_and_treated_risks():
    program = ProgramFactory()
    units = UnitFactory.create_batch(2, organisation=program.organisation)
    risk = RiskFactory(program=program)
    measure = MeasureFactory(task__section__program=program, responsible_units=units, risks=[risk])

    assert set(measure.responsible_units.all()) == set(units)
    assert list(measure.risks.all()) == [risk]
    assert list(risk.measures.all()) == [measure]


def test_the_label_numbers_measures_as_the_seed_program_does():
    assert MeasureFactory(number=2).label == "2)"
    assert MeasureFactory(number=None).label == ""


def test_the_secretary_gets_sections_tasks_and_measures_in_document_order(program_content, secretary):
    sections = measure_sections_with_measures(user=secretary, program=program_content.program)

    assert [section.number for section in sections] == [1, 2]
    assert [[measure.number for measure in task.visible_measures] for task in sections[0].visible_tasks] == [[1, 2, 3]]
    assert [measure.content for measure in sections[1].visible_tasks[0].visible_measures] == [
        "Провести навчання для членів конкурсної комісії",
        "Провести семінар з питань етичної поведінки",
    ]


def test_a_reporter_gets_only_the_sections_and_tasks_holding_measures_of_their_unit(program_content, reporter):
    sections = measure_sections_with_measures(user=reporter, program=program_content.program)
    contents = [
        measure.content for section in sections for task in section.visible_tasks for measure in task.visible_measures
    ]

    assert contents == [
        "Провести перевірку кандидатів на зайняття посад",
        "Повідомляти НАЗК про виявлені порушення",
        "Провести семінар з питань етичної поведінки",
    ]


def test_measure_list_is_limited_to_the_program_asked_for(program_content, other_program_content, superuser):
    measures = measure_list(user=superuser, program=program_content.program)

    assert set(measures.values_list("pk", flat=True)) == program_content.measure_ids()
