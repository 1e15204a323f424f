"""The measures pages: the structured deadline editor, concurrency, filters, history and query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.history import history_for
from measures.choices import DeadlineKind
from measures.models import Measure, Task
from tests.factories import UnitFactory, bulk_measures

pytestmark = pytest.mark.django_db


def measure_data(program_content, **overrides):
    task = Task.objects.filter(section__program=program_content.program).order_by("section__number", "number")[0]
    data = {
        "task": task.pk,
        "content": "Провести навчання з питань доброчесності",
        "deadline_kind": DeadlineKind.QUARTER,
        "deadline_part": 2,
        "responsible_units": [program_content.measures["unit_quarter"].responsible_units.get().pk],
        "risks": [program_content.risks[1].pk],
        "indicator": "Проведено навчання",
    }
    data.update(overrides)
    return data


def test_the_preview_shows_the_deadline_phrase_and_the_quarters_it_is_due_in_without_saving(login, program_content):
    program = program_content.program
    before = Measure.objects.count()

    response = login("secretary").post(
        reverse("measures:create", args=[program.pk]),
        {**measure_data(program_content), "preview": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["phrase"] == "II quarter"
    assert preview["periods"] == ["II quarter of 2023", "II quarter of 2024", "II quarter of 2025"]
    assert Measure.objects.count() == before


def test_the_secretary_adds_a_measure_treating_a_risk(login, program_content, secretary):
    program = program_content.program

    response = login("secretary").post(reverse("measures:create", args=[program.pk]), measure_data(program_content))

    measure = Measure.objects.get(content="Провести навчання з питань доброчесності")
    assert response.status_code == 302
    assert (measure.deadline_kind, measure.deadline_part) == (DeadlineKind.QUARTER, 2)
    assert list(measure.risks.all()) == [program_content.risks[1]]
    assert measure.history.first().history_user == secretary


def test_a_quarter_deadline_without_the_quarter_is_refused_next_to_the_field_keeping_the_text(login, program_content):
    data = measure_data(program_content, deadline_part="")

    url = reverse("measures:create", args=[program_content.program.pk])
    response = login("secretary").post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.context["form"].errors["deadline_part"] == ["Choose the quarter (1 to 4)."]
    assert "Провести навчання з питань доброчесності" in response.content.decode()


def test_a_unit_of_another_organisation_is_refused(login, program_content, other_program_content):
    foreign = other_program_content.measures["unit_quarter"].responsible_units.get()
    data = measure_data(program_content, responsible_units=[foreign.pk])

    response = login("secretary").post(reverse("measures:create", args=[program_content.program.pk]), data)

    assert response.status_code == 400
    assert "responsible_units" in response.context["form"].errors


def test_irrelevant_deadline_fields_are_cleared_for_the_chosen_kind(login, program_content):
    data = measure_data(program_content, deadline_kind=DeadlineKind.CONTINUOUS, deadline_part=3, deadline_days=5)

    login("secretary").post(reverse("measures:create", args=[program_content.program.pk]), data)

    measure = Measure.objects.get(content="Провести навчання з питань доброчесності")
    assert (measure.deadline_part, measure.deadline_days) == (None, None)


def test_the_second_of_two_concurrent_measure_edits_is_refused(login, program_content):
    program, measure = program_content.program, program_content.measures["unit_quarter"]
    url = reverse("measures:update", args=[program.pk, measure.pk])
    version = measure.version

    first = login("secretary").post(url, measure_data(program_content, content="Перша", version=version))
    second = login("admin_user").post(url, measure_data(program_content, content="Друга", version=version))

    measure.refresh_from_db()
    assert (first.status_code, second.status_code) == (302, 409)
    assert measure.content == "Перша"
    assert "Друга" in second.content.decode()


def test_the_history_of_a_measure_shows_who_changed_what_from_what_to_what(login, program_content, secretary):
    program, measure = program_content.program, program_content.measures["unit_quarter"]
    url = reverse("measures:update", args=[program.pk, measure.pk])
    login("secretary").post(url, measure_data(program_content, content="Нова редакція", version=measure.version))

    with translation.override("en"):
        entries = history_for(measure)

    changed = {change.field: (change.old, change.new) for change in entries[0].changes}
    assert entries[0].who == secretary.get_full_name()
    assert changed["Content of the measure"] == ("Провести перевірку кандидатів на зайняття посад", "Нова редакція")
    assert changed["Risks treated"] == (
        "1. Вплив на членів конкурсної комісії",
        "2. Неповне оприлюднення публічної інформації",
    )


def test_history_takes_the_same_number_of_queries_for_many_changes(program_content, django_assert_max_num_queries):
    measure = program_content.measures["unit_quarter"]
    units = list(measure.task.section.program.organisation.units.all())
    with CaptureQueriesContext(connection) as few:
        history_for(measure)
    before = measure.history.latest("history_id").history_id
    for index in range(30):
        measure.content = f"Редакція {index}"
        measure.save()
        measure.responsible_units.set(units[: index % 2 + 1])
    # One person's quick saves, 50 ms apart (all within SAME_EDIT of the last), long after the measure was created:
    # how fast this machine wrote the records must not decide whether they read as one edit.
    now = timezone.now()
    measure.history.filter(history_id__lte=before).update(history_date=now - dt.timedelta(hours=1))
    for step, record in enumerate(measure.history.filter(history_id__gt=before).order_by("history_id")):
        measure.history.filter(history_id=record.history_id).update(
            history_date=now + dt.timedelta(milliseconds=50 * step)
        )

    with django_assert_max_num_queries(len(few) + 2):  # + the related objects of changes that now exist
        entries = history_for(measure)
    # Saves seconds apart by one person read as one edit: from the first value to the last.
    assert entries[0].changes[0].new == "Редакція 29"


def test_measures_filter_by_the_period_they_are_due_in_unit_and_risk(login, program_content):
    program = program_content.program
    client = login("commission")
    url = reverse("measures:list", args=[program.pk])

    def contents(**params):
        return {measure.content for measure in client.get(url, params).context["page"].object_list}

    due_q1 = contents(due_in="2024-Q1")
    assert "Провести перевірку кандидатів на зайняття посад" in due_q1  # І квартал
    assert "Оприлюднювати звіти про виконання програми на вебсайті" not in due_q1  # every half-year
    assert "Провести семінар з питань етичної поведінки" not in due_q1  # during the year: due in Q4
    assert contents(risk=program_content.risks[1].pk) == {
        "Оприлюднювати звіти про виконання програми на вебсайті",
        "Повідомляти НАЗК про виявлені порушення",
    }
    assert contents(q="семінар") == {"Провести семінар з питань етичної поведінки"}


def test_the_measures_list_makes_as_many_queries_for_300_measures_as_for_10(
    login, program_content, django_assert_max_num_queries
):
    program = program_content.program
    units = [UnitFactory(organisation=program.organisation) for _ in range(3)]
    client = login("secretary")
    url = reverse("measures:list", args=[program.pk])
    bulk_measures(program, units, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    bulk_measures(program, units, 300)

    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 310
