"""The re-assessment pages as the secretary and the commission use them: a form per risk with its errors next to the
fields, the two lists, the decision form that names unscored risks, a locked round, and the page's queries."""

import datetime as dt

import pytest
from django.urls import reverse

from risks.choices import RoundStatus
from risks.models import ReassessmentRound, RiskReassessment
from risks.reassessment import reassessment_round_decide, reassessment_round_open, risk_reassessment_record
from tests.factories import MeasureFactory, RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(program_content, secretary):
    return reassessment_round_open(user=secretary, program=program_content.program, year=2024)


def url(name: str, round_, *extra) -> str:
    return reverse(name, args=[round_.program_id, round_.pk, *extra])


def ids(program, p: int, c: int) -> tuple[int, int]:
    matrix = program.risk_matrix
    return matrix.probabilities.get(score=p).pk, matrix.consequences.get(score=c).pk


def post_score(client, round_, risk, p, c, reasons="Нові чинники у кадровому відборі", version=0):
    probability, consequence = ids(round_.program, p, c)
    prefix = f"risk-{risk.pk}"
    data = {
        f"{prefix}-probability": probability,
        f"{prefix}-consequence": consequence,
        f"{prefix}-reasons": reasons,
        f"{prefix}-version": version,
    }
    return client.post(url("risks:round-assess", round_, risk.pk), data)


def article(html: str, risk) -> str:
    return html.split(f'id="risk-{risk.pk}"')[1].split("</article>")[0]


def test_the_secretary_opens_a_round_and_a_year_outside_the_program_is_a_field_error(login, program_content):
    client = login("secretary")
    program = program_content.program

    wrong = client.post(reverse("risks:round-open", args=[program.pk]), {"year": 2030})
    opened = client.post(reverse("risks:round-open", args=[program.pk]), {"year": 2024})

    assert wrong.status_code == 400
    assert "Оберіть рік дії програми, 2023–2025." in wrong.content.decode()
    round_ = ReassessmentRound.objects.get(program=program)
    assert opened.url == reverse("risks:round", args=[program.pk, round_.pk])
    assert (round_.year, round_.status) == (2024, RoundStatus.OPEN)


def test_a_score_is_recorded_and_shows_beside_the_current_one(login, round_, program_content):
    client = login("commission")
    risk = program_content.risks[0]

    response = post_score(client, round_, risk, 2, 3)
    page = client.get(url("risks:round", round_)).content.decode()

    assert response.status_code == 302
    row = article(page, risk)
    assert "3 × 3" in row.split('class="score-now"')[1].split("</dd>")[0]
    new = row.split('class="score-new"')[1].split("</dd>")[0]
    assert "2 × 3" in new
    assert "Високий" in new
    assert "Нові чинники у кадровому відборі" in row
    assert 'id="round-progress">1 з 2<' in page


def test_bad_input_gets_errors_next_to_its_fields_in_ukrainian(login, round_, program_content):
    client = login("secretary")
    risk = program_content.risks[0]
    prefix = f"risk-{risk.pk}"

    response = client.post(
        url("risks:round-assess", round_, risk.pk), {f"{prefix}-probability": "999", f"{prefix}-reasons": " "}
    )

    assert response.status_code == 400
    row = article(response.content.decode(), risk)
    assert f'id="id_{prefix}-probability-errors"' in row
    assert f'id="id_{prefix}-reasons-errors"' in row
    assert "Наведіть обґрунтування нової оцінки." in row
    assert not RiskReassessment.objects.exists()


def test_a_stale_form_does_not_overwrite_a_newer_score(login, round_, program_content, commission):
    risk = program_content.risks[0]
    post_score(login("commission"), round_, risk, 2, 3)

    response = post_score(login("secretary"), round_, risk, 1, 1, version=0)

    assert response.status_code == 400
    assert "Тим часом хтось інший зберіг оцінку цього ризику" in article(response.content.decode(), risk)
    assert RiskReassessment.objects.get(round=round_, risk=risk).probability.score == 2


def test_the_decision_form_names_the_unscored_risks_and_refuses(login, round_, program_content):
    client = login("commission")
    post_score(client, round_, program_content.risks[0], 2, 3)

    page = client.get(url("risks:round-decide", round_)).content.decode()
    refused = client.post(
        url("risks:round-decide", round_), {"decision_date": "2024-12-20", "decision_number": "Протокол № 7"}
    )
    unnumbered = client.post(url("risks:round-decide", round_), {"decision_date": "2024-12-20"})

    assert "№ 2. Неповне оприлюднення публічної інформації" in page.split('id="unassessed"')[1]
    assert refused.status_code == 400
    assert "Ці ризики ще не мають нової оцінки: № 2 «Неповне оприлюднення публічної інформації»" in (
        refused.content.decode()
    )
    assert unnumbered.status_code == 400
    assert 'id="id_decision_number-errors"' in unnumbered.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_the_decision_moves_the_register_and_locks_the_round(login, round_, program_content):
    client = login("commission")
    high, low = program_content.risks
    post_score(client, round_, high, 1, 2)
    post_score(client, round_, low, 3, 3)

    decided = client.post(
        url("risks:round-decide", round_),
        {
            "decision_date": "20.12.2024",
            "decision_number": "Протокол № 7",
            "decision_text": "Схвалити оновлений реєстр",
        },
    )
    register = login("secretary").get(reverse("risks:list", args=[round_.program_id])).content.decode()
    late = post_score(client, round_, high, 3, 3, version=1)
    page = client.get(url("risks:round", round_)).content.decode()

    assert decided.status_code == 302
    assert "Переоцінку 2024 року вирішено комісією, її заблоковано." in late.content.decode()
    assert late.status_code == 400
    assert "reassessment-form" not in page
    assert "1 × 2" in article(page, high).split('class="score-new"')[1]
    assert "3 × 3" in article(page, high).split('class="score-before"')[1]
    assert "від 20.12.2024 № Протокол № 7" in page
    high.refresh_from_db()
    assert (high.inherent_probability.score, high.inherent_consequence.score) == (1, 2)
    assert "Схвалити оновлений реєстр" in page
    # The register's trail on the risk's page names the round.
    detail = client.get(reverse("risks:detail", args=[round_.program_id, high.pk])).content.decode()
    assert "Переоцінка корупційних ризиків, 2024" in detail.split('id="residual-trail"')[1]
    # The register shows the new levels: risk № 1 falls from high to low (1 × 2), № 2 rises to high (3 × 3).
    rows = {
        row.split('<td class="num">')[1].split("<")[0]: row
        for row in register.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    }
    assert rows["1"].count("level-low") == 2
    assert rows["2"].count("level-high") == 2


def test_the_lists_show_untreated_risks_and_measures_with_trainings_apart(login, round_, program_content):
    program = program_content.program
    RiskFactory(program=program, number=3, title="Конфлікт інтересів у закупівлях")
    MeasureFactory(
        task=program_content.measures["unit_quarter"].task, number=4, content="Перевірити декларації", risks=[]
    )

    page = login("manager").get(url("risks:round", round_)).content.decode()

    untreated_risks = page.split('id="risks-without-measures"')[1].split("</section>")[0]
    untreated_measures = page.split('id="measures-without-risks"')[1].split("</section>")[0]
    apart = untreated_measures.split('id="measures-treating-none-by-nature"')
    assert "№ 3. Конфлікт інтересів у закупівлях" in untreated_risks
    assert "Перевірити декларації" in apart[0]
    assert "Провести навчання для членів конкурсної комісії" in apart[1]
    assert "Провести навчання" not in apart[0]
    assert "reassessment-form" not in page  # a manager reads, never scores


@pytest.mark.parametrize("risks", [2, 14])
def test_the_round_page_reads_in_a_fixed_number_of_queries(
    login, round_, program_content, commission, risks, django_assert_max_num_queries
):
    program = program_content.program
    for number in range(3, risks + 1):
        RiskFactory(program=program, number=number)
    matrix = program.risk_matrix
    for risk in program.risks.all()[: risks // 2]:
        risk_reassessment_record(
            user=commission,
            round_=round_,
            risk=risk,
            probability=matrix.probabilities.get(score=1),
            consequence=matrix.consequences.get(score=1),
            reasons="Оцінено",
            version=0,
        )
    client = login("commission")

    with django_assert_max_num_queries(32):
        response = client.get(url("risks:round", round_))

    assert response.status_code == 200
    assert response.content.decode().count('class="card reassessment-form"') == risks


def test_a_decided_rounds_pdf_is_asked_of_the_worker_and_an_open_ones_is_refused(
    login, round_, program_content, commission, private_storage
):
    client = login("secretary")
    refused = client.post(url("reports:risk-register-request", round_))
    for risk in program_content.risks:
        post_score(login("commission"), round_, risk, 2, 2)
    reassessment_round_decide(user=commission, round_=round_, decision_date=dt.date(2024, 12, 20), decision_number="7")

    asked = client.post(url("reports:risk-register-request", round_))

    assert refused.status_code == 400
    assert "Оновлений реєстр формується після рішення комісії щодо переоцінки." in refused.content.decode()
    assert asked.status_code == 302
    report = program_content.program.reports.get()
    assert asked.url == reverse("reports:detail", args=[report.pk])
    assert (report.kind, report.year, report.period, report.language) == ("risk_register", 2024, None, "uk")
