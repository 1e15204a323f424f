"""Report documents rendered for real with WeasyPrint and read back: layouts of seeds 001 and 004."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.periods import PeriodKind
from programs.models import Program
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.pdf import StaticOnlyFetcher
from reports.documents.services import ReportRequestError, report_render, report_request
from reports.execution.models import ExecutionEntry
from tests.programs.test_demo import normalise as seed_normalise
from tests.programs.test_demo import seed_rows
from tests.reports.pdf_layout import flat as seed_flat
from tests.reports.pdf_layout import found_in_order
from tests.second_factor import verified_login

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text, whitespace collapsed, WeasyPrint's automatic hyphenation (U+2010) undone."""
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)
    return seed_normalise(text.replace("\u2010 ", "").replace("\u2010", ""))


def normalise(text: str) -> str:
    return seed_normalise(text)


def compact(text: str) -> str:
    """Text without any whitespace: line breaks inside hyphenated words ("веб-\nсайт") cannot matter."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def demo(demo_once, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture
def dms_program(demo):
    return Program.objects.get(organisation__short_name="ДМС", start_year=2023)


@pytest.fixture
def kg_program(demo):
    return Program.objects.get(organisation__short_name="ГСМ при ПКР")


def users(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def rendered(report: GeneratedReport) -> bytes:
    report = report_render(report_id=report.pk)
    assert report.status == ReportStatus.READY, report.error
    return report.file.open("rb").read()


def test_the_execution_report_shows_every_seed_measure_and_status_in_order(dms_program):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)

    text = pdf_text(rendered(report))
    flat = seed_flat(text)

    # A row may now continue on the next page: its cells are then found in two pieces.
    position = 0
    for row in seed_rows():
        found = found_in_order(row.content, flat, position)
        assert found, f"measure missing or out of order: {row.content[:60]}"
        position = found[0] + 1
        assert found_in_order(row.status, flat, found[0])
    assert "Стан виконання" in text
    assert "Найменування завдання" in text
    assert "Сторінка 1 з" in text
    assert "\ufffd" not in text


def test_the_pdf_embeds_a_font_with_full_cyrillic_coverage(dms_program, tmp_path):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)
    # The stored file is encrypted at rest: pdffonts reads the decrypted copy.
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(rendered(report))

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    families = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert families
    assert all("DejaVu" in name or "Liberation" in name for name in families)
    assert all(" yes yes yes " in f" {' '.join(line.split()[-5:-2])} " for line in fonts.splitlines()[2:])


def test_form_1_is_in_russian_with_the_seed_headings_and_the_officer(kg_program):
    period = kg_program.periods.get(kind=PeriodKind.YEAR, year=2017)
    report = report_request(user=users("kg-secretary"), kind=ReportKind.FORM1, program=kg_program, period=period)

    text = pdf_text(rendered(report))

    for heading in (
        "Форма 1",
        "Мероприятия",
        "Промежуточные результаты",
        "Причины невыполнения",
        "Дальнейшие действия по реализации",
        "Наименование",
        "Период предоставления отчетности",
    ):
        assert heading in text
    assert "К. Бекмуратов" in text
    assert "300423" in text
    assert "Исполнено частично" in text
    assert report.language == "ru"


def test_the_program_document_has_sections_risks_measures_abbreviations_and_signatures(dms_program):
    report = report_request(user=users("secretary"), kind=ReportKind.PROGRAM, program=dms_program)

    text = pdf_text(rendered(report))

    assert normalise(dms_program.sections.first().title) in text
    assert normalise(dms_program.risks.first().title)[:40] in text
    assert "ВПЗВК – Відділ з питань запобігання та виявлення корупції" in text
    assert "Н.М. Науменко" in text


def test_the_excel_export_carries_the_same_rows(dms_program):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(
        user=users("secretary"),
        kind=ReportKind.EXECUTION,
        program=dms_program,
        period=period,
        file_format=ReportFormat.XLSX,
    )

    sheet = load_workbook(io.BytesIO(rendered(report))).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]

    assert "Стан виконання" in cells
    for row in seed_rows():
        assert any(normalise(row.content)[:60] in normalise(cell) for cell in cells)


def test_the_same_inputs_reuse_the_file_and_changed_data_gives_a_new_version(dms_program):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    secretary = users("secretary")
    first = report_request(user=secretary, kind=ReportKind.EXECUTION, program=dms_program, period=period)
    rendered(first)

    again = report_request(user=secretary, kind=ReportKind.EXECUTION, program=dms_program, period=period)
    ExecutionEntry.objects.filter(period=period).update(narrative="Змінений текст")
    changed = report_request(user=secretary, kind=ReportKind.EXECUTION, program=dms_program, period=period)

    assert again.pk == first.pk
    assert changed.pk != first.pk
    assert GeneratedReport.objects.count() == 2


def test_an_archival_variant_is_pdf_a(dms_program):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(
        user=users("secretary"),
        kind=ReportKind.EXECUTION,
        program=dms_program,
        period=period,
        file_format=ReportFormat.PDFA,
    )

    reader = PdfReader(io.BytesIO(rendered(report)))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()

    assert b'pdfaid:part="3"' in metadata
    assert "/OutputIntents" in reader.trailer["/Root"]


@pytest.mark.parametrize(
    ("case", "field"),
    [("period of another program", "period"), ("no period", "period"), ("program of another organisation", "program")],
)
def test_a_bad_request_is_refused_and_leaves_no_record(dms_program, kg_program, case, field):
    secretary = users("secretary")
    arguments = {
        "period of another program": {"program": dms_program, "period": kg_program.periods.first()},
        "no period": {"program": dms_program, "period": None},
        "program of another organisation": {"program": kg_program, "period": kg_program.periods.first()},
    }[case]

    with pytest.raises(ReportRequestError) as error:
        report_request(user=secretary, kind=ReportKind.EXECUTION, **arguments)

    assert field in error.value.message_dict
    assert GeneratedReport.objects.count() == 0


def test_the_request_page_answers_a_clear_400_and_records_nothing(dms_program, client):
    verified_login(client, users("secretary"))

    response = client.post(
        f"/reports/programs/{dms_program.pk}/request/", {"kind": "execution", "format": "pdf", "period": "999999"}
    )

    assert response.status_code == 400
    assert GeneratedReport.objects.count() == 0


def test_an_unknown_program_or_another_organisations_program_is_a_404(dms_program, kg_program, client):
    verified_login(client, users("secretary"))

    assert client.get("/reports/programs/999999/request/").status_code == 404
    assert client.get(f"/reports/programs/{kg_program.pk}/request/").status_code == 404


def test_journals_are_for_the_officer_alone(dms_program):
    officer, manager = users("officer"), users("manager")
    report = report_request(
        user=officer, kind=ReportKind.INDUCEMENT_JOURNAL, organisation=dms_program.organisation, year=2024
    )
    rendered(report)

    assert GeneratedReport.objects.restrict(officer).filter(pk=report.pk).exists()
    assert not GeneratedReport.objects.restrict(manager).filter(pk=report.pk).exists()
    assert not GeneratedReport.objects.restrict(users("admin")).filter(pk=report.pk).exists()
    with pytest.raises(ReportRequestError):
        report_request(
            user=manager, kind=ReportKind.WHISTLEBLOWER_JOURNAL, organisation=dms_program.organisation, year=2024
        )


def test_the_inducement_journal_has_the_ten_columns_of_seed_004(dms_program):
    report = report_request(
        user=users("officer"), kind=ReportKind.INDUCEMENT_JOURNAL, organisation=dms_program.organisation, year=2024
    )

    text = pdf_text(rendered(report))

    for column in ("Дата реєстрації", "Кількість аркушів", "Номер справи"):
        assert column in text
    assert re.search(r"\b1 2 3 4 5 6 7 8 9 10\b", text)


def test_a_published_report_is_listed_and_downloadable_without_signing_in(dms_program, client):
    secretary = users("secretary")
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(user=secretary, kind=ReportKind.EXECUTION, program=dms_program, period=period)
    rendered(report)
    verified_login(client, secretary)
    assert client.post(f"/reports/{report.pk}/publication/", {"public": "on", "confirm": "on"}).status_code == 302
    client.logout()

    page = client.get(f"/reports/published/{dms_program.organisation_id}/")
    download = client.get(f"/reports/published/file/{report.pk}/")

    assert page.status_code == 200
    assert f"/reports/published/file/{report.pk}/" in page.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_unpublished_report_is_not_public(dms_program, client):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)
    rendered(report)

    assert client.get(f"/reports/published/file/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/download/").status_code == 302


def test_a_manager_cannot_publish(dms_program, client):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)
    rendered(report)
    verified_login(client, users("manager"))

    response = client.post(f"/reports/{report.pk}/publication/", {"public": "on"})

    assert response.status_code == 404
    report.refresh_from_db()
    assert not report.is_public


def test_not_yet_due_measures_read_as_such(dms_program):
    # The program's first quarter: nothing can be carried over from before it, and most deadlines are still ahead.
    period = dms_program.periods.get(kind=PeriodKind.QUARTER, year=2023, number=1)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)

    text = pdf_text(rendered(report))

    assert "Строк не настав." in text


def test_the_url_fetcher_refuses_the_network_and_other_local_files(settings):
    fetcher = StaticOnlyFetcher()
    static_file = Path(settings.STATICFILES_DIRS[0]) / "reports" / "pdf.css"

    assert fetcher.fetch(static_file.resolve().as_uri()).read().startswith(b"/*")
    for url in (
        "http://example.org/x.png",
        "https://127.0.0.1/",
        "file:///etc/passwd",
        (Path(settings.STATICFILES_DIRS[0]) / ".." / "config" / "settings.py").resolve().as_uri(),
    ):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [(1, ReportStatus.PENDING), (3, ReportStatus.FAILED)],
    ids=["sent-again", "failed-after-three-renders"],
)
def test_a_report_left_running_by_a_dead_worker_is_sent_again_or_failed_with_a_reason(
    dms_program, monkeypatch, attempts, expected
):
    from datetime import timedelta

    from django.utils import timezone

    from reports.documents import services as generation
    from reports.documents.tasks import sweep_reports

    sent = []
    monkeypatch.setattr(generation, "report_dispatch", lambda *, report_id: sent.append(report_id) or True)
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)
    GeneratedReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, attempts=attempts, started_at=timezone.now() - timedelta(hours=2)
    )

    sweep_reports()

    report.refresh_from_db()
    assert report.status == expected
    assert sent == ([report.pk] if expected == ReportStatus.PENDING else [])
    assert bool(report.error) == (expected == ReportStatus.FAILED)


def test_the_public_page_sends_strict_headers(dms_program, client):
    response = client.get(f"/reports/published/{dms_program.organisation_id}/")

    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_the_api_requests_a_report_and_refuses_a_period_of_another_program(dms_program, kg_program, client):
    verified_login(client, users("secretary"))
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)

    accepted = client.post(
        "/api/v1/reports/",
        {"kind": "execution", "program": dms_program.pk, "period": period.pk},
        content_type="application/json",
    )
    refused = client.post(
        "/api/v1/reports/",
        {"kind": "execution", "program": dms_program.pk, "period": kg_program.periods.first().pk},
        content_type="application/json",
    )
    unknown = client.post(
        "/api/v1/reports/",
        {"kind": "execution", "program": 999999, "period": period.pk},
        content_type="application/json",
    )

    assert accepted.status_code == 202
    assert accepted.json()["status"] == "pending"
    assert refused.status_code == 400
    assert "period" in refused.json()["fields"]
    assert unknown.status_code == 400
    assert "program" in unknown.json()["fields"]
    assert GeneratedReport.objects.count() == 1


def test_the_api_downloads_a_ready_report_and_hides_it_from_another_organisation(dms_program, client):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)
    rendered(report)

    verified_login(client, users("secretary"))
    download = client.get(f"/api/v1/reports/{report.pk}/download/")
    verified_login(client, users("kg-secretary"))
    hidden = client.get(f"/api/v1/reports/{report.pk}/")

    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert hidden.status_code == 404


def test_the_year_report_takes_each_measures_latest_quarter_when_the_year_has_no_entry(dms_program):
    from reports.documents.content import execution_document

    quarter_entry = (
        ExecutionEntry.objects.filter(period__program=dms_program, period__kind=PeriodKind.QUARTER, period__year=2024)
        .order_by("-period__number")
        .first()
    )
    year = dms_program.periods.get(kind=PeriodKind.YEAR, year=2024)
    assert not ExecutionEntry.objects.filter(period=year, measure=quarter_entry.measure).exists()

    document = execution_document(program=dms_program, period=year, language="uk")
    statuses = [row.status for section in document.sections for task in section.tasks for row in task.rows]

    # The latest quarter's sentence, followed by when the deadline passed where it did.
    assert any(status.startswith(quarter_entry.sentence()) for status in statuses)


def test_a_measure_missed_in_one_quarter_reads_overdue_in_the_next_quarters_report(dms_program):
    # Measure 3.1.3 of the demo, «до 29.03.2024», is reported «Не виконано» in the І quarter of 2024.
    period = dms_program.periods.get(kind=PeriodKind.QUARTER, year=2024, number=2)
    report = report_request(user=users("secretary"), kind=ReportKind.EXECUTION, program=dms_program, period=period)

    text = pdf_text(rendered(report))

    assert "Строк минув 29.03.2024." in text
