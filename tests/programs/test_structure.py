"""Organisation structure: units with abbreviations, parents and heads; child organisations; the abbreviations list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from programs.models import Unit
from programs.selectors import program_abbreviations
from programs.services import unit_save
from tests.factories import MeasureFactory, OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_the_secretary_adds_a_unit_under_a_parent(login, organisation, reporter_unit):
    response = login("secretary").post(
        reverse("programs:unit-create", args=[organisation.pk]),
        {
            "abbreviation": "ВПЗВК",
            "name": "Відділ з питань запобігання та виявлення корупції",
            "parent": reporter_unit.pk,
            "head_name": "Коваль І. П.",
            "is_active": "on",
        },
    )

    unit = Unit.objects.get(organisation=organisation, abbreviation="ВПЗВК")
    assert response.status_code == 302
    assert (unit.parent, unit.head_name) == (reporter_unit, "Коваль І. П.")


def test_a_duplicate_abbreviation_is_refused_next_to_the_field_and_the_name_is_kept(login, organisation, reporter_unit):
    response = login("secretary").post(
        reverse("programs:unit-create", args=[organisation.pk]),
        {"abbreviation": reporter_unit.abbreviation, "name": "Новий відділ кадрів", "is_active": "on"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["abbreviation"]
    assert "Новий відділ кадрів" in response.content.decode()


def test_a_unit_cannot_be_placed_under_its_own_child(secretary, organisation, reporter_unit):
    child = UnitFactory(organisation=organisation, parent=reporter_unit)

    with pytest.raises(ValidationError) as refused:
        unit_save(user=secretary, organisation=organisation, data={"parent": child}, unit=reporter_unit)

    assert "parent" in refused.value.message_dict


def test_a_unit_of_another_organisation_cannot_be_a_parent(secretary, organisation, other_organisation):
    foreign = UnitFactory(organisation=other_organisation)

    with pytest.raises(ValidationError):
        unit_save(user=secretary, organisation=organisation, data={"name": "X", "abbreviation": "X", "parent": foreign})


def test_the_organisation_page_lists_units_as_a_tree_and_the_child_organisations(
    login, parent_organisation, organisation, reporter_unit
):
    UnitFactory(organisation=organisation, parent=reporter_unit, abbreviation="ВК", name="Відділ кадрів")
    enterprise = OrganisationFactory(name="ДП «Документ»", short_name="ДП Документ", parent=parent_organisation)

    content = login("parent_secretary").get(reverse("programs:organisation", args=[parent_organisation.pk])).content
    text = content.decode()
    assert escape(organisation.name) in text
    assert escape(enterprise.name) in text

    child_page = login("secretary").get(reverse("programs:organisation", args=[organisation.pk])).content.decode()
    assert 'class="tree-1"' in child_page
    assert child_page.index("УП") < child_page.index("ВК")


def test_the_abbreviations_list_comes_from_the_units_of_measures_and_risk_owners(program_content, organisation):
    program = program_content.program
    unused = UnitFactory(organisation=organisation, abbreviation="НЕВЖ")
    audit = UnitFactory(organisation=organisation, abbreviation="ВВА", name="Відділ внутрішнього аудиту")
    MeasureFactory(task=program.measure_sections.first().tasks.first(), responsible_units=[audit])

    abbreviations = [unit.abbreviation for unit in program_abbreviations(program=program)]

    assert abbreviations == ["ВВА", "УКЕС", "УП"]
    assert unused.abbreviation not in abbreviations


def test_the_program_page_shows_the_abbreviations_list(login, program):
    content = login("manager").get(reverse("programs:detail", args=[program.pk])).content.decode()

    assert "<dt>УКЕС</dt><dd>Управління контролю та економічної служби</dd>" in content


def test_a_units_changes_are_kept_with_who_made_them_and_shown_on_its_page(login, secretary, reporter_unit):
    client = login("secretary")
    url = reverse("programs:unit-edit", args=[reporter_unit.pk])

    client.post(url, {"abbreviation": "УПК", "name": "Управління персоналу й кадрів", "is_active": "on", "version": 1})

    last = reporter_unit.history.first()
    assert (last.history_user, last.abbreviation) == (secretary, "УПК")
    page = client.get(url).content.decode()
    assert "Історія змін" in page
    assert "УПК" in page


def test_an_organisations_details_changed_over_the_api_are_kept_with_who_changed_them(login, admin_user, organisation):
    response = login("admin_user").patch(
        f"/api/v1/organisations/{organisation.pk}/",
        {"website": "https://gu-dms.example.gov.ua"},
        content_type="application/json",
    )

    assert response.status_code == 200
    last = organisation.history.first()
    assert (last.history_user, last.website) == (admin_user, "https://gu-dms.example.gov.ua")
    page = login("secretary").get(reverse("programs:organisation", args=[organisation.pk])).content.decode()
    assert "https://gu-dms.example.gov.ua" in page.split('id="history"', 1)[1]
