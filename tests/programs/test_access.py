"""`restrict` and `can`: who sees and changes what, across organisations, units and roles."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.access import Action, can, descendants_map, sees_every_row
from core.roles import Role
from measures.models import Measure
from programs.models import Organisation, Program
from reports.documents.models import GeneratedReport
from reports.execution.models import ExecutionEntry
from risks.models import Risk
from tests.conftest import module_world
from tests.factories import MembershipFactory, UserFactory
from whistleblowers.models import InducementNotification, ReporterIdentity, WhistleblowerReport

pytestmark = pytest.mark.django_db


# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())


STAFF = ["secretary", "commission", "manager", "officer", "admin_user"]
EVERY_PERSONA = [*STAFF, "reporter", "outsider", "parent_secretary", "anonymous"]
WHISTLEBLOWER_MODELS = [WhistleblowerReport, ReporterIdentity, InducementNotification]


@pytest.fixture
def world(
    program_content, parent_program_content, other_program_content, whistleblower_records, other_whistleblower_records
):
    """Programs in all three organisations and whistleblower records in the territorial body and the unrelated one."""
    return {
        "child": program_content,
        "parent": parent_program_content,
        "other": other_program_content,
        "whistleblowers": whistleblower_records,
        "other_whistleblowers": other_whistleblower_records,
    }


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def program_ids(world, *keys) -> set[int]:
    return {world[key].program.pk for key in keys}


def measure_ids(world, *keys) -> set[int]:
    return set().union(*(world[key].measure_ids() for key in keys)) if keys else set()


def risk_ids(world, *keys) -> set[int]:
    return {risk.pk for key in keys for risk in world[key].risks}


def entry_ids(world, *keys) -> set[int]:
    return set().union(*(world[key].entry_ids() for key in keys)) if keys else set()


def whistleblower_ids(world, model, key) -> set[int]:
    records = world[key]
    return {
        WhistleblowerReport: {records.report.pk},
        ReporterIdentity: {records.identity.pk},
        InducementNotification: {records.inducement.pk},
    }[model]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("secretary", ["child"]),
        ("reporter", ["child"]),
        ("commission", ["child"]),
        ("manager", ["child"]),
        ("officer", ["child"]),
        ("admin_user", ["child"]),
        ("outsider", ["other"]),
        ("parent_secretary", ["parent", "child"]),
        ("anonymous", []),
    ],
)
def test_each_persona_sees_the_programs_of_its_organisation_and_of_the_bodies_below(request, world, persona, visible):
    user = request.getfixturevalue(persona)

    assert ids(Program.objects.restrict(user)) == program_ids(world, *visible)


@pytest.mark.parametrize("persona", STAFF)
def test_staff_of_the_organisation_see_every_measure_risk_and_entry_of_its_program(request, world, persona):
    user = request.getfixturevalue(persona)

    assert ids(Measure.objects.restrict(user)) == measure_ids(world, "child")
    assert ids(Risk.objects.restrict(user)) == risk_ids(world, "child")
    assert ids(ExecutionEntry.objects.restrict(user)) == entry_ids(world, "child")


def test_a_reporter_sees_only_measures_of_their_unit(world, reporter):
    visible = ids(Measure.objects.restrict(reporter))

    assert visible == world["child"].measure_ids("unit_quarter", "shared_event", "unit_year")
    assert world["child"].measures["other_half"].pk not in visible


def test_a_measure_shared_by_two_units_appears_once_for_the_reporter(world, reporter):
    shared = world["child"].measures["shared_event"]

    assert list(Measure.objects.restrict(reporter).filter(pk=shared.pk).values_list("pk", flat=True)) == [shared.pk]
    assert Measure.objects.restrict(reporter).count() == 3


def test_a_reporter_sees_only_execution_entries_of_their_unit(world, reporter):
    assert ids(ExecutionEntry.objects.restrict(reporter)) == world["child"].entry_ids("unit_quarter")


def test_a_reporter_sees_no_risks_and_no_whistleblower_records(world, reporter):
    assert ids(Risk.objects.restrict(reporter)) == set()
    for model in WHISTLEBLOWER_MODELS:
        assert ids(model.objects.restrict(reporter)) == set(), model.__name__


def test_a_reporter_of_two_units_sees_the_measures_of_both(world, reporter, other_unit, organisation):
    MembershipFactory(user=reporter, organisation=organisation, role="reporter", unit=other_unit)

    assert ids(Measure.objects.restrict(reporter)) == measure_ids(world, "child")


@pytest.mark.parametrize(
    "model", [Program, Measure, Risk, ExecutionEntry, *WHISTLEBLOWER_MODELS], ids=lambda model: model.__name__
)
def test_the_outsider_sees_nothing_of_the_organisation(world, outsider, model):
    visible = ids(model.objects.restrict(outsider))
    ours = {
        Program: program_ids(world, "child", "parent"),
        Measure: measure_ids(world, "child", "parent"),
        Risk: risk_ids(world, "child", "parent"),
        ExecutionEntry: entry_ids(world, "child", "parent"),
    }.get(model) or whistleblower_ids(world, model, "whistleblowers")

    assert model.objects.filter(pk__in=ours).count() == len(ours)
    assert visible & ours == set()


def test_the_outsider_sees_the_content_of_their_own_organisation(world, outsider):
    assert ids(Measure.objects.restrict(outsider)) == measure_ids(world, "other")
    assert ids(Risk.objects.restrict(outsider)) == risk_ids(world, "other")
    assert ids(ExecutionEntry.objects.restrict(outsider)) == entry_ids(world, "other")


def test_the_parent_secretary_sees_the_child_program_with_its_measures_risks_and_entries(world, parent_secretary):
    assert world["child"].program.pk in ids(Program.objects.restrict(parent_secretary))
    assert ids(Measure.objects.restrict(parent_secretary)) == measure_ids(world, "parent", "child")
    assert ids(Risk.objects.restrict(parent_secretary)) == risk_ids(world, "parent", "child")
    assert ids(ExecutionEntry.objects.restrict(parent_secretary)) == entry_ids(world, "parent", "child")


def test_the_child_secretary_does_not_see_the_parent_program(world, secretary):
    assert world["parent"].program.pk not in ids(Program.objects.restrict(secretary))


def test_a_grandchild_body_is_visible_to_the_parent_secretary(parent_secretary, organisation):
    grandchild = Organisation.objects.create(
        name="Сектор ДМС у Броварському районі", short_name="СДМС Бровари", kind="territorial", parent=organisation
    )

    assert grandchild.pk in ids(Organisation.objects.restrict(parent_secretary))


@pytest.mark.parametrize("persona", EVERY_PERSONA)
@pytest.mark.parametrize("model", WHISTLEBLOWER_MODELS, ids=lambda model: model.__name__)
def test_only_the_officer_sees_whistleblower_reports_identities_and_inducements(request, world, persona, model):
    user = request.getfixturevalue(persona)
    expected = whistleblower_ids(world, model, "whistleblowers") if persona == "officer" else set()

    assert ids(model.objects.restrict(user)) == expected


@pytest.mark.parametrize("model", WHISTLEBLOWER_MODELS, ids=lambda model: model.__name__)
def test_the_officer_does_not_see_the_whistleblower_records_of_another_organisation(world, officer, model):
    assert ids(model.objects.restrict(officer)).isdisjoint(whistleblower_ids(world, model, "other_whistleblowers"))


def test_a_superuser_sees_every_program_but_no_whistleblower_report_or_identity(world, superuser):
    assert ids(Program.objects.restrict(superuser)) == program_ids(world, "child", "parent", "other")
    assert ids(Measure.objects.restrict(superuser)) == measure_ids(world, "child", "parent", "other")
    assert WhistleblowerReport.objects.count() == 2
    for model in WHISTLEBLOWER_MODELS:
        assert ids(model.objects.restrict(superuser)) == set(), model.__name__


@pytest.mark.parametrize("user", [None, AnonymousUser()], ids=["none", "anonymous_user"])
@pytest.mark.parametrize(
    "model",
    [Organisation, Program, Measure, Risk, ExecutionEntry, *WHISTLEBLOWER_MODELS],
    ids=lambda model: model.__name__,
)
def test_anonymous_sees_nothing(world, user, model):
    assert model.objects.exists()
    assert ids(model.objects.restrict(user)) == set()


def test_a_deactivated_secretary_sees_nothing(world, secretary):
    secretary.is_active = False
    secretary.save()

    assert ids(Program.objects.restrict(secretary)) == set()


def test_a_user_without_any_role_sees_nothing(world):
    assert ids(Program.objects.restrict(UserFactory())) == set()


@pytest.mark.parametrize(
    ("persona", "may_change"),
    [
        ("secretary", True),
        ("admin_user", True),
        ("parent_secretary", False),  # reads the child body's program, changes only its own
        ("manager", False),
        ("commission", False),
        ("officer", False),
        ("reporter", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_can_agrees_with_restrict_on_who_may_change_the_program(request, program, persona, may_change):
    user = request.getfixturevalue(persona)

    assert can(user, Action.CHANGE, program) is may_change
    assert Program.objects.restrict(user, Action.CHANGE).filter(pk=program.pk).exists() is may_change


@pytest.mark.parametrize("persona", ["manager", "commission", "reporter"])
def test_a_persona_who_may_view_but_not_change_the_program_can_view_it(request, program, persona):
    user = request.getfixturevalue(persona)

    assert can(user, Action.VIEW, program)
    assert not can(user, "change", program)


def test_a_reporter_may_change_the_entry_of_their_unit_but_not_of_another_unit(program_content, reporter):
    assert can(reporter, Action.CHANGE, program_content.entries["unit_quarter"])
    assert not can(reporter, Action.CHANGE, program_content.entries["other_half"])


def test_a_manager_may_not_change_an_execution_entry(program_content, manager):
    assert not can(manager, Action.CHANGE, program_content.entries["unit_quarter"])


def test_a_superuser_may_change_a_program_but_not_a_whistleblower_report(program, whistleblower_report, superuser):
    assert can(superuser, Action.CHANGE, program)
    assert not can(superuser, Action.VIEW, whistleblower_report)


def test_descendants_map_gives_each_organisation_itself_and_everything_below():
    pairs = [(3, 2), (1, None), (2, 1), (5, 1), (4, None), (6, 3)]

    assert descendants_map(pairs) == {
        1: {1, 2, 3, 5, 6},
        2: {2, 3, 6},
        3: {3, 6},
        4: {4},
        5: {5},
        6: {6},
    }


def test_descendants_map_of_no_organisations_is_empty():
    assert descendants_map([]) == {}


EVERY_ROW_MODELS = [Measure, ExecutionEntry, Risk, WhistleblowerReport, GeneratedReport]
BODIES = ["child", "parent", "other"]


def body_rows(model, organisation_id: int) -> set[int]:
    return ids(model._base_manager.filter(**{model.access.organisation: organisation_id}))


@pytest.fixture
def manager_elsewhere_reporter_here(organisation, other_organisation, reporter_unit):
    """A manager of the unrelated body who reports for one unit of the territorial body."""
    user = MembershipFactory(organisation=other_organisation, role=Role.MANAGER).user
    MembershipFactory(user=user, organisation=organisation, role=Role.REPORTER, unit=reporter_unit)
    return user


@pytest.mark.parametrize("model", EVERY_ROW_MODELS)
@pytest.mark.parametrize("persona", [*EVERY_PERSONA, "superuser", "manager_elsewhere_reporter_here"])
def test_sees_every_row_only_where_restrict_opens_every_row_of_the_body(request, world, persona, model):
    user = request.getfixturevalue(persona)

    for body in BODIES:
        organisation_id = world[body].program.organisation_id
        rows = body_rows(model, organisation_id)
        if sees_every_row(user, Action.VIEW, model, organisation_id):
            assert rows <= ids(model.objects.restrict(user)), (persona, body)


@pytest.mark.parametrize(
    ("persona", "model", "bodies"),
    [
        ("secretary", Measure, ["child"]),
        ("manager", ExecutionEntry, ["child"]),
        ("commission", Risk, ["child"]),
        ("parent_secretary", Measure, ["child", "parent"]),  # a parent body reads down
        ("outsider", Measure, ["other"]),
        ("reporter", Measure, []),  # their own units' measures only
        ("manager_elsewhere_reporter_here", Measure, ["other"]),
        ("superuser", Measure, BODIES),
        ("superuser", WhistleblowerReport, []),  # no superuser bypass for whistleblower records
        ("officer", WhistleblowerReport, ["child"]),  # the officer reads every report of their own body only
        ("parent_secretary", WhistleblowerReport, []),
        ("secretary", GeneratedReport, []),  # confidential rows (journals) inside a body it otherwise opens
        ("superuser", GeneratedReport, []),
        ("anonymous", Measure, []),
    ],
)
def test_sees_every_row_names_the_bodies_read_whole(request, world, persona, model, bodies):
    user = request.getfixturevalue(persona)

    assert [
        body for body in BODIES if sees_every_row(user, Action.VIEW, model, world[body].program.organisation_id)
    ] == [body for body in BODIES if body in bodies]
