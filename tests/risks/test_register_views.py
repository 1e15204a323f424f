"""The risk register pages: creating and editing with the matrix, concurrency, the heat map, history, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from risks.choices import Function
from risks.models import Risk
from tests.factories import UnitFactory, bulk_measures

pytestmark = pytest.mark.django_db


def scores(program, probability, consequence):
    matrix = program.risk_matrix
    return {
        "inherent_probability": matrix.probabilities.get(score=probability).pk,
        "inherent_consequence": matrix.consequences.get(score=consequence).pk,
    }


def risk_data(program, **overrides):
    data = {"function": Function.PROCUREMENT, "title": "Завищення вартості закупівлі", **scores(program, 3, 2)}
    data.update(overrides)
    return data


def test_the_secretary_adds_a_risk_and_its_level_is_computed_from_the_matrix(login, program, secretary):
    response = login("secretary").post(reverse("risks:create", args=[program.pk]), risk_data(program))

    risk = Risk.objects.with_levels().get(program=program, title="Завищення вартості закупівлі")
    assert response.status_code == 302
    assert risk.number == 3  # the fixture program has risks № 1 and 2
    assert risk.inherent_level_code == "high"  # 3 × 2 = 6 on the 2021 matrix
    assert risk.history.first().history_user == secretary


def test_a_score_of_another_matrix_is_refused_next_to_the_field(login, program):
    from risks.models import RiskMatrix

    other = RiskMatrix.objects.get(code="nazk-2016")
    data = risk_data(program, inherent_probability=other.probabilities.get(score=3).pk)

    response = login("secretary").post(reverse("risks:create", args=[program.pk]), data)

    assert response.status_code == 400
    assert "inherent_probability" in response.context["form"].errors
    assert "Завищення вартості закупівлі" in response.content.decode()  # what was typed is kept
    assert not Risk.objects.filter(title="Завищення вартості закупівлі").exists()


def test_a_half_scored_residual_risk_is_refused_with_a_message(login, program):
    data = risk_data(program, residual_probability=program.risk_matrix.probabilities.get(score=1).pk)

    response = login("secretary").post(reverse("risks:create", args=[program.pk]), data)

    assert response.status_code == 400
    assert "residual_consequence" in response.context["form"].errors


def test_a_taken_number_is_refused_next_to_the_field(login, program):
    response = login("secretary").post(
        reverse("risks:create", args=[program.pk]), risk_data(program, number=1), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "already exists" in str(response.context["form"].errors["number"])


def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_overwritten(login, program_content):
    program, risk = program_content.program, program_content.risks[0]
    url = reverse("risks:update", args=[program.pk, risk.pk])
    first, second = login("secretary"), login("admin_user")
    version = risk.version

    saved = first.post(url, risk_data(program, title="Перша редакція", version=version))
    refused = second.post(url, risk_data(program, title="Друга редакція", version=version), HTTP_ACCEPT_LANGUAGE="en")

    risk.refresh_from_db()
    assert saved.status_code == 302
    assert refused.status_code == 409
    assert "Someone else saved this record" in refused.content.decode()
    assert "Друга редакція" in refused.content.decode()  # the second person's text is still in the form
    assert risk.title == "Перша редакція"


def test_the_risk_page_shows_its_measures_and_the_history_of_changes(login, program_content, secretary):
    program, risk = program_content.program, program_content.risks[0]
    client = login("secretary")
    client.post(
        reverse("risks:update", args=[program.pk, risk.pk]),
        risk_data(program, title="Нова назва ризику", version=risk.version),
    )

    page = client.get(reverse("risks:detail", args=[program.pk, risk.pk])).content.decode()

    assert "Провести перевірку кандидатів на зайняття посад" in page  # the measure treating it
    assert "Вплив на членів конкурсної комісії" in page
    assert "Нова назва ризику" in page
    assert secretary.get_full_name() in page


def test_the_register_filters_by_level_coverage_and_text(login, program_content):
    program = program_content.program
    Risk.objects.create(
        program=program,
        number=9,
        function=Function.FINANCE,
        title="Неохоплений ризик",
        **{
            "inherent_probability_id": scores(program, 1, 1)["inherent_probability"],
            "inherent_consequence_id": scores(program, 1, 1)["inherent_consequence"],
        },
    )
    client = login("commission")
    url = reverse("risks:list", args=[program.pk])

    def titles(**params):
        return {risk.title for risk in client.get(url, params).context["risks"]}

    assert titles(inherent_level="high") == {"Вплив на членів конкурсної комісії"}
    assert titles(coverage="without") == {"Неохоплений ризик"}
    assert titles(q="оприлюднення") == {"Неповне оприлюднення публічної інформації"}
    assert titles(inherent_probability=3, inherent_consequence=3) == {"Вплив на членів конкурсної комісії"}


def test_the_heat_map_counts_risks_per_cell_and_links_to_the_filtered_register(login, program_content):
    program = program_content.program

    response = login("manager").get(reverse("risks:heatmap", args=[program.pk]))

    inherent, residual = response.context["heatmaps"]
    counts = {(cell.probability.score, cell.consequence.score): cell.count for _, row in inherent.rows for cell in row}
    assert counts[(3, 3)] == 1
    assert counts[(1, 2)] == 1
    assert sum(counts.values()) == 2
    assert residual.total == 0
    assert residual.unscored == 2
    assert "inherent_probability=3&amp;inherent_consequence=3" in response.content.decode()


def test_the_register_exports_to_excel_with_ukrainian_headers(login, program_content):
    response = login("secretary").get(reverse("risks:export", args=[program_content.program.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("№ з/п", "Функція", "Процес", "Корупційний ризик")
    assert [row[3] for row in rows[1:]] == [
        "Вплив на членів конкурсної комісії",
        "Неповне оприлюднення публічної інформації",
    ]


@pytest.mark.parametrize("name", ["risks:list", "risks:heatmap"])
def test_register_pages_make_as_many_queries_for_300_risks_as_for_10(
    login, program_content, name, django_assert_max_num_queries
):
    program = program_content.program
    units = [UnitFactory(organisation=program.organisation) for _ in range(3)]
    client = login("secretary")
    url = reverse(name, args=[program.pk])
    bulk_measures(program, units, 8)
    client.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    bulk_measures(program, units, 290)

    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200
