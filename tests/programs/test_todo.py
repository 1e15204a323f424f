"""Each role's start page is its to-do list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from reports.execution.period_services import period_send_for_review
from tests.factories import CommissionFactory, MeetingFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.second_factor import verified_login

pytestmark = pytest.mark.django_db


def section(html: str, role: str) -> str:
    start = html.index(f'data-todo="{role}"')
    return html[start : html.index("</section>", start)]


def test_the_secretary_sees_units_that_have_not_submitted_and_late_quarters(program_content, login, other_unit):
    html = login("secretary").get(reverse("home")).content.decode()

    todo = section(html, "secretary")
    first = program_content.periods[0]
    assert reverse("reports:period", args=[first.pk]) in todo
    assert other_unit.abbreviation in todo
    assert "прострочено" in todo


def test_the_reporter_sees_the_measures_to_report_with_links(program_content, login):
    html = login("reporter").get(reverse("home")).content.decode()

    todo = section(html, "reporter")
    shared = program_content.measures["shared_event"]
    assert f'data-todo-measure="{shared.pk}"' in todo
    assert reverse("reports:entry", args=[program_content.periods[0].pk, shared.pk]) in todo
    # «unit_quarter» is submitted in the І quarter: nothing to do there.
    assert f'data-todo-measure="{program_content.measures["unit_quarter"].pk}"' not in todo


def test_the_commission_sees_entries_to_evaluate_and_the_next_meeting(program_content, secretary, login, organisation):
    first = program_content.periods[0]
    period_send_for_review(user=secretary, period=first)
    meeting = MeetingFactory(
        commission=CommissionFactory(organisation=organisation), held_on=timezone.localdate() + timedelta(days=3)
    )

    todo = section(login("commission").get(reverse("home")).content.decode(), "commission")

    assert reverse("reports:review", args=[first.pk]) in todo
    assert "2 записи для оцінювання" in todo
    assert reverse("programs:meeting", args=[meeting.pk]) in todo


def test_the_manager_sees_overdue_measures_and_lagging_units(program_content, login):
    todo = section(login("manager").get(reverse("home")).content.decode(), "manager")

    # «other_half» was due on 30.06.2023 and is not reported done in the ІІ quarter.
    assert f'data-todo-overdue="{program_content.measures["other_half"].pk}"' in todo
    assert "УКЕС" in todo


def test_the_officer_sees_cases_with_the_nearest_deadlines(whistleblower_records, login):
    todo = section(login("officer").get(reverse("home")).content.decode(), "officer")

    assert f'data-todo-case="{whistleblower_records.report.pk}"' in todo


def test_a_new_body_without_programs_gets_empty_to_do_lists_not_errors(client):
    organisation = OrganisationFactory()
    user = UserFactory()
    for role in (Role.SECRETARY, Role.COMMISSION, Role.MANAGER, Role.OFFICER):
        MembershipFactory(user=user, organisation=organisation, role=role)
    verified_login(client, user)

    html = client.get(reverse("home")).content.decode()

    for role in ("secretary", "commission", "manager", "officer"):
        assert f'data-todo="{role}"' in html
    assert "Зараз немає відкритого для звітування кварталу." in html


def test_the_start_page_reads_a_bounded_number_of_queries(program_content, login, django_assert_max_num_queries):
    client = login("secretary")

    with django_assert_max_num_queries(40):
        assert client.get(reverse("home")).status_code == 200


def test_the_administrator_sees_pending_invitations(organisation, admin_user, login):
    from programs.people import person_invite

    sent = person_invite(organisation=organisation, email="new@example.org", roles=[Role.SECRETARY], actor=admin_user)

    todo = section(login("admin_user").get(reverse("home")).content.decode(), "admin")

    assert f'data-todo-invitation="{sent.invitation.pk}"' in todo
    assert "new@example.org" in todo
    assert reverse("programs:people", args=[organisation.pk]) in todo
