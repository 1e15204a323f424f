"""Fixtures of the program workspace tests: a commission with members and a meeting, and a revision."""

from __future__ import annotations

import datetime as dt

import pytest

from programs.choices import CommissionRole, RevisionGround
from programs.models import ProgramRevision
from tests.factories import CommissionFactory, CommissionMemberFactory, MeetingFactory


@pytest.fixture
def commission_body(organisation):
    """The organisation's commission: chair, secretary, three members and an external expert."""
    commission = CommissionFactory(organisation=organisation, name="Комісія з оцінки корупційних ризиків")
    members = [
        CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR, full_name="Голова Комісії"),
        CommissionMemberFactory(commission=commission, role=CommissionRole.SECRETARY, full_name="Секретар Комісії"),
        *[
            CommissionMemberFactory(commission=commission, role=CommissionRole.MEMBER, full_name=f"Член Комісії {n}")
            for n in range(1, 4)
        ],
    ]
    CommissionMemberFactory(commission=commission, role=CommissionRole.EXPERT, full_name="Зовнішній експерт")
    commission.voting = members
    return commission


@pytest.fixture
def meeting(commission_body):
    """A meeting attended by three of the five voting members: a quorum."""
    meeting = MeetingFactory(commission=commission_body, number=2, held_on=dt.date(2023, 9, 29))
    meeting.attendees.set(commission_body.voting[:3])
    return meeting


@pytest.fixture
def revision(program, secretary):
    return ProgramRevision.objects.create(
        program=program,
        number=1,
        ground=RevisionGround.NEW_RISKS,
        ground_arose_on=dt.date(2024, 2, 1),
        created_by=secretary,
    )
