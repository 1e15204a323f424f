"""Personas and a small program shared by the tests.

The organisation tree: a central body (`parent_organisation`) with a territorial body under it (`organisation`,
where most personas work and the `program` lives), plus an unrelated body (`other_organisation`).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.periods import PeriodKind
from core.roles import Role
from measures.choices import DeadlineKind, SectionKind
from programs.choices import OrganisationKind
from reports.choices import EntryState, EvidenceKind, ExecutionStatus
from tests.factories import (
    EvidenceFactory,
    ExecutionEntryFactory,
    InducementNotificationFactory,
    MeasureFactory,
    MeasureSectionFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgramFactory,
    ProgramSectionFactory,
    ReporterIdentityFactory,
    ReportingPeriodFactory,
    RiskFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from tests.second_factor import verified_login

# --- the order of the suite --------------------------------------------------------------------------------------

# The longest tests, longest first: the API fuzz, the sweep of every page, the browser journeys (from a minute or two
# down to ten seconds each on the shared two-core machine).
LONGEST_FIRST = ("tests/dashboard/test_schema_fuzz.py", "tests/browser/test_every_page.py", "tests/browser/")


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or bool({"transactional_db", "live_server"} & {*fixtures})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests start first among the transactional ones (which pytest-django runs after the others, tryfirst):
    pytest-xdist hands out the suite in that order and processes that run dry take the end of another's queue, so a
    long test left at the end kept one process busy minutes after the other had finished."""
    first = next((index for index, item in enumerate(items) if _transactional(item)), None)
    if first is None:
        return

    def rank(item: pytest.Item) -> int:
        if not _transactional(item):
            return len(LONGEST_FIRST)
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)), len(LONGEST_FIRST))

    items[first:] = sorted(items[first:], key=rank)  # stable: the order within each rank is kept


# --- the test database -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_blocker):
    """Test databases are copies of one migrated template (tests/database_template.py). Its name is taken before
    pytest-xdist's per-process suffix is put on the test database's name, so that all processes share it."""
    from tests.database_template import template_for_this_run, use_template

    template = template_for_this_run()
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")
    with django_db_blocker.unblock():
        use_template(template)


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete():
    """A transactional test ends with Django's `flush`, which on PostgreSQL TRUNCATEs all 82 tables: new files for
    every table and index, 0.3-0.7 s a test. Deleting the rows leaves the same empty tables in about 10 ms, since a
    test writes few rows. Foreign keys are deferred to the end of the flush's transaction, where every table is
    empty. Tables with a trigger of their own (the audit trail refuses DELETE) are still TRUNCATEd, as is a flush
    that resets sequences or cascades."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush
    triggered: dict[str, set[str]] = {}  # the tables with triggers of their own, asked once per database

    def sql_flush(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if ops.connection.alias not in triggered:
            triggered[ops.connection.alias] = _tables_with_own_triggers(ops.connection)
        guarded = set(tables) & triggered[ops.connection.alias]
        deleted = [f"DELETE FROM {style.SQL_FIELD(ops.quote_name(table))};" for table in tables if table not in guarded]
        return ["SET CONSTRAINTS ALL DEFERRED;", *deleted, *truncate(ops, style, sorted(guarded))]

    operations.sql_flush = sql_flush
    try:
        yield
    finally:
        operations.sql_flush = truncate


def _tables_with_own_triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers"
            " WHERE trigger_schema = current_schema()"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Passwords set in tests are hashed with MD5, as Django's documentation advises for test suites: Argon2 costs a
    tenth of a second a hash by design, and the demo's ten users, the sign-in and lockout tests and every browser
    journey hash and check passwords. Hashes made with the production hashers (by a `manage.py` subprocess) still
    verify. The whistleblower receipts do not use these hashers: they keep Argon2 (whistleblowers/receipts.py)."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher", *django_settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


# --- organisations and units ------------------------------------------------------------------------------------


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run Celery tasks in this process (for tests about what a task does, not about the worker)."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def primary_language():
    """Every test starts in Ukrainian, the portal's primary language: a request made by an earlier test with
    another Accept-Language must not leave its language active in this thread."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def english_messages():
    """For tests that read the messages people get against the English source texts."""
    with translation.override("en"):
        yield


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploaded files of a test go to its own directory, never to the development storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Each test starts with an empty cache of its own: rate-limit counters must not leak between tests or runs
    (the Redis cache of scripts/test would otherwise keep them for an hour)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"},
        "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-public"},
    }
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


def make_parent_organisation():
    return OrganisationFactory(
        name="Державна міграційна служба України", short_name="ДМС", kind=OrganisationKind.CENTRAL
    )


def make_organisation(parent):
    return OrganisationFactory(
        name="Головне управління ДМС у Київській області",
        short_name="ГУДМС у Київській обл.",
        kind=OrganisationKind.TERRITORIAL,
        parent=parent,
    )


def make_other_organisation():
    return OrganisationFactory(name="Міністерство культури України", short_name="Мінкульт")


def make_reporter_unit(organisation):
    return UnitFactory(organisation=organisation, name="Управління персоналу", abbreviation="УП")


def make_other_unit(organisation):
    return UnitFactory(organisation=organisation, name="Управління контролю та економічної служби", abbreviation="УКЕС")


@pytest.fixture
def parent_organisation(db):
    return make_parent_organisation()


@pytest.fixture
def organisation(parent_organisation):
    return make_organisation(parent_organisation)


@pytest.fixture
def other_organisation(db):
    return make_other_organisation()


@pytest.fixture
def reporter_unit(organisation):
    return make_reporter_unit(organisation)


@pytest.fixture
def other_unit(organisation):
    return make_other_unit(organisation)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a module whose tests all read the same rows: the module's own module-scoped fixtures
    build them once inside it, each test runs in a savepoint inside it (pytest-django's `db`), so what a test writes
    is undone before the next, and the whole is rolled back when the module ends. (Built for every test, the world
    of tests/programs/test_access.py was 0.2 s of set-up per test, 165 times.) Not for transactional tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- personas -----------------------------------------------------------------------------------------------------


def member(role: str, organisation, unit=None, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
    return user


@pytest.fixture
def secretary(organisation):
    return member(Role.SECRETARY, organisation, username="secretary")


@pytest.fixture
def reporter(organisation, reporter_unit):
    return member(Role.REPORTER, organisation, unit=reporter_unit, username="reporter")


@pytest.fixture
def commission(organisation):
    return member(Role.COMMISSION, organisation, username="commission")


@pytest.fixture
def manager(organisation):
    return member(Role.MANAGER, organisation, username="manager")


@pytest.fixture
def officer(organisation):
    return member(Role.OFFICER, organisation, username="officer")


@pytest.fixture
def admin_user(organisation):
    return member(Role.ADMIN, organisation, username="admin_user")


@pytest.fixture
def outsider(other_organisation):
    return member(Role.SECRETARY, other_organisation, username="outsider")


@pytest.fixture
def parent_secretary(parent_organisation):
    return member(Role.SECRETARY, parent_organisation, username="parent_secretary")


# The parent body's other roles: they read the territorial body's rows and act only in their own body.
@pytest.fixture
def parent_commission(parent_organisation):
    return member(Role.COMMISSION, parent_organisation, username="parent_commission")


@pytest.fixture
def parent_manager(parent_organisation):
    return member(Role.MANAGER, parent_organisation, username="parent_manager")


@pytest.fixture
def parent_officer(parent_organisation):
    return member(Role.OFFICER, parent_organisation, username="parent_officer")


@pytest.fixture
def parent_admin(parent_organisation):
    return member(Role.ADMIN, parent_organisation, username="parent_admin")


@pytest.fixture
def double_secretary(organisation, other_organisation):
    """The secretary of two unrelated bodies: sees both bodies' units and programs, so only the services keep a
    program of one body from naming the other's units, risks or tasks."""
    user = member(Role.SECRETARY, organisation, username="double_secretary")
    MembershipFactory(user=user, organisation=other_organisation, role=Role.SECRETARY)
    return user


@pytest.fixture
def superuser(db):
    """A platform superuser with no role in any organisation."""
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def login(request, db):
    """`login("secretary")` gives a test client signed in as that persona; `login("anonymous")` a signed-out one."""

    def sign_in(persona: str) -> Client:
        user = request.getfixturevalue(persona)
        client = Client()
        if user is not None and user.is_authenticated:
            verified_login(client, user)
        return client

    return sign_in


@pytest.fixture
def api(request, db):
    """`api("secretary")` gives an API client signed in (by session) as that persona; `api("anonymous")` none."""

    def sign_in(persona: str) -> APIClient:
        client = APIClient()
        user = request.getfixturevalue(persona)
        if user.is_authenticated:
            verified_login(client, user)
        return client

    return sign_in


@pytest.fixture
def token_api(db):
    """`token_api(user)` gives an API client that signs in with a DRF token of `user`, as another system would."""

    def sign_in(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    return sign_in


# --- a program with content ---------------------------------------------------------------------------------------


@dataclass
class ProgramContent:
    """A program with everything under it, with the rows tests name individually."""

    program: object
    measures: dict[str, object] = field(default_factory=dict)
    risks: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    entries: dict[str, object] = field(default_factory=dict)

    def measure_ids(self, *names: str) -> set[int]:
        return {self.measures[name].pk for name in (names or self.measures)}

    def entry_ids(self, *names: str) -> set[int]:
        return {self.entries[name].pk for name in (names or self.entries)}


def build_program(organisation, units: list, **program_fields) -> ProgramContent:
    """A small program of `organisation`: sections, two measure sections with tasks, measures, risks, periods."""
    program = ProgramFactory(organisation=organisation, **program_fields)
    for position, title in enumerate(
        [
            "Засади загальної відомчої політики щодо запобігання та протидії корупції",
            "Оцінка корупційних ризиків",
            "Навчання та заходи з поширення інформації щодо програм антикорупційного спрямування",
            "Процедури щодо моніторингу, оцінки виконання та періодичного перегляду програми",
        ],
        start=1,
    ):
        ProgramSectionFactory(program=program, position=position, title=title)
    risk_section = MeasureSectionFactory(
        program=program, number=1, title="Заходи щодо усунення корупційних ризиків", kind=SectionKind.RISK_TREATMENT
    )
    training_section = MeasureSectionFactory(
        program=program, number=2, title="Програма антикорупційних навчань", kind=SectionKind.TRAINING
    )
    risk_task = TaskFactory(section=risk_section, number=1, title="Усунення ризиків в управлінні персоналом")
    training_task = TaskFactory(section=training_section, number=1, title="Навчання працівників")
    high = RiskFactory(
        program=program,
        number=1,
        title="Вплив на членів конкурсної комісії",
        probability_score=3,
        consequence_score=3,
        owner_unit=units[0],
    )
    low = RiskFactory(
        program=program,
        number=2,
        title="Неповне оприлюднення публічної інформації",
        probability_score=1,
        consequence_score=2,
        owner_unit=units[-1],
    )
    content = ProgramContent(program=program, risks=[high, low])
    own, other = units[0], units[-1]
    content.measures = {
        "unit_quarter": MeasureFactory(
            task=risk_task,
            number=1,
            content="Провести перевірку кандидатів на зайняття посад",
            deadline_kind=DeadlineKind.QUARTER,
            deadline_part=1,
            responsible_units=[own],
            risks=[high],
        ),
        "other_half": MeasureFactory(
            task=risk_task,
            number=2,
            content="Оприлюднювати звіти про виконання програми на вебсайті",
            deadline_kind=DeadlineKind.EVERY_HALF_YEAR,
            deadline_part=None,
            responsible_units=[other],
            risks=[low],
        ),
        "shared_event": MeasureFactory(
            task=risk_task,
            number=3,
            content="Повідомляти НАЗК про виявлені порушення",
            deadline_kind=DeadlineKind.AFTER_EVENT,
            deadline_part=None,
            deadline_days=3,
            deadline_event="виявлення порушення",
            responsible_units=[own, other],
            risks=[high, low],
        ),
        "other_training": MeasureFactory(
            task=training_task,
            number=1,
            content="Провести навчання для членів конкурсної комісії",
            deadline_kind=DeadlineKind.BEFORE_EVENT,
            deadline_part=None,
            deadline_days=10,
            deadline_event="засідання конкурсної комісії",
            responsible_units=[other],
        ),
        "unit_year": MeasureFactory(
            task=training_task,
            number=2,
            content="Провести семінар з питань етичної поведінки",
            deadline_kind=DeadlineKind.YEAR,
            deadline_part=None,
            responsible_units=[own],
        ),
    }
    first = ReportingPeriodFactory(program=program, kind=PeriodKind.QUARTER, year=2023, number=1)
    second = ReportingPeriodFactory(program=program, kind=PeriodKind.QUARTER, year=2023, number=2)
    content.periods = [first, second]
    content.entries = {
        "unit_quarter": ExecutionEntryFactory(
            measure=content.measures["unit_quarter"],
            period=first,
            status=ExecutionStatus.DONE,
            narrative="Перевірено 12 кандидатів",
            submitted=True,
        ),
        "other_half": ExecutionEntryFactory(
            measure=content.measures["other_half"],
            period=first,
            status=ExecutionStatus.IN_PROGRESS,
            state=EntryState.DRAFT,
        ),
    }
    EvidenceFactory(entry=content.entries["unit_quarter"], kind=EvidenceKind.LETTER)
    return content


def make_program_content(organisation, reporter_unit, other_unit) -> ProgramContent:
    return build_program(
        organisation, [reporter_unit, other_unit], title="Антикорупційна програма ГУДМС у Київській області"
    )


def make_parent_program_content(parent_organisation) -> ProgramContent:
    units = [UnitFactory(organisation=parent_organisation, abbreviation="ВПЗВК")]
    return build_program(parent_organisation, units, title="Антикорупційна програма ДМС")


def make_other_program_content(other_organisation) -> ProgramContent:
    units = [UnitFactory(organisation=other_organisation, abbreviation="УП")]
    return build_program(other_organisation, units, title="Антикорупційна програма Мінкульту")


@pytest.fixture
def program_content(organisation, reporter_unit, other_unit) -> ProgramContent:
    return make_program_content(organisation, reporter_unit, other_unit)


@pytest.fixture
def program(program_content):
    return program_content.program


@pytest.fixture
def parent_program_content(parent_organisation) -> ProgramContent:
    return make_parent_program_content(parent_organisation)


@pytest.fixture
def other_program_content(other_organisation) -> ProgramContent:
    return make_other_program_content(other_organisation)


@pytest.fixture
def other_program(other_program_content):
    return other_program_content.program


# --- whistleblower records ----------------------------------------------------------------------------------------


@dataclass
class WhistleblowerRecords:
    report: object
    identity: object
    inducement: object


def build_whistleblower_records(organisation) -> WhistleblowerRecords:
    identity = ReporterIdentityFactory(
        report__organisation=organisation, report__registered=True, full_name="Іваненко Марія Петрівна"
    )
    inducement = InducementNotificationFactory(organisation=organisation, registered_on=dt.date(2024, 3, 1))
    return WhistleblowerRecords(report=identity.report, identity=identity, inducement=inducement)


@pytest.fixture
def whistleblower_records(organisation) -> WhistleblowerRecords:
    return build_whistleblower_records(organisation)


@pytest.fixture
def other_whistleblower_records(other_organisation) -> WhistleblowerRecords:
    return build_whistleblower_records(other_organisation)


@pytest.fixture
def whistleblower_report(whistleblower_records):
    return whistleblower_records.report


# --- one world per module -----------------------------------------------------------------------------------------


def module_world() -> dict:
    """The world of the fixtures above — the three bodies, the units, their programs, the whistleblower records —
    built once for a test module inside `module_db`'s transaction, and handed to each test as fixtures of the same
    names. A module puts them in its namespace, where they stand in for the function-scoped ones:

        globals().update(module_world())

    The whole world is built before the module's first test (`module_world_rows` is autouse): built when a test first
    asked for a part of it — a persona's body, by name — it was built inside that test's savepoint and rolled back
    with it. Each test gets its own copies of the objects, and what it writes goes back with its savepoint; the
    personas (secretary, reporter …) are still made for each test. Not for transactional tests (refused), nor for a
    module whose tests count rows the world adds (a test that built only its own body counted one program)."""

    @pytest.fixture(scope="module", autouse=True)
    def module_world_rows(module_db) -> dict:
        parent = make_parent_organisation()
        organisation = make_organisation(parent)
        other = make_other_organisation()
        reporter_unit, other_unit = make_reporter_unit(organisation), make_other_unit(organisation)
        return {
            "parent_organisation": parent,
            "organisation": organisation,
            "other_organisation": other,
            "reporter_unit": reporter_unit,
            "other_unit": other_unit,
            "program_content": make_program_content(organisation, reporter_unit, other_unit),
            "parent_program_content": make_parent_program_content(parent),
            "other_program_content": make_other_program_content(other),
            "whistleblower_records": build_whistleblower_records(organisation),
            "other_whistleblower_records": build_whistleblower_records(other),
        }

    @pytest.fixture
    def module_world_copy(request, module_world_rows) -> dict:
        # Each test gets its own copies of the objects, as Django's TestCase.setUpTestData hands them out: a test that
        # changes one in memory leaves the next test the stored one (the rows themselves go back with the savepoint).
        if _transactional(request.node):
            pytest.fail("module_world() is not for transactional tests: their flush would empty the module's world.")
        return copy.deepcopy(module_world_rows)

    def part(name: str):
        @pytest.fixture(name=name)
        def fixture(module_world_copy):
            return module_world_copy[name]

        return fixture

    world = {"module_world_rows": module_world_rows, "module_world_copy": module_world_copy}
    for name in (
        "parent_organisation",
        "organisation",
        "other_organisation",
        "reporter_unit",
        "other_unit",
        "program_content",
        "parent_program_content",
        "other_program_content",
        "whistleblower_records",
        "other_whistleblower_records",
    ):
        world[name] = part(name)
    return world
