"""One behaviour with the pages (issue 14 item 3): each page action and its API twin leave the same records behind.

For every pair, the same world is built once; the page action runs (a signed-in browser posting the form) and the
database is photographed, then rolled back; the API twin runs on the very same data (another system, with a token)
and is photographed too. The two photographs must match row by row and field by field — the objects and their
history records (who, what, which version), every app's tables — leaving out only what differs by nature: primary
keys of the rows the action created (numbered in creation order instead), timestamps, invitation token hashes and
unusable passwords, which are random.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import Role
from measures.choices import DeadlineKind, SectionKind
from programs.choices import CommissionRole, DecisionKind
from programs.models import AgendaItem, Membership
from programs.permissions import must_use_second_factor
from reports.choices import EntryState, ExecutionStatus, Grade
from reports.execution.period_services import period_send_for_review
from risks.choices import Function
from tests.conftest import member
from tests.factories import CommissionFactory, CommissionMemberFactory, ExecutionEntryFactory, MeetingFactory
from tests.second_factor import app_device, verified_login

pytestmark = pytest.mark.django_db

APPS = ("programs", "measures", "risks", "reports")
# Random by design, or different in any two runs.
IGNORED = frozenset({"token_hash", "password", "last_login"})


# --- the photograph ------------------------------------------------------------------------------------------------


def _models() -> list[type[models.Model]]:
    found = [model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in APPS]
    return [*found, get_user_model()]


def high_water() -> dict[type[models.Model], int]:
    """The highest primary key of every table before an action: rows above it are the action's."""
    return {model: model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0 for model in _models()}


def photograph(before: dict[type[models.Model], int]) -> dict[str, list[tuple]]:
    """Every row of every table, with created rows' keys replaced by their creation order and timestamps left out."""
    created: dict[type[models.Model], dict[Any, str]] = {}
    for model in _models():
        new = model._base_manager.filter(pk__gt=before[model]).order_by("pk").values_list("pk", flat=True)
        created[model] = {pk: f"new {model._meta.label} #{n}" for n, pk in enumerate(new, start=1)}

    def key(model, value):
        return created.get(model, {}).get(value, value)

    photo = {}
    for model in _models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if not isinstance(field, models.DateTimeField) and field.name not in IGNORED
        ]
        rows = []
        for row in model._base_manager.values_list(*[field.attname for field in fields]):
            values = []
            for field, value in zip(fields, row, strict=True):
                if field.primary_key:
                    value = key(model, value)
                elif field.is_relation:
                    value = key(field.related_model, value)
                elif field.name == "id" and hasattr(model, "instance_type"):
                    value = key(model.instance_type, value)  # a history row's `id` is its object's key
                values.append((field.name, value))
            rows.append(tuple(values))
        photo[model._meta.label] = sorted(rows, key=repr)
    return photo


class Rollback(Exception):
    pass


def taken_and_undone(action: Callable[[], None], before) -> dict:
    """Run `action`, photograph the database, and undo everything it wrote."""
    result = {}
    try:
        with transaction.atomic():
            action()
            result["photo"] = photograph(before)
            raise Rollback
    except Rollback:
        pass
    return result["photo"]


# --- the pairs -----------------------------------------------------------------------------------------------------


@dataclass
class World:
    content: Any
    users: dict[str, Any]
    objects: dict[str, Any]

    @property
    def period(self):
        return self.content.periods[0]

    @property
    def program(self):
        return self.content.program

    def browser(self, persona: str) -> Client:
        client = Client()
        verified_login(client, self.users[persona])
        return client

    def system(self, persona: str) -> APIClient:
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=self.users[persona])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client


def form(data: dict) -> dict:
    """What a browser posts for `data`: no None, dates as text."""
    return {name: "" if value is None else value for name, value in data.items()}


ENTRY = {"status": ExecutionStatus.DONE, "narrative": "Проведено навчання для 27 осіб", "participants": 27}
EMPTY_ENTRY = {"non_execution_reasons": "", "next_steps": ""}


def entry_page(world: World, measure: str, version: int, extra: dict | None = None):
    url = reverse("reports:entry", args=[world.period.pk, world.content.measures[measure].pk])
    data = {"version": version, **ENTRY, **EMPTY_ENTRY, "evidence-kind": "", **(extra or {})}
    return world.browser("reporter").post(url, form(data))


def entry_api(world: World, entry, submit: bool = False):
    client = world.system("reporter")
    response = client.patch(
        f"/api/v1/execution-entries/{entry.pk}/", {"version": entry.version, **ENTRY, **EMPTY_ENTRY}, format="json"
    )
    if submit:
        return client.post(f"/api/v1/execution-entries/{entry.pk}/submit/", {"version": response.json()["version"]})
    return response


def draft_entry(world: World):
    return ExecutionEntryFactory(
        measure=world.content.measures["unit_year"],
        period=world.period,
        status=ExecutionStatus.IN_PROGRESS,
        narrative="Готуємо семінар",
        state=EntryState.DRAFT,
    )


MEASURE = {
    "number": 4,
    "content": "Проводити перевірку декларацій",
    "stages": "",
    "deadline_kind": DeadlineKind.QUARTER,
    "deadline_year": 2023,
    "deadline_part": 2,
    "deadline_date": None,
    "deadline_days": None,
    "deadline_event": "",
    "target_audience": "",
    "indicator": "Перевірено всі декларації",
    "resources": "",
}


def measure_data(world: World, **changes) -> dict:
    task = world.content.measures["unit_quarter"].task
    return {
        **MEASURE,
        "task": task.pk,
        "responsible_units": [world.objects["unit"].pk],
        "risks": [world.content.risks[0].pk],
        **changes,
    }


def risk_data(world: World, **changes) -> dict:
    matrix = world.program.risk_matrix
    return {
        "number": 3,
        "function": Function.PERSONNEL,
        "process": "Добір персоналу",
        "title": "Конфлікт інтересів у конкурсній комісії",
        "description": "",
        "factors": "",
        "possible_consequences": "",
        "existing_controls": "",
        "owner_unit": world.objects["unit"].pk,
        "inherent_probability": matrix.probabilities.order_by("-score").first().pk,
        "inherent_consequence": matrix.consequences.order_by("-score").first().pk,
        "residual_probability": None,
        "residual_consequence": None,
        "identified_on": "2023-02-01",
        **changes,
    }


def approve_setup(world: World) -> None:
    period_send_for_review(user=world.users["secretary"], period=world.period)


GRADES = {"timeliness": Grade.MET, "completeness": Grade.PARTLY_MET, "effectiveness": Grade.MET, "comment": "Добре"}


@dataclass
class Twin:
    page: Callable[[World], Any]
    api: Callable[[World], Any]
    setup: Callable[[World], None] = lambda world: None


def _role_grant_page(world: World):
    person = world.users["manager"]
    url = reverse("programs:person", args=[world.objects["organisation"].pk, person.pk])
    return world.browser("admin_user").post(url, {"role": Role.OFFICER, "unit": "", "position": "радник", "phone": ""})


def _role_grant_api(world: World):
    data = {
        "organisation": world.objects["organisation"].pk,
        "user": world.users["manager"].pk,
        "role": Role.OFFICER,
        "position": "радник",
        "phone": "",
    }
    return world.system("admin_user").post("/api/v1/memberships/", data, format="json")


def _manager_membership(world: World) -> Membership:
    return Membership.objects.get(user=world.users["manager"], organisation=world.objects["organisation"])


INVITATION = {"email": "nova@example.gov.ua", "roles": [Role.REPORTER], "position": "фахівець", "phone": ""}
MEMBER = {"full_name": "Петренко Олена Іванівна", "position": "начальник УП", "role": CommissionRole.MEMBER}


TWINS: dict[str, Twin] = {
    "entry saved by a reporter, a draft": Twin(
        setup=draft_entry,
        page=lambda w: entry_page(w, "unit_year", w.objects["draft"].version),
        api=lambda w: entry_api(w, w.objects["draft"]),
    ),
    "entry saved by a reporter, submitted before": Twin(
        page=lambda w: entry_page(w, "unit_quarter", w.content.entries["unit_quarter"].version),
        api=lambda w: entry_api(w, w.content.entries["unit_quarter"]),
    ),
    "entry created by a reporter": Twin(
        page=lambda w: entry_page(w, "unit_year", 0),
        api=lambda w: w.system("reporter").post(
            "/api/v1/execution-entries/",
            {
                "period": w.period.pk,
                "measure": w.content.measures["unit_year"].pk,
                "version": 0,
                **ENTRY,
                **EMPTY_ENTRY,
            },
            format="json",
        ),
    ),
    "entry submitted": Twin(
        setup=draft_entry,
        page=lambda w: entry_page(w, "unit_year", w.objects["draft"].version, {"action": "submit"}),
        api=lambda w: entry_api(w, w.objects["draft"], submit=True),
    ),
    "entry evaluated": Twin(
        page=lambda w: w.browser("commission").post(
            reverse("reports:evaluation", args=[w.content.entries["unit_quarter"].pk]), GRADES
        ),
        api=lambda w: w.system("commission").post(
            "/api/v1/evaluations/", {"entry": w.content.entries["unit_quarter"].pk, **GRADES}, format="json"
        ),
    ),
    "period sent for review": Twin(
        page=lambda w: w.browser("secretary").post(reverse("reports:send-for-review", args=[w.period.pk])),
        api=lambda w: w.system("secretary").post(f"/api/v1/reporting-periods/{w.period.pk}/send-for-review/"),
    ),
    "period approved with gaps": Twin(
        setup=approve_setup,
        page=lambda w: w.browser("commission").post(
            reverse("reports:approve", args=[w.period.pk]),
            {"decision": w.objects["decision"].pk, "incomplete_reason": "Решту розглянемо згодом"},
        ),
        api=lambda w: w.system("commission").post(
            f"/api/v1/reporting-periods/{w.period.pk}/approve/",
            {"decision": w.objects["decision"].pk, "incomplete_reason": "Решту розглянемо згодом"},
            format="json",
        ),
    ),
    "period reopened": Twin(
        setup=approve_setup,
        page=lambda w: w.browser("secretary").post(
            reverse("reports:reopen", args=[w.period.pk]), {"reason": "Уточнення від УКЕС"}
        ),
        api=lambda w: w.system("secretary").post(
            f"/api/v1/reporting-periods/{w.period.pk}/reopen/", {"reason": "Уточнення від УКЕС"}, format="json"
        ),
    ),
    "measure created": Twin(
        page=lambda w: w.browser("secretary").post(
            reverse("measures:create", args=[w.program.pk]), form({**measure_data(w), "new_task_title": ""})
        ),
        api=lambda w: w.system("secretary").post(
            "/api/v1/measures/", {**measure_data(w), "program": w.program.pk}, format="json"
        ),
    ),
    "measure updated": Twin(
        page=lambda w: w.browser("secretary").post(
            reverse("measures:update", args=[w.program.pk, w.content.measures["unit_quarter"].pk]),
            form(
                {
                    **measure_data(w, number=1, content="Перевірка кандидатів на посади"),
                    "version": w.content.measures["unit_quarter"].version,
                    "new_task_title": "",
                }
            ),
        ),
        api=lambda w: w.system("secretary").patch(
            f"/api/v1/measures/{w.content.measures['unit_quarter'].pk}/",
            {
                **measure_data(w, number=1, content="Перевірка кандидатів на посади"),
                "version": w.content.measures["unit_quarter"].version,
            },
            format="json",
        ),
    ),
    "risk created": Twin(
        page=lambda w: w.browser("secretary").post(reverse("risks:create", args=[w.program.pk]), form(risk_data(w))),
        api=lambda w: w.system("secretary").post(
            "/api/v1/risks/", {**risk_data(w), "program": w.program.pk}, format="json"
        ),
    ),
    "risk updated": Twin(
        page=lambda w: w.browser("secretary").post(
            reverse("risks:update", args=[w.program.pk, w.content.risks[1].pk]),
            form({**risk_data(w, number=2), "version": w.content.risks[1].version}),
        ),
        api=lambda w: w.system("secretary").put(
            f"/api/v1/risks/{w.content.risks[1].pk}/",
            {**risk_data(w, number=2), "version": w.content.risks[1].version},
            format="json",
        ),
    ),
    "section created": Twin(
        page=lambda w: w.browser("secretary").post(
            reverse("measures:section-create", args=[w.program.pk]),
            {"number": 3, "title": "Заходи з поширення інформації", "kind": SectionKind.TRAINING},
        ),
        api=lambda w: w.system("secretary").post(
            "/api/v1/measure-sections/",
            {"program": w.program.pk, "number": 3, "title": "Заходи з поширення інформації", "kind": "training"},
            format="json",
        ),
    ),
    # The page creates a task by naming it on a new measure; the API creates the task, then the measure in it.
    "task created with its first measure": Twin(
        page=lambda w: w.browser("secretary").post(
            reverse("measures:create", args=[w.program.pk]),
            form(
                {
                    **measure_data(w, task=None),
                    "new_task_section": w.content.measures["unit_quarter"].task.section_id,
                    "new_task_title": "Запобігання конфлікту інтересів",
                }
            ),
        ),
        api=lambda w: w.system("secretary").post(
            "/api/v1/measures/",
            {
                **measure_data(
                    w,
                    task=w.system("secretary")
                    .post(
                        "/api/v1/tasks/",
                        {
                            "section": w.content.measures["unit_quarter"].task.section_id,
                            "title": "Запобігання конфлікту інтересів",
                        },
                        format="json",
                    )
                    .json()["id"],
                ),
                "program": w.program.pk,
            },
            format="json",
        ),
    ),
    "commission member added": Twin(
        page=lambda w: w.browser("secretary").post(
            reverse("programs:member-create", args=[w.objects["organisation"].pk]),
            form({**MEMBER, "user": w.users["manager"].pk, "since": "2023-01-10", "until": None}),
        ),
        api=lambda w: w.system("secretary").post(
            "/api/v1/commission-members/",
            {**MEMBER, "commission": w.objects["commission"].pk, "user": w.users["manager"].pk, "since": "2023-01-10"},
            format="json",
        ),
    ),
    "invitation created": Twin(
        page=lambda w: w.browser("admin_user").post(
            reverse("programs:people-invite", args=[w.objects["organisation"].pk]),
            {**INVITATION, "unit": w.objects["unit"].pk},
        ),
        api=lambda w: w.system("admin_user").post(
            "/api/v1/invitations/",
            {**INVITATION, "organisation": w.objects["organisation"].pk, "unit": w.objects["unit"].pk},
            format="json",
        ),
    ),
    "role granted": Twin(page=_role_grant_page, api=_role_grant_api),
    "role revoked": Twin(
        page=lambda w: w.browser("admin_user").post(
            reverse("programs:membership-remove", args=[_manager_membership(w).pk])
        ),
        api=lambda w: w.system("admin_user").delete(f"/api/v1/memberships/{_manager_membership(w).pk}/"),
    ),
}


@pytest.fixture
def world(request, program_content, organisation, reporter_unit):
    users = {
        persona: request.getfixturevalue(persona)
        for persona in ("secretary", "reporter", "commission", "manager", "admin_user")
    }
    commission = CommissionFactory(organisation=organisation)
    chair = CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR, since=dt.date(2022, 1, 1))
    meeting = MeetingFactory(commission=commission, number=1, held_on=dt.date(2023, 4, 20))
    meeting.attendees.set([chair])
    decision = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Про затвердження звіту за І квартал 2023 року",
        decided="Затвердити.",
        decision_kind=DecisionKind.APPROVE_PERIOD_REPORT,
        period=program_content.periods[0],
    )
    member(Role.REPORTER, organisation, unit=reporter_unit, username="second_reporter")  # a bystander of the body
    # Who must use a second factor has enrolled before the pair is photographed: signing in is not the change compared.
    for user in users.values():
        if must_use_second_factor(user):
            app_device(user)
    return World(
        content=program_content,
        users=users,
        objects={"organisation": organisation, "unit": reporter_unit, "commission": commission, "decision": decision},
    )


SUCCESS = {200, 201, 204, 302}


@pytest.mark.parametrize("name", list(TWINS))
def test_the_page_and_the_api_leave_the_same_records(world, name, mailoutbox):
    twin = TWINS[name]
    setup_result = twin.setup(world)
    if setup_result is not None:
        world.objects["draft"] = setup_result
    for persona in world.users:  # tokens exist before the photographs: they are the system's, not the action's
        Token.objects.get_or_create(user=world.users[persona])
    before = high_water()
    untouched = photograph(before)
    answers = {}

    def by(channel: str):
        def act():
            response = getattr(twin, channel)(world)
            answers[channel] = response.status_code
            # A page that answers 200 has shown the form again with errors: nothing was done.
            assert response.status_code in (SUCCESS - {200} if channel == "page" else SUCCESS), (
                channel,
                response.status_code,
                getattr(response, "content", b"")[:2000],
            )

        return act

    through_page = taken_and_undone(by("page"), before)
    through_api = taken_and_undone(by("api"), before)

    assert through_page != untouched, "the page action changed nothing"
    assert differences(through_page, through_api) == {}


def differences(page: dict, api: dict) -> dict[str, dict[str, list]]:
    """Per table, the rows only the page left and the rows only the API left (readable where a plain == is not)."""
    found = {}
    for table in page:
        only_page = [dict(row) for row in page[table] if row not in api[table]]
        only_api = [dict(row) for row in api[table] if row not in page[table]]
        if only_page or only_api:
            found[table] = {"page": only_page, "api": only_api}
    return found
