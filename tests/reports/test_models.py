"""Reporting periods, execution entries, evidence and generated reports: constraints and what they read as."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.periods import PeriodKind
from reports.choices import EntryState, EvidenceKind, ExecutionStatus, ReportStatus
from reports.execution.models import ReportingPeriod
from reports.execution.periods_create import reporting_periods_create
from tests.factories import (
    EvidenceFactory,
    ExecutionEntryFactory,
    GeneratedReportFactory,
    ProgramFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "number"),
    [(PeriodKind.QUARTER, 5), (PeriodKind.QUARTER, 0), (PeriodKind.HALF_YEAR, 3), (PeriodKind.YEAR, 2)],
    ids=["quarter-5", "quarter-0", "half-year-3", "year-2"],
)
def test_a_period_number_outside_its_kind_is_refused(kind, number):
    program = ProgramFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriodFactory(program=program, kind=kind, number=number, submission_due=dt.date(2024, 1, 15))


def test_a_period_is_not_created_twice_for_one_program():
    period = ReportingPeriodFactory(kind=PeriodKind.HALF_YEAR, year=2024, number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriodFactory(program=period.program, kind=PeriodKind.HALF_YEAR, year=2024, number=1)


def test_a_period_knows_its_bounds_and_reads_as_its_label():
    period = ReportingPeriodFactory(kind=PeriodKind.QUARTER, year=2023, number=3)

    assert (period.starts_on, period.ends_on) == (dt.date(2023, 7, 1), dt.date(2023, 9, 30))
    with translation.override("en"):
        assert str(period) == "III quarter of 2023"


def test_periods_of_a_program_are_created_for_every_year_with_units_reporting_15_days_after_the_end():
    program = ProgramFactory(start_year=2023, end_year=2025)

    periods = reporting_periods_create(program=program)

    assert len(periods) == 3 * (4 + 2 + 1)
    first_quarter = ReportingPeriod.objects.get(program=program, kind=PeriodKind.QUARTER, year=2023, number=1)
    assert first_quarter.submission_due == dt.date(2023, 4, 15)
    year = ReportingPeriod.objects.get(program=program, kind=PeriodKind.YEAR, year=2025)
    assert year.submission_due == dt.date(2026, 1, 15)


def test_creating_periods_again_keeps_the_existing_ones_as_they_are():
    program = ProgramFactory(start_year=2024, end_year=2024)
    reporting_periods_create(program=program)
    ReportingPeriod.objects.filter(program=program, kind=PeriodKind.QUARTER, number=1).update(
        submission_due=dt.date(2024, 4, 20)
    )

    reporting_periods_create(program=program)

    assert ReportingPeriod.objects.filter(program=program).count() == 7
    assert ReportingPeriod.objects.get(program=program, kind=PeriodKind.QUARTER, number=1).submission_due == (
        dt.date(2024, 4, 20)
    )


def test_a_program_with_its_own_reporting_window_uses_it():
    program = ProgramFactory(start_year=2024, end_year=2024, submission_due_days=10)

    reporting_periods_create(program=program)

    assert ReportingPeriod.objects.get(program=program, kind=PeriodKind.HALF_YEAR, number=1).submission_due == (
        dt.date(2024, 7, 10)
    )


def test_a_measure_has_one_entry_per_period():
    entry = ExecutionEntryFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ExecutionEntryFactory(measure=entry.measure, period=entry.period)


def test_a_submitted_entry_without_its_submission_time_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExecutionEntryFactory(state=EntryState.SUBMITTED, submitted_at=None)


def test_a_submitted_entry_records_when_it_was_submitted():
    entry = ExecutionEntryFactory(submitted=True)

    assert entry.state == EntryState.SUBMITTED
    assert entry.submitted_at is not None


def test_an_entry_with_a_status_outside_the_vocabulary_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExecutionEntryFactory(status="almost_done")


def test_a_web_page_evidence_without_an_address_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(kind=EvidenceKind.WEB_PAGE, url="")


def test_a_file_evidence_without_a_file_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(kind=EvidenceKind.FILE, number="", title="Фото")


def test_an_entry_reads_as_the_status_sentence_with_its_evidence_in_order():
    entry = ExecutionEntryFactory(status=ExecutionStatus.DONE, narrative="Training held, 27 people took part.")
    EvidenceFactory(
        entry=entry, position=2, kind=EvidenceKind.PROTOCOL, issuer="", number="2", issued_on=dt.date(2023, 9, 29)
    )
    EvidenceFactory(entry=entry, position=1, kind=EvidenceKind.LETTER)

    with translation.override("en"):
        sentence = entry.sentence()

    assert sentence == (
        "Done. Training held, 27 people took part "
        "(letter ВПЗВК of 28.03.2023 No. 17/112-23; protocol No. 2 of 29.09.2023)."
    )


@pytest.mark.parametrize(
    "missing", [{"sha256": ""}, {"file": ""}, {"sha256": "", "file": ""}], ids=["no-sha256", "no-file", "neither"]
)
def test_a_generated_report_cannot_be_ready_without_its_file_and_digest(missing):
    fields = {"status": ReportStatus.READY, "sha256": "ab" * 32, "file": "reports/2024/report.pdf", **missing}

    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedReportFactory(**fields)


def test_a_ready_report_with_its_file_and_digest_is_accepted():
    report = GeneratedReportFactory(status=ReportStatus.RUNNING)
    report.status = ReportStatus.READY
    report.file = "reports/2024/report.pdf"
    report.sha256 = "cd" * 32
    report.save()

    report.refresh_from_db()
    assert report.status == ReportStatus.READY


@pytest.mark.parametrize("status", [ReportStatus.PENDING, ReportStatus.RUNNING, ReportStatus.FAILED])
def test_a_report_that_is_not_ready_cannot_be_published(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedReportFactory(status=status, is_public=True, published_at=timezone.now())


def test_a_ready_report_cannot_be_published_without_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedReportFactory(
            status=ReportStatus.READY,
            sha256="ab" * 32,
            file="reports/2024/report.pdf",
            is_public=True,
            published_at=None,
        )


def test_a_ready_report_may_be_published():
    report = GeneratedReportFactory(
        status=ReportStatus.READY,
        sha256="ab" * 32,
        file="reports/2024/report.pdf",
        is_public=True,
        published_at=timezone.now(),
    )

    assert report.is_public
