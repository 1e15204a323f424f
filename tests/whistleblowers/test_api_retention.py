"""The officer's API shows when a case was erased and what holds it, and sets or lifts the hold under the same
rules as the case page: the version read must still be the stored one, and an erased case holds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.roles import Role
from tests.conftest import member
from whistleblowers.choices import ErasureReason
from whistleblowers.models import WhistleblowerReport
from whistleblowers.retention import erase_case, retention_run

from .test_retention import RETENTION_DAYS, full_case

pytestmark = pytest.mark.django_db

HOLD = "кримінальне провадження № 42024"


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.WHISTLEBLOWER_RETENTION_DAYS = RETENTION_DAYS


@pytest.fixture
def parent_officer(parent_organisation):
    return member(Role.OFFICER, parent_organisation, username="parent_officer")


@pytest.fixture
def case(organisation, officer):
    return full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 1)


def url(case) -> str:
    return f"/api/v1/whistleblower-reports/{case.pk}/"


def test_the_officer_holds_a_case_and_lifts_the_hold_with_the_version_read(api, case):
    client = api("officer")
    shown = client.get(url(case)).json()
    assert (shown["retention_hold"], shown["erased_on"]) == ("", None)

    held = client.patch(url(case), {"retention_hold": f"  {HOLD} ", "version": shown["version"]}, format="json")
    assert held.status_code == 200
    assert (held.json()["retention_hold"], held.json()["version"]) == (HOLD, shown["version"] + 1)
    assert held.json()["deadlines"] == shown["deadlines"]  # the answer is the row as a GET reads it
    assert retention_run() == 0

    lifted = client.patch(url(case), {"retention_hold": "", "version": held.json()["version"]}, format="json")
    assert lifted.status_code == 200
    assert lifted.json()["retention_hold"] == ""
    assert retention_run() == 1
    assert client.get(url(case)).json()["erased_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("payload", "status", "field", "code"),
    [
        pytest.param({"retention_hold": HOLD}, 400, "version", "required", id="no-version"),
        pytest.param({"retention_hold": HOLD, "version": 0}, 409, None, "conflict", id="stale-version"),
        pytest.param({"retention_hold": "х" * 301, "version": 1}, 400, "retention_hold", "max_length", id="too-long"),
        pytest.param({"retention_hold": 5, "version": 1}, 400, "retention_hold", "invalid", id="not-a-text"),
    ],
)
def test_a_refused_hold_names_why_and_changes_nothing(api, case, payload, status, field, code):
    response = api("officer").patch(url(case), payload, format="json", HTTP_ACCEPT_LANGUAGE="uk")

    assert response.status_code == status
    body = response.json()
    if field is None:
        assert body["code"] == code
    else:
        assert body["fields"][field][0]["code"] == code
    stored = WhistleblowerReport.objects.get(pk=case.pk)
    assert (stored.retention_hold, stored.version) == ("", case.version)


def test_an_erased_case_cannot_be_held(api, case):
    erase_case(case, reason=ErasureReason.RETENTION)

    response = api("officer").patch(url(case), {"retention_hold": HOLD, "version": case.version}, format="json")

    assert response.status_code == 400
    assert "знищено за правилом строку зберігання" in response.json()["message"]
    assert WhistleblowerReport.objects.get(pk=case.pk).retention_hold == ""


# Who may hold a case: its organisation's officer only; to everyone else the case does not exist.
WRITERS = [
    ("anonymous", 401),
    ("secretary", 404),
    ("reporter", 404),
    ("commission", 404),
    ("manager", 404),
    ("officer", 200),
    ("admin_user", 404),
    ("outsider", 404),
    ("parent_officer", 404),
]


@pytest.mark.parametrize(("persona", "status"), WRITERS, ids=[persona for persona, _ in WRITERS])
def test_only_the_cases_officer_may_hold_it(api, case, persona, status):
    response = api(persona).patch(url(case), {"retention_hold": HOLD, "version": case.version}, format="json")

    assert response.status_code == status
    expected = HOLD if status == 200 else ""
    assert WhistleblowerReport.objects.get(pk=case.pk).retention_hold == expected
