"""The benchmarks' data builders still build valid data for the schema as it is (issue 21's benchmarks are run by
hand, one at a time: the dashboard's two stopped at their first INSERT for two sessions once entries gained their
stored sort key, and nothing said so). Each builder runs here at a few rows, on the test database, and what it built
holds what the portal would have written: measures in their places, entries with their measures' places."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from django.db.models import F

from measures.models import Measure
from reports.execution.models import ExecutionEntry

pytestmark = pytest.mark.django_db

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    """The benchmark scripts as modules (they import each other as siblings)."""
    path, modules = list(sys.path), set(sys.modules)  # the scripts put their own folder on the path too
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield lambda name: importlib.import_module(name)
    finally:
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            if str(BENCHMARKS) in str(getattr(sys.modules[name], "__file__", "") or ""):
                del sys.modules[name]


def assert_in_place(expected_entries: int) -> None:
    assert ExecutionEntry.objects.count() == expected_entries
    assert not Measure.objects.filter(place=0).exists()
    assert not ExecutionEntry.objects.exclude(measure_place=F("measure__place")).exists()


def test_the_api_lists_data(bench):
    _user, measures, entries = bench("api_lists").generate(12)
    assert len(measures) == len(entries) == 12
    assert_in_place(12)


def test_the_cell_save_and_grid_data(bench):
    _user, period, entries = bench("cell_save").generate(6)
    assert {entry.period_id for entry in entries} == {period.pk}
    assert_in_place(6)


def test_the_dashboard_data_and_its_bare_sql(bench):
    summary = bench("dashboard_summary")
    _user, programs = summary.generate(2, 10)

    assert_in_place(2 * 10 * 12)
    program = programs[0]
    period = program.periods.order_by("year", "number").first()
    counts = summary.bare_sql(program, period)
    assert sum(count for _status, count in counts["by status"]) == 10


def test_the_report_data_and_its_plain_page(bench):
    render = bench("report_render")
    program, period, _user = render.build_program(6)
    page = render.plain_page(program, period)
    assert page.count("<tr>") == 6
    assert_in_place(6)


def test_the_word_import_data(bench):
    words = bench("word_import")
    program, _user = words.build_program()
    _seconds, preview = words.preview_seconds(words.build_docx(5), program)
    assert preview.ok, preview.errors
    assert len(preview.measures) == 5
