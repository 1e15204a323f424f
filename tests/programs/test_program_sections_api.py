"""The sections of a program's text over the API: the page's rules, a revision once the program is approved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.choices import ProgramStatus
from programs.models import Program, ProgramSection
from tests.factories import ProgramSectionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/program-sections/"
TEXT = {"position": 5, "title": "Прикінцеві положення", "body": "Програма діє до 2025 року."}


def test_the_secretary_adds_a_section_to_a_draft_and_a_taken_position_is_refused(api, program):
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.DRAFT)
    client = api("secretary")

    added = client.post(URL, {"program": program.pk, **TEXT}, format="json")
    taken = client.post(URL, {"program": program.pk, **TEXT, "position": 1}, format="json")

    assert added.status_code == 201
    assert added.json()["version"] == 1
    assert taken.status_code == 400
    assert "position" in taken.json()["fields"]


def test_an_approved_programs_text_changes_only_under_a_revision(api, program, revision, secretary):
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.IN_FORCE)
    client = api("secretary")

    without = client.post(URL, {"program": program.pk, **TEXT}, format="json")
    under = client.post(URL, {"program": program.pk, **TEXT, "revision": revision.pk}, format="json")

    assert without.status_code == 400
    assert under.status_code == 201
    record = ProgramSection.objects.get(pk=under.json()["id"]).history.get()
    assert (record.history_user, record.history_change_reason) == (secretary, "Перегляд № 1")


def test_a_section_moves_to_a_free_position_and_a_stale_version_is_a_conflict(api, program):
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.DRAFT)
    section = program.sections.get(position=4)
    client = api("secretary")

    moved = client.patch(f"{URL}{section.pk}/", {"version": section.version, "position": 9}, format="json")
    stale = client.patch(f"{URL}{section.pk}/", {"version": section.version, "title": "Інше"}, format="json")

    assert moved.json()["position"] == 9
    assert moved.json()["title"] == section.title
    assert stale.status_code == 409


def test_readers_are_refused_and_another_bodys_sections_are_not_found(api, program, other_program):
    theirs = other_program.sections.first()

    assert api("reporter").post(URL, {"program": program.pk, **TEXT}, format="json").status_code == 403
    assert (
        api("manager").patch(f"{URL}{program.sections.first().pk}/", {"version": 1}, format="json").status_code == 403
    )
    assert api("secretary").patch(f"{URL}{theirs.pk}/", {"version": 1}, format="json").status_code == 404
    assert api("secretary").post(URL, {"program": other_program.pk, **TEXT}, format="json").status_code == 400


def test_the_list_costs_as_many_queries_for_many_sections_as_for_few(api, program, django_assert_max_num_queries):
    client = api("secretary")
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    for position in range(10, 50):
        ProgramSectionFactory(program=program, position=position)

    with django_assert_max_num_queries(len(queries)):
        response = client.get(URL)

    assert response.json()["count"] == 44
