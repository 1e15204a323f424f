"""Every named rule of risks/permissions.py asked by every persona: the answer each role must get.

The program is the territorial body's (`organisation`); the parent body's roles read its register but do not act."""

import pytest

from risks.permissions import (
    may_decide_reassessment,
    may_decide_residual,
    may_keep_register,
    may_read_exact_signal_counts,
    may_read_unregistered_signals,
    may_reassess_risks,
)
from tests.rule_table import answers, only

pytestmark = pytest.mark.django_db


def test_the_secretary_keeps_the_register_and_the_administrator_stands_in(request, program):
    assert answers(request, lambda user: may_keep_register(user, program)) == only(
        "secretary", "admin_user", "superuser"
    )


def test_the_working_group_reassesses_the_risks(request, program):
    table = answers(request, lambda user: may_reassess_risks(user, program))
    assert table == only("secretary", "commission", "superuser")


@pytest.mark.parametrize("rule", [may_decide_residual, may_decide_reassessment])
def test_the_commission_decides_and_its_secretary_records(request, program, rule):
    assert answers(request, lambda user: rule(user, program)) == only("secretary", "commission", "superuser")


def test_only_the_bodys_own_officer_reads_counts_below_the_threshold(request, organisation):
    assert answers(request, lambda user: may_read_exact_signal_counts(user, organisation.pk)) == only("officer")


def test_unregistered_signals_go_to_the_register_keepers_and_the_officer(request, program):
    table = answers(request, lambda user: may_read_unregistered_signals(user, program))
    assert table == only("secretary", "admin_user", "officer", "superuser")
