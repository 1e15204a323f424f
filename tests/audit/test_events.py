"""Each security event is recorded once, by the real action that causes it — on the page and over the API where
both exist — and no entry carries a whistleblower's identity, a case's text, the officer's reasons or a password."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.choices import AuditAction
from audit.models import AuditEvent
from core.roles import Role
from programs.choices import CommissionRole, DecisionKind, Vote
from programs.models import Membership
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.execution.period_services import period_send_for_review
from tests.conftest import module_world
from tests.factories import (
    CommissionFactory,
    CommissionMemberFactory,
    GeneratedReportFactory,
    MeetingFactory,
    RiskFactory,
)
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision
from whistleblowers.choices import NoticeChannel
from whistleblowers.disclosure import disclosure_notice_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1/"
PASSWORD = "Kx7#correct-horse-battery"
WRONG = "Zq9!wrong-horse-battery"
PURPOSE = "Запит Петренка для службової перевірки"
GROUND = "Запит слідчого № 12/345, ст. 53-5 ч. 2 Закону"
RECIPIENT = "Слідчий відділ ГУНП у Київській області"
NOTE = "Ім'я та контакти передано листом № 77"


@dataclass
class World:
    """What the actions act on, and the text that must never reach the trail."""

    request: pytest.FixtureRequest
    content: object
    records: object

    def fixture(self, name: str):
        return self.request.getfixturevalue(name)

    def page(self, persona: str) -> Client:
        return self.fixture("login")(persona)

    def api(self, persona: str):
        return self.fixture("api")(persona)

    @property
    def secrets(self) -> list[str]:
        identity = self.records.identity
        return [
            identity.full_name,
            identity.contacts,
            self.records.report.details,
            PURPOSE,
            GROUND,
            RECIPIENT,
            NOTE,
            PASSWORD,
            WRONG,
        ]


@pytest.fixture
def world(request, program_content, whistleblower_records) -> World:
    return World(request, program_content, whistleblower_records)


def sign_in_form(world: World, password: str) -> None:
    user = world.fixture("secretary")
    user.set_password(PASSWORD)
    user.save()
    Client().post(reverse("login"), {"username": user.username, "password": password})


def person_page(world: World):
    organisation, manager = world.fixture("organisation"), world.fixture("manager")
    return reverse("programs:person", args=[organisation.pk, manager.pk])


def manager_membership(world: World) -> Membership:
    return Membership.objects.get(user=world.fixture("manager"), organisation=world.fixture("organisation"))


def free_risk(world: World):
    return RiskFactory(program=world.content.program, number=9, title="Ризик, внесений помилково")


def free_measure(world: World):
    return world.content.measures["shared_event"]  # no unit has reported on it


def period_under_review(world: World):
    period = world.content.periods[0]
    period_send_for_review(user=world.fixture("secretary"), period=period)
    return period, approval_decision(period)


def quorate_item(world: World):
    commission = CommissionFactory(organisation=world.fixture("organisation"))
    voting = [
        CommissionMemberFactory(commission=commission, role=role)
        for role in (CommissionRole.CHAIR, CommissionRole.SECRETARY, CommissionRole.MEMBER)
    ]
    meeting = MeetingFactory(commission=commission, held_on=dt.date(2024, 4, 10))
    meeting.attendees.set(voting)
    item = meeting.items.create(position=1, title="Про звіт за І квартал")
    return item, voting[0]


def ready_report(world: World, **fields):
    report = GeneratedReportFactory(
        organisation=world.fixture("organisation"),
        program=world.content.program,
        period=world.content.periods[0],
        kind=ReportKind.EXECUTION,
        format=ReportFormat.PDF,
        **fields,
    )
    report.file.save("execution.pdf", ContentFile(b"%PDF-1.7 rendered"), save=False)
    report.sha256, report.status = "0" * 64, ReportStatus.READY
    report.save()
    return report


def notice(world: World):
    return disclosure_notice_create(
        report=world.records.report,
        user=world.fixture("officer"),
        ground=GROUND,
        recipient=RECIPIENT,
        notified_on=dt.date(2024, 3, 1),
        channel=NoticeChannel.CONTACTS,
    )


def locked_out(world: World) -> None:
    for _ in range(5):
        sign_in_form(world, WRONG)


# Each case: what a person does, the event it must leave exactly once, and the organisation it belongs to
# (None: an event of the person, not of a body).
CASES = {
    "sign-in on the page": (lambda w: sign_in_form(w, PASSWORD), AuditAction.SIGNED_IN, False),
    "sign-in failure on the page": (lambda w: sign_in_form(w, WRONG), AuditAction.SIGN_IN_FAILED, False),
    "lockout after five failures": (locked_out, AuditAction.SIGN_IN_LOCKED, False),
    "sign-out": (lambda w: w.page("secretary").post(reverse("logout")), AuditAction.SIGNED_OUT, False),
    "invitation on the page": (
        lambda w: w.page("admin_user").post(
            reverse("programs:people-invite", args=[w.fixture("organisation").pk]),
            {"email": "nova@example.gov.ua", "roles": [Role.MANAGER]},
        ),
        AuditAction.INVITED,
        True,
    ),
    "invitation over the API": (
        lambda w: w.api("admin_user").post(
            f"{API}invitations/",
            {"organisation": w.fixture("organisation").pk, "email": "nova@example.gov.ua", "roles": ["manager"]},
            format="json",
        ),
        AuditAction.INVITED,
        True,
    ),
    "role given on the page": (
        lambda w: w.page("admin_user").post(person_page(w), {"role": Role.OFFICER}),
        AuditAction.ROLE_GIVEN,
        True,
    ),
    "role given over the API": (
        lambda w: w.api("admin_user").post(
            f"{API}memberships/",
            {"organisation": w.fixture("organisation").pk, "user": w.fixture("manager").pk, "role": Role.OFFICER},
            format="json",
        ),
        AuditAction.ROLE_GIVEN,
        True,
    ),
    "role taken on the page": (
        lambda w: w.page("admin_user").post(reverse("programs:membership-remove", args=[manager_membership(w).pk])),
        AuditAction.ROLE_TAKEN,
        True,
    ),
    "role taken over the API": (
        lambda w: w.api("admin_user").delete(f"{API}memberships/{manager_membership(w).pk}/"),
        AuditAction.ROLE_TAKEN,
        True,
    ),
    "account deactivated on the page": (
        lambda w: w.page("admin_user").post(
            reverse("programs:person-deactivate", args=[w.fixture("organisation").pk, w.fixture("manager").pk])
        ),
        AuditAction.ACCOUNT_DEACTIVATED,
        True,
    ),
    "identity read on the page": (
        lambda w: w.page("officer").post(
            reverse("whistleblowers:report-identity", args=[w.records.report.pk]), {"purpose": PURPOSE}
        ),
        AuditAction.IDENTITY_READ,
        True,
    ),
    "disclosure notice on the page": (
        lambda w: w.page("officer").post(
            reverse("whistleblowers:report-action", args=[w.records.report.pk, "disclosure-notice"]),
            {"ground": GROUND, "recipient": RECIPIENT, "notified_on": "2024-03-01", "channel": NoticeChannel.CONTACTS},
        ),
        AuditAction.DISCLOSURE_NOTICE,
        True,
    ),
    "disclosure on the page": (
        lambda w: w.page("officer").post(
            reverse("whistleblowers:disclosure-notice-step", args=[w.records.report.pk, notice(w).pk, "disclose"]),
            {"disclosed_on": timezone.localdate().isoformat(), "note": NOTE},
        ),
        AuditAction.IDENTITY_DISCLOSED,
        True,
    ),
    "period approval on the page": (
        lambda w: (
            lambda period, decision: w.page("commission").post(
                reverse("reports:approve", args=[period.pk]),
                {"decision": decision.pk, "incomplete_reason": GAPS_ACCEPTED},
            )
        )(*period_under_review(w)),
        AuditAction.PERIOD_APPROVED,
        True,
    ),
    "period approval over the API": (
        lambda w: (
            lambda period, decision: w.api("commission").post(
                f"{API}reporting-periods/{period.pk}/approve/",
                {"decision": decision.pk, "incomplete_reason": GAPS_ACCEPTED},
                format="json",
            )
        )(*period_under_review(w)),
        AuditAction.PERIOD_APPROVED,
        True,
    ),
    "commission decision on the page": (
        lambda w: (
            lambda item, chair: w.page("secretary").post(
                reverse("programs:agenda-item-decision", args=[item.pk]),
                {
                    "decided": "Інформацію взяти до відома",
                    "decision_kind": DecisionKind.GENERAL,
                    f"vote_{chair.pk}": Vote.FOR,
                },
            )
        )(*quorate_item(w)),
        AuditAction.DECISION_RECORDED,
        True,
    ),
    "commission decision over the API": (
        lambda w: (
            lambda item, chair: w.api("secretary").post(
                f"{API}agenda-items/{item.pk}/decision/",
                {"decided": "Інформацію взяти до відома", "votes": [{"member": chair.pk, "vote": Vote.FOR}]},
                format="json",
            )
        )(*quorate_item(w)),
        AuditAction.DECISION_RECORDED,
        True,
    ),
    "publication on the page": (
        lambda w: w.page("secretary").post(
            reverse("reports:publication", args=[ready_report(w).pk]), {"public": "on", "confirm": "on"}
        ),
        AuditAction.REPORT_PUBLISHED,
        True,
    ),
    "risk deleted on the page": (
        lambda w: w.page("secretary").post(reverse("risks:delete", args=[w.content.program.pk, free_risk(w).pk])),
        AuditAction.DELETED,
        True,
    ),
    "risk deleted over the API": (
        lambda w: w.api("secretary").delete(f"{API}risks/{free_risk(w).pk}/"),
        AuditAction.DELETED,
        True,
    ),
    "measure deleted on the page": (
        lambda w: w.page("secretary").post(reverse("measures:delete", args=[w.content.program.pk, free_measure(w).pk])),
        AuditAction.DELETED,
        True,
    ),
    "measure deleted over the API": (
        lambda w: w.api("secretary").delete(f"{API}measures/{free_measure(w).pk}/"),
        AuditAction.DELETED,
        True,
    ),
    "measures exported to Excel": (
        lambda w: w.page("secretary").get(reverse("measures:export", args=[w.content.program.pk])),
        AuditAction.EXPORTED,
        True,
    ),
    "risk register exported to Excel": (
        lambda w: w.page("secretary").get(reverse("risks:export", args=[w.content.program.pk])),
        AuditAction.EXPORTED,
        True,
    ),
    "report downloaded on the page": (
        lambda w: w.page("secretary").get(reverse("reports:download", args=[ready_report(w).pk])),
        AuditAction.EXPORTED,
        True,
    ),
    "report downloaded over the API": (
        lambda w: w.api("secretary").get(f"{API}reports/{ready_report(w).pk}/download/"),
        AuditAction.EXPORTED,
        True,
    ),
    "whistleblower journal exported": (
        lambda w: w.page("officer").get(reverse("whistleblowers:report-export")),
        AuditAction.EXPORTED,
        False,
    ),
    "audit trail exported": (
        lambda w: w.page("admin_user").get(reverse("audit:event-export")),
        AuditAction.EXPORTED,
        False,
    ),
}


@pytest.mark.parametrize(("act", "action", "of_the_body"), CASES.values(), ids=CASES.keys())
def test_each_event_is_recorded_once_by_its_real_trigger_without_confidential_content(world, act, action, of_the_body):
    before = AuditEvent.objects.count()

    response = act(world)

    if response is not None:
        assert response.status_code in (200, 201, 204, 302), getattr(response, "content", b"")[:500]
    events = list(AuditEvent.objects.filter(action=action, sequence__gt=before).values())
    assert len(events) == 1, events
    event = events[0]
    organisation = world.fixture("organisation")
    assert event["organisation_id"] == (organisation.pk if of_the_body else None)
    if action not in (AuditAction.SIGN_IN_FAILED, AuditAction.SIGN_IN_LOCKED):
        assert event["actor_id"] is not None
    stored = json.dumps(list(AuditEvent.objects.values()), ensure_ascii=False, default=str)
    for secret in world.secrets:
        assert secret not in stored


def test_a_failure_under_a_name_that_is_no_account_keeps_no_trace_of_what_was_typed(world):
    Client().post(reverse("login"), {"username": PASSWORD, "password": WRONG})

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (event.actor_id, event.actor_username, event.details) == (None, "", {"known_account": False})
    assert PASSWORD not in json.dumps(list(AuditEvent.objects.values()), ensure_ascii=False, default=str)


def test_an_attempt_while_locked_is_recorded_as_a_refused_failure_even_with_the_right_password(world):
    locked_out(world)
    before = AuditEvent.objects.count()

    sign_in_form(world, PASSWORD)

    event = AuditEvent.objects.get(sequence=before + 1)
    assert (event.action, event.actor_username) == (AuditAction.SIGN_IN_FAILED, "secretary")
    assert event.details == {"known_account": True, "locked": True}
    assert AuditEvent.objects.count() == before + 1
