"""Pages of the long API lists (`core.api.pagination`): the list's length read with the page's keys in one statement,
and every page number answered as DRF's own paginator answers it — first, middle, last, past the end, not a number,
an empty list (issue 21)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api.pagination import groups_of_page
from tests.factories import bulk_measures

pytestmark = pytest.mark.django_db

URL = "/api/v1/measures/"

# (page asked for, status, results on it) for a list of 5 + 115 = 120 measures, 50 a page.
PAGES_OF_120 = [
    ("1", 200, 50),
    ("2", 200, 50),
    ("3", 200, 20),
    ("last", 200, 20),
    ("", 200, 50),
    ("4", 404, None),
    ("40", 404, None),
    ("0", 404, None),
    ("-1", 404, None),
    ("1.5", 404, None),
    ("x", 404, None),
]
# The same for a body with no measure at all.
PAGES_OF_NOTHING = [("1", 200, 0), ("last", 200, 0), ("", 200, 0), ("2", 404, None), ("0", 404, None), ("x", 404, None)]


@pytest.fixture
def hundred_twenty(program_content, reporter_unit, other_unit):
    bulk_measures(program_content.program, [reporter_unit, other_unit], 115)


@pytest.mark.parametrize(("page", "status", "results"), PAGES_OF_120)
def test_every_page_number_of_a_long_list_is_answered_as_drf_answers_it(api, hundred_twenty, page, status, results):
    response = api("secretary").get(URL, {"page": page})

    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["count"] == 120
        assert len(response.json()["results"]) == results
    else:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("page", "status", "results"), PAGES_OF_NOTHING)
def test_every_page_number_of_an_empty_list_is_answered_as_drf_answers_it(api, secretary, page, status, results):
    response = api("secretary").get(URL, {"page": page})

    assert response.status_code == status, response.content
    if status == 200:
        assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


# The measures list counts each task's measures, the entries list each period's entries, in one grouped statement
# from which each finds the groups the page falls in (the views' `page_keys`); a list in an order a client chose
# counts beside its page's keys (a window).
@pytest.mark.parametrize(
    ("url", "query", "length"),
    [
        (URL, {"page": 2}, "GROUP BY"),
        ("/api/v1/execution-entries/", {"page": 1}, "GROUP BY"),
        (URL, {"page": 2, "ordering": "-number"}, " OVER "),
    ],
)
def test_the_length_of_the_list_is_read_in_one_statement(api, hundred_twenty, url, query, length):
    client = api("secretary")
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)

    assert response.status_code == 200
    counts = [query["sql"].upper() for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1, counts
    assert length in counts[0]


# (each group's count in the list's order, the page's first row, its size)
#   → (the groups touched, the page's offset in the first of them, the list's length)
GROUP_PAGES = [
    ([("a", 30), ("b", 30), ("c", 30)], 0, 50, (["a", "b"], 0, 90)),
    ([("a", 30), ("b", 30), ("c", 30)], 50, 50, (["b", "c"], 20, 90)),
    ([("a", 30), ("b", 30), ("c", 30)], 30, 30, (["b"], 0, 90)),
    ([("a", 10), ("b", 10), ("c", 10), ("d", 10)], 5, 25, (["a", "b", "c"], 5, 40)),
    ([("a", 0), ("b", 50), ("c", 0), ("d", 1)], 0, 50, (["b"], 0, 51)),
    ([("a", 50), ("b", 1)], 50, 50, (["b"], 0, 51)),
    ([("a", 50)], 50, 50, ([], 0, 50)),
    ([], 0, 50, ([], 0, 0)),
]


@pytest.mark.parametrize(("counts", "bottom", "size", "expected"), GROUP_PAGES)
def test_a_page_falls_in_the_groups_its_rows_belong_to(counts, bottom, size, expected):
    assert groups_of_page(counts, bottom, size) == expected
