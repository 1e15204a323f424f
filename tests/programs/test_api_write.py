"""Writes through /api/v1/: the same services, roles and refusals as the pages, for every persona and endpoint.

Risk- and measure-specific input checks are in tests/risks/test_api_write.py and tests/measures/test_api_write.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from measures.models import Measure
from programs.choices import Country, OrganisationKind, ProgramStatus
from programs.models import Organisation, Program, ProgramStatusChange, Unit
from risks.models import Risk
from tests.conftest import module_world
from tests.factories import ProgramFactory, UnitFactory, preset_matrix

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1"


@pytest.fixture
def draft(organisation):
    return ProgramFactory(
        organisation=organisation,
        status=ProgramStatus.DRAFT,
        title="Проєкт антикорупційної програми на 2026–2028 роки",
        start_year=2026,
        end_year=2028,
    )


@dataclass
class Targets:
    """The territorial body's objects the writes aim at."""

    organisation: Organisation
    unit: Unit
    draft: Program
    program: Program
    risk: Risk
    measure: Measure


@pytest.fixture
def targets(organisation, reporter_unit, draft, program_content) -> Targets:
    return Targets(
        organisation=organisation,
        unit=reporter_unit,
        draft=draft,
        program=program_content.program,
        risk=program_content.risks[0],
        measure=program_content.measures["unit_quarter"],
    )


@dataclass(frozen=True)
class Write:
    endpoint: str
    model: type
    method: str
    payload: Callable[[Targets], dict]
    # The object an update aims at; None for a create.
    target: Callable[[Targets], object] | None = None
    action: str = ""
    writer: str = "secretary"  # a persona the pages let make this change

    def url(self, t: Targets) -> str:
        detail = f"{self.target(t).pk}/" if self.target else ""
        return f"{API}/{self.endpoint}/{detail}{self.action}"


def risk_payload(t: Targets) -> dict:
    matrix = t.program.risk_matrix
    return {
        "program": t.program.pk,
        "function": "procurement",
        "title": "Завищення очікуваної вартості закупівлі",
        "inherent_probability": matrix.probabilities.get(score=2).pk,
        "inherent_consequence": matrix.consequences.get(score=3).pk,
    }


def measure_payload(t: Targets) -> dict:
    return {
        "program": t.program.pk,
        "task": t.measure.task_id,
        "content": "Провести аналіз очікуваної вартості закупівель",
        "deadline_kind": "year",
        "responsible_units": [t.unit.pk],
    }


WRITES = {
    "organisation-update": Write(
        "organisations",
        Organisation,
        "patch",
        lambda t: {"name": "ГУ ДМС у Київській обл."},
        target=lambda t: t.organisation,
        writer="admin_user",
    ),
    "unit-create": Write(
        "units",
        Unit,
        "post",
        lambda t: {"organisation": t.organisation.pk, "name": "Сектор цифрової трансформації", "abbreviation": "СЦТ"},
    ),
    "unit-update": Write(
        "units", Unit, "patch", lambda t: {"head_name": "Коваленко О. П.", "version": 1}, target=lambda t: t.unit
    ),
    "program-create": Write(
        "programs",
        Program,
        "post",
        lambda t: {
            "organisation": t.organisation.pk,
            "title": "Антикорупційна програма на 2027–2029 роки",
            "start_year": 2027,
            "end_year": 2029,
            "risk_matrix": preset_matrix().pk,
        },
    ),
    "program-update": Write(
        "programs",
        Program,
        "patch",
        lambda t: {"version": t.draft.version, "title": "Антикорупційна програма на 2026–2028 роки"},
        target=lambda t: t.draft,
    ),
    "program-transition": Write(
        "programs",
        Program,
        "post",
        lambda t: {"to_status": "public_discussion"},
        target=lambda t: t.draft,
        action="transition/",
    ),
    "risk-create": Write("risks", Risk, "post", risk_payload),
    "risk-update": Write(
        "risks",
        Risk,
        "patch",
        lambda t: {"version": t.risk.version, "process": "Добір кадрів"},
        target=lambda t: t.risk,
    ),
    "measure-create": Write("measures", Measure, "post", measure_payload),
    "measure-update": Write(
        "measures",
        Measure,
        "patch",
        lambda t: {"version": t.measure.version, "indicator": "Перевірено всіх кандидатів"},
        target=lambda t: t.measure,
    ),
}

PERSONAS = [
    "secretary",
    "admin_user",
    "superuser",
    "reporter",
    "commission",
    "manager",
    "officer",
    "parent_secretary",
    "outsider",
    "outsider_token",  # a DRF token of the other organisation's secretary, as another system would send it
    "anonymous",
]
# Out of view scope: an update is 404; a create naming the organisation or program is 400 "does not exist".
# In scope without the change role (the parent body included): 403. A reporter does not see the risk register.
# Without credentials: 401, with the WWW-Authenticate header that names the token scheme.
# fmt: off
EXPECTED = {
    #                      sec  adm  root rep  com  man  off  par  out  tok  anon
    "organisation-update": (403, 200, 200, 403, 403, 403, 403, 403, 404, 404, 401),
    "unit-create":         (201, 201, 201, 403, 403, 403, 403, 403, 400, 400, 401),
    "unit-update":         (200, 200, 200, 403, 403, 403, 403, 403, 404, 404, 401),
    "program-create":      (201, 201, 201, 403, 403, 403, 403, 403, 400, 400, 401),
    "program-update":      (200, 200, 200, 403, 403, 403, 403, 403, 404, 404, 401),
    "program-transition":  (200, 200, 200, 403, 403, 403, 403, 403, 404, 404, 401),
    "risk-create":         (201, 201, 201, 403, 403, 403, 403, 403, 400, 400, 401),
    "risk-update":         (200, 200, 200, 404, 403, 403, 403, 403, 404, 404, 401),
    "measure-create":      (201, 201, 201, 403, 403, 403, 403, 403, 400, 400, 401),
    "measure-update":      (200, 200, 200, 403, 403, 403, 403, 403, 404, 404, 401),
}
# fmt: on
MATRIX = [
    (write, persona, status)
    for write, statuses in EXPECTED.items()
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


@pytest.fixture
def client_of(api, token_api, request):
    def client(persona: str):
        if persona == "outsider_token":
            return token_api(request.getfixturevalue("outsider"))
        return api(persona)

    return client


def send(client, name: str, targets: Targets, *, extra: dict | None = None, **changes):
    write = WRITES[name]
    payload = {**write.payload(targets), **changes}
    return getattr(client, write.method)(write.url(targets), payload, format="json", **(extra or {}))


def snapshot() -> dict:
    """Every row the writes could touch, so a refused write can be shown to have changed nothing."""
    models = [Organisation, Unit, Program, ProgramStatusChange, Risk, Measure, Measure.responsible_units.through]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.mark.parametrize(("write", "persona", "status"), MATRIX, ids=[f"{w}-{p}" for w, p, _ in MATRIX])
def test_each_persona_may_write_only_where_the_pages_let_them(client_of, targets, write, persona, status):
    client = client_of(persona)
    before = snapshot()

    response = send(client, write, targets)

    assert response.status_code == status, response.content
    if status >= 400:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("write", "field"), [("program-update", "title"), ("risk-update", "process"), ("measure-update", "indicator")]
)
def test_a_stale_version_is_a_conflict_and_keeps_the_stored_object(api, targets, write, field):
    client = api("secretary")
    first = send(client, write, targets, **{field: "Перша зміна"})

    # Still the version read before the first change.
    second = send(client, write, targets, extra={"HTTP_ACCEPT_LANGUAGE": "en"}, **{field: "Друга зміна"})

    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json()["message"].startswith("Someone else saved this record after you opened it.")
    stored = WRITES[write].target(targets)
    stored.refresh_from_db()
    assert (getattr(stored, field), stored.version) == ("Перша зміна", 2)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_answers_with_the_object_as_a_get_reads_it_and_the_history_names_the_token_user(
    request, token_api, targets, write
):
    spec = WRITES[write]
    user = request.getfixturevalue(spec.writer)
    client = token_api(user)

    response = send(client, write, targets)

    assert response.status_code == (201 if spec.target is None else 200), response.content
    body = response.json()
    assert client.get(f"{API}/{spec.endpoint}/{body['id']}/").json() == body
    if hasattr(spec.model, "history"):  # organisations and units keep no history
        assert spec.model.objects.get(pk=body["id"]).history.latest().history_user == user


def test_the_organisations_administrator_changes_its_details_but_not_its_place_in_the_hierarchy(
    api, organisation, parent_organisation
):
    client = api("admin_user")
    url = f"{API}/organisations/{organisation.pk}/"
    changes = {"short_name": "ГУ ДМС Київщини", "kind": OrganisationKind.CENTRAL, "website": "https://dmsu.gov.ua"}

    response = client.patch(url, {**changes, "parent": None, "country": Country.KYRGYZSTAN}, format="json")

    assert response.status_code == 200
    assert client.get(url).json() == response.json()
    organisation.refresh_from_db()
    assert (organisation.short_name, organisation.kind, organisation.website) == tuple(changes.values())
    assert (organisation.parent, organisation.country) == (parent_organisation, Country.UKRAINE)
    assert organisation.name == "Головне управління ДМС у Київській області"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"short_name": "Мінкульт"}, "short_name"),  # the other organisation's
        ({"kind": "planet"}, "kind"),
        ({"website": "not an address"}, "website"),
        ({"name": ""}, "name"),
        ({"name": ["a", "list"]}, "name"),
        ({"code": "x" * 21}, "code"),
    ],
)
def test_bad_organisation_details_are_refused_with_the_field_named(
    api, organisation, other_organisation, payload, field
):
    response = api("admin_user").patch(f"{API}/organisations/{organisation.pk}/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_organisations_are_neither_created_nor_deleted_through_the_api(api, organisation):
    client = api("superuser")

    assert client.post(f"{API}/organisations/", {"name": "Нова", "short_name": "Н"}, format="json").status_code == 405
    assert client.delete(f"{API}/organisations/{organisation.pk}/").status_code == 405


def test_a_unit_is_added_under_a_parent_unit_and_renamed_with_put(api, organisation, reporter_unit):
    client = api("secretary")
    created = client.post(
        f"{API}/units/",
        {"organisation": organisation.pk, "name": "Сектор добору", "abbreviation": "СД", "parent": reporter_unit.pk},
        format="json",
    )

    renamed = client.put(
        f"{API}/units/{created.json()['id']}/",
        {"name": "Сектор добору персоналу", "abbreviation": "СДП", "version": created.json()["version"]},
        format="json",
    )

    assert (created.status_code, renamed.status_code) == (201, 200)
    unit = Unit.objects.get(pk=created.json()["id"])
    assert (unit.organisation, unit.parent, unit.name, unit.abbreviation) == (
        organisation,
        reporter_unit,
        "Сектор добору персоналу",
        "СДП",
    )


@pytest.mark.parametrize(
    ("persona", "payload", "field"),
    [
        ("secretary", {"organisation": 999_999}, "organisation"),
        ("secretary", {"organisation": "abc"}, "organisation"),
        ("secretary", {"organisation": None}, "organisation"),
        ("secretary", {"abbreviation": "УП"}, "abbreviation"),  # taken by another unit of the body
        ("secretary", {"abbreviation": ""}, "abbreviation"),
        ("secretary", {"email": "not an address"}, "email"),
        ("secretary", {"is_active": "perhaps"}, "is_active"),
        ("secretary", {"parent": 2**70}, "parent"),
        ("secretary", {"parent": "other_unit"}, "parent"),  # another body's unit, out of the secretary's sight
        ("double_secretary", {"parent": "other_unit"}, "parent"),  # in sight, refused by the service
    ],
)
def test_bad_unit_input_is_refused_with_the_field_named(
    api, organisation, reporter_unit, other_organisation, persona, payload, field
):
    other_unit = UnitFactory(organisation=other_organisation, abbreviation="ВК")
    if payload.get("parent") == "other_unit":
        payload = {"parent": other_unit.pk}
    before = Unit.objects.count()

    response = api(persona).post(
        f"{API}/units/",
        {"organisation": organisation.pk, "name": "Сектор", "abbreviation": "С", **payload},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert Unit.objects.count() == before


def test_a_unit_cannot_be_placed_under_itself(api, reporter_unit):
    response = api("secretary").patch(
        f"{API}/units/{reporter_unit.pk}/", {"parent": reporter_unit.pk, "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "parent" in response.json()["fields"]


# --- programs -----------------------------------------------------------------------------------------------------


def test_a_program_is_created_as_a_draft_with_the_standard_sections(api, targets):
    response = send(api("secretary"), "program-create", targets)

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["version"]) == (ProgramStatus.DRAFT, 1)
    assert Program.objects.get(pk=response.json()["id"]).sections.count() == 4


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start_year": "twenty"}, "start_year"),
        ({"start_year": 0}, "start_year"),
        ({"end_year": 2026}, "end_year"),  # before the first year
        ({"end_year": 2101}, "end_year"),
        ({"title": ""}, "title"),
        ({"title": "Антикорупційна програма ГУДМС у Київській області"}, "title"),  # the body already has it
        ({"risk_matrix": 999_999}, "risk_matrix"),
        ({"risk_matrix": [1]}, "risk_matrix"),
        ({"published_url": "ftp:/nowhere"}, "published_url"),
        ({"submission_due_days": -1}, "submission_due_days"),
        ({"organisation": "other_organisation"}, "organisation"),
    ],
)
def test_bad_program_input_is_refused_with_the_field_named(api, targets, other_organisation, payload, field):
    if payload.get("organisation") == "other_organisation":
        payload = {"organisation": other_organisation.pk}
    before = Program.objects.count()

    response = send(api("secretary"), "program-create", targets, **payload)

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert Program.objects.count() == before


def test_a_program_create_missing_its_fields_names_each_of_them(api):
    response = api("secretary").post(f"{API}/programs/", {}, format="json")

    assert response.status_code == 400
    assert {"organisation", "title", "start_year", "end_year", "risk_matrix"} <= set(response.json()["fields"])


def test_a_patch_changes_only_the_sent_fields_of_a_draft(api, draft):
    before = api("secretary").get(f"{API}/programs/{draft.pk}/").json()

    response = api("secretary").patch(
        f"{API}/programs/{draft.pk}/", {"version": draft.version, "submission_due_days": 20}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {**before, "submission_due_days": 20, "version": draft.version + 1}


def test_a_program_update_without_a_version_is_refused(api, draft):
    response = api("secretary").patch(f"{API}/programs/{draft.pk}/", {"title": "Без версії"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()["fields"]


def test_an_approved_program_refuses_content_changes_without_an_open_revision(api, program):
    response = api("secretary").patch(
        f"{API}/programs/{program.pk}/",
        {"version": program.version, "title": "Інша назва"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "content changes only through a revision" in response.json()["message"]
    program.refresh_from_db()
    assert program.title == "Антикорупційна програма ГУДМС у Київській області"


def test_an_approved_program_changes_under_an_open_revision_which_the_history_names(api, program, revision):
    response = api("secretary").patch(
        f"{API}/programs/{program.pk}/",
        {"version": program.version, "title": "Змінена програма", "revision": revision.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    record = program.history.latest()
    assert (record.title, record.history_change_reason) == ("Змінена програма", "Revision No. 1")


def test_a_revision_of_another_program_is_refused(api, organisation, revision):
    approved = ProgramFactory(organisation=organisation, status=ProgramStatus.IN_FORCE)

    response = api("secretary").patch(
        f"{API}/programs/{approved.pk}/", {"version": approved.version, "revision": revision.pk}, format="json"
    )

    assert response.status_code == 400
    assert "revision" in response.json()["fields"]


def test_a_transition_records_the_document_and_answers_with_the_program(api, secretary, draft):
    response = api("secretary").post(
        f"{API}/programs/{draft.pk}/transition/",
        {"to_status": "approved", "document_number": "17-ОД", "document_date": "2025-12-01"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["approval_order_number"]) == ("approved", "17-ОД")
    change = ProgramStatusChange.objects.get(program=draft)
    assert (change.from_status, change.to_status, change.changed_by) == ("draft", "approved", secretary)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to_status": "in_force"}, "non_field_errors"),  # a draft is not put in force directly
        ({"to_status": "approved"}, "document_number"),
        ({"to_status": "approved", "document_number": "1", "document_date": "2999-01-01"}, "document_date"),
        ({"to_status": "approved", "document_number": "1", "document_date": "01.12.2025"}, "document_date"),
        ({"to_status": "nowhere"}, "to_status"),
        ({}, "to_status"),
    ],
)
def test_a_transition_the_lifecycle_refuses_is_a_400_with_the_services_message(api, draft, payload, field):
    response = api("secretary").post(f"{API}/programs/{draft.pk}/transition/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.DRAFT


# --- a parent body -------------------------------------------------------------------------------------------------


def test_the_parent_bodys_secretary_reads_the_childs_objects_but_writes_none_of_them(api, targets):
    client = api("parent_secretary")
    before = snapshot()

    for write in WRITES.values():
        if write.target:
            # An action such as the transition is POST only; every object itself is readable.
            assert client.get(write.url(targets)).status_code == (405 if write.action else 200)
    statuses = {name: send(client, name, targets).status_code for name in WRITES}

    assert set(statuses.values()) == {403}
    assert snapshot() == before
