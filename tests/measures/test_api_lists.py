"""The measures list over the API at size: the same pages as a plain paginator gave, in the default order, in an
order a client asks for and filtered, and as many queries for a long list as for a short one (issue 21)."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from measures.api.serializers import MeasureSerializer
from measures.models import Measure, Task
from tests.conftest import build_program
from tests.factories import TaskFactory, UnitFactory, bulk_measures

pytestmark = pytest.mark.django_db

URL = "/api/v1/measures/"
PAGE_SIZE = 50


@pytest.fixture
def two_programs(program_content, parent_organisation, reporter_unit, other_unit):
    """The body's program and its parent's, each with measures in several tasks: for the parent's secretary the
    first sections and tasks of both sort as equals and their measures interleave."""
    parent_units = [UnitFactory(organisation=parent_organisation, abbreviation="ВПЗВК")]
    twin = build_program(parent_organisation, parent_units, title="Антикорупційна програма ДМС")
    for content, units in ((program_content, [reporter_unit, other_unit]), (twin, parent_units)):
        bulk_measures(content.program, units, 60)
        section = content.program.measure_sections.order_by("number").first()
        extra = TaskFactory(section=section, number=2, title="Друге завдання")
        Measure.objects.filter(task__section__program=content.program, number__gt=40).update(task=extra)
        Measure.objects.filter(task=extra, number__gt=50).update(position=1)
    return program_content, twin


def plain_page(user, number: int, **filters) -> bytes:
    queryset = (
        Measure.objects.restrict(user)
        .filter(**filters)
        .select_related("task__section__program")
        .prefetch_related("responsible_units", "risks")
    )
    page = Paginator(queryset, PAGE_SIZE).page(number)
    return JSONRenderer().render(MeasureSerializer(page.object_list, many=True).data)


@pytest.mark.parametrize("persona", ["secretary", "reporter", "parent_secretary"])
def test_each_page_of_measures_is_byte_for_byte_the_plain_paginators_page(api, request, two_programs, persona):
    client = api(persona)
    user = request.getfixturevalue(persona)
    pages = -(-client.get(URL).json()["count"] // PAGE_SIZE)
    assert Task.objects.count() >= 6
    assert pages >= (1 if persona == "reporter" else 2)

    for number in range(1, pages + 1):
        response = client.get(URL, {"page": number})

        assert response.status_code == 200
        assert JSONRenderer().render(response.data["results"]) == plain_page(user, number)


def test_a_page_of_measures_keeps_the_order_a_client_asks_for(api, parent_secretary, two_programs):
    response = api("parent_secretary").get(URL, {"ordering": "-number", "page": 2})

    queryset = Measure.objects.restrict(parent_secretary).order_by("-number", "pk")
    expected = Paginator(queryset, PAGE_SIZE).page(2).object_list
    numbers = [row["number"] for row in response.json()["results"]]
    assert numbers == [measure.number for measure in expected]


def test_a_page_of_measures_filtered_by_unit_is_the_plain_paginators_page(api, secretary, two_programs, other_unit):
    response = api("secretary").get(URL, {"unit": other_unit.pk})

    assert response.json()["count"] == Measure.objects.filter(responsible_units=other_unit).count()
    assert JSONRenderer().render(response.data["results"]) == plain_page(secretary, 1, responsible_units=other_unit)


def queries_of(client, url: str) -> int:
    client.get(url)  # once-per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["secretary", "reporter", "parent_secretary"])
def test_a_page_of_measures_costs_as_many_queries_at_305_measures_as_at_7(
    api, program_content, reporter_unit, other_unit, persona, django_assert_num_queries
):
    client = api(persona)
    bulk_measures(program_content.program, [reporter_unit, other_unit], 2)
    small = queries_of(client, URL)
    # Session, user, scope, second factor; the count, the page's keys, its rows, their units and risks.
    assert small <= 9

    bulk_measures(program_content.program, [reporter_unit, other_unit], 300)
    with django_assert_num_queries(small):
        response = client.get(URL)

    assert response.json()["count"] >= (150 if persona == "reporter" else 300)
    assert len(response.json()["results"]) == PAGE_SIZE


@pytest.mark.parametrize("value", ["0.5", "x"])
def test_the_api_refuses_a_unit_that_is_not_a_whole_number(api, program_content, value):
    """The page's filter form gets its choices from the FilterSet; the API's filters stay as strict as their schema."""
    response = api("secretary").get("/api/v1/measures/", {"unit": value})
    assert response.status_code == 400, response.content
    response = api("secretary").get("/api/v1/measures/", {"unit": value, "program": program_content.program.pk})
    assert response.status_code == 400, response.content
