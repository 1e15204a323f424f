"""Deleting a measure entered by mistake: only its own body's editors, only before any unit reported on it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.models import Measure
from measures.services import measure_delete
from programs.models import Unit
from reports.execution.models import ExecutionEntry
from risks.models import Risk
from tests.conftest import module_world
from tests.deleting import check_row, matrix, matrix_ids, send

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1/measures/"


def page(program, measure) -> str:
    return reverse("measures:delete", args=[program.pk, measure.pk])


# The reporter's unit answers for the measure: the reporter sees it (403 rather than 404) but may not delete it.
# fmt: off
EXPECTED = {
    #              sec  adm  root rep  com  man  off  par  out  anon
    "page GET":   (200, 200, 200, 403, 403, 403, 403, 403, 404, 302),
    "page POST":  (302, 302, 302, 403, 403, 403, 403, 403, 404, 302),
    "API DELETE": (204, 204, 204, 403, 403, 403, 403, 403, 404, 401),
}
# fmt: on
MATRIX = matrix(EXPECTED)


@pytest.mark.parametrize(("request_kind", "persona", "status"), MATRIX, ids=matrix_ids(MATRIX))
def test_each_persona_gets_the_expected_status_and_only_an_editor_deletes(
    login, api, program_content, request_kind, persona, status
):
    measure = program_content.measures["unit_year"]  # the reporter's unit's, with no report yet

    response = send(
        request_kind,
        persona,
        login=login,
        api=api,
        page=page(program_content.program, measure),
        endpoint=f"{API}{measure.pk}/",
    )

    still_there = Measure.objects.filter(pk=measure.pk).exists()
    check_row(response, request_kind, persona, status, still_there=still_there)


def test_a_reporter_does_not_reach_the_delete_page_of_another_units_measure(login, program_content):
    other = program_content.measures["other_training"]

    assert login("reporter").get(page(program_content.program, other)).status_code == 404


def test_the_detail_page_offers_the_delete_button_only_to_those_who_may_delete(login, program_content):
    measure = program_content.measures["unit_year"]
    detail = reverse("measures:detail", args=[program_content.program.pk, measure.pk])
    url = page(program_content.program, measure)

    assert url in login("secretary").get(detail).content.decode()
    assert url not in login("reporter").get(detail).content.decode()


def test_a_free_measure_is_deleted_with_its_links_and_its_history_ends_with_the_deletion_by_the_secretary(
    login, secretary, program_content
):
    measure = program_content.measures["shared_event"]  # two units, two risks, no report
    units, risks = set(measure.responsible_units.all()), set(measure.risks.all())

    response = login("secretary").post(page(program_content.program, measure), follow=True)

    assert response.redirect_chain == [(reverse("measures:list", args=[program_content.program.pk]), 302)]
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not Measure.responsible_units.through.objects.filter(measure_id=measure.pk).exists()
    assert not Measure.risks.through.objects.filter(measure_id=measure.pk).exists()
    # The units and the risks stay; only the links went.
    assert (len(units), len(risks)) == (2, 2)
    assert Unit.objects.filter(pk__in=[unit.pk for unit in units]).count() == 2
    assert Risk.objects.filter(pk__in=[risk.pk for risk in risks]).count() == 2
    last = Measure.history.filter(id=measure.pk).latest()
    assert (last.history_type, last.history_user, last.content) == ("-", secretary, measure.content)


def test_a_measure_a_unit_reported_on_is_refused_and_suggests_editing(program_content, secretary, english_messages):
    measure = program_content.measures["other_half"]  # a draft report only, still a report

    with pytest.raises(ValidationError) as refusal:
        measure_delete(measure=measure, user=secretary)

    assert "units have already reported on its execution" in refusal.value.messages[0]
    assert "Edit the measure instead" in refusal.value.messages[0]
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_the_page_of_a_reported_measure_says_why_with_the_button_disabled_and_a_post_is_refused(login, program_content):
    measure = program_content.measures["unit_quarter"]
    url = page(program_content.program, measure)
    client = login("secretary")
    history = measure.history.count()

    shown = client.get(url)
    posted = client.post(url)

    assert shown.status_code == 200
    assert "disabled" in shown.content.decode()
    assert 'id="delete-refusal"' in shown.content.decode()
    assert posted.status_code == 400
    assert 'role="alert"' in posted.content.decode()
    assert Measure.objects.filter(pk=measure.pk).exists()
    assert ExecutionEntry.objects.filter(measure=measure).count() == 1
    assert measure.history.count() == history


def test_the_api_refuses_a_reported_measure_with_400_and_the_message(api, program_content):
    measure = program_content.measures["unit_quarter"]

    response = api("secretary").delete(f"{API}{measure.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Edit the measure instead" in response.json()["message"]
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_the_api_deletes_a_free_measure_which_then_is_not_found(api, program_content, admin_user):
    measure = program_content.measures["other_training"]
    client = api("admin_user")

    deleted = client.delete(f"{API}{measure.pk}/")

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert client.get(f"{API}{measure.pk}/").status_code == 404
    assert Measure.history.filter(id=measure.pk).latest().history_user == admin_user
