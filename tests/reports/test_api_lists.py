"""The execution entries list over the API at size: the same pages as a plain paginator over the plain serializer
gave, and as many queries for a long list as for a short one (issue 21)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from core.periods import PeriodKind
from measures.models import Measure
from reports.choices import EvidenceKind, ExecutionStatus
from reports.execution.evidence import evidence_phrase, status_sentence
from reports.execution.grid import entry_queryset
from reports.execution.models import Evidence, ExecutionEntry, ReportingPeriod
from tests.conftest import build_program
from tests.factories import UnitFactory, bulk_measures

pytestmark = pytest.mark.django_db

URL = "/api/v1/execution-entries/"
PAGE_SIZE = 50
DOCUMENTS = [
    {"kind": EvidenceKind.LETTER, "issuer": "ВПЗВК", "number": "17/112-23", "issued_on": dt.date(2023, 3, 28)},
    {"kind": EvidenceKind.LETTER, "issuer": "ВПЗВК", "number": "17/646-23", "issued_on": dt.date(2023, 11, 8)},
    {"kind": EvidenceKind.PROTOCOL, "number": "", "issued_on": dt.date(2023, 9, 29)},
    {"kind": EvidenceKind.ORDER, "issuer": "ГУДМС", "number": "45-о", "title": "Про затвердження плану"},
    {"kind": EvidenceKind.WEB_PAGE, "url": "https://example.gov.ua/news/17"},
]
NARRATIVES = [
    "Виконано. Проведено навчання [[1]], участь взяли {n} осіб",
    "Перевірено {n} кандидатів; порушень не виявлено.",
    "",
]


class PlainEvidenceSerializer(serializers.ModelSerializer):
    """The entries' documents as the API printed them before the lists were made faster."""

    phrase = serializers.SerializerMethodField()
    url = serializers.CharField(read_only=True)
    file = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "position", "kind", "issuer", "number", "issued_on", "title", "url", "phrase", "file"]

    def get_phrase(self, item: Evidence) -> str:
        return evidence_phrase(item.as_ref())

    def get_file(self, item: Evidence) -> str | None:
        return reverse("reports:evidence-file", args=[item.pk]) if item.file else None


class PlainEntrySerializer(serializers.ModelSerializer):
    """An entry as the API printed it before: the model's sentence with `get_status_display`, nested documents."""

    sentence = serializers.SerializerMethodField()
    evidence = PlainEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ExecutionEntry
        fields = [
            "id",
            "measure",
            "period",
            "status",
            "narrative",
            "participants",
            "non_execution_reasons",
            "next_steps",
            "state",
            "submitted_by",
            "submitted_at",
            "version",
            "sentence",
            "evidence",
        ]

    def get_sentence(self, entry: ExecutionEntry) -> str:
        refs = [item.as_ref() for item in entry.evidence.all()]
        return status_sentence(entry.get_status_display(), entry.narrative, refs)


def grow(program, units, count: int) -> None:
    """`count` more measures of `program`, each with an entry in each of its periods and up to three documents."""
    measures = bulk_measures(program, units, count)
    periods = list(program.periods.all())
    statuses = list(ExecutionStatus.values)
    # bulk_create does not read the measures' places as an entry's save does: they are given here.
    places = dict(Measure.objects.filter(pk__in=[m.pk for m in measures]).values_list("pk", "place"))
    entries = ExecutionEntry.objects.bulk_create(
        [
            ExecutionEntry(
                measure=measure,
                measure_place=places[measure.pk],
                period=period,
                status=statuses[(i + p) % len(statuses)],
                narrative=NARRATIVES[(i + p) % len(NARRATIVES)].format(n=i + 3),
                participants=(i + 3) if i % 2 else None,
            )
            for i, measure in enumerate(measures)
            for p, period in enumerate(periods)
        ]
    )
    Evidence.objects.bulk_create(
        [
            Evidence(entry=entry, position=position, **DOCUMENTS[(i + position) % len(DOCUMENTS)])
            for i, entry in enumerate(entries)
            for position in range(i % 4)
        ]
    )


@pytest.fixture
def twin_programs(program_content, parent_organisation, reporter_unit, other_unit):
    """The body's program and its parent body's, of the same title and years: for the parent's secretary, who reads
    both, their quarters sort as equals and their entries interleave by measure. Each has a half-year as well."""
    parent_units = [UnitFactory(organisation=parent_organisation, abbreviation="ВПЗВК")]
    twin = build_program(parent_organisation, parent_units, title=program_content.program.title)
    assert (twin.program.start_year, twin.program.title) == (
        program_content.program.start_year,
        program_content.program.title,
    )
    for content, units in ((program_content, [reporter_unit, other_unit]), (twin, parent_units)):
        ReportingPeriod.objects.create(
            program=content.program,
            kind=PeriodKind.HALF_YEAR,
            year=2023,
            number=1,
            submission_due=dt.date(2023, 7, 15),
        )
        grow(content.program, units, 40)
    return program_content, twin


def plain_page(user, number: int) -> bytes:
    queryset = entry_queryset(user=user).order_by("period", "measure")
    page = Paginator(queryset, PAGE_SIZE).page(number)
    return JSONRenderer().render(PlainEntrySerializer(page.object_list, many=True).data)


@pytest.mark.parametrize("persona", ["secretary", "reporter", "parent_secretary"])
def test_each_page_of_entries_is_byte_for_byte_the_plain_paginators_page(api, request, twin_programs, persona):
    client = api(persona)
    user = request.getfixturevalue(persona)
    first = client.get(URL)
    pages = -(-first.json()["count"] // PAGE_SIZE)
    assert pages >= 2

    for number in range(1, pages + 1):
        response = client.get(URL, {"page": number})

        assert response.status_code == 200
        assert JSONRenderer().render(response.data["results"]) == plain_page(user, number)


@pytest.mark.parametrize(("page", "status"), [("last", 200), ("0", 404), ("x", 404), ("1.5", 404), ("past", 404)])
def test_every_page_number_of_the_entries_is_answered_as_drf_answers_it(api, secretary, twin_programs, page, status):
    client = api("secretary")
    count = client.get(URL).json()["count"]
    pages = -(-count // PAGE_SIZE)
    number = {"last": "last", "past": str(pages + 1)}.get(page, page)

    response = client.get(URL, {"page": number})

    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["count"] == count
        assert JSONRenderer().render(response.data["results"]) == plain_page(secretary, pages)
    else:
        assert response.json()["code"] == "not_found"


def test_an_empty_list_of_entries_is_a_first_page_of_nothing(api, secretary):
    response = api("secretary").get(URL)

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_page_of_entries_keeps_the_order_a_client_asks_for(api, parent_secretary, twin_programs):
    response = api("parent_secretary").get(URL, {"ordering": "-id", "page": 2})

    queryset = entry_queryset(user=parent_secretary).order_by("-id")
    expected = Paginator(queryset, PAGE_SIZE).page(2).object_list
    assert [row["id"] for row in response.json()["results"]] == [entry.pk for entry in expected]


def test_a_filtered_page_of_entries_is_the_plain_paginators_page(api, parent_secretary, twin_programs):
    program = twin_programs[1].program
    response = api("parent_secretary").get(URL, {"program": program.pk, "status": ExecutionStatus.DONE})

    queryset = entry_queryset(user=parent_secretary).filter(period__program=program, status=ExecutionStatus.DONE)
    expected = Paginator(queryset.order_by("period", "measure"), PAGE_SIZE).page(1).object_list
    assert [row["id"] for row in response.json()["results"]] == [entry.pk for entry in expected]
    assert response.json()["count"] == queryset.count()


def queries_of(client, url: str) -> int:
    client.get(url)  # once-per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["secretary", "reporter"])
def test_a_page_of_entries_costs_as_many_queries_at_360_entries_as_at_8(
    api, program_content, reporter_unit, other_unit, persona, django_assert_num_queries
):
    client = api(persona)
    grow(program_content.program, [reporter_unit, other_unit], 2)
    small = queries_of(client, URL)
    # Session, user, scope, second factor; the periods' places, the count, the page's keys, its rows, their documents.
    assert small <= 9

    grow(program_content.program, [reporter_unit, other_unit], 178)
    with django_assert_num_queries(small):
        response = client.get(URL)

    assert response.json()["count"] >= (360 if persona == "secretary" else 180)
    assert len(response.json()["results"]) == PAGE_SIZE
