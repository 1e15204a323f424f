"""Every named rule of whistleblowers/permissions.py asked by every persona: the answer each role must get."""

import pytest

from tests.rule_table import answers, only, passes
from whistleblowers.permissions import may_open_officer_pages, may_read_case_statistics, require_officer

pytestmark = pytest.mark.django_db


def test_the_officers_pages_open_to_an_officer_of_any_body_and_to_nobody_else(request):
    # Not even a superuser: whistleblower content stays with the anti-corruption officer.
    assert answers(request, may_open_officer_pages) == only("officer", "parent_officer")


def test_require_officer_refuses_whom_may_open_officer_pages_refuses(request):
    table = answers(request, lambda user: passes(lambda: require_officer(user)))
    assert table == only("officer", "parent_officer")


def test_the_numbers_of_cases_go_to_managers_secretaries_officers_and_administrators(request):
    readers = ("manager", "secretary", "officer", "admin_user")
    parents = ("parent_manager", "parent_secretary", "parent_officer", "parent_admin")
    assert answers(request, may_read_case_statistics) == only(*readers, "outsider", *parents)
