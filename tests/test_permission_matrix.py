"""Every URL of the URL conf × every role → the status that role must get, generated from the URL conf.

A URL added without a row below fails `test_the_table_lists_every_url_pattern`. Parameters are filled with the
objects of the organisation (tests/matrix_world.py); the same URLs filled with another body's objects answer 404
to every role of the organisation, and nothing of that body changes. GET for every URL; a URL that only accepts
POST gets an empty POST, whose answer is the permission outcome (403/404 refused, 400 allowed but invalid).
"""

from __future__ import annotations

import copy

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.conftest import build_program, build_whistleblower_records, member
from tests.factories import UnitFactory
from tests.matrix_urls import PARAMS, QUERY, url_names
from tests.matrix_world import build_body
from tests.second_factor import verified_login

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "secretary",
    "reporter",
    "commission",
    "manager",
    "officer",
    "admin_user",
    "outsider",
    "parent_officer",
]


@pytest.fixture
def parent_officer(parent_organisation):
    """The anti-corruption officer of the body above ours."""
    return member(Role.OFFICER, parent_organisation, username="parent_officer")


@pytest.fixture
def bodies(organisation, other_organisation, reporter_unit, other_unit, private_storage):
    ours = build_body(
        organisation,
        build_program(organisation, [reporter_unit, other_unit], title="Програма ГУДМС"),
        build_whistleblower_records(organisation),
        reporter_unit,
    )
    their_unit = UnitFactory(organisation=other_organisation, abbreviation="УП")
    theirs = build_body(
        other_organisation,
        build_program(other_organisation, [their_unit], title="Програма Мінкульту"),
        build_whistleblower_records(other_organisation),
        their_unit,
    )
    return ours, theirs


class Rollback(Exception):
    pass


def client_with_cookies(signed_in: Client) -> Client:
    """A fresh client with the same session: signing out or changing the language must not carry over."""
    client = Client()
    client.cookies = copy.deepcopy(signed_in.cookies)
    return client


def status_of(signed_in: Client, method: str, url: str, query: dict | None = None) -> int:
    """The answer to one request, whose writes are undone so the next URL sees the same world."""
    client = client_with_cookies(signed_in)
    caches["default"].clear()  # rate limits of the public pages count every request of the loop
    answer = {}
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, query or {})
            answer["status"] = response.status_code
            raise Rollback
    except Rollback:
        pass
    return answer["status"]


def client_for(request, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        verified_login(client, request.getfixturevalue(role))
    return client


POST_ONLY = {
    "logout",
    "programs:person-activate",
    "programs:person-reset-second-factor",
    "account-recovery-codes",
    "account-second-factor-off",
    "programs:person-deactivate",
    "programs:membership-edit",
    "programs:membership-remove",
    "programs:invitation-resend",
    "programs:invitation-revoke",
    "programs:switch-organisation",
    "reports:publication",
    "reports:try-again",
    "reports:grid-save",
    "reports:entry-copy",
    "reports:evidence-delete",
    "reports:remind",
    "reports:open-early",
    "reports:send-for-review",
    "reports:conclusion",
    "reports:approve",
    "reports:reopen",
    "reports:evaluation",
    "whistleblowers:report-action",
    "whistleblowers:disclosure-notice-step",
    "whistleblowers:public-receipt",
    "program-transition",
    "program-in-force",
    "program-word-import",
    "execution-entry-evidence",
    "execution-entry-submit",
    "reporting-period-open-early",
    "reporting-period-send-for-review",
    "reporting-period-conclusion",
    "reporting-period-approve",
    "reporting-period-reopen",
    "evidence-move",
    "measure-section-move",
    "task-move",
    "agenda-item-decision",
    "membership-deactivate-account",
    "membership-activate-account",
    "membership-reset-second-factor",
    "invitation-resend",
    "invitation-revoke",
    "risks:residual-decide",
    "risks:round-open",
    "risks:round-assess",
    "reports:risk-register-request",
    "reassessment-round-assess",
    "reassessment-round-decide",
}
DELETE_ONLY = {"execution-entry-remove-evidence"}


def method_of(name: str) -> str:
    return "post" if name in POST_ONLY else "delete" if name in DELETE_ONLY else "get"


def address(name: str, body) -> tuple[str, dict | None]:
    params = PARAMS[name]
    query = QUERY.get(name)
    return reverse(name, kwargs=params(body) if params else None), query(body) if query else None


# Roles, in the order of the tuples:  anonymous, secretary, reporter, commission, manager, officer, admin_user,
# outsider (a secretary of an unrelated body), parent_officer (the officer of the body above ours).
# 302: to the login page; 401: the API without credentials (with a `WWW-Authenticate: Token` challenge); 403: visible
# but not for this role; 404: outside the role's scope; 405: the method is not offered; 400: allowed, but the empty
# POST is invalid.
EXPECTED = {
    "admin:index": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    # The API's schema and docs are for signed-in users and tokens (issue 19 item 12).
    "api-docs": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-redoc": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-schema": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "dashboard-heatmap": (401, 200, 403, 200, 200, 200, 200, 400, 200),
    "dashboard-organisations": (401, 200, 403, 200, 200, 200, 200, 400, 200),
    "dashboard-summary": (401, 200, 403, 200, 200, 200, 200, 400, 200),
    "dashboard-trend": (401, 200, 403, 200, 200, 200, 200, 400, 200),
    "dashboard-whistleblowers": (401, 200, 403, 403, 200, 200, 200, 200, 200),
    "dashboard:index": (302, 200, 403, 200, 200, 200, 200, 200, 200),  # a reporter reads their own measures
    "execution-entry-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "execution-entry-evidence": (401, 400, 400, 403, 403, 403, 403, 404, 403),
    "execution-entry-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "execution-entry-remove-evidence": (401, 204, 204, 403, 403, 403, 403, 404, 403),
    "execution-entry-submit": (401, 400, 400, 403, 403, 403, 403, 404, 403),
    "home": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "login": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "logout": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "measure-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "measure-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "measures:create": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "measures:section-create": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "measures:delete": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "measures:detail": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "measures:export": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "measures:import": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "measures:import-preview": (302, 404, 403, 403, 403, 403, 404, 404, 403),
    "measures:import-template": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "measures:list": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "measures:update": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "organisation-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "organisation-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "program-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "program-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "program-transition": (401, 400, 403, 403, 403, 403, 400, 404, 403),
    "program-in-force": (401, 400, 403, 403, 403, 403, 400, 404, 403),
    "program-word-import": (401, 400, 403, 403, 403, 403, 400, 404, 403),
    "invitation-accept": (404, 404, 404, 404, 404, 404, 404, 404, 404),  # a forged link
    "password_reset": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_confirm": (200, 200, 200, 200, 200, 200, 200, 200, 200),  # says the link is not valid
    "password_reset_complete": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    # People and roles: the organisation's administrator only.
    "programs:people-index": (302, 403, 403, 403, 403, 403, 302, 403, 403),
    "programs:people": (302, 403, 403, 403, 403, 403, 200, 404, 403),
    "programs:people-invite": (302, 403, 403, 403, 403, 403, 200, 404, 403),
    "programs:person": (302, 403, 403, 403, 403, 403, 200, 404, 403),
    "programs:person-activate": (302, 403, 403, 403, 403, 403, 302, 404, 403),
    "programs:person-reset-second-factor": (302, 403, 403, 403, 403, 403, 302, 404, 403),
    # The second factor: a verified session goes on from the code step; officers and administrators have a device
    # (required for them), so enrolment sends them to their account page, where they may make new recovery codes.
    "second-factor-verify": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "second-factor-enrol": (302, 200, 200, 200, 200, 302, 302, 200, 302),
    "account-security": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "account-recovery-codes": (302, 302, 302, 302, 302, 200, 200, 302, 200),
    "account-second-factor-off": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "programs:person-deactivate": (302, 403, 403, 403, 403, 403, 302, 404, 403),
    "programs:membership-edit": (302, 404, 404, 404, 404, 404, 302, 404, 404),
    "programs:membership-remove": (302, 404, 404, 404, 404, 404, 302, 404, 404),
    "programs:invitation-resend": (302, 404, 404, 404, 404, 404, 302, 404, 404),
    "programs:invitation-revoke": (302, 404, 404, 404, 404, 404, 302, 404, 404),
    "programs:organisation-create-child": (302, 403, 403, 403, 403, 403, 200, 404, 403),
    "programs:switch-organisation": (302, 404, 404, 404, 404, 404, 404, 404, 404),  # an empty POST names no body
    "programs:agenda-item-create": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:agenda-item-decision": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:commission": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "programs:commission-edit": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:create": (302, 200, 403, 403, 403, 403, 200, 200, 403),
    "programs:detail": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "programs:edit": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "programs:list": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "programs:meeting": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "programs:meeting-create": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:meeting-edit": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:member-create": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:member-edit": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "programs:organisation": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    # The organisation's details: its administrator only (issue 17 item 4, the name in the genitive case).
    "programs:organisation-edit": (302, 403, 403, 403, 403, 403, 200, 404, 403),
    "programs:organisations": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "programs:revision": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "programs:revision-close": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:revision-create": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "programs:revision-edit": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "programs:section-create": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "programs:section-edit": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "programs:status": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "programs:unit-create": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "programs:unit-edit": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "report-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "report-download": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "report-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "reporting-period-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "reporting-period-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "reporting-period-completeness": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "reports:approve": (302, 400, 403, 400, 403, 403, 403, 404, 403),
    "reports:conclusion": (302, 400, 403, 400, 403, 403, 403, 404, 403),
    "reports:detail": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "reports:download": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "reports:entry": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "reports:entry-copy": (302, 302, 302, 403, 403, 403, 403, 404, 403),
    "reports:evaluation": (302, 302, 403, 302, 403, 403, 403, 404, 403),
    "reports:evidence-delete": (302, 302, 302, 403, 403, 403, 403, 404, 403),
    "reports:evidence-file": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "reports:findings": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "reports:grid-save": (302, 400, 400, 403, 403, 403, 403, 404, 403),  # the grid again, errors beside the row
    "reports:journal-request": (302, 404, 404, 404, 404, 200, 404, 404, 200),
    "reports:list": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "reports:my-periods": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "reports:period": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "reports:program-periods": (302, 200, 200, 200, 200, 200, 200, 404, 200),
    "reports:in-force": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "reports:publication": (302, 302, 404, 404, 404, 302, 302, 404, 404),
    "reports:try-again": (302, 302, 404, 404, 404, 302, 302, 404, 404),
    "reports:published-index": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "reports:published": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "reports:published-download": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "reports:remind": (302, 302, 403, 403, 403, 403, 403, 404, 403),
    "reports:open-early": (302, 302, 403, 403, 403, 403, 403, 404, 403),
    "reports:reopen": (302, 400, 403, 403, 403, 403, 403, 404, 403),
    "reports:request": (302, 200, 404, 404, 404, 200, 200, 404, 404),  # the officer oversees the program
    "reports:review": (302, 200, 403, 200, 200, 403, 403, 404, 403),
    "reports:send-for-review": (302, 302, 403, 403, 403, 403, 403, 404, 403),
    "risk-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "risk-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "risks:create": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "risks:delete": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "risks:detail": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:export": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:heatmap": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:list": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:update": (302, 200, 404, 403, 403, 403, 200, 404, 403),
    "set_language": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "unit-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "unit-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    # The parent officer: law, the case belongs to the body it was sent to (issue 19 item 7).
    "whistleblower-report-detail": (401, 404, 404, 404, 404, 200, 404, 404, 404),
    "whistleblower-report-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    # The parent officer: law, the case belongs to the body it was sent to (issue 19 item 7).
    "whistleblowers:attachment-download": (302, 404, 404, 404, 404, 200, 404, 404, 404),
    "whistleblowers:disclosure-notice-step": (302, 404, 404, 404, 404, 400, 404, 404, 404),
    "whistleblowers:inducement-create": (302, 404, 404, 404, 404, 200, 404, 404, 200),
    "whistleblowers:inducement-edit": (302, 404, 404, 404, 404, 200, 404, 404, 404),
    "whistleblowers:inducement-list": (302, 404, 404, 404, 404, 200, 404, 404, 200),
    "whistleblowers:public-follow-up": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "whistleblowers:public-form": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "whistleblowers:public-index": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "whistleblowers:public-receipt": (400, 400, 400, 400, 400, 400, 400, 400, 400),
    "whistleblowers:report-action": (302, 404, 404, 404, 404, 400, 404, 404, 404),
    "whistleblowers:report-create": (302, 404, 404, 404, 404, 200, 404, 404, 200),
    # The parent officer: law, the case belongs to the body it was sent to (issue 19 item 7).
    "whistleblowers:report-detail": (302, 404, 404, 404, 404, 200, 404, 404, 404),
    "whistleblowers:report-export": (302, 404, 404, 404, 404, 200, 404, 404, 200),
    # The parent officer: law, the case belongs to the body it was sent to (issue 19 item 7).
    "whistleblowers:report-identity": (302, 404, 404, 404, 404, 200, 404, 404, 404),
    "whistleblowers:report-list": (302, 404, 404, 404, 404, 200, 404, 404, 200),
    "whistleblowers:statistics": (302, 200, 404, 404, 200, 200, 200, 200, 200),
    # Issue 14 item 1. The review: the page's roles; an empty POST is refused as invalid (400) once the role passes.
    "reporting-period-open-early": (401, 400, 403, 403, 403, 403, 403, 404, 403),  # Q1 2023 has begun
    "reporting-period-send-for-review": (401, 200, 403, 403, 403, 403, 403, 404, 403),
    "reporting-period-conclusion": (401, 400, 403, 400, 403, 403, 403, 404, 403),
    "reporting-period-approve": (401, 400, 403, 400, 403, 403, 403, 404, 403),
    "reporting-period-reopen": (401, 400, 403, 403, 403, 403, 403, 404, 403),
    "evaluation-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "evidence-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "evidence-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "evidence-move": (401, 400, 400, 403, 403, 403, 403, 404, 403),
    "measure-section-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "measure-section-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "measure-section-move": (401, 400, 403, 403, 403, 403, 400, 404, 403),
    "task-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "task-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "task-move": (401, 400, 403, 403, 403, 403, 400, 404, 403),
    # Reference data of every organisation: the same answer to everyone signed in.
    "risk-matrix-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "risk-matrix-detail": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "commission-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "commission-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "commission-member-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "commission-member-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "meeting-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "meeting-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "agenda-item-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "agenda-item-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "agenda-item-decision": (401, 400, 404, 403, 403, 403, 400, 404, 403),
    # People and roles: the organisation's administrator only; to everyone else these rows do not exist.
    "membership-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "membership-detail": (401, 404, 404, 404, 404, 404, 200, 404, 404),
    "membership-deactivate-account": (401, 404, 404, 404, 404, 404, 200, 404, 404),
    # The officer of the world never set a password (no accepted invitation): activating is refused, as on the page.
    "membership-activate-account": (401, 404, 404, 404, 404, 404, 400, 404, 404),
    "membership-reset-second-factor": (401, 404, 404, 404, 404, 404, 200, 404, 404),
    "invitation-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "invitation-detail": (401, 404, 404, 404, 404, 404, 200, 404, 404),
    "invitation-resend": (401, 404, 404, 404, 404, 404, 200, 404, 404),
    "invitation-revoke": (401, 404, 404, 404, 404, 404, 200, 404, 404),
    "program-section-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "program-section-detail": (401, 200, 200, 200, 200, 200, 200, 404, 200),
    "measures:word-import": (302, 200, 403, 403, 403, 403, 200, 404, 403),
    "measures:word-import-preview": (302, 404, 403, 403, 403, 403, 404, 404, 403),
    # Issue 16: signals from cases (counts) read like the register; residual scores settled by the commission and
    # recorded by the secretary (an empty POST is invalid once the role passes).
    "risks:signals": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:residual": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:residual-decide": (302, 400, 404, 400, 403, 403, 403, 404, 403),
    "dashboard-risk-loop": (401, 200, 403, 200, 200, 200, 200, 400, 200),  # as dashboard-heatmap
    # Issue 16 item 3: the annual re-assessment reads like the register; the secretary keeps it (opens a round), the
    # working group (commission and secretary) scores and records the commission's decision; the updated register's
    # PDF is asked for by those who prepare the program's documents — of an open round it is refused (400).
    "risks:rounds": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:round-open": (302, 400, 404, 403, 403, 403, 400, 404, 403),
    "risks:round": (302, 200, 404, 200, 200, 200, 200, 404, 200),
    "risks:round-assess": (302, 400, 404, 400, 403, 403, 403, 404, 403),
    "risks:round-decide": (302, 200, 404, 200, 403, 403, 403, 404, 403),
    "reports:risk-register-request": (302, 400, 404, 403, 403, 400, 400, 404, 403),
    "reassessment-round-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "reassessment-round-detail": (401, 200, 404, 200, 200, 200, 200, 404, 200),
    "reassessment-round-assess": (401, 400, 404, 400, 403, 403, 403, 404, 403),
    "reassessment-round-decide": (401, 400, 404, 400, 403, 403, 403, 404, 403),
    # The audit trail: the organisation's administrator (and site staff); anyone else finds nothing there.
    "audit:event-list": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "audit:event-export": (302, 404, 404, 404, 404, 404, 200, 404, 404),
}

# A parent body's officer sees counts, not the cases of the bodies below (issue 19, item 7): one test per URL.
PARENT_OFFICER_CASE_URLS = [
    "whistleblowers:report-detail",
    "whistleblowers:report-identity",
    "whistleblowers:attachment-download",
    "whistleblower-report-detail",
]
# Public pages: the same answer whoever asks, for any body.
PUBLIC = {
    "risk-matrix-detail",  # reference data: a preset matrix is every organisation's
    "invitation-accept",
    "password_reset_confirm",
    "reports:published",
    "reports:published-download",
    "whistleblowers:public-form",
    "whistleblowers:public-receipt",
    "whistleblowers:public-follow-up",
}
# The dashboard API names its objects in the query string, which is validated like a form: another body's program
# or organisation is a 400 naming the parameter (reports/dashboard/api/views.py), not a 404 of a path.
QUERY_NAMED = set(QUERY)
OUR_ROLES = [role for role in ROLES if role != "outsider"]  # the outsider's own body is the "other" one


def test_the_table_lists_every_url_pattern():
    patterns = url_names()

    assert sorted(patterns - set(EXPECTED)) == [], "a URL without a row in EXPECTED"
    assert sorted(set(EXPECTED) - patterns) == [], "a row for a URL that no longer exists"
    assert set(PARAMS) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_url(request, bodies, role):
    ours, _theirs = bodies
    client = client_for(request, role)
    column = ROLES.index(role)
    mismatches = {}
    for name, statuses in EXPECTED.items():
        if role == "parent_officer" and name in PARENT_OFFICER_CASE_URLS:
            continue  # below, one test per URL
        url, query = address(name, ours)
        got = status_of(client, method_of(name), url, query)
        if got != statuses[column]:
            mismatches[name] = (got, statuses[column])
        if method_of(name) != "get" and role != "anonymous" and status_of(client, "get", url, query) != 405:
            mismatches[f"GET {name}"] = (status_of(client, "get", url, query), 405)  # a write is never a GET

    assert mismatches == {}, "URL: (got, expected)"


@pytest.mark.parametrize("name", PARENT_OFFICER_CASE_URLS)
def test_a_parent_bodys_officer_does_not_open_a_case_of_the_body_below(request, bodies, name):
    url, query = address(name, bodies[0])

    assert status_of(client_for(request, "parent_officer"), method_of(name), url, query) == 404


def footprint(organisation) -> dict:
    """What a refused request must not have changed in a body: rows, versions, states and texts."""
    from measures.models import Measure
    from programs.models import (
        AgendaItem,
        Commission,
        CommissionMember,
        Meeting,
        PeopleChange,
        Program,
        ProgramRevision,
        Unit,
    )
    from reports.documents.models import GeneratedReport
    from reports.execution.models import Evidence, ExecutionEntry, PeriodEvent, ReportingPeriod
    from risks.models import ReassessmentRound, Risk, RiskReassessment
    from whistleblowers.models import (
        DisclosureNotice,
        InducementNotification,
        ReportAttachment,
        ReportMessage,
        WhistleblowerReport,
    )

    def rows(model, lookup, *fields):
        return sorted(model.objects.filter(**{lookup: organisation}).values_list("pk", *fields))

    return {
        "programs": rows(Program, "organisation", "version", "status", "title"),
        "revisions": rows(ProgramRevision, "program__organisation", "status", "changes_summary"),
        "units": rows(Unit, "organisation", "version", "name"),
        "commission": rows(Commission, "organisation", "version", "name"),
        "members": rows(CommissionMember, "commission__organisation", "version", "full_name"),
        "meetings": rows(Meeting, "commission__organisation", "version", "place"),
        "agenda": rows(AgendaItem, "meeting__commission__organisation", "decided", "decision_kind"),
        "risks": rows(Risk, "program__organisation", "version"),
        "reassessments": rows(ReassessmentRound, "program__organisation", "status", "year"),
        "risk_scores": rows(RiskReassessment, "round__program__organisation", "version"),
        "measures": rows(Measure, "task__section__program__organisation", "version"),
        "periods": rows(ReportingPeriod, "program__organisation", "state", "conclusion"),
        "period_events": rows(PeriodEvent, "period__program__organisation"),
        "entries": rows(ExecutionEntry, "period__program__organisation", "version", "state"),
        "evidence": rows(Evidence, "entry__period__program__organisation", "file"),
        "generated": rows(GeneratedReport, "organisation", "status", "is_public"),
        "cases": [
            (case.pk, case.version, case.status, case.summary)
            for case in WhistleblowerReport.objects.filter(organisation=organisation).order_by("pk")
        ],
        "messages": rows(ReportMessage, "report__organisation"),
        "attachments": rows(ReportAttachment, "report__organisation"),
        "notices": rows(DisclosureNotice, "report__organisation", "withdrawn_at", "disclosed_on"),
        "inducements": rows(InducementNotification, "organisation", "version"),
        "people_log": rows(PeopleChange, "organisation", "action"),
    }


@pytest.mark.parametrize("role", OUR_ROLES)
def test_another_bodys_objects_are_not_found_and_nothing_of_it_changes(request, bodies, role):
    _ours, theirs = bodies
    client = client_for(request, role)
    before = footprint(theirs.organisation)
    mismatches = {}
    for name in EXPECTED:
        if PARAMS[name] is None and name not in QUERY_NAMED:
            continue
        if name in PUBLIC:
            expected = EXPECTED[name][ROLES.index(role)]
        elif role == "anonymous":
            expected = EXPECTED[name][0]  # refused before any object is looked up
        elif name in QUERY_NAMED:
            own = EXPECTED[name][ROLES.index(role)]
            expected = 400 if own == 200 else own  # a role refused on our numbers is refused on theirs too
        else:
            expected = 404
        url, query = address(name, theirs)
        # Not rolled back: whatever a refused request wrote would show in the footprint below.
        caches["default"].clear()
        got = getattr(client_with_cookies(client), method_of(name))(url, query or {}).status_code
        if got != expected:
            mismatches[name] = (got, expected)

    assert mismatches == {}, "URL: (got, expected)"
    assert footprint(theirs.organisation) == before
