"""The secretary narrows the grid by unit, section, status and submission."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def grid_measures(client, period, **params) -> set[int]:
    response = client.get(reverse("reports:period", args=[period.pk]), params)
    assert response.status_code == 200
    return {row.measure.pk for row in response.context["rows"]}


def test_the_grid_filters_by_unit(login, program_content, first_quarter, reporter_unit):
    shown = grid_measures(login("secretary"), first_quarter, unit=reporter_unit.pk)

    assert shown == program_content.measure_ids("unit_quarter", "shared_event", "unit_year")


def test_the_grid_filters_by_section(login, program_content, first_quarter):
    training = program_content.measures["unit_year"].task.section

    shown = grid_measures(login("secretary"), first_quarter, section=training.pk)

    assert shown == program_content.measure_ids("other_training", "unit_year")


def test_the_grid_filters_by_status(login, program_content, first_quarter):
    assert grid_measures(login("secretary"), first_quarter, status="done") == program_content.measure_ids(
        "unit_quarter"
    )
    # The half-yearly measure is not due in the first quarter, but its draft says "in progress": the entry wins.
    assert grid_measures(login("secretary"), first_quarter, status="not_due") == program_content.measure_ids(
        "unit_year"
    )


def test_the_grid_shows_what_is_due_and_not_yet_submitted(login, program_content, first_quarter):
    shown = grid_measures(login("secretary"), first_quarter, submitted="no")

    assert shown == program_content.measure_ids("shared_event", "other_training")


def test_an_unknown_filter_value_keeps_the_whole_grid_and_says_why(login, program_content, first_quarter):
    response = login("secretary").get(reverse("reports:period", args=[first_quarter.pk]), {"unit": "999999"})

    assert response.status_code == 200
    assert {row.measure.pk for row in response.context["rows"]} == program_content.measure_ids()
    assert response.context["filterset"].form.errors["unit"]
