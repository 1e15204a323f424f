"""The officer's case page reads as the work goes: register → assign → status → deadlines → messages → disclosure,
each confirmation says what was saved, and the assignee is a person's name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from tests.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(organisation):
    return member(Role.OFFICER, organisation, username="o.petrenko", first_name="Олена", last_name="Петренко")


def action(client, report, name, data=None):
    return client.post(reverse("whistleblowers:report-action", args=[report.pk, name]), data or {}, follow=True)


def confirmation(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_page_follows_the_order_of_the_work(whistleblower_report, login):
    html = (
        login("officer").get(reverse("whistleblowers:report-detail", args=[whistleblower_report.pk])).content.decode()
    )

    steps = [html.index(f'data-step="{step}"') for step in ("register", "assign", "status")]
    steps += [html.index(f'id="{heading}"') for heading in ("deadlines-heading", "messages-heading")]
    assert steps == sorted(steps)
    assert "1. Реєстрація" in html
    assert "5. Листування з викривачем" in html


def test_the_assignee_is_offered_and_confirmed_by_name(whistleblower_report, login, colleague):
    client = login("officer")
    page = client.get(reverse("whistleblowers:report-detail", args=[whistleblower_report.pk])).content.decode()

    assert f'<option value="{colleague.pk}">Олена Петренко</option>' in page
    response = action(client, whistleblower_report, "assign", {"assignee": colleague.pk})

    assert confirmation(response) == "Справу доручено: Олена Петренко."
    assert "<strong>Олена Петренко</strong>" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("informed", {"informed_on": "02.04.2024"}, "Зафіксовано: викривача поінформовано 02.04.2024."),
        ("offence", {"found_on": "02.04.2024"}, "Зафіксовано: ознаки правопорушення виявлено 02.04.2024."),
        ("outcome", {"outcome": "Факти не підтвердилися"}, "Результат збережено."),
        (
            "forwarding",
            {"recipient": "nazk", "sent_on": "03.04.2024", "outgoing_number": "17/5"},
            "Зафіксовано надсилання до НАЗК від 03.04.2024 (№ 17/5).",
        ),
    ],
)
def test_each_confirmation_says_what_was_saved(whistleblower_report, login, name, data, expected):
    response = action(login("officer"), whistleblower_report, name, data)

    assert confirmation(response).startswith(expected)


def test_registering_confirms_the_number(whistleblower_records, login, organisation):
    from tests.factories import WhistleblowerReportFactory

    report = WhistleblowerReportFactory(organisation=organisation, registration_number="")

    response = action(login("officer"), report, "register")

    report.refresh_from_db()
    assert confirmation(response) == f"Повідомлення зареєстровано за № {report.registration_number}."
