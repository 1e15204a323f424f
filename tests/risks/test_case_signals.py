"""Signals from whistleblower cases on the register: counts only, masked below 3 for everyone but the officer, and
nothing of a case — its text or its whistleblower — in any page or API answer of the register or the dashboard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from risks.case_signals import SignalWindow, signals_by_function
from risks.models import RiskSignal
from tests.conftest import module_world
from tests.factories import ReporterIdentityFactory, WhistleblowerReportFactory

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

DETAILS = "Начальник сектору Коваленко вимагав 5 000 гривень за позачергову видачу паспорта."
WHISTLEBLOWER = "Савчук Ірина Олегівна"
PROPOSED = "Вимагання винагороди за позачергове оформлення документів"


@pytest.fixture
def login(login):
    """Signed-in clients that ask for English pages, so the assertions read the English source texts."""

    def sign_in(persona: str):
        client = login(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


@pytest.fixture
def cases(organisation):
    """Four recent cases of the body (one with a named whistleblower) and one received two years ago."""
    recent = timezone.now() - dt.timedelta(days=10)
    reports = [
        WhistleblowerReportFactory(organisation=organisation, registered=True, received_at=recent, details=DETAILS)
        for _ in range(3)
    ]
    identity = ReporterIdentityFactory(
        report__organisation=organisation, report__registered=True, report__received_at=recent, full_name=WHISTLEBLOWER
    )
    old = WhistleblowerReportFactory(
        organisation=organisation, registered=True, received_at=timezone.now() - dt.timedelta(days=730)
    )
    return [*reports, identity.report, old]


def tag(client, report, **data) -> int:
    fields = {"function": "personnel", "process": "", "risk": "", "proposed_risk": "", **data}
    url = reverse("whistleblowers:report-action", args=[report.pk, "signal"])
    return client.post(url, fields).status_code


def signals_page(client, program, **query):
    return client.get(reverse("risks:signals", args=[program.pk]), query)


def count_cell(html: str, risk_number: int) -> str:
    row = html.split(f'data-risk="{risk_number}"')[1].split("</tr>")[0]
    return row.split('class="num signal-count">')[1].split("</td>")[0].strip()


def test_the_officer_tags_a_case_and_the_tag_holds_nothing_of_the_case(login, program_content, cases):
    officer = login("officer")
    risk = program_content.risks[0]

    assert tag(officer, cases[3], risk=risk.pk, process="Конкурсний відбір") == 302
    signal = RiskSignal.objects.get(report=cases[3])
    stored = {field.attname: getattr(signal, field.attname) for field in RiskSignal._meta.concrete_fields}
    assert signal.risk == risk
    assert signal.received_on == timezone.localdate(cases[3].received_at)
    assert DETAILS not in str(stored)
    assert WHISTLEBLOWER not in str(stored)
    # Retagging changes the one tag of the case; it never adds a second count.
    assert tag(officer, cases[3], proposed_risk=PROPOSED) == 302
    assert RiskSignal.objects.filter(report=cases[3]).count() == 1
    assert RiskSignal.objects.get(report=cases[3]).risk is None


def test_a_tag_outlives_the_case_it_came_from(login, program_content, cases):
    """Retention erases closed cases; the signal keeps counting without them."""
    officer = login("officer")
    tag(officer, cases[0], risk=program_content.risks[0].pk)
    cases[0].delete()

    assert RiskSignal.objects.filter(risk=program_content.risks[0], report__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("case", "data", "field", "error"),
    [
        ("both a risk and a proposal", {"proposed_risk": PROPOSED}, "proposed_risk", "not both"),
        ("no function", {"function": ""}, "function", "This field is required"),
        ("a function that does not exist", {"function": "bribery"}, "function", "Select a valid choice"),
    ],
)
def test_a_bad_tag_is_refused_with_a_reason_and_nothing_saved(login, program_content, cases, case, data, field, error):
    officer = login("officer")
    fields = {"function": "personnel", "risk": program_content.risks[0].pk, "proposed_risk": "", **data}
    response = officer.post(reverse("whistleblowers:report-action", args=[cases[0].pk, "signal"]), fields)

    assert response.status_code == 400
    assert error in response.content.decode().split(f'id="id_{field}_error"')[1].split("</ul>")[0]
    assert not RiskSignal.objects.exists()


def test_another_bodys_risk_cannot_be_chosen(login, program_content, other_program_content, cases):
    officer = login("officer")

    assert tag(officer, cases[0], risk=other_program_content.risks[0].pk) == 400
    assert not RiskSignal.objects.exists()


def test_only_the_officer_tags_cases(login, program_content, cases):
    for persona in ("secretary", "commission", "manager", "admin_user"):
        assert tag(login(persona), cases[0], risk=program_content.risks[0].pk) == 404
    assert not RiskSignal.objects.exists()


# (signals on risk 1, persona, what the register shows for risk 1)
COUNT_CASES = [
    (0, "secretary", "fewer than 3"),
    (1, "secretary", "fewer than 3"),
    (2, "secretary", "fewer than 3"),
    (3, "secretary", "3"),
    (4, "secretary", "4"),
    (2, "manager", "fewer than 3"),
    (2, "commission", "fewer than 3"),
    (2, "admin_user", "fewer than 3"),
    (4, "manager", "4"),
    (0, "officer", "0"),
    (1, "officer", "1"),
    (2, "officer", "2"),
]


@pytest.mark.parametrize(("signalled", "persona", "shown"), COUNT_CASES)
def test_the_register_counts_cases_per_risk_below_3_only_for_the_officer(
    login, program_content, cases, signalled, persona, shown
):
    officer = login("officer")
    for report in cases[:signalled]:
        tag(officer, report, risk=program_content.risks[0].pk)

    response = signals_page(login(persona), program_content.program)

    assert response.status_code == 200
    assert count_cell(response.content.decode(), 1) == shown


def test_cases_outside_the_chosen_time_are_not_counted(login, program_content, cases):
    officer = login("officer")
    for report in cases:
        tag(officer, report, risk=program_content.risks[0].pk)
    program = program_content.program

    assert count_cell(signals_page(officer, program).content.decode(), 1) == "4"  # the last twelve months
    old_day = timezone.localdate(cases[4].received_at)
    html = signals_page(officer, program, since=old_day.isoformat(), until=old_day.isoformat()).content.decode()
    assert count_cell(html, 1) == "1"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "2026-02-30"}, "Enter a valid date"),
        ({"since": "2026-05-01", "until": "2026-04-01"}, "must not be before its start"),
    ],
)
def test_a_bad_time_is_explained_not_a_server_error(login, program_content, query, message):
    response = signals_page(login("secretary"), program_content.program, **query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_risks_signalled_but_not_in_the_register_go_to_the_secretary_not_to_the_manager(login, program_content, cases):
    officer = login("officer")
    for report in cases[:3]:
        tag(officer, report, function="administrative_services", proposed_risk=PROPOSED)

    secretary_page = signals_page(login("secretary"), program_content.program).content.decode()
    manager_page = signals_page(login("manager"), program_content.program).content.decode()

    assert "Risks signalled but not in the register" in secretary_page
    assert PROPOSED in secretary_page
    assert "Administrative services" in secretary_page.split('id="unregistered-signals"')[1]
    assert PROPOSED not in manager_page


def test_the_heat_map_overlays_the_counts_masked_per_cell(login, program_content, cases):
    officer = login("officer")
    for report in cases[:2]:
        tag(officer, report, risk=program_content.risks[0].pk)  # inherent 3 × 3
    url = reverse("risks:heatmap", args=[program_content.program.pk])

    secretary_map = login("secretary").get(url, {"signals": "on"}).content.decode()
    officer_map = officer.get(url, {"signals": "on"}).content.decode()

    assert 'data-signals="2"' in officer_map
    assert 'data-signals="2"' not in secretary_map
    assert 'data-signals="masked"' in secretary_map
    assert "signals: 2" not in secretary_map
    assert 'data-signals="' not in login("secretary").get(url).content.decode()  # no overlay unless asked


def test_no_case_text_or_identity_in_any_answer_of_the_register_dashboard_or_api(login, api, program_content, cases):
    officer = login("officer")
    for report in cases:
        tag(officer, report, risk=program_content.risks[0].pk, process="Видача паспортів")
    program, risk = program_content.program, program_content.risks[0]
    pages = [
        reverse("risks:list", args=[program.pk]),
        reverse("risks:signals", args=[program.pk]),
        f"{reverse('risks:heatmap', args=[program.pk])}?signals=on",
        reverse("risks:detail", args=[program.pk, risk.pk]),
        reverse("risks:residual", args=[program.pk]),
        reverse("risks:export", args=[program.pk]),
        reverse("dashboard:index"),
    ]
    answers = [
        reverse("risk-list"),
        reverse("risk-detail", args=[risk.pk]),
        f"{reverse('dashboard-heatmap')}?program={program.pk}",
        f"{reverse('dashboard-risk-loop')}?program={program.pk}",
        f"{reverse('dashboard-summary')}?program={program.pk}&period={program_content.periods[0].pk}",
        reverse("dashboard-whistleblowers"),
    ]
    for persona in ("secretary", "manager", "commission", "officer"):
        client, api_client = login(persona), api(persona)
        for url in pages:
            body = client.get(url).content.decode(errors="replace")
            assert DETAILS not in body, (persona, url)
            assert WHISTLEBLOWER not in body, (persona, url)
        for url in answers:
            response = api_client.get(url)
            assert response.status_code in (200, 403), (persona, url)
            assert DETAILS not in response.content.decode(), (persona, url)
            assert WHISTLEBLOWER not in response.content.decode(), (persona, url)


def test_signals_per_function_count_every_function_and_mask_small_ones(login, program_content, cases, organisation):
    officer = login("officer")
    for report in cases[:3]:
        tag(officer, report, function="finance")
    tag(officer, cases[3], function="personnel")
    window = SignalWindow.default()

    def counts(exact: bool) -> dict:
        rows = signals_by_function(organisation_id=organisation.pk, window=window, exact=exact)
        return {function: count for function, _label, count in rows}

    masked, exact = counts(False), counts(True)

    assert len(masked) == 8
    assert [count.shown for count in masked.values()].count(3) == 1
    assert all(count.shown in (None, 3) for count in masked.values())
    assert sorted(count.shown for count in exact.values()) == [0, 0, 0, 0, 0, 0, 1, 3]
    assert (exact["finance"].shown, masked["finance"].shown, masked["personnel"].shown) == (3, 3, None)
