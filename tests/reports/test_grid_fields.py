"""The grid holds every field a status needs: Form 1's reasons and next steps are edited in the grid with and
without JavaScript, and a refused save shows its errors beside the row and keeps what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.choices import EntryState
from reports.execution.models import ExecutionEntry

pytestmark = pytest.mark.django_db


def save(client, period, measure, data, **headers):
    return client.post(reverse("reports:grid-save", args=[period.pk, measure.pk]), data, **headers)


def test_the_editable_grid_has_the_reasons_and_next_steps_of_every_row(login, program_content):
    """The grid script builds the text boxes in every row from the page's parts (tests/browser/test_grid_lean_rows.py);
    each row carries its values, and without the script each row opened with `?edit=` has them."""
    period = program_content.periods[0]
    entry = program_content.entries["other_half"]
    ExecutionEntry.objects.filter(pk=entry.pk).update(non_execution_reasons="Немає фахівця", next_steps="Найняти")
    client = login("secretary")
    url = reverse("reports:period", args=[period.pk])

    html = client.get(url).content.decode()

    parts = html.split('<template id="grid-parts">')[1].split("</template>")[0]
    assert '<textarea name="non_execution_reasons" rows="2" data-cell></textarea>' in parts
    assert '<textarea name="next_steps" rows="2" data-cell></textarea>' in parts
    row = html.split(f'<tr id="measure-{entry.measure_id}"')[1].split("</tr>")[0]
    assert '<p data-value="non_execution_reasons">Немає фахівця</p><p data-value="next_steps">Найняти</p>' in row
    for measure in program_content.measures.values():
        opened = client.get(url, {"edit": measure.pk}).content.decode()
        assert f'name="non_execution_reasons" rows="2" form="row-{measure.pk}"' in opened
        assert f'name="next_steps" rows="2" form="row-{measure.pk}"' in opened


def test_without_javascript_a_row_saves_the_reasons_and_next_steps(login, program_content):
    period = program_content.periods[0]
    measure = program_content.measures["shared_event"]

    response = save(
        login("secretary"),
        period,
        measure,
        {
            "version": 0,
            "status": "partially_done",
            "narrative": "Повідомлено про одне з двох порушень",
            "non_execution_reasons": "Друге порушення виявлено 31.03.2023",
            "next_steps": "Повідомити НАЗК до 05.04.2023",
            "submit": "1",
        },
    )

    assert response.status_code == 302
    entry = ExecutionEntry.objects.get(period=period, measure=measure)
    assert (entry.non_execution_reasons, entry.next_steps, entry.state) == (
        "Друге порушення виявлено 31.03.2023",
        "Повідомити НАЗК до 05.04.2023",
        EntryState.SUBMITTED,
    )


def test_the_grid_script_saves_one_reasons_cell(login, program_content):
    entry = program_content.entries["other_half"]

    response = save(
        login("secretary"),
        entry.period,
        entry.measure,
        {"version": entry.version, "next_steps": "Оприлюднити звіт до 15.07.2023"},
        HTTP_X_REQUESTED_WITH="fetch",
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.next_steps == "Оприлюднити звіт до 15.07.2023"


def test_a_refused_submit_shows_its_errors_beside_the_row_and_keeps_what_was_typed(login, program_content):
    period = program_content.periods[0]
    measure = program_content.measures["shared_event"]
    typed = "Повідомлено НАЗК лише про одне порушення — текст, який не можна втратити"

    response = save(
        login("secretary"),
        period,
        measure,
        {"version": 0, "status": "not_done", "narrative": typed, "submit": "1"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    row = html[html.index(f'<tr id="measure-{measure.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "data-row-errors" in row
    assert "Необхідно зазначити причини, з яких захід не виконано в повному обсязі." in row
    assert typed in row
    assert '<option value="not_done" selected>' in row
    assert '<details class="reasons" data-reasons open>' in row
    assert not ExecutionEntry.objects.filter(period=period, measure=measure).exists()


def test_a_stale_row_save_without_javascript_keeps_the_typed_text_beside_the_conflict(login, program_content):
    entry = program_content.entries["unit_quarter"]
    client = login("secretary")
    save(client, entry.period, entry.measure, {"version": entry.version, "narrative": "перше"})

    response = save(client, entry.period, entry.measure, {"version": entry.version, "narrative": "друге, моє"})

    assert response.status_code == 409
    row = response.content.decode().split(f'<tr id="measure-{entry.measure_id}"')[1].split("</tr>")[0]
    assert "друге, моє" in row
    assert "data-row-errors" in row


def test_the_compact_view_keeps_every_row_and_marks_the_table(login, program_content):
    period = program_content.periods[0]

    html = login("secretary").get(reverse("reports:period", args=[period.pk]), {"density": "compact"}).content.decode()

    assert "execution-grid grid-compact" in html
    assert html.count('<tr id="measure-') == len(program_content.measures)
