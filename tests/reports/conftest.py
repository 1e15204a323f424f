"""Fixtures of the execution-reporting tests: a period's approval decision and the API wired for the tests."""

import pytest

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


@pytest.fixture
def first_quarter(program_content):
    return program_content.periods[0]


@pytest.fixture
def second_quarter(program_content):
    return program_content.periods[1]
