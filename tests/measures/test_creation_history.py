"""A measure created with its responsible units and risks is ONE history record — "created", by its author, holding
both lists — whichever way it is created (the service behind the form and the API, the Excel import, the test
factory that stands for them). Left to simple-history, the insert and each list wrote a record of their own."""

from __future__ import annotations

import pytest

from core.history import created_with_lists, history_for
from measures.models import Measure
from measures.services import measure_create
from tests.factories import MeasureFactory
from tests.measures.test_excel_import import SEED_ROWS, upload, xlsx

pytestmark = pytest.mark.django_db


def by_service(program_content, secretary, client) -> Measure:
    task = program_content.measures["unit_quarter"].task
    units = list(program_content.program.organisation.units.order_by("pk"))
    return measure_create(
        program=program_content.program,
        user=secretary,
        data={
            "task": task,
            "number": 9,
            "content": "Провести перевірку декларацій",
            "deadline_kind": "quarter",
            "deadline_part": 2,
            "responsible_units": units,
            "risks": program_content.risks,
        },
    )


def by_excel_import(program_content, secretary, client) -> Measure:
    preview_url = upload(client, program_content.program, xlsx(SEED_ROWS[:1]))["Location"]
    client.post(preview_url, {"import": "1"})
    return Measure.objects.get(content__contains="Практичні аспекти заповнення")


def by_factory(program_content, secretary, client) -> Measure:
    task = program_content.measures["unit_quarter"].task
    return MeasureFactory(
        task=task,
        number=9,
        responsible_units=list(program_content.program.organisation.units.all()),
        risks=program_content.risks,
    )


@pytest.mark.parametrize("create", [by_service, by_excel_import, by_factory])
def test_a_measure_is_created_with_its_lists_as_one_history_record(login, program_content, secretary, create):
    client = login("secretary")

    measure = create(program_content, secretary, client)

    records = list(measure.history.all())
    assert [record.history_type for record in records] == ["+"]
    record = records[0]
    assert sorted(record.responsible_units.values_list("unit_id", flat=True)) == sorted(
        measure.responsible_units.values_list("pk", flat=True)
    )
    assert sorted(record.risks.values_list("risk_id", flat=True)) == sorted(measure.risks.values_list("pk", flat=True))
    assert record.responsible_units.exists()
    if create is not by_factory:
        assert record.history_user == secretary
    assert [entry.kind for entry in history_for(measure)] == ["created"]


def test_a_creation_whose_block_fails_writes_no_record_and_leaves_history_on(program_content):
    measure = Measure(
        task=program_content.measures["unit_quarter"].task,
        number=11,
        content="Захід",
        deadline_kind="quarter",
        deadline_part=1,
    )

    def create_and_fail():
        with created_with_lists(measure):
            measure.save()
            raise RuntimeError("the units could not be set")

    with pytest.raises(RuntimeError):
        create_and_fail()

    assert not measure.history.exists()
    measure.save()  # the instance records its changes again
    assert [record.history_type for record in measure.history.all()] == ["~"]


def test_later_changes_of_the_lists_are_records_of_their_own(login, program_content, secretary):
    measure = by_service(program_content, secretary, login("secretary"))

    measure.risks.set(program_content.risks[:1])

    assert [record.history_type for record in measure.history.order_by("history_id")] == ["+", "~"]
