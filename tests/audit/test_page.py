"""The administrators' page of the audit trail: their organisation's events (site staff: all), filtered by action,
person and days, in pages; the same filtered list as CSV whose cells a spreadsheet cannot run as formulas.

Signing a test client in records its own sign-in, so each test signs in first and records its events after."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import record

pytestmark = pytest.mark.django_db

PAGE = reverse("audit:event-list")
CSV = reverse("audit:event-export")


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def trail(organisation, other_organisation, manager, outsider):
    """`trail()` records events of our body, of another body, a sign-in of one of our people (an event of no body)
    and one of a stranger; it returns their entry numbers by name."""

    def make() -> dict[str, int]:
        events = {
            "ours": record(AuditAction.DELETED, username="kovalenko", organisation=organisation, label="Ризик 3"),
            "theirs": record(AuditAction.DELETED, username="petrenko", organisation=other_organisation, label="Чужий"),
            "sign-in": record(AuditAction.SIGNED_IN, actor=manager),
            "stranger": record(AuditAction.SIGNED_IN, actor=outsider),
        }
        return {name: event.sequence for name, event in events.items()}

    return make


def listed(response) -> set[int]:
    """The entries shown, but for the viewer's own sign-in."""
    viewer = response.wsgi_request.user.get_username()
    return {event.sequence for event in response.context["page"] if event.actor_username != viewer}


def test_the_administrator_sees_the_events_of_the_body_and_of_its_people_only(login, trail):
    client = login("admin_user")
    events = trail()

    response = client.get(PAGE)

    assert response.status_code == 200
    assert listed(response) == {events["ours"], events["sign-in"]}
    assert "Ризик 3" in response.content.decode()
    assert "Чужий" not in response.content.decode()


def test_site_staff_see_every_event(login, trail):
    client = login("superuser")
    events = trail()

    assert listed(client.get(PAGE)) == set(events.values())


@pytest.mark.parametrize("persona", ["secretary", "officer", "manager", "outsider"])
def test_anyone_but_an_administrator_finds_no_page(login, trail, persona):
    client = login(persona)
    trail()

    assert client.get(PAGE).status_code == 404
    assert client.get(CSV).status_code == 404


# Filters and which of the trail's events a superuser then sees.
FILTERS = {
    "by action": ({"action": AuditAction.SIGNED_IN}, {"sign-in", "stranger"}),
    "by person": ({"actor": "KOVAL"}, {"ours"}),
    "from today": ({"since": timezone.localdate().isoformat()}, {"ours", "theirs", "sign-in", "stranger"}),
    "until yesterday": ({"until": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}, set()),
    "action and person": ({"action": AuditAction.DELETED, "actor": "petrenko"}, {"theirs"}),
}


@pytest.mark.parametrize(("query", "expected"), FILTERS.values(), ids=FILTERS.keys())
def test_the_filters_narrow_the_page_and_the_csv_alike(login, trail, query, expected):
    client = login("superuser")
    events = trail()

    page = client.get(PAGE, query)
    download = client.get(CSV, query)

    wanted = {events[name] for name in expected}
    assert listed(page) == wanted
    assert {int(row[0]) for row in rows_of(download)[1:] if row[2] != "root"} == wanted


BAD_FILTERS = {
    "not a date": ({"since": "2024-13-45"}, "since"),
    "unknown action": ({"action": "drop_table"}, "action"),
    "end before start": ({"since": "2024-05-02", "until": "2024-05-01"}, "until"),
}


@pytest.mark.parametrize(("query", "field"), BAD_FILTERS.values(), ids=BAD_FILTERS.keys())
def test_a_bad_filter_is_refused_in_the_users_language_and_keeps_what_was_typed(login, query, field):
    client = login("admin_user")

    page = client.get(PAGE, {**query, "actor": "kovalenko"})
    download = client.get(CSV, query)

    assert page.status_code == 400
    assert page.context["filter"].form.errors[field]
    assert 'value="kovalenko"' in page.content.decode()
    assert download.status_code == 400
    assert download["Content-Type"].startswith("text/plain")


def test_the_page_goes_in_pages_of_fifty_newest_first(login, organisation):
    client = login("admin_user")
    for n in range(120):
        record(AuditAction.EXPORTED, username="kovalenko", organisation=organisation, number=n)

    first, third = client.get(PAGE), client.get(PAGE, {"page": 3})

    assert len(first.context["page"]) == 50
    assert first.context["page"][0].sequence == AuditEvent.objects.order_by("-sequence").first().sequence
    assert len(third.context["page"]) == 21  # 120 exports and the administrator's own sign-in


def test_the_page_costs_as_many_queries_for_many_events_as_for_few(
    login, organisation, secretary, django_assert_max_num_queries
):
    client = login("admin_user")
    record(AuditAction.EXPORTED, actor=secretary, organisation=organisation)
    with django_assert_max_num_queries(15) as few:
        client.get(PAGE)
    for n in range(60):
        record(AuditAction.EXPORTED, actor=secretary, organisation=organisation, number=n)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text_under_ukrainian_headings(login, organisation):
    client = login("admin_user")
    record(AuditAction.DELETED, username="kovalenko", organisation=organisation, label='=HYPERLINK("http://x","y")')
    record(AuditAction.DELETED, username="@kovalenko", organisation=organisation, label="+380 44 000")

    rows = rows_of(client.get(CSV))

    assert {'\'=HYPERLINK("http://x","y")', "'+380 44 000"} <= {row[7] for row in rows[1:]}
    assert "'@kovalenko" in {row[2] for row in rows[1:]}
    assert rows[0][0] == "Номер запису"
    assert str(AuditAction.DELETED.label) in {row[3] for row in rows[1:]}


def test_the_csv_download_is_itself_recorded(login, admin_user):
    login("admin_user").get(CSV)

    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.actor_id) == (AuditAction.EXPORTED, admin_user.pk)
