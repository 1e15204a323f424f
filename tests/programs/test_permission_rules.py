"""Every named rule of programs/permissions.py asked by every persona: the answer each role must get."""

import pytest

from core.roles import Role
from programs.models import Program
from programs.permissions import (
    may_add_child_organisation,
    may_deactivate_account,
    may_manage_people,
    must_use_second_factor,
    organisations_for_change,
)
from tests.conftest import member
from tests.factories import MembershipFactory
from tests.rule_table import PERSONAS, answers, only

pytestmark = pytest.mark.django_db


def test_the_bodys_own_administrator_manages_its_people(request, organisation):
    assert answers(request, lambda user: may_manage_people(user, organisation.pk)) == only("admin_user", "superuser")


def test_the_administrator_of_a_body_adds_its_territorial_bodies(request, organisation, parent_organisation):
    table = answers(request, lambda user: may_add_child_organisation(user, organisation.pk))
    assert table == only("admin_user", "superuser")
    table = answers(request, lambda user: may_add_child_organisation(user, parent_organisation.pk))
    assert table == only("parent_admin", "superuser")


def test_programs_are_created_where_the_secretary_or_administrator_acts(request, organisation, parent_organisation):
    table = answers(request, lambda user: set(organisations_for_change(user, Program)) == {organisation})
    assert table == only("secretary", "admin_user")
    table = answers(request, lambda user: set(organisations_for_change(user, Program)) == {parent_organisation})
    assert table == only("parent_secretary", "parent_admin")


def test_officers_administrators_and_staff_must_use_the_second_factor(request):
    assert answers(request, must_use_second_factor) == only(
        "officer", "admin_user", "parent_officer", "parent_admin", "superuser"
    )


def test_an_account_working_elsewhere_is_closed_only_by_who_administers_everywhere(
    request, organisation, double_secretary
):
    table = answers(request, lambda actor: may_deactivate_account(actor, double_secretary, organisation.pk))
    assert table == only("superuser")


def test_an_administrator_of_every_body_the_person_works_in_closes_the_account(
    organisation, other_organisation, double_secretary
):
    both = member(Role.ADMIN, organisation, username="both_admin")
    assert not may_deactivate_account(both, double_secretary, organisation.pk)
    MembershipFactory(user=both, organisation=other_organisation, role=Role.ADMIN)
    assert may_deactivate_account(both, double_secretary, organisation.pk)


def test_an_account_of_one_body_only_is_not_held_back_by_other_bodies(request, organisation, secretary):
    # Whether the actor may manage the body's people at all is `may_manage_people`, checked by the views first.
    table = answers(request, lambda actor: may_deactivate_account(actor, secretary, organisation.pk))
    assert table == only(*(persona for persona in PERSONAS if persona != "anonymous"))
