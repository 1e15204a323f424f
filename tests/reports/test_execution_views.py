"""The period pages: permission matrix, the grid's query count, saving a cell, the entry page, review and approval."""

import pytest
from django.urls import reverse

from reports.choices import EntryState, ExecutionStatus, PeriodState
from reports.execution.models import ExecutionEntry
from reports.execution.period_services import period_send_for_review
from tests.conftest import module_world
from tests.factories import bulk_measures
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())


def urls(content):
    period = content.periods[0]
    own, other = content.measures["unit_quarter"], content.measures["other_half"]
    return {
        "periods": reverse("reports:program-periods", args=[content.program.pk]),
        "grid": reverse("reports:period", args=[period.pk]),
        "own_entry": reverse("reports:entry", args=[period.pk, own.pk]),
        "other_entry": reverse("reports:entry", args=[period.pk, other.pk]),
        "review": reverse("reports:review", args=[period.pk]),
        "findings": reverse("reports:findings", args=[period.pk]),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "secretary",
            {"periods": 200, "grid": 200, "own_entry": 200, "other_entry": 200, "review": 200, "findings": 200},
        ),
        (
            "reporter",
            {"periods": 200, "grid": 200, "own_entry": 200, "other_entry": 404, "review": 403, "findings": 200},
        ),
        (
            "commission",
            {"periods": 200, "grid": 200, "own_entry": 200, "other_entry": 200, "review": 200, "findings": 200},
        ),
        (
            "manager",
            {"periods": 200, "grid": 200, "own_entry": 200, "other_entry": 200, "review": 200, "findings": 200},
        ),
        (
            "outsider",
            {"periods": 404, "grid": 404, "own_entry": 404, "other_entry": 404, "review": 404, "findings": 404},
        ),
        (
            "parent_secretary",
            {"periods": 200, "grid": 200, "own_entry": 200, "other_entry": 200, "review": 200, "findings": 200},
        ),
        (
            "superuser",
            {"periods": 200, "grid": 200, "own_entry": 200, "other_entry": 200, "review": 200, "findings": 200},
        ),
        (
            "anonymous",
            {"periods": 302, "grid": 302, "own_entry": 302, "other_entry": 302, "review": 302, "findings": 302},
        ),
    ],
)
def test_each_persona_reaches_exactly_the_period_pages_of_its_scope(login, program_content, persona, expected):
    client = login(persona)

    got = {name: client.get(url).status_code for name, url in urls(program_content).items()}

    assert got == expected


def test_a_reporter_cannot_save_another_units_entry(login, program_content):
    period = program_content.periods[0]
    entry = program_content.entries["other_half"]

    response = login("reporter").post(
        reverse("reports:entry", args=[period.pk, entry.measure_id]),
        {"version": entry.version, "status": "done", "narrative": "чуже", "action": "draft"},
    )

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.narrative != "чуже"


def test_the_grid_query_count_does_not_grow_with_the_number_of_measures(
    login, program_content, reporter_unit, other_unit, django_assert_max_num_queries
):
    client = login("secretary")
    url = reverse("reports:period", args=[program_content.periods[0].pk])
    client.get(url)  # warm caches that are not per-request (content types and the like)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    bulk_measures(program_content.program, [reporter_unit, other_unit], 300)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200
    # Every row is there; the grid script builds each row's form (tests/browser/test_grid_lean_rows.py).
    assert response.content.decode().count('<tr id="measure-') == 305


def test_a_not_due_measure_reads_not_yet_due_in_the_grid(login, program_content):
    # The training measure is due every year: in the I quarter the yearly seminar is not yet due.
    response = login("manager").get(reverse("reports:period", args=[program_content.periods[0].pk]))

    row = response.content.decode().split(f'id="measure-{program_content.measures["unit_year"].pk}"')[1]
    assert "Строк не настав" in row.split("</tr>")[0]


def test_saving_one_cell_changes_only_that_field_in_one_small_transaction(
    login, program_content, django_assert_max_num_queries
):
    entry = program_content.entries["unit_quarter"]
    url = reverse("reports:grid-save", args=[entry.period_id, entry.measure_id])
    client = login("secretary")

    with django_assert_max_num_queries(20):
        response = client.post(
            url, {"version": entry.version, "narrative": "Перевірено 14 кандидатів"}, HTTP_X_REQUESTED_WITH="fetch"
        )

    assert response.status_code == 200
    assert response.json()["sentence"].startswith(
        "Виконано. Перевірено 14 кандидатів (лист"
    )  # a small letter inside the sentence, as in seed 001
    entry.refresh_from_db()
    assert (entry.narrative, entry.status, entry.state) == ("Перевірено 14 кандидатів", "done", EntryState.SUBMITTED)


def test_a_stale_cell_save_is_refused_with_a_conflict(login, program_content):
    entry = program_content.entries["unit_quarter"]
    url = reverse("reports:grid-save", args=[entry.period_id, entry.measure_id])
    client = login("secretary")
    client.post(url, {"version": entry.version, "narrative": "перше"}, HTTP_X_REQUESTED_WITH="fetch")

    response = client.post(url, {"version": entry.version, "narrative": "друге"}, HTTP_X_REQUESTED_WITH="fetch")

    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.narrative == "перше"


def test_without_javascript_a_row_form_saves_and_submits(login, program_content):
    period = program_content.periods[0]
    measure = program_content.measures["shared_event"]

    response = login("secretary").post(
        reverse("reports:grid-save", args=[period.pk, measure.pk]),
        {"version": 0, "status": "done", "narrative": "Порушень не виявлено", "submit": "1"},
    )

    assert response.status_code == 302
    entry = ExecutionEntry.objects.get(period=period, measure=measure)
    assert entry.state == EntryState.SUBMITTED


def test_a_reporter_submits_an_entry_with_an_uploaded_file_only_they_and_the_secretary_can_download(
    login, program_content, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    period = program_content.periods[0]
    measure = program_content.measures["unit_year"]
    client = login("reporter")
    response = client.post(
        reverse("reports:entry", args=[period.pk, measure.pk]),
        {
            "version": 0,
            "status": "done",
            "narrative": "Проведено семінар",
            "action": "submit",
            "evidence-kind": "file",
            "evidence-file": SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 test"),
        },
    )
    assert response.status_code == 302
    entry = ExecutionEntry.objects.get(period=period, measure=measure)
    item = entry.evidence.get()

    assert entry.state == EntryState.SUBMITTED
    assert client.get(reverse("reports:evidence-file", args=[item.pk])).status_code == 200
    assert login("outsider").get(reverse("reports:evidence-file", args=[item.pk])).status_code == 404


def test_an_executable_upload_is_refused_with_a_message(login, program_content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    period = program_content.periods[0]
    measure = program_content.measures["unit_year"]
    response = login("reporter").post(
        reverse("reports:entry", args=[period.pk, measure.pk]),
        {
            "version": 0,
            "status": "done",
            "narrative": "x",
            "action": "draft",
            "evidence-kind": "file",
            "evidence-file": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )

    assert response.status_code == 400
    assert not ExecutionEntry.objects.filter(period=period, measure=measure).exists()


def test_the_commission_approves_by_a_decision_and_a_later_edit_is_refused(login, secretary, program_content):
    period = program_content.periods[0]
    period_send_for_review(user=secretary, period=period)
    decision = approval_decision(period)
    commission = login("commission")

    response = commission.post(
        reverse("reports:approve", args=[period.pk]), {"decision": decision.pk, "incomplete_reason": GAPS_ACCEPTED}
    )

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == PeriodState.APPROVED
    entry = program_content.entries["unit_quarter"]
    refused = login("secretary").post(
        reverse("reports:grid-save", args=[period.pk, entry.measure_id]),
        {"version": entry.version, "narrative": "пізно"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert refused.status_code == 403


def test_units_that_have_not_submitted_are_listed_for_the_secretary(login, program_content):
    response = login("secretary").get(reverse("reports:period", args=[program_content.periods[0].pk]))

    panel = response.content.decode().split('id="not-submitted"')[1].split("</section>")[0]
    # УП submitted its quarterly measure but not the event-driven one; УКЕС submitted nothing.
    assert "УП" in panel
    assert "УКЕС" in panel


def test_findings_list_due_measures_not_done_or_missing(login, secretary, program_content):
    period = program_content.periods[0]
    response = login("manager").get(reverse("reports:findings", args=[period.pk]))

    body = response.content.decode()
    assert "Повідомляти НАЗК про виявлені порушення" in body
    assert "Провести перевірку кандидатів" not in body


def test_a_year_without_its_own_entry_shows_the_latest_quarter(login, secretary, program_content):
    from reports.execution.periods_create import reporting_periods_create

    periods = reporting_periods_create(program=program_content.program)
    year = next(period for period in periods if period.kind == "year" and period.year == 2023)

    response = login("manager").get(reverse("reports:period", args=[year.pk]))

    assert "Перевірено 12 кандидатів" in response.content.decode()
    assert not ExecutionEntry.objects.filter(period=year).exists()
    assert ExecutionStatus.DONE


def _upload_evidence(client, period, measure, name: str = "protocol.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("reports:entry", args=[period.pk, measure.pk]),
        {
            "version": 0,
            "status": "done",
            "narrative": "Проведено семінар",
            "action": "draft",
            "evidence-kind": "file",
            "evidence-file": SimpleUploadedFile(name, b"%PDF-1.4 test"),
        },
    )


def test_evidence_downloads_as_an_attachment_the_browser_does_not_sniff(login, program_content, private_storage):
    period, measure = program_content.periods[0], program_content.measures["unit_year"]
    client = login("reporter")
    _upload_evidence(client, period, measure)
    item = ExecutionEntry.objects.get(period=period, measure=measure).evidence.get()

    response = client.get(reverse("reports:evidence-file", args=[item.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="protocol.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_deleted_evidence_file_leaves_the_disk_once_the_delete_is_committed(
    login, program_content, private_storage, django_capture_on_commit_callbacks
):
    period, measure = program_content.periods[0], program_content.measures["unit_year"]
    client = login("reporter")
    _upload_evidence(client, period, measure)
    item = ExecutionEntry.objects.get(period=period, measure=measure).evidence.get()
    stored = private_storage / item.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:evidence-delete", args=[item.pk]))

    assert response.status_code == 302
    assert not stored.exists()


def test_a_file_shared_with_a_copied_entry_stays_until_its_last_evidence_is_deleted(
    login, program_content, private_storage, django_capture_on_commit_callbacks
):
    first, second = program_content.periods
    measure = program_content.measures["unit_year"]
    client = login("reporter")
    _upload_evidence(client, first, measure)
    original = ExecutionEntry.objects.get(period=first, measure=measure).evidence.get()
    stored = private_storage / original.file.name
    assert client.post(reverse("reports:entry-copy", args=[second.pk, measure.pk])).status_code == 302
    copy = ExecutionEntry.objects.get(period=second, measure=measure).evidence.get()
    assert copy.file.name == original.file.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:evidence-delete", args=[original.pk]))
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:evidence-delete", args=[copy.pk]))
    assert not stored.exists()
