"""Responsible units keep the order the measure lists them (seed 001: ВПЗВК, УП, УКЕС, ДІТЗІ — the lead unit first),
through the form, the API, the Excel import and into the reports; the migration numbered the existing links."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from measures.models import Measure, MeasureUnit
from measures.services import measure_units_set
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(organisation, reporter_unit, other_unit):
    """Four units whose alphabetical order is not the program's order (УП and УКЕС are the program's own)."""
    lead, last = (UnitFactory(organisation=organisation, abbreviation=name) for name in ("ВПЗВК", "ДІТЗІ"))
    return [lead, reporter_unit, other_unit, last]


@pytest.fixture
def measure(program_content):
    return program_content.measures["unit_quarter"]


def abbreviations(measure: Measure) -> list[str]:
    return [unit.abbreviation for unit in Measure.objects.get(pk=measure.pk).ordered_units()]


def test_the_service_keeps_the_order_given_and_records_it_in_the_history(measure, units):
    before = measure.history.count()

    measure_units_set(measure=measure, units=units)
    measure_units_set(measure=measure, units=units)  # the same list again writes nothing

    assert abbreviations(measure) == ["ВПЗВК", "УП", "УКЕС", "ДІТЗІ"]
    assert measure.history.count() == before + 1
    assert [link.position for link in MeasureUnit.objects.filter(measure=measure).order_by("position")] == [1, 2, 3, 4]


def test_reordering_alone_is_a_change(measure, units):
    measure_units_set(measure=measure, units=units)

    measure_units_set(measure=measure, units=[units[3], *units[:3]])

    assert abbreviations(measure) == ["ДІТЗІ", "ВПЗВК", "УП", "УКЕС"]


def test_the_form_keeps_the_order_the_units_were_sent_in(login, program_content, measure, units):
    data = {
        "version": measure.version,
        "task": measure.task_id,
        "content": measure.content,
        "deadline_kind": measure.deadline_kind,
        "deadline_part": measure.deadline_part or "",
        "deadline_year": measure.deadline_year or "",
        "responsible_units": [units[2].pk, units[0].pk, units[3].pk],
    }

    response = login("secretary").post(
        reverse("measures:update", args=[measure.task.section.program_id, measure.pk]), data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert abbreviations(measure) == ["УКЕС", "ВПЗВК", "ДІТЗІ"]


def test_the_edit_page_lists_the_measures_units_first_in_their_order(login, measure, units):
    measure_units_set(measure=measure, units=[units[3], units[1]])

    page = login("secretary").get(reverse("measures:update", args=[measure.task.section.program_id, measure.pk]))
    choices = [choice.data["label"].split(" — ")[0] for choice in page.context["form"]["responsible_units"]]

    assert choices[:2] == ["ДІТЗІ", "УП"]


def test_the_api_keeps_the_order_of_the_list(api, measure, units):
    response = api("secretary").patch(
        f"/api/v1/measures/{measure.pk}/",
        {"responsible_units": [units[1].pk, units[0].pk], "version": measure.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert abbreviations(measure) == ["УП", "ВПЗВК"]


def test_the_migration_numbers_existing_links_in_the_order_reports_printed_them(measure, units):
    MeasureUnit.objects.filter(measure=measure).delete()
    MeasureUnit.objects.bulk_create(MeasureUnit(measure=measure, unit=unit, position=0) for unit in units)
    migration = importlib.import_module("measures.migrations.0004_measure_units_in_order")

    migration.number_existing_links(apps, None)

    assert abbreviations(measure) == ["ВПЗВК", "ДІТЗІ", "УКЕС", "УП"]


def test_an_excel_import_keeps_the_order_of_the_cell_and_a_reordering_is_a_change(
    login, program_content, measure, units
):
    from tests.measures.test_excel_import import as_upload, edited_export, upload

    client = login("secretary")
    workbook, line = edited_export(client, program_content.program, measure, 4, "ДІТЗІ\nВПЗВК")

    preview_url = upload(client, program_content.program, as_upload(workbook))["Location"]
    rows = {row.line: row for row in client.get(preview_url).context["preview"].rows}
    client.post(preview_url, {"import": "1"})

    assert [change.new for change in rows[line].changes] == ["ДІТЗІ, ВПЗВК"]
    assert abbreviations(measure) == ["ДІТЗІ", "ВПЗВК"]


def test_the_form_orders_the_units_by_the_places_typed_next_to_them(login, measure, units):
    data = {
        "version": measure.version,
        "task": measure.task_id,
        "content": measure.content,
        "deadline_kind": measure.deadline_kind,
        "deadline_part": measure.deadline_part or "",
        "deadline_year": measure.deadline_year or "",
        "responsible_units": [unit.pk for unit in units],
        f"unit-place-{units[3].pk}": "1",
        f"unit-place-{units[1].pk}": "2",
        f"unit-place-{units[0].pk}": "3",
    }
    client = login("secretary")

    response = client.post(reverse("measures:update", args=[measure.task.section.program_id, measure.pk]), data)
    page = client.get(reverse("measures:update", args=[measure.task.section.program_id, measure.pk]))

    assert response.status_code == 302
    # Numbered first by their places, the unnumbered УКЕС last.
    assert abbreviations(measure) == ["ДІТЗІ", "УП", "ВПЗВК", "УКЕС"]
    assert f'name="unit-place-{units[3].pk}" value="1"' in page.content.decode()
