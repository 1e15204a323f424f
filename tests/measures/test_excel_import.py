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


# --- importing a corrected export back: rows that match a measure update it -------------------------------------


def exported_sheet(client, program):
    content = client.get(reverse("measures:export", args=[program.pk])).content
    return load_workbook(io.BytesIO(content))


def as_upload(workbook) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("export.xlsx", buffer.getvalue())


def line_of(sheet, measure) -> int:
    """The spreadsheet line the export gave `measure` (its content column starts with its label and content)."""
    return next(
        row[0].row for row in sheet.iter_rows(min_row=2) if row[2].value == f"{measure.label} {measure.content}"
    )


def edited_export(client, program, measure, column: int, value):
    workbook = exported_sheet(client, program)
    sheet = workbook.active
    line = line_of(sheet, measure)
    sheet.cell(row=line, column=column + 1, value=value)
    return workbook, line


def test_a_corrected_export_previews_the_change_old_to_new_and_updates_the_measure_as_the_importing_user(
    login, program_content, secretary
):
    program = program_content.program
    measure = program_content.measures["unit_quarter"]
    client = login("secretary")
    workbook, line = edited_export(client, program, measure, 6, "Перевірено всіх кандидатів")  # the indicator
    before = Measure.objects.count()

    preview_url = upload(client, program, as_upload(workbook))["Location"]
    response = client.get(preview_url)
    rows = {row.line: row for row in response.context["preview"].rows}
    client.post(preview_url, {"import": "1"})

    assert rows[line].measure == measure
    assert [(change.old, change.new) for change in rows[line].changes] == [("Проведено", "Перевірено всіх кандидатів")]
    assert {row.status for number, row in rows.items() if number != line} == {"unchanged"}
    assert "<del>Проведено</del>" in response.content.decode()
    assert "<ins>Перевірено всіх кандидатів</ins>" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.indicator, measure.version) == ("Перевірено всіх кандидатів", 2)
    assert Measure.objects.count() == before
    assert measure.history.latest().history_user == secretary


def test_an_unchanged_export_imported_back_changes_nothing(login, program_content):
    program = program_content.program
    client = login("secretary")
    workbook = exported_sheet(client, program)
    stored = list(Measure.objects.order_by("pk").values())
    history = Measure.history.count()

    preview_url = upload(client, program, as_upload(workbook))["Location"]
    preview = client.get(preview_url).context["preview"]
    applied = client.post(preview_url, {"import": "1"})

    assert preview.counts == {"new": 0, "changed": 0, "unchanged": 5}
    assert applied.status_code == 302
    assert list(Measure.objects.order_by("pk").values()) == stored
    assert Measure.history.count() == history


def test_a_measure_saved_by_someone_else_after_the_preview_refuses_the_whole_import(
    login, program_content, admin_user, english_messages
):
    from measures.services import measure_update

    program = program_content.program
    measure = program_content.measures["unit_quarter"]
    client = login("secretary")
    workbook, line = edited_export(client, program, measure, 6, "Перевірено всіх кандидатів")
    workbook.active.append([None, None, "3) Провести навчання з питань конфлікту інтересів", "ІІ квартал", "УП"])
    before = Measure.objects.count()
    preview_url = upload(client, program, as_upload(workbook))["Location"]
    client.get(preview_url)  # the secretary reads the preview …
    measure_update(  # … while the administrator saves the measure
        measure=measure,
        user=admin_user,
        data={
            "task": measure.task,
            "content": "Перевіряти кандидатів",
            "responsible_units": [*measure.responsible_units.all()],
        },
        expected_version=measure.version,
    )

    response = client.post(preview_url, {"import": "1"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert f"The measures of rows {line} were saved by someone else" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.content, measure.indicator, measure.version) == ("Перевіряти кандидатів", "Проведено", 2)
    assert Measure.objects.count() == before  # the new row was not added either
    # Shown again against the latest version: the file would put the old content back, and says so.
    row = next(row for row in response.context["preview"].rows if row.line == line)
    assert ("Перевіряти кандидатів", "Провести перевірку кандидатів на зайняття посад") in [
        (change.old, change.new) for change in row.changes
    ]


def test_two_rows_updating_the_same_measure_are_refused(login, program_content):
    program = program_content.program
    client = login("secretary")
    workbook = exported_sheet(client, program)
    sheet = workbook.active
    sheet.append([cell.value for cell in sheet[2]])
    before = list(Measure.objects.order_by("pk").values())

    preview_url = upload(client, program, as_upload(workbook))["Location"]
    response = client.get(preview_url, HTTP_ACCEPT_LANGUAGE="en")
    client.post(preview_url, {"import": "1"})

    assert response.status_code == 400
    repeated = response.context["preview"].rows[-1]
    assert repeated.errors == ["This row repeats the section, task and measure numbers of row 2."]
    assert list(Measure.objects.order_by("pk").values()) == before
