"""The database refuses organisations, units, memberships, programs and commissions that make no sense."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from core.roles import Role
from programs.choices import CommissionRole
from programs.models import Organisation, Unit
from tests.factories import (
    CommissionFactory,
    CommissionMemberFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgramFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_a_program_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(start_year=2025, end_year=2023)


def test_a_program_may_last_a_single_year():
    program = ProgramFactory(start_year=2024, end_year=2024)

    assert list(program.years) == [2024]


def test_two_units_of_one_organisation_cannot_share_an_abbreviation():
    organisation = OrganisationFactory()
    UnitFactory(organisation=organisation, abbreviation="УП")

    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(organisation=organisation, abbreviation="УП")


def test_units_of_different_organisations_may_share_an_abbreviation():
    UnitFactory(organisation=OrganisationFactory(), abbreviation="УП")
    UnitFactory(organisation=OrganisationFactory(), abbreviation="УП")

    assert Unit.objects.filter(abbreviation="УП").count() == 2


def test_a_reporter_membership_without_a_unit_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role=Role.REPORTER, unit=None)


def test_a_reporter_membership_with_a_unit_is_accepted():
    membership = MembershipFactory(reporter=True)

    assert membership.unit.organisation == membership.organisation


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.COMMISSION, Role.MANAGER, Role.OFFICER, Role.ADMIN])
def test_a_non_reporter_membership_with_a_unit_is_refused(role):
    unit = UnitFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role=role, organisation=unit.organisation, unit=unit)


def test_a_user_holds_a_role_in_an_organisation_only_once():
    membership = MembershipFactory(role=Role.MANAGER)

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=membership.user, organisation=membership.organisation, role=Role.MANAGER)


def test_a_commission_cannot_have_two_current_chairs():
    commission = CommissionFactory()
    CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR)

    with pytest.raises(IntegrityError), transaction.atomic():
        CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR)


def test_a_former_chair_with_an_end_date_leaves_room_for_a_new_chair():
    commission = CommissionFactory()
    CommissionMemberFactory(
        commission=commission, role=CommissionRole.CHAIR, since=dt.date(2021, 1, 4), until=dt.date(2023, 6, 30)
    )
    CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR, since=dt.date(2023, 7, 1))

    assert commission.members.filter(role=CommissionRole.CHAIR).count() == 2


def test_each_commission_has_its_own_chair():
    first = CommissionMemberFactory(commission=CommissionFactory(), role=CommissionRole.CHAIR)
    second = CommissionMemberFactory(commission=CommissionFactory(), role=CommissionRole.CHAIR)

    assert first.commission != second.commission


def test_a_commission_member_cannot_leave_before_joining():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommissionMemberFactory(since=dt.date(2024, 1, 1), until=dt.date(2023, 1, 1))


def test_a_protocol_number_is_not_repeated_on_the_same_day():
    meeting = MeetingFactory(number=2, held_on=dt.date(2023, 9, 29))

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(commission=meeting.commission, number=2, held_on=dt.date(2023, 9, 29))


def test_an_organisation_cannot_be_its_own_parent():
    organisation = OrganisationFactory()
    organisation.parent = organisation

    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()


def test_an_organisation_under_a_parent_is_listed_among_its_children():
    parent = OrganisationFactory()
    child = OrganisationFactory(parent=parent)

    assert list(Organisation.objects.get(pk=parent.pk).children.all()) == [child]


def test_the_program_keeps_a_history_of_its_changes():
    program = ProgramFactory(title="Програма 2023–2025")
    program.approval_order_number = "125"
    program.save()

    assert program.history.count() == 2
    assert program.history.first().approval_order_number == "125"
