"""Measures from an .xlsx: template, preview with per-row errors, all-or-nothing import, export round trip."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from measures.choices import DeadlineKind
from measures.excel import HEADERS
from measures.models import Measure

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("measures.xlsx", buffer.getvalue())


SEED_ROWS = [
    [
        "І. Програма антикорупційних навчань",
        "1. Навчання та заходи з поширення інформації щодо програм антикорупційного спрямування",
        "1) Проведення тренінгу «Практичні аспекти заповнення електронної декларації»",
        "І квартал",
        "УП\nУКЕС",
        "Працівники апарату ДМС",
        "Проведено навчання",
        "1",
    ],
    [None, None, "2) Проведення лекції з питань конфлікту інтересів", "ІІ квартал ", "УП", "", "", ""],
    [None, None, "3) Інформування про зміни законодавства", "Не пізніше 3 робочих днів з дня після (події)", "УКЕС"],
]


def upload(client, program, file):
    return client.post(reverse("measures:import", args=[program.pk]), {"file": file})


def test_a_clean_file_is_previewed_then_imported_with_its_section_task_units_and_risks(login, program_content):
    program = program_content.program
    client = login("secretary")
    before = Measure.objects.count()

    response = upload(client, program, xlsx(SEED_ROWS))
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert preview.context["preview"].ok
    assert Measure.objects.count() == before  # nothing is written by the preview

    client.post(preview_url, {"import": "1"})

    imported = Measure.objects.filter(task__title__startswith="Навчання та заходи").order_by("number")
    assert [measure.number for measure in imported] == [1, 2, 3]
    first = imported[0]
    assert first.task.section.title == "Програма антикорупційних навчань"
    assert (first.deadline_kind, first.deadline_part) == (DeadlineKind.QUARTER, 1)
    assert sorted(first.responsible_units.values_list("abbreviation", flat=True)) == ["УКЕС", "УП"]
    assert list(first.risks.all()) == [program_content.risks[0]]
    assert (imported[2].deadline_kind, imported[2].deadline_days) == (DeadlineKind.AFTER_EVENT, 3)


def test_rows_with_errors_are_listed_and_nothing_is_imported(login, program_content):
    program = program_content.program
    client = login("secretary")
    rows = [*SEED_ROWS, [None, None, "4) Захід", "щотижня", "ХЗ"]]
    before = Measure.objects.count()

    preview_url = upload(client, program, xlsx(rows))["Location"]
    response = client.get(preview_url, HTTP_ACCEPT_LANGUAGE="en")
    client.post(preview_url, {"import": "1"})

    bad = response.context["preview"].rows[-1]
    assert response.status_code == 400
    assert bad.line == 5
    assert any("is not a deadline" in error for error in bad.errors)
    assert any("Unknown unit “ХЗ”" in error for error in bad.errors)
    assert Measure.objects.count() == before


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("measures.xlsx", b"Name;Deadline\n"), "not an Excel workbook"),
        (SimpleUploadedFile("big.xlsx", b"PK" + b"0" * (2 * 1024 * 1024 + 1)), "too large"),
    ],
    ids=["csv-named-xlsx", "too-large"],
)
def test_a_file_that_is_not_a_small_workbook_is_refused_next_to_the_field(login, program, file, message):
    response = login("secretary").post(
        reverse("measures:import", args=[program.pk]), {"file": file}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])


def test_a_workbook_without_rows_is_refused(login, program):
    response = login("secretary").post(
        reverse("measures:import", args=[program.pk]), {"file": xlsx([])}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "has no measures" in str(response.context["form"].errors["file"])


def test_the_template_has_the_columns_of_the_seed_program(login, program):
    response = login("secretary").get(reverse("measures:import-template", args=[program.pk]))

    headers = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert headers[1:7] == (
        "Найменування завдання",
        "Зміст заходу",
        "Строк виконання",
        "Підрозділ, відповідальний",
        "Цільова аудиторія",
        "Індикатор виконання (очікуваний результат)",
    )


def test_exported_measures_import_back_into_another_program_of_the_organisation(login, program_content):
    from tests.factories import ProgramFactory

    program = program_content.program
    client = login("secretary")
    exported = client.get(reverse("measures:export", args=[program.pk])).content
    target = ProgramFactory(organisation=program.organisation, title="Нова програма")

    preview_url = upload(client, target, SimpleUploadedFile("export.xlsx", exported))["Location"]
    preview = client.get(preview_url).context["preview"]
    kinds = {row.deadline.kind for row in preview.rows if row.deadline}
    assert kinds == {measure.deadline_kind for measure in Measure.objects.filter(task__section__program=program)}
