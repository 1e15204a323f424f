"""A cell save costs exactly the same few queries in a program of five measures and of three hundred.

Counted as in production: the test commits (`transaction=True`), so the save's statement commits on its own, as it
does outside a test, and nothing is hidden in a test's transaction.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from measures.choices import DeadlineKind
from measures.models import Measure
from reports.choices import ExecutionStatus
from reports.execution.models import ExecutionEntry

pytestmark = pytest.mark.django_db(transaction=True)
# The user with whether they have a second factor to be asked for; their scope; the period and the measure the URL
# names, in one query (404 outside scope); one statement that takes the period's shared lock, updates the entry if
# its version is still the one sent and writes its history row; its documents, for the sentence the grid shows
# back. Plus the session where it is not read from Redis. (Before: 13; before that 18.)
CELL_SAVE_QUERIES = 5
SESSION_ENGINES = [("config.sessions", 0), ("django.contrib.sessions.backends.db", 1)]


def _more_measures(program_content, count: int) -> None:
    """`count` more measures in the program, each with an entry in the first quarter."""
    template = program_content.measures["unit_quarter"]
    measures = Measure.objects.bulk_create(
        [
            Measure(task_id=template.task_id, number=100 + n, content=f"Захід {n}", deadline_kind=DeadlineKind.YEAR)
            for n in range(count)
        ]
    )
    ExecutionEntry.objects.bulk_create(
        [
            ExecutionEntry(
                measure=measure,
                period=program_content.periods[0],
                status=ExecutionStatus.DONE,
                narrative=f"Зроблено {n}",
            )
            for n, measure in enumerate(measures)
        ]
    )


@pytest.mark.parametrize(("engine", "session_queries"), SESSION_ENGINES)
@pytest.mark.parametrize("extra_measures", [0, 300])
def test_a_cell_save_costs_the_same_few_queries_whatever_the_program_size(
    settings, login, program_content, django_assert_num_queries, extra_measures, engine, session_queries
):
    if connection.vendor != "postgresql":
        pytest.skip("the save in one statement is PostgreSQL's; SQLite takes the checked path")
    settings.SESSION_ENGINE = engine
    _more_measures(program_content, extra_measures)
    entry = program_content.entries["unit_quarter"]
    url = reverse("reports:grid-save", args=[entry.period_id, entry.measure_id])
    client = login("secretary")
    client.get(reverse("reports:period", args=[entry.period_id]))  # the session exists, as when the grid was opened

    with django_assert_num_queries(CELL_SAVE_QUERIES + session_queries):
        response = client.post(
            url, {"version": entry.version, "narrative": "Перевірено 14 кандидатів"}, HTTP_X_REQUESTED_WITH="fetch"
        )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == entry.version + 1
    assert "Перевірено 14 кандидатів (" in response.json()["sentence"]  # the letter cited after the narrative
    entry.refresh_from_db()
    assert entry.narrative == "Перевірено 14 кандидатів"
    assert entry.history.latest().narrative == "Перевірено 14 кандидатів"
