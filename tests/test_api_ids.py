"""An id in an API path that is not a number is an object that does not exist: 404, never a 500.

The router's ids are any text up to a slash; the schema fuzz found `reassessment-rounds/null,null/assess/` answering
500 where an action looked its object up with Django's `get_object_or_404`, which lets the database's ValueError
through. Every custom action that looks its object up itself is listed here."""

from __future__ import annotations

import pytest

ACTIONS = [
    "/api/v1/reassessment-rounds/{id}/assess/",
    "/api/v1/reassessment-rounds/{id}/decide/",
    "/api/v1/reporting-periods/{id}/open-early/",
    "/api/v1/reporting-periods/{id}/send-for-review/",
    "/api/v1/reporting-periods/{id}/conclusion/",
    "/api/v1/reporting-periods/{id}/approve/",
    "/api/v1/reporting-periods/{id}/reopen/",
]


@pytest.mark.parametrize("path", ACTIONS)
@pytest.mark.parametrize("bad_id", ["null,null", "x", "1.5"])
def test_an_id_that_is_not_a_number_is_not_found(api, path, bad_id):
    response = api("secretary").post(path.format(id=bad_id), {}, format="json")
    assert response.status_code == 404, response.content
