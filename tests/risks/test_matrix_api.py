"""Risk matrices over the API: every signed-in user reads the presets with their levels and cells."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from risks.models import ConsequenceLevel, MatrixCell, ProbabilityLevel, RiskLevel, RiskMatrix

pytestmark = pytest.mark.django_db

URL = "/api/v1/risk-matrices/"


def test_a_programs_matrix_lists_the_levels_a_risk_names(api, program):
    response = api("reporter").get(f"{URL}{program.risk_matrix_id}/", HTTP_ACCEPT_LANGUAGE="uk")

    matrix = response.json()
    assert response.status_code == 200
    assert [level["score"] for level in matrix["probabilities"]] == sorted(
        program.risk_matrix.probabilities.values_list("score", flat=True)
    )
    assert len(matrix["cells"]) == len(matrix["probabilities"]) * len(matrix["consequences"])
    assert {cell["level"] for cell in matrix["cells"]} <= {level["id"] for level in matrix["levels"]}
    assert matrix["levels"][0]["name"] == matrix["levels"][0]["name_uk"]


def test_the_risk_of_a_program_names_a_row_and_a_column_of_its_matrix(api, program_content):
    client = api("secretary")
    risk = client.get(f"/api/v1/risks/{program_content.risks[0].pk}/").json()
    matrix = client.get(f"{URL}{program_content.program.risk_matrix_id}/").json()

    assert risk["inherent_probability"] in {level["id"] for level in matrix["probabilities"]}
    assert risk["inherent_consequence"] in {level["id"] for level in matrix["consequences"]}


def test_the_matrices_are_read_only_and_need_a_sign_in(api, program):
    assert api("anonymous").get(URL).status_code == 401
    assert api("secretary").post(URL, {"code": "own"}, format="json").status_code == 405


def _matrix(code: str) -> RiskMatrix:
    matrix = RiskMatrix.objects.create(code=code, methodology="custom", name_uk=code, name_en=code, name_ru=code)
    rows = [
        ProbabilityLevel.objects.create(matrix=matrix, score=s, name_uk="p", name_en="p", name_ru="p") for s in (1, 2)
    ]
    columns = [
        ConsequenceLevel.objects.create(matrix=matrix, score=s, name_uk="c", name_en="c", name_ru="c") for s in (1, 2)
    ]
    level = RiskLevel.objects.create(matrix=matrix, code="low", rank=1, name_uk="l", name_en="l", name_ru="l")
    MatrixCell.objects.bulk_create(
        MatrixCell(matrix=matrix, probability=row, consequence=column, level=level)
        for row in rows
        for column in columns
    )
    return matrix


def test_the_list_costs_as_many_queries_for_many_matrices_as_for_few(api, program, django_assert_max_num_queries):
    client = api("manager")
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    for number in range(30):
        _matrix(f"own-{number}")

    with django_assert_max_num_queries(len(queries)):
        response = client.get(URL)

    assert response.json()["count"] >= 30
