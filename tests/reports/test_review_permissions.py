"""The commission's review actions refuse a user without the right before looking at what they sent.

A bad POST used to be answered with the review page (400) that a GET refuses (403) to the same user.
"""

import pytest
from django.urls import reverse

from reports.choices import PeriodState
from reports.execution.models import ReportingPeriod
from tests.conftest import module_world

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

ACTIONS = ["reports:conclusion", "reports:approve", "reports:reopen"]
# An invalid POST from each persona: every field empty.
BAD_INPUT = {
    "reports:conclusion": {"conclusion": ""},
    "reports:approve": {"decision": ""},
    "reports:reopen": {"reason": ""},
}
EXPECTED = {
    # persona: (conclusion, approve, reopen)
    "reporter": (403, 403, 403),
    "officer": (403, 403, 403),
    "manager": (403, 403, 403),
    "admin_user": (403, 403, 403),
    "commission": (400, 400, 403),
    "secretary": (400, 400, 400),
    "outsider": (404, 404, 404),
    "anonymous": (302, 302, 302),
}


@pytest.fixture
def reviewed_period(first_quarter):
    ReportingPeriod.objects.filter(pk=first_quarter.pk).update(state=PeriodState.UNDER_REVIEW)
    return first_quarter


@pytest.mark.parametrize("persona", EXPECTED)
def test_an_invalid_post_gets_the_permission_answer_before_the_form_answer(login, persona, reviewed_period):
    client = login(persona)

    statuses = tuple(
        client.post(reverse(name, args=[reviewed_period.pk]), BAD_INPUT[name]).status_code for name in ACTIONS
    )

    assert statuses == EXPECTED[persona]


@pytest.mark.parametrize("persona", ["reporter", "officer"])
def test_a_refused_invalid_post_shows_none_of_the_review_page(login, persona, reviewed_period):
    reviewed_period.conclusion = "Висновок комісії, який не для очей звітувальника"
    reviewed_period.save(update_fields=["conclusion"])
    client = login(persona)

    for name in ACTIONS:
        response = client.post(reverse(name, args=[reviewed_period.pk]), BAD_INPUT[name])
        assert "Висновок комісії" not in response.content.decode(), name


@pytest.mark.parametrize(
    ("persona", "evaluation", "grid_save"),
    [
        ("commission", 302, 403),  # back to the review with "grade all three"; reports on no measure
        # An allowed role's bad save returns the grid with the errors beside the row.
        ("secretary", 302, 400),
        ("reporter", 403, 400),  # the measure is their unit's
        ("officer", 403, 403),
        ("manager", 403, 403),
        ("admin_user", 403, 403),
    ],
)
def test_the_evaluation_and_the_grid_refuse_a_bad_post_by_role_before_reading_it(
    login, persona, evaluation, grid_save, program_content
):
    period, measure = program_content.periods[0], program_content.measures["unit_quarter"]
    entry = program_content.entries["unit_quarter"]
    client = login(persona)

    graded = client.post(reverse("reports:evaluation", args=[entry.pk]), {"timeliness": "nonsense"})
    saved = client.post(reverse("reports:grid-save", args=[period.pk, measure.pk]), {"version": "x"})

    assert (graded.status_code, saved.status_code) == (evaluation, grid_save)
