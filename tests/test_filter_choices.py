"""A list page and its API filter with one FilterSet, which scopes its own choices: both offer the same.

The page's filter form is its FilterSet's form; the API builds the FilterSet as django-filter's DRF backend does, and
asked with `?program=` offers that program's units, sections, tasks, risks and periods — only for a program the user
may see.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from measures.api.views import MeasureViewSet
from reports.documents.api.views import GeneratedReportViewSet
from risks.api.views import RiskViewSet
from tests.factories import OrganisationFactory, ProgramFactory, UnitFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "risks": (RiskViewSet, "risks:list", ("owner_unit", "function", "inherent_level", "coverage")),
    "measures": (MeasureViewSet, "measures:list", ("section", "task", "unit", "risk", "due_in", "deadline_kind")),
}


def _offered(filterset, name: str) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in getattr(filterset.form[name].field.widget, "choices", [])]


def _api_filterset(viewset, user, query: dict):
    """The FilterSet the API list builds for this user and query."""
    request = Request(APIRequestFactory().get("/api/v1/", query))
    request.user = user
    view = viewset(request=request, action="list", format_kwarg=None, kwargs={})
    return DjangoFilterBackend().get_filterset(request, view.get_queryset(), view)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_offers_what_the_api_offers_for_the_program(page, login, secretary, program, organisation):
    viewset, url_name, names = PAGES[page]
    # A unit the secretary sees, of a body under theirs: not the program's, so neither list offers it.
    UnitFactory(organisation=OrganisationFactory(parent=organisation), abbreviation="ПІДВ")
    response = login("secretary").get(reverse(url_name, args=[program.pk]))
    assert response.status_code == 200
    on_page = response.context["filterset"]
    in_api = _api_filterset(viewset, secretary, {"program": str(program.pk)})
    for name in names:
        assert _offered(on_page, name) == _offered(in_api, name), name
    units = _offered(in_api, "owner_unit" if page == "risks" else "unit")
    assert {label for _value, label in units} - {"—", "---------"} == {"УП", "УКЕС"}


@pytest.mark.parametrize("page", PAGES)
def test_a_program_the_user_may_not_see_lends_the_api_none_of_its_choices(page, secretary, program, other_program):
    viewset = PAGES[page][0]
    in_api = _api_filterset(viewset, secretary, {"program": str(other_program.pk)})
    units = _offered(in_api, "owner_unit" if page == "risks" else "unit")
    other_units = set(other_program.organisation.units.values_list("pk", flat=True))
    assert not {int(value) for value, _label in units if value} & other_units


@pytest.mark.parametrize("name", ["program", "period", "organisation"])
def test_the_reports_list_and_its_api_offer_the_same_scoped_choices(login, secretary, program_content, name):
    """The generated-reports page and /api/v1/reports/ share one FilterSet: the same bodies, programs and periods."""
    page = login("secretary").get(reverse("reports:list")).context["filterset"]
    api = _api_filterset(GeneratedReportViewSet, secretary, {})
    assert _offered(page, name) == _offered(api, name)
    assert len(_offered(api, name)) > 1  # something besides the empty choice


def test_the_reports_api_refuses_a_program_the_user_cannot_see(api, program_content):
    """Another body's program is unknown to this user: refused as such, not answered with an empty list."""
    hidden = ProgramFactory(organisation=OrganisationFactory())
    response = api("secretary").get("/api/v1/reports/", {"program": hidden.pk})
    assert response.status_code == 400
    assert response.json()["fields"]["program"][0]["code"] == "does_not_exist"
    assert api("secretary").get("/api/v1/reports/", {"program": program_content.program.pk}).status_code == 200
