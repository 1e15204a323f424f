"""A new program's measures need a section of the annex: the secretary adds one in the browser."""

from __future__ import annotations

import pytest
from django.urls import reverse

from measures.models import MeasureSection

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_program(organisation):
    from tests.factories import ProgramFactory

    return ProgramFactory(organisation=organisation)


def test_the_secretary_adds_a_section_and_goes_on_to_its_first_measure(empty_program, login):
    client = login("secretary")
    url = reverse("measures:section-create", args=[empty_program.pk])

    form = client.get(url)
    response = client.post(
        url, {"number": "1", "title": "Заходи щодо усунення корупційних ризиків", "kind": "risk_treatment"}
    )

    assert form.context["form"]["number"].value() == 1
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:create", args=[empty_program.pk])
    section = MeasureSection.objects.get(program=empty_program)
    assert (section.number, section.title) == (1, "Заходи щодо усунення корупційних ризиків")
    new_measure_form = client.get(response["Location"]).content.decode()
    assert "Заходи щодо усунення корупційних ризиків" in new_measure_form


def test_a_taken_number_is_refused_beside_the_field_and_the_title_kept(empty_program, login):
    MeasureSection.objects.create(program=empty_program, number=1, title="Перший")
    client = login("secretary")

    response = client.post(
        reverse("measures:section-create", args=[empty_program.pk]),
        {"number": "1", "title": "Навчання працівників", "kind": "training"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["У програмі вже є розділ з таким номером; оберіть вільний."]
    assert "Навчання працівників" in response.content.decode()
    assert MeasureSection.objects.filter(program=empty_program).count() == 1


@pytest.mark.parametrize(("persona", "status"), [("reporter", 403), ("manager", 403), ("outsider", 404)])
def test_only_those_who_keep_the_program_add_sections(empty_program, login, persona, status):
    response = login(persona).post(
        reverse("measures:section-create", args=[empty_program.pk]), {"number": "1", "title": "Х", "kind": "other"}
    )

    assert response.status_code == status
    assert not MeasureSection.objects.exists()
