"""The secretary's grid page at size: its queries do not grow with the measures, each row sends its narrative once, and
a browser without the grid script opens one row complete (`?edit=`) and saves it as a plain form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.choices import DeadlineKind
from measures.models import Measure, MeasureUnit
from measures.places import renumber_places
from reports.choices import EvidenceKind, ExecutionStatus
from reports.execution.models import Evidence, ExecutionEntry

pytestmark = pytest.mark.django_db

# Session, user, second factor; the period; the filter's units and sections; the measures; their units (links, then
# each unit once); the entries; the rolled-up quarters' entries are not read for a quarter; the previous period and
# what it holds; the earlier periods' statuses; the documents of the entries; the reminders sent; the units with a
# reporter to remind; the period's events with their units. Before: 16, of which three were prefetches per measure.
GRID_PAGE_QUERIES = 17


def _more_measures(program_content, count: int) -> None:
    """`count` more measures with a unit each, an entry in the first quarter and, for every other one, a letter."""
    template = program_content.measures["unit_quarter"]
    unit = template.responsible_units.first()
    start = Measure.objects.filter(task_id=template.task_id).count() + 100
    measures = Measure.objects.bulk_create(
        [
            Measure(task_id=template.task_id, number=start + n, content=f"Захід {n}", deadline_kind=DeadlineKind.YEAR)
            for n in range(count)
        ]
    )
    MeasureUnit.objects.bulk_create([MeasureUnit(measure=measure, unit=unit) for measure in measures])
    renumber_places(program_content.program.pk)  # bulk_create sends no post_save
    entries = ExecutionEntry.objects.bulk_create(
        [
            ExecutionEntry(
                measure=measure,
                period=program_content.periods[0],
                status=ExecutionStatus.PARTIALLY_DONE,
                narrative=f"Перевірено {n} кандидатів на посади",
            )
            for n, measure in enumerate(measures)
        ]
    )
    Evidence.objects.bulk_create(
        [
            Evidence(entry=entry, kind=EvidenceKind.LETTER, issuer="УП", number=f"{n}/1")
            for n, entry in enumerate(entries)
            if n % 2 == 0
        ]
    )


def _grid_queries(client, period) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:period", args=[period.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_grid_reads_the_same_queries_for_30_and_for_300_measures(login, program_content):
    period = program_content.periods[0]
    client = login("secretary")
    client.get(reverse("reports:period", args=[period.pk]))  # the session exists, as on any later visit

    _more_measures(program_content, 30)
    small, small_html = _grid_queries(client, period)
    _more_measures(program_content, 270)
    large, large_html = _grid_queries(client, period)

    assert small == large <= GRID_PAGE_QUERIES
    assert small_html.count('<tr id="measure-') == len(program_content.measures) + 30
    assert large_html.count('<tr id="measure-') == len(program_content.measures) + 300


def test_a_reporters_grid_reads_the_same_queries_for_30_and_for_300_measures(login, program_content):
    period = program_content.periods[0]
    client = login("reporter")
    client.get(reverse("reports:period", args=[period.pk]))

    _more_measures(program_content, 30)
    small, _ = _grid_queries(client, period)
    _more_measures(program_content, 270)
    large, html = _grid_queries(client, period)

    assert small == large <= GRID_PAGE_QUERIES
    assert '<p class="sentence">Виконано частково. Перевірено 269 кандидатів на посади</p>' in html


def test_each_row_sends_its_narrative_once_and_its_sentence_quotes_it_through_the_script(login, program_content):
    period = program_content.periods[0]
    _more_measures(program_content, 3)
    entry = ExecutionEntry.objects.get(period=period, narrative="Перевірено 1 кандидатів на посади")

    html = login("secretary").get(reverse("reports:period", args=[period.pk])).content.decode()

    row = html.split(f'<tr id="measure-{entry.measure_id}"')[1].split("</tr>")[0]
    assert row.count("Перевірено 1 кандидатів на посади") == 1
    assert "<p data-sentence>Виконано частково. <span data-echo></span></p>" in row
    # The status choices, labels and buttons are on the page once, for the script to put in every row.
    table = html.split('<table class="data-table execution-grid')[1]
    parts = html.split('<template id="grid-parts">')[1].split("</template>")[0]
    assert '<option value="not_done"' in parts
    assert '<option value="not_done"' not in table
    assert html.count("Причини невиконання (або заходи часткового виконання)") == 1


def test_without_the_script_a_row_reads_as_text_and_links_to_itself_complete(login, program_content):
    period = program_content.periods[0]
    measure = program_content.measures["other_half"]

    html = login("secretary").get(reverse("reports:period", args=[period.pk]), {"density": "compact"}).content.decode()

    row = html.split(f'<tr id="measure-{measure.pk}"')[1].split("</tr>")[0]
    assert "<textarea" not in row
    assert "<select" not in row
    assert "csrfmiddlewaretoken" not in row
    assert f'<noscript><a href="?density=compact&amp;edit={measure.pk}#measure-{measure.pk}">Змінити</a>' in row


def test_a_row_opened_with_edit_is_a_complete_plain_form(login, program_content):
    period = program_content.periods[0]
    measure = program_content.measures["other_half"]
    other = program_content.measures["unit_year"]

    html = login("secretary").get(reverse("reports:period", args=[period.pk]), {"edit": measure.pk}).content.decode()

    row = html.split(f'<tr id="measure-{measure.pk}"')[1].split("</tr>")[0]
    assert f'<label class="visually-hidden" for="status-{measure.pk}">Статус</label>' in row
    assert '<option value="in_progress" selected>Виконується</option>' in row
    assert '<option value="not_done">' in row
    assert 'name="csrfmiddlewaretoken"' in row
    assert f'<input type="hidden" name="version" value="{program_content.entries["other_half"].version}"' in row
    assert ">Зберегти</button>" in row
    assert ">Зберегти та подати</button>" in row
    other_row = html.split(f'<tr id="measure-{other.pk}"')[1].split("</tr>")[0]
    assert "<textarea" not in other_row


@pytest.mark.parametrize("edit", ["abc", "-1", "²", "999999999"])
def test_an_edit_parameter_that_names_no_row_shows_the_grid_as_usual(login, program_content, edit):
    period = program_content.periods[0]

    response = login("secretary").get(reverse("reports:period", args=[period.pk]), {"edit": edit})

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in response.content.decode().split("<tbody>")[1]


def test_a_row_opened_with_edit_saves_as_a_plain_form_and_returns_to_the_grid(login, program_content):
    entry = program_content.entries["other_half"]
    client = login("secretary")

    response = client.post(
        reverse("reports:grid-save", args=[entry.period_id, entry.measure_id]),
        {"version": entry.version, "status": "done", "narrative": "Оприлюднено звіт", "next_steps": ""},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/reports/periods/{entry.period_id}/#measure-{entry.measure_id}")
    entry.refresh_from_db()
    assert (entry.status, entry.narrative) == ("done", "Оприлюднено звіт")
