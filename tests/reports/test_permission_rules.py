"""Every named rule of reports/permissions.py asked by every persona: the answer each role must get.

The period is the territorial body's (`organisation`); the parent body's roles read there but do not act."""

import pytest

from reports.choices import PeriodState, ReportKind
from reports.permissions import (
    may_evaluate_period,
    may_keep_period,
    may_list_programs_on_home,
    may_open_dashboard,
    may_read_review,
    may_remind_units,
    may_report_on_measure,
    may_request_journals,
    may_request_program_reports,
    may_request_report,
    require_keep_period,
)
from tests.rule_table import answers, only, passes

pytestmark = pytest.mark.django_db

PREPARERS = ("secretary", "admin_user", "officer", "superuser")
RUNNERS = ("secretary", "commission", "manager", "admin_user")
PARENT_RUNNERS = ("parent_secretary", "parent_commission", "parent_manager", "parent_admin")


def test_the_secretary_of_the_body_keeps_the_period(request, first_quarter):
    assert answers(request, lambda user: may_keep_period(user, first_quarter)) == only("secretary", "superuser")


def test_require_keep_period_refuses_whom_may_keep_period_refuses(request, first_quarter):
    table = answers(request, lambda user: passes(lambda: require_keep_period(user, first_quarter)))
    assert table == only("secretary", "superuser")


def test_the_commission_and_the_secretary_of_the_body_evaluate(request, first_quarter):
    table = answers(request, lambda user: may_evaluate_period(user, first_quarter))
    assert table == only("secretary", "commission", "superuser")


def test_a_reporter_reports_on_their_units_measure(request, program_content, first_quarter):
    own = program_content.measures["unit_quarter"]
    table = answers(request, lambda user: may_report_on_measure(user, own, first_quarter))
    assert table == only("secretary", "reporter", "superuser")


def test_nobody_but_the_secretary_reports_on_another_units_measure(request, program_content, first_quarter):
    other = program_content.measures["other_half"]
    table = answers(request, lambda user: may_report_on_measure(user, other, first_quarter))
    assert table == only("secretary", "superuser")


def test_the_secretary_reminds_units_while_the_period_is_open(request, first_quarter):
    assert first_quarter.state == PeriodState.OPEN
    assert answers(request, lambda user: may_remind_units(user, first_quarter)) == only("secretary", "superuser")


def test_nobody_reminds_units_once_the_period_is_under_review(request, first_quarter):
    first_quarter.state = PeriodState.UNDER_REVIEW
    assert answers(request, lambda user: may_remind_units(user, first_quarter)) == only()


def test_the_keepers_and_the_officer_of_the_body_prepare_its_documents(request, program):
    assert answers(request, lambda user: may_request_program_reports(user, program)) == only(*PREPARERS)


def test_a_document_other_than_a_journal_follows_the_program_documents_rule(request, organisation):
    table = answers(request, lambda user: may_request_report(user, ReportKind.EXECUTION, organisation.pk))
    assert table == only(*PREPARERS)


@pytest.mark.parametrize("kind", [ReportKind.WHISTLEBLOWER_JOURNAL, ReportKind.INDUCEMENT_JOURNAL])
def test_a_journal_is_for_the_bodys_own_officer_not_even_a_superuser(request, organisation, kind):
    assert answers(request, lambda user: may_request_report(user, kind, organisation.pk)) == only("officer")


def test_the_journal_button_shows_for_an_officer_of_any_body(request):
    assert answers(request, may_request_journals) == only("officer", "parent_officer")


def test_the_journals_of_a_body_are_its_own_officers(request, organisation):
    assert answers(request, lambda user: may_request_journals(user, organisation.pk)) == only("officer")


def test_the_dashboard_is_for_who_runs_or_oversees_a_program_never_a_reporter(request):
    table = answers(request, may_open_dashboard)
    assert table == only(*RUNNERS, "officer", "outsider", *PARENT_RUNNERS, "parent_officer", "superuser")


def test_the_start_page_lists_programs_for_who_runs_them(request):
    assert answers(request, may_list_programs_on_home) == only(*RUNNERS, "outsider", *PARENT_RUNNERS, "superuser")


def test_the_review_is_read_by_the_commission_secretary_and_managers_of_the_body_or_above(request, first_quarter):
    table = answers(request, lambda user: may_read_review(user, first_quarter))
    expected = ("secretary", "commission", "manager", "parent_secretary", "parent_commission", "parent_manager")
    assert table == only(*expected, "superuser")
