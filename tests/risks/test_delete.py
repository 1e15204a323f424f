"""Deleting a risk entered by mistake: only its own body's editors, only while no measure treats it, kept in history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from risks.models import Risk
from risks.services import risk_delete
from tests.conftest import module_world
from tests.deleting import check_row, matrix, matrix_ids, send
from tests.factories import ProgramFactory, RiskFactory

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1/risks/"


@pytest.fixture
def free_risk(program):
    """A risk no measure treats yet."""
    return RiskFactory(program=program, number=3, title="Використання службової інформації в приватних інтересах")


def page(risk) -> str:
    return reverse("risks:delete", args=[risk.program_id, risk.pk])


# A reporter never sees the register (404); a reader of the body or of its parent sees the risk but may not delete it.
# fmt: off
EXPECTED = {
    #              sec  adm  root rep  com  man  off  par  out  anon
    "page GET":   (200, 200, 200, 404, 403, 403, 403, 403, 404, 302),
    "page POST":  (302, 302, 302, 404, 403, 403, 403, 403, 404, 302),
    "API DELETE": (204, 204, 204, 404, 403, 403, 403, 403, 404, 401),
}
# fmt: on
MATRIX = matrix(EXPECTED)


@pytest.mark.parametrize(("request_kind", "persona", "status"), MATRIX, ids=matrix_ids(MATRIX))
def test_each_persona_gets_the_expected_status_and_only_an_editor_deletes(
    login, api, free_risk, request_kind, persona, status
):
    response = send(request_kind, persona, login=login, api=api, page=page(free_risk), endpoint=f"{API}{free_risk.pk}/")

    still_there = Risk.objects.filter(pk=free_risk.pk).exists()
    check_row(response, request_kind, persona, status, still_there=still_there)


def test_the_detail_page_offers_the_delete_button_only_to_those_who_may_delete(login, free_risk):
    detail = reverse("risks:detail", args=[free_risk.program_id, free_risk.pk])

    assert page(free_risk) in login("secretary").get(detail).content.decode()
    assert page(free_risk) not in login("commission").get(detail).content.decode()


def test_the_confirmation_page_shows_the_risk_and_an_enabled_button(login, free_risk):
    response = login("secretary").get(page(free_risk))

    html = response.content.decode()
    assert free_risk.title in html
    assert "disabled" not in html
    assert 'id="delete-refusal"' not in html


def test_a_free_risk_is_deleted_and_its_history_ends_with_the_deletion_by_the_secretary(login, secretary, free_risk):
    response = login("secretary").post(page(free_risk), follow=True)

    assert response.redirect_chain == [(reverse("risks:list", args=[free_risk.program_id]), 302)]
    assert "№ 3" in response.content.decode()  # the success message names the deleted risk
    assert not Risk.objects.filter(pk=free_risk.pk).exists()
    last = Risk.history.filter(id=free_risk.pk).latest()
    assert (last.history_type, last.history_user, last.title) == ("-", secretary, free_risk.title)


def test_a_risk_treated_by_measures_is_refused_naming_their_labels(program_content, secretary, english_messages):
    risk = program_content.risks[0]  # treated by measures 1) and 3) of the first task

    with pytest.raises(ValidationError) as refusal:
        risk_delete(risk=risk, user=secretary)

    message = refusal.value.messages[0]
    assert message.startswith("Risk № 1 cannot be deleted: it is treated by the measures «1) Провести перевірку")
    assert "«3) Повідомляти НАЗК про виявлені порушення»" in message
    assert "remove the risk from them first" in message
    assert Risk.objects.filter(pk=risk.pk).exists()


def test_the_page_of_a_treated_risk_says_why_with_the_button_disabled_and_a_post_is_refused(login, program_content):
    risk = program_content.risks[1]  # treated by measures 2) and 3)
    client = login("secretary")
    history = risk.history.count()

    shown = client.get(page(risk))
    posted = client.post(page(risk))

    assert shown.status_code == 200
    assert "disabled" in shown.content.decode()
    assert "«2) Оприлюднювати звіти про виконання програми на вебсайті»" in shown.content.decode()
    assert posted.status_code == 400
    assert 'role="alert"' in posted.content.decode()
    assert "«3) Повідомляти НАЗК про виявлені порушення»" in posted.content.decode()
    assert Risk.objects.filter(pk=risk.pk).exists()
    assert risk.history.count() == history


def test_the_api_refuses_a_treated_risk_with_400_and_the_message(api, program_content):
    risk = program_content.risks[0]

    response = api("secretary").delete(f"{API}{risk.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "«1) Провести перевірку кандидатів на зайняття посад»" in response.json()["message"]
    assert Risk.objects.filter(pk=risk.pk).exists()


def test_the_api_deletes_a_free_risk_which_then_is_not_found(api, free_risk):
    client = api("secretary")

    deleted = client.delete(f"{API}{free_risk.pk}/")

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert client.get(f"{API}{free_risk.pk}/").status_code == 404
    assert client.delete(f"{API}{free_risk.pk}/").status_code == 404


def test_a_risk_is_not_reached_through_another_program_of_the_same_body(login, organisation, free_risk):
    sibling = ProgramFactory(organisation=organisation, title="Антикорупційна програма на 2026–2028 роки")

    response = login("secretary").post(reverse("risks:delete", args=[sibling.pk, free_risk.pk]))

    assert response.status_code == 404
    assert Risk.objects.filter(pk=free_risk.pk).exists()
