"""Two people save the same record from pages opened at the same version: the second is told, never overwrites.

One table of every edit screen that used to save silently (units, the commission, its members and meetings, the
inducement journal, the officer's case summary), and the unit API, which answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from programs.choices import CommissionRole, MeetingFormat
from tests.factories import CommissionFactory, CommissionMemberFactory, MeetingFactory

pytestmark = pytest.mark.django_db

REFUSAL = "Someone else saved this record after you opened it"


@dataclass(frozen=True)
class Screen:
    persona: str
    record: Callable  # (request fixture getter) -> the record being edited
    url: Callable  # record -> the address its form posts to
    form: Callable  # (record, typed value) -> a valid POST of the form, without the version
    stored: Callable  # record (refreshed) -> the value the typed field is stored as


def _commission(get):
    return CommissionFactory(organisation=get("organisation"), name="Комісія з оцінки корупційних ризиків")


SCREENS = {
    "unit": Screen(
        "secretary",
        lambda get: get("reporter_unit"),
        lambda unit: reverse("programs:unit-edit", args=[unit.pk]),
        lambda unit, typed: {"abbreviation": unit.abbreviation, "name": typed, "is_active": "on"},
        lambda unit: unit.name,
    ),
    "commission": Screen(
        "secretary",
        _commission,
        lambda commission: reverse("programs:commission-edit", args=[commission.organisation_id]),
        lambda commission, typed: {"name": typed, "established_by": "Наказ № 12"},
        lambda commission: commission.name,
    ),
    "member": Screen(
        "secretary",
        lambda get: CommissionMemberFactory(commission=_commission(get), role=CommissionRole.MEMBER),
        lambda member: reverse("programs:member-edit", args=[member.pk]),
        lambda member, typed: {"full_name": typed, "position": "", "role": CommissionRole.MEMBER},
        lambda member: member.full_name,
    ),
    "meeting": Screen(
        "secretary",
        lambda get: MeetingFactory(commission=_commission(get), number=3),
        lambda meeting: reverse("programs:meeting-edit", args=[meeting.pk]),
        lambda meeting, typed: {
            "number": 3,
            "held_on": "2023-09-29",
            "format": MeetingFormat.IN_PERSON,
            "place": typed,
        },
        lambda meeting: meeting.place,
    ),
    "inducement": Screen(
        "officer",
        lambda get: get("whistleblower_records").inducement,
        lambda notification: reverse("whistleblowers:inducement-edit", args=[notification.pk]),
        lambda notification, typed: {
            "registered_on": "2024-03-01",
            "notifier": "Петренко П. П., інспектор",
            "summary": "Пропозиція вигоди",
            "sheets": 1,
            "resolution": typed,
        },
        lambda notification: notification.resolution,
    ),
    "case summary": Screen(
        "officer",
        lambda get: get("whistleblower_records").report,
        lambda report: reverse("whistleblowers:report-action", args=[report.pk, "summary"]),
        lambda report, typed: {"summary": typed},
        lambda report: report.summary,
    ),
}


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_the_second_of_two_saves_from_the_same_version_is_refused_and_keeps_what_was_typed(request, login, screen):
    record = screen.record(request.getfixturevalue)
    opened = type(record).objects.get(pk=record.pk).version
    first, second = login(screen.persona), login(screen.persona)

    saved = first.post(screen.url(record), {**screen.form(record, "Перша редакція"), "version": opened})
    refused = second.post(
        screen.url(record), {**screen.form(record, "Друга редакція"), "version": opened}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.status_code == 409
    page = refused.content.decode()
    assert REFUSAL in page
    assert "Друга редакція" in page  # what the second person typed is still in the form
    record.refresh_from_db()
    assert screen.stored(record) == "Перша редакція"
    assert record.version == opened + 1


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_an_edit_page_carries_the_version_it_shows(request, login, screen):
    record = screen.record(request.getfixturevalue)
    if screen is SCREENS["case summary"]:
        page = login(screen.persona).get(reverse("whistleblowers:report-detail", args=[record.pk]))
    else:
        page = login(screen.persona).get(screen.url(record))

    assert f'name="version" value="{record.version}"' in page.content.decode()


def test_the_second_of_two_unit_patches_over_the_api_is_a_conflict(api, reporter_unit):
    first, second = api("secretary"), api("secretary")
    url = f"/api/v1/units/{reporter_unit.pk}/"

    saved = first.patch(url, {"head_name": "Коваленко О. П.", "version": 1}, format="json")
    refused = second.patch(url, {"head_name": "Мельник І. І.", "version": 1}, format="json")

    assert (saved.status_code, refused.status_code) == (200, 409)
    assert saved.json()["version"] == 2
    reporter_unit.refresh_from_db()
    assert (reporter_unit.head_name, reporter_unit.version) == ("Коваленко О. П.", 2)


def test_a_unit_patch_that_does_not_say_which_version_it_read_is_refused(api, reporter_unit):
    response = api("secretary").patch(f"/api/v1/units/{reporter_unit.pk}/", {"head_name": "Мельник"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()["fields"]
    reporter_unit.refresh_from_db()
    assert reporter_unit.head_name != "Мельник"
