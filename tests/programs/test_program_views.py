"""Every page of the program workspace: who may open it, bad input, concurrent edits and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from programs.choices import CommissionRole, ProgramStatus
from programs.commission_services import agenda_item_create
from programs.models import Meeting, Program, ProgramSection, ProgramStatusChange
from tests.conftest import module_world
from tests.factories import CommissionMemberFactory, ProgramFactory, UnitFactory

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

PERSONAS = [
    "secretary",
    "admin_user",
    "parent_secretary",
    "superuser",
    "commission",
    "manager",
    "officer",
    "reporter",
    "outsider",
    "anonymous",
]
# A parent body reads its children's programs but changes only its own.
EDITORS = {"secretary", "admin_user", "superuser"}
READERS = {"commission", "manager", "officer", "parent_secretary"}


@pytest.fixture
def world(program, commission_body, meeting, revision, secretary):
    return {
        "program": program,
        "section": program.sections.first(),
        "revision": revision,
        "organisation": program.organisation,
        "unit": program.organisation.units.first(),
        "member": commission_body.voting[0],
        "meeting": meeting,
        "item": agenda_item_create(user=secretary, meeting=meeting, title="Про стан виконання"),
    }


def expected(persona: str, *, reporter: int, readers: int = 403, everyone: int | None = None) -> int:
    """The status for a persona: editors 200, outsiders 404, anonymous → sign in; the rest as given."""
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    if everyone is not None:
        return everyone
    if persona in EDITORS:
        return 200
    if persona == "reporter":
        return reporter
    return readers


# url name, the object it takes, expected status per persona.
PAGES = [
    ("programs:edit", "program", {"reporter": 403}),
    ("programs:status", "program", {"reporter": 403}),
    ("programs:section-create", "program", {"reporter": 403}),
    ("programs:section-edit", "section", {"reporter": 403}),
    ("programs:revision-create", "program", {"reporter": 403}),
    ("programs:revision", "revision", {"reporter": 404, "readers": 200}),
    ("programs:revision-edit", "revision", {"reporter": 404}),
    ("programs:revision-close", "revision", {"reporter": 404}),
    ("programs:organisation", "organisation", {"reporter": 200, "readers": 200}),
    ("programs:unit-create", "organisation", {"reporter": 403}),
    ("programs:unit-edit", "unit", {"reporter": 403}),
    ("programs:commission", "organisation", {"reporter": 404, "readers": 200}),
    ("programs:commission-edit", "organisation", {"reporter": 404}),
    ("programs:member-create", "organisation", {"reporter": 404}),
    ("programs:member-edit", "member", {"reporter": 404, "readers": 200}),
    ("programs:meeting-create", "organisation", {"reporter": 404}),
    ("programs:meeting", "meeting", {"reporter": 404, "readers": 200}),
    ("programs:meeting-edit", "meeting", {"reporter": 404}),
    ("programs:agenda-item-create", "meeting", {"reporter": 404}),
    ("programs:agenda-item-decision", "item", {"reporter": 404}),
]
MATRIX = [(name, key, persona, expected(persona, **rule)) for name, key, rule in PAGES for persona in PERSONAS]


@pytest.mark.parametrize(
    ("url_name", "key", "persona", "status"), MATRIX, ids=[f"{name}-{persona}" for name, _, persona, _ in MATRIX]
)
def test_permission_matrix(login, world, url_name, key, persona, status):
    url = reverse(url_name, args=[world[key].pk])

    response = login(persona).get(url)

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretary", 200),
        ("outsider", 200),
        ("superuser", 200),
        ("commission", 403),
        ("reporter", 403),
        ("manager", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_new_program_form(login, world, persona, status):
    assert login(persona).get(reverse("programs:create")).status_code == status


@pytest.mark.parametrize("persona", ["secretary", "commission", "outsider", "reporter", "anonymous"])
def test_the_organisations_page_answers_every_signed_in_persona(login, world, persona):
    assert login(persona).get(reverse("programs:organisations")).status_code == (302 if persona == "anonymous" else 200)


@pytest.mark.parametrize(
    ("url_name", "key", "data"),
    [
        ("programs:status", "program", {"to_status": "expired", "reason": "Закінчився строк"}),
        ("programs:revision-create", "program", {"ground": "other", "ground_arose_on": "2024-01-01"}),
        ("programs:unit-create", "organisation", {"abbreviation": "НВ", "name": "Новий"}),
        ("programs:member-edit", "member", {"full_name": "Інше ім'я", "role": "member"}),
        ("programs:agenda-item-decision", "item", {"decided": "Так", "decision_kind": "general"}),
    ],
)
@pytest.mark.parametrize("persona", ["commission", "manager", "outsider"])
def test_a_read_only_or_foreign_user_cannot_post(login, world, url_name, key, data, persona):
    response = login(persona).post(reverse(url_name, args=[world[key].pk]), data)

    assert response.status_code == (404 if persona == "outsider" else 403)
    world["program"].refresh_from_db()
    assert world["program"].status == ProgramStatus.IN_FORCE


# --- programs: create, edit, status -------------------------------------------------------------------------------

PROGRAM_DATA = {
    "title": "Антикорупційна програма на 2026–2028 роки",
    "start_year": "2026",
    "end_year": "2028",
    "revision_decision_months": "1",
    "revision_meeting_weeks": "3",
    "revision_protocol_working_days": "1",
    "submission_due_days": "15",
    "reminder_days_before": "5",
}


def test_the_secretary_creates_a_draft_program_with_the_standard_sections(login, organisation, secretary):
    matrix = ProgramFactory.build().risk_matrix
    response = login("secretary").post(
        reverse("programs:create"), {**PROGRAM_DATA, "organisation": organisation.pk, "risk_matrix": matrix.pk}
    )

    program = Program.objects.get(title=PROGRAM_DATA["title"])
    assert response.status_code == 302
    assert program.status == ProgramStatus.DRAFT
    assert program.sections.count() == 4
    assert program.history.first().history_user == secretary


def test_bad_years_are_refused_next_to_the_field_and_everything_typed_is_kept(login, organisation):
    matrix = ProgramFactory.build().risk_matrix
    response = login("secretary").post(
        reverse("programs:create"),
        {**PROGRAM_DATA, "end_year": "2024", "organisation": organisation.pk, "risk_matrix": matrix.pk},
    )
    content = response.content.decode()

    assert response.status_code == 400
    assert response.context["form"].errors["end_year"]
    assert 'id="id_end_year_error"' in content
    assert f'value="{escape(PROGRAM_DATA["title"])}"' in content
    assert not Program.objects.filter(title=PROGRAM_DATA["title"]).exists()


def test_a_secretary_cannot_create_a_program_for_another_organisation(login, organisation, other_organisation):
    matrix = ProgramFactory.build().risk_matrix
    response = login("outsider").post(
        reverse("programs:create"), {**PROGRAM_DATA, "organisation": organisation.pk, "risk_matrix": matrix.pk}
    )

    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors


def edit_data(program, **changes) -> dict:
    return {
        **PROGRAM_DATA,
        "title": program.title,
        "start_year": program.start_year,
        "end_year": program.end_year,
        "risk_matrix": program.risk_matrix_id,
        "version": program.version,
        **changes,
    }


def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_its_input(login, organisation):
    program = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT)
    first, second = login("secretary"), login("admin_user")
    data_first = edit_data(program, title="Перша редакція")
    data_second = edit_data(program, title="Друга редакція")

    assert first.post(reverse("programs:edit", args=[program.pk]), data_first).status_code == 302
    response = second.post(reverse("programs:edit", args=[program.pk]), data_second, HTTP_ACCEPT_LANGUAGE="en")

    program.refresh_from_db()
    assert program.title == "Перша редакція"
    assert response.status_code == 400
    content = response.content.decode()
    assert "Someone else saved this record after you opened it" in content
    assert 'value="Друга редакція"' in content


def test_the_second_of_two_concurrent_section_edits_is_refused(login, organisation):
    program = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT)
    section = ProgramSection.objects.create(program=program, position=1, title="Засади", body="Текст")
    url = reverse("programs:section-edit", args=[section.pk])
    data = {"position": 1, "title": "Засади", "version": 1}

    assert login("secretary").post(url, {**data, "body": "Перший"}).status_code == 302
    response = login("admin_user").post(url, {**data, "body": "Другий <script>x</script>"})

    section.refresh_from_db()
    assert section.body == "Перший"
    assert response.status_code == 400
    assert escape("Другий <script>x</script>") in response.content.decode()


def test_editing_an_approved_program_asks_for_the_revision_next_to_the_field(login, program):
    response = login("secretary").post(reverse("programs:edit", args=[program.pk]), edit_data(program, title="Нова"))

    assert response.status_code == 400
    assert response.context["form"].errors["revision"]


def test_a_script_typed_into_a_section_is_shown_as_text_on_the_program_page(login, organisation):
    program = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT)
    response = login("secretary").post(
        reverse("programs:section-create", args=[program.pk]),
        {"position": 1, "title": "Засади", "body": "Політика **нульової толерантності**\n\n<script>alert(1)</script>"},
    )
    assert response.status_code == 302

    content = login("manager").get(reverse("programs:detail", args=[program.pk])).content.decode()

    assert "<strong>нульової толерантності</strong>" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_status_form_records_the_change_and_the_program_page_shows_it(login, organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=ProgramStatus.PUBLIC_DISCUSSION)

    response = login("secretary").post(
        reverse("programs:status", args=[program.pk]),
        {"to_status": ProgramStatus.APPROVED, "document_number": "320", "document_date": "2023-02-01"},
    )

    assert response.status_code == 302
    change = ProgramStatusChange.objects.get(program=program)
    assert (change.to_status, change.changed_by, change.document_number) == ("approved", secretary, "320")
    content = login("commission").get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "01.02.2023" in content


def test_a_status_outside_the_lifecycle_is_refused_next_to_the_field(login, organisation):
    program = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT)

    response = login("secretary").post(reverse("programs:status", args=[program.pk]), {"to_status": "in_force"})

    assert response.status_code == 400
    assert response.context["form"].errors["to_status"]


def test_approval_without_the_order_asks_for_it_next_to_the_fields(login, organisation):
    program = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT)

    response = login("secretary").post(
        reverse("programs:status", args=[program.pk]), {"to_status": "approved", "reason": "Погоджено колегією"}
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert {"document_number", "document_date"} <= set(errors)
    assert "Погоджено колегією" in response.content.decode()


# --- query counts ------------------------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_program_list_costs_the_same_for_300_programs_as_for_10(login, organisation, django_assert_num_queries):
    client = login("secretary")
    url = reverse("programs:list") + "?status=in_force"
    already = Program.objects.filter(organisation=organisation, status=ProgramStatus.IN_FORCE).count()  # the world's
    ProgramFactory.create_batch(10, organisation=organisation)
    small = queries_for(client, url)

    Program.objects.bulk_create(
        Program(
            organisation=organisation,
            title=f"Програма № {n}",
            start_year=2020,
            end_year=2022,
            risk_matrix_id=Program.objects.first().risk_matrix_id,
            status=ProgramStatus.IN_FORCE,
        )
        for n in range(290)
    )
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.context["page"].paginator.count == already + 300


def test_the_commission_page_costs_the_same_for_300_meetings_and_members_as_for_10(
    login, organisation, commission_body, django_assert_num_queries
):
    client = login("commission")
    url = reverse("programs:commission", args=[organisation.pk])

    def add_meetings(numbers):
        meetings = Meeting.objects.bulk_create(
            Meeting(commission=commission_body, number=n, held_on=dt.date(2020, 1, 1) + dt.timedelta(days=n))
            for n in numbers
        )
        for meeting in meetings[:5]:
            meeting.attendees.set(commission_body.voting)

    add_meetings(range(1, 11))
    small = queries_for(client, url)

    CommissionMemberFactory.create_batch(150, commission=commission_body, role=CommissionRole.MEMBER)
    add_meetings(range(11, 301))
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.context["meetings"].paginator.count == 300


def test_the_organisation_page_costs_the_same_for_300_units_as_for_10(login, organisation, django_assert_num_queries):
    client = login("secretary")
    url = reverse("programs:organisation", args=[organisation.pk])
    parent = UnitFactory(organisation=organisation)
    UnitFactory.create_batch(9, organisation=organisation, parent=parent)
    small = queries_for(client, url)

    UnitFactory.create_batch(290, organisation=organisation, parent=parent)
    with django_assert_num_queries(small):
        client.get(url)


def test_the_meeting_page_costs_the_same_for_30_questions_as_for_3(
    login, meeting, secretary, django_assert_num_queries
):
    client = login("secretary")
    url = reverse("programs:meeting", args=[meeting.pk])
    for n in range(3):
        agenda_item_create(user=secretary, meeting=meeting, title=f"Питання {n}")
    small = queries_for(client, url)

    for n in range(27):
        agenda_item_create(user=secretary, meeting=meeting, title=f"Ще питання {n}")
    with django_assert_num_queries(small):
        client.get(url)
