"""Fixtures of the execution-reporting tests: a period's approval decision and the API wired for the tests."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from programs.choices import DecisionKind
from programs.models import AgendaItem
from tests.factories import CommissionFactory, MeetingFactory

# The small program's periods have gaps (unsubmitted and unevaluated entries): approving them needs a reason.
GAPS_ACCEPTED = "Комісія взяла до відома неподані звіти; їх буде розглянуто на наступному засіданні"


def approval_decision(period, position: int = 1) -> AgendaItem:
    """A commission meeting with an agenda item approving the report for `period`."""
    commission = CommissionFactory(organisation=period.program.organisation)
    meeting = MeetingFactory(commission=commission)
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=f"Про затвердження звіту за {period}",
        decided="Затвердити.",
        decision_kind=DecisionKind.APPROVE_PERIOD_REPORT,
        period=period,
    )


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    """The demo loaded once for a test module: loading it takes half a minute, and the document tests only read it.

    It lives in one transaction rolled back after the module, as Django's setUpTestData does; each test's own
    transaction is a savepoint within it, so no test sees what another one changed."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
                call_command("load_demo", allow_production=True, verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def first_quarter(program_content):
    return program_content.periods[0]


@pytest.fixture
def second_quarter(program_content):
    return program_content.periods[1]
