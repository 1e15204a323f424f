"""The HTML pages: who may open which page, what the program page shows, and what the pages cost in queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from measures.models import Measure
from tests.conftest import module_world
from tests.factories import ProgramFactory, UserFactory, bulk_measures

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

URLS = {
    "home": lambda program: reverse("home"),
    "programs:list": lambda program: reverse("programs:list"),
    "programs:detail": lambda program: reverse("programs:detail", args=[program.pk]),
}
OK = {"home": 200, "programs:list": 200, "programs:detail": 200}
EXPECTED_STATUS = {
    "secretary": OK,
    "reporter": OK,
    "commission": OK,
    "manager": OK,
    "officer": OK,
    "admin_user": OK,
    "parent_secretary": OK,
    "superuser": OK,
    "outsider": {**OK, "programs:detail": 404},
    "anonymous": {"home": 302, "programs:list": 302, "programs:detail": 302},
}
MATRIX = [(persona, url, status) for persona, statuses in EXPECTED_STATUS.items() for url, status in statuses.items()]


@pytest.mark.parametrize(("persona", "url_name", "status"), MATRIX, ids=[f"{p}-{u}" for p, u, _ in MATRIX])
def test_permission_matrix(login, program, persona, url_name, status):
    url = URLS[url_name](program)

    response = login(persona).get(url)

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_outsider_opens_the_program_of_their_own_organisation(login, other_program):
    response = login("outsider").get(reverse("programs:detail", args=[other_program.pk]))

    assert response.status_code == 200
    assert escape(other_program.title) in response.content.decode()


def test_a_program_that_does_not_exist_answers_404(login, program):
    assert login("secretary").get(reverse("programs:detail", args=[program.pk + 1000])).status_code == 404


def test_the_outsider_does_not_find_the_organisations_program_in_the_list(login, program, other_program):
    content = login("outsider").get(reverse("programs:list")).content.decode()

    assert escape(other_program.title) in content
    assert escape(program.title) not in content


def test_the_parent_secretary_finds_the_child_program_in_the_list(login, program):
    content = login("parent_secretary").get(reverse("programs:list")).content.decode()

    assert escape(program.title) in content


def test_the_program_page_shows_the_measures_and_their_deadlines_in_english(login, program_content):
    response = login("secretary").get(
        reverse("programs:detail", args=[program_content.program.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    content = response.content.decode()

    for measure in program_content.measures.values():
        assert escape(measure.content) in content
    for text in [
        "I quarter",
        "Every half-year",
        "During the year",
        "No later than 3 working days from the day after the event",
        "Within 10 working days before the event",
    ]:
        assert text in content
    assert escape("Вплив на членів конкурсної комісії") in content


def test_the_program_page_shows_each_deadline_as_the_ukrainian_interface_phrases_it(login, program_content):
    response = login("secretary").get(reverse("programs:detail", args=[program_content.program.pk]))
    content = response.content.decode()

    assert '<html lang="uk">' in content
    with translation.override("uk"):
        phrases = [measure.deadline_phrase() for measure in program_content.measures.values()]
    for text in phrases:
        assert escape(text) in content


def test_a_reporter_sees_on_the_program_page_only_the_measures_of_their_unit_and_no_risks(login, program_content):
    content = login("reporter").get(reverse("programs:detail", args=[program_content.program.pk])).content.decode()

    for name in ("unit_quarter", "shared_event", "unit_year"):
        assert escape(program_content.measures[name].content) in content
    for name in ("other_half", "other_training"):
        assert escape(program_content.measures[name].content) not in content
    assert escape("Вплив на членів конкурсної комісії") not in content


def test_the_reporters_home_page_lists_the_measures_of_their_unit(login, program_content):
    content = login("reporter").get(reverse("home")).content.decode()

    assert escape(program_content.measures["unit_quarter"].content) in content
    assert escape(program_content.measures["other_half"].content) not in content


def test_the_secretarys_home_page_lists_the_programs(login, program):
    content = login("secretary").get(reverse("home")).content.decode()

    assert escape(program.title) in content


def test_the_login_page_renders_the_sign_in_form(client):
    response = client.get(reverse("login"))
    content = response.content.decode()

    assert response.status_code == 200
    assert 'name="username"' in content
    assert 'name="password"' in content


def test_a_failed_login_shows_an_error_and_keeps_the_username_typed(client, db):
    UserFactory(username="secretary.kyiv", password="correct horse battery staple")

    response = client.post(reverse("login"), {"username": "secretary.kyiv", "password": "wrong password"})
    content = response.content.decode()

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors
    assert escape(errors[0]) in content
    assert 'value="secretary.kyiv"' in content
    assert "_auth_user_id" not in client.session


def test_a_successful_login_takes_the_user_home(client, db):
    UserFactory(username="secretary.kyiv", password="correct horse battery staple")

    response = client.post(reverse("login"), {"username": "secretary.kyiv", "password": "correct horse battery staple"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"]


# --- query counts ------------------------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up once-per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["secretary", "reporter", "parent_secretary"])
def test_the_program_page_costs_as_many_queries_for_300_measures_as_for_10(
    login,
    program_content,
    reporter_unit,
    other_unit,
    persona,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    program = program_content.program
    client = login(persona)
    url = reverse("programs:detail", args=[program.pk])
    bulk_measures(program, [reporter_unit, other_unit], 10 - len(program_content.measures))
    small = queries_for(client, url)

    last = bulk_measures(program, [reporter_unit, other_unit], 290)[-2]
    with django_assert_num_queries(small):
        response = client.get(url)

    assert escape(last.content) in response.content.decode()
    with django_assert_max_num_queries(20):
        client.get(url)


def test_the_reporters_home_page_costs_as_many_queries_for_300_measures_as_for_10(
    login, program_content, reporter_unit, other_unit, django_assert_num_queries
):
    client = login("reporter")
    url = reverse("home")
    bulk_measures(program_content.program, [reporter_unit, other_unit], 10 - len(program_content.measures))
    small = queries_for(client, url)

    bulk_measures(program_content.program, [reporter_unit, other_unit], 290)
    with django_assert_num_queries(small):
        response = client.get(url)

    mine = Measure.objects.filter(responsible_units=reporter_unit, content__startswith="Захід масового переліку")
    assert 140 < mine.count() < 200
    my_measures = response.content.decode().split('id="home-measures"')[1].split("</section>")[0]
    assert my_measures.count("Захід масового переліку") == mine.count()


@pytest.mark.parametrize("url_name", ["home", "programs:list"])
@pytest.mark.parametrize("persona", ["secretary", "manager", "parent_secretary"])
def test_the_program_lists_cost_as_many_queries_for_30_programs_as_for_3(
    login, organisation, program, persona, url_name, django_assert_num_queries
):
    client = login(persona)
    url = reverse(url_name)
    ProgramFactory.create_batch(2, organisation=organisation)
    small = queries_for(client, url)

    created = ProgramFactory.create_batch(27, organisation=organisation)
    with django_assert_num_queries(small):
        response = client.get(url)

    assert escape(created[-1].title) in response.content.decode()
