"""A parent body reads its child body's quarterly reporting but acts only on its own."""

import pytest
from django.urls import reverse

from core.access import Action, allowed_in
from reports.execution.models import ExecutionEntry
from reports.permissions import may_evaluate_period, may_keep_period

pytestmark = pytest.mark.django_db


def test_the_parent_secretary_reads_the_childs_review_but_neither_edits_nor_evaluates(
    login, parent_secretary, secretary, first_quarter
):
    assert login("parent_secretary").get(reverse("reports:review", args=[first_quarter.pk])).status_code == 200
    assert not may_keep_period(parent_secretary, first_quarter)
    assert not may_evaluate_period(parent_secretary, first_quarter)
    assert may_keep_period(secretary, first_quarter)


def test_allowed_in_follows_the_rule_restrict_applies(parent_secretary, secretary, program):
    organisation_id = program.organisation_id

    assert allowed_in(parent_secretary, Action.VIEW, ExecutionEntry, organisation_id)
    assert not allowed_in(parent_secretary, Action.CHANGE, ExecutionEntry, organisation_id)
    assert allowed_in(secretary, Action.CHANGE, ExecutionEntry, organisation_id)
