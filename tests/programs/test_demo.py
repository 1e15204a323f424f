"""`manage.py load_demo`: the demo reproduces seed 001 row by row, loads once, and lets every demo user in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from core.periods import PeriodKind
from core.roles import Role
from measures.choices import DeadlineKind, SectionKind
from measures.models import Measure
from programs.choices import CommissionRole, DecisionKind
from programs.models import CommissionMember, Meeting, Membership, Organisation, Program
from reports.choices import EntryState, ExecutionStatus, PeriodState
from reports.execution.models import ExecutionEntry, ReportingPeriod
from risks.models import Risk

pytestmark = pytest.mark.django_db

SEED_001 = Path(__file__).resolve().parent.parent / "data" / "seed_001.txt"
DEMO_PASSWORD = "demo-portal-2026"


# --- reading seed 001 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedRow:
    section: str
    task: str
    content: str
    deadline: str
    units: frozenset[str]
    audience: str
    indicator: str
    status: str
    # The units as the seed lists them, top to bottom (ВПЗВК, УП, УКЕС, ДІТЗІ).
    units_in_order: tuple[str, ...] = ()


def seed_cells(text: str) -> list[str]:
    """Cells of the extracted table: a line opening with a tab starts a cell, any other line continues it."""
    lines = text.split("\n")
    start = next(index for index, line in enumerate(lines) if line.strip() == "Стан виконання") + 1
    cells: list[str] = []
    for line in lines[start:]:
        if line.lstrip(" ").startswith("\t"):
            cells.append(line.lstrip(" ")[1:])
        elif cells:
            cells[-1] += "\n" + line
    return [cell.strip() for cell in cells if cell.strip()]


def seed_rows() -> list[SeedRow]:
    """One row per measure; section («І. …») and task («1. …») headings carry over to the rows below them."""
    cells = seed_cells(SEED_001.read_text(encoding="utf-8"))
    rows, section, task, index = [], "", "", 0
    while index < len(cells):
        cell = cells[index]
        if re.match(r"^[IVXІ]+\.\s", cell):
            section, index = cell, index + 1
        elif re.match(r"^\d+\.\s", cell):
            task, index = cell, index + 1
        else:
            content, deadline, units, audience, indicator, status = cells[index : index + 6]
            rows.append(
                SeedRow(
                    section,
                    task,
                    content,
                    deadline,
                    frozenset(units.split()),
                    audience,
                    indicator,
                    status,
                    tuple(units.split()),
                )
            )
            index += 6
    return rows


ROMAN_NUMERAL = re.compile(r"(?<!\w)[IVXІ]+(?!\w)")
ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4}


def normalise(text: str) -> str:
    """Collapse whitespace and read the Cyrillic І in Roman numerals as the Latin I."""
    text = ROMAN_NUMERAL.sub(lambda match: match.group().replace("І", "I"), text)
    return re.sub(r"\s+", " ", text).strip()


def numbered(text: str, pattern: str) -> tuple[str | None, str]:
    match = re.match(pattern, normalise(text))
    return (match.group(1), match.group(2)) if match else (None, normalise(text))


# The bracketed reference that closes a status text, with the full stops around it.
CLOSING_REFERENCE = re.compile(r"\s*\.?\s*\(([^()]*)\)\.?\s*$")
PARTICIPANTS = re.compile(r"(?:взяли|із)\s+(\d[\d\s]*?)\s+(?:ос|суб’єкт)")


def load_demo() -> str:
    """Run the command as on a developer's machine (the test runner itself turns DEBUG off)."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def dms_program() -> Program:
    return Program.objects.get(organisation__short_name="ДМС", start_year=2023, end_year=2025)


# --- seed 001 -----------------------------------------------------------------------------------------------------


def test_seed_001_parses_into_nine_rows_in_two_sections():
    rows = seed_rows()

    assert len(rows) == 9
    assert [numbered(row.section, r"^([IVX]+)\.\s*(.*)$")[0] for row in rows] == ["I"] * 4 + ["II"] * 5
    assert [row.deadline.strip() for row in rows][:4] == ["І квартал", "ІІ квартал", "ІІІ квартал", "IV квартал"]
    assert all(normalise(row.status).startswith("Виконано.") for row in rows)


def test_demo_data_reproduces_every_row_of_seed_001():
    load_demo()
    rows = seed_rows()
    program = dms_program()
    measures = list(
        Measure.objects.filter(
            task__section__program=program, task__section__kind__in=[SectionKind.TRAINING, SectionKind.DISSEMINATION]
        )
        .select_related("task__section")
        .prefetch_related("responsible_units")
    )

    assert len(rows) == 9
    assert len(measures) == len(rows)
    with translation.override("uk"):
        for index, (row, measure) in enumerate(zip(rows, measures, strict=True)):
            where = f"seed 001 row {index + 1}: {normalise(row.content)[:60]}"
            section_numeral, section_title = numbered(row.section, r"^([IVX]+)\.\s*(.*)$")
            task_number, task_title = numbered(row.task, r"^(\d+)\.\s*(.*)$")
            measure_number, content = numbered(row.content, r"^(\d+)\)\s*(.*)$")

            assert measure.task.section.number == ROMAN_VALUES[section_numeral], where
            assert normalise(measure.task.section.title) == section_title, where
            assert measure.task.number == int(task_number), where
            assert normalise(measure.task.title) == task_title, where
            assert measure.number == (int(measure_number) if measure_number else None), where
            assert normalise(measure.content) == content, where
            assert normalise(measure.deadline_phrase()) == normalise(row.deadline), where
            assert {unit.abbreviation for unit in measure.responsible_units.all()} == row.units, where
            assert normalise(measure.target_audience) == normalise(row.audience), where
            assert normalise(measure.indicator) == normalise(row.indicator), where

            entry = ExecutionEntry.objects.get(
                measure=measure, period__kind=PeriodKind.YEAR, period__year=2023, period__number=1
            )
            assert entry.status == ExecutionStatus.DONE, where
            assert entry.state == EntryState.SUBMITTED, where
            assert entry.submitted_at is not None, where
            assert entry.submitted_by is not None, where

            counts = [int(re.sub(r"\D", "", count)) for count in PARTICIPANTS.findall(row.status)]
            assert entry.participants == (sum(counts) if counts else None), where

            closing = CLOSING_REFERENCE.search(normalise(row.status))
            evidence = list(entry.evidence.all())
            if closing:
                assert evidence, f"{where}: the closing reference must be structured evidence"
                assert normalise(closing.group(1)) not in normalise(entry.narrative), where
            else:
                assert evidence == [], where

            # Every row exactly: seed 001's merged letters and its references inside the text included.
            assert normalise(entry.sentence()) == normalise(row.status), where


# --- loading ------------------------------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    labels = {"auth", "programs", "risks", "measures", "reports", "whistleblowers"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels
    }


def test_loading_the_demo_twice_duplicates_nothing_and_changes_nothing():
    load_demo()
    counts = row_counts()
    passwords = dict(get_user_model().objects.values_list("username", "password"))

    output = load_demo()

    assert row_counts() == counts
    assert dict(get_user_model().objects.values_list("username", "password")) == passwords
    assert "nothing changed" in output
    assert counts["programs.Organisation"] == 5
    assert counts["programs.Program"] == 2


@override_settings(DEBUG=False)
def test_load_demo_refuses_to_run_when_debug_is_off():
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=StringIO())

    assert not Organisation.objects.filter(short_name="ДМС").exists()
    assert not get_user_model().objects.filter(username="secretary").exists()


@override_settings(DEBUG=False)
def test_load_demo_runs_with_debug_off_only_when_production_is_allowed():
    call_command("load_demo", "--allow-production", stdout=StringIO())

    assert Organisation.objects.filter(short_name="ДМС").exists()


@override_settings(SITE_URL="http://127.0.0.1:8000")
def test_load_demo_prints_where_and_how_to_log_in():
    output = load_demo()

    assert "http://127.0.0.1:8000/" in output
    assert DEMO_PASSWORD in output
    for username in [*EXPECTED_MEMBERSHIPS, "admin"]:
        assert re.search(rf"^\s+{re.escape(username)}\s+\S", output, re.MULTILINE), username
    # Who sets up an authenticator app at the first sign-in, by the portal's own rule.
    marked = set(re.findall(r"^\s+(\S+)\s+.*\[second factor\]$", output, re.MULTILINE))
    assert marked == {"officer", "orgadmin", "kg-officer", "admin"}
    assert "authenticator app" in output


# --- users --------------------------------------------------------------------------------------------------------

EXPECTED_MEMBERSHIPS = {
    "secretary": ("ДМС", Role.SECRETARY, None),
    "reporter": ("ДМС", Role.REPORTER, "УП"),
    "reporter2": ("ДМС", Role.REPORTER, "ВПЗВК"),
    "commission": ("ДМС", Role.COMMISSION, None),
    "manager": ("ДМС", Role.MANAGER, None),
    "officer": ("ДМС", Role.OFFICER, None),
    "orgadmin": ("ДМС", Role.ADMIN, None),
    "kg-secretary": ("ГСМ при ПКР", Role.SECRETARY, None),
    "kg-officer": ("ГСМ при ПКР", Role.OFFICER, None),
}


def test_every_demo_user_logs_in_with_the_shared_password(client):
    load_demo()

    for username in [*EXPECTED_MEMBERSHIPS, "admin"]:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff


def test_each_role_of_dms_has_its_demo_user():
    load_demo()
    memberships = {
        membership.user.username: (
            membership.organisation.short_name,
            membership.role,
            membership.unit.abbreviation if membership.unit else None,
        )
        for membership in Membership.objects.select_related("user", "organisation", "unit")
    }

    assert memberships == EXPECTED_MEMBERSHIPS
    assert {role for organisation, role, _ in memberships.values() if organisation == "ДМС"} == set(Role.values)
    assert get_user_model().objects.get(username="reporter").first_name == "Оксана"
    seat = CommissionMember.objects.get(user__username="commission")
    assert seat.commission.organisation.short_name == "ДМС"
    assert seat.role in {CommissionRole.MEMBER, CommissionRole.DEPUTY}
    assert CommissionMember.objects.get(role=CommissionRole.SECRETARY).user.username == "secretary"
    assert CommissionMember.objects.get(role=CommissionRole.CHAIR).full_name == "Н.М. Науменко"


# --- the rest of the demo -----------------------------------------------------------------------------------------

FORM_1 = {
    15: ("Снизить коррупционные риски в органах государственной власти", ExecutionStatus.DONE),
    21: (
        "Повысить и укрепить роль общественных советов (ОС) государственных органов в сфере противодействия коррупции",
        ExecutionStatus.DONE,
    ),
    26: ("Обеспечить прозрачность предоставления государственных услуг", ExecutionStatus.DONE),
    28: ("Внедрить антикоррупционное обучение, просвещение и пропаганду", ExecutionStatus.DONE),
    29: ("Внедрить антикоррупционные механизмы в кадровой политике", ExecutionStatus.DONE),
    31: (
        "Повысить эффективность системы декларирования имущества и доходов государственных и муниципальных "
        "служащих путем контроля расходов",
        ExecutionStatus.DONE,
    ),
    33: (
        "Принять четкие процедуры приема, рассмотрения и принятия решений по жалобам и заявлениям граждан, "
        "связанным с коррупционными правонарушениями",
        ExecutionStatus.DONE,
    ),
    35: ("Внедрить стандарты внутреннего аудита Кыргызской Республики", ExecutionStatus.PARTIALLY_DONE),
    36: (
        "Разработать процедуры, обеспечивающие вовлечение широкой общественности в разработку и мониторинг "
        "реализации антикоррупционных мер путем расширения постоянных форм сотрудничества",
        ExecutionStatus.DONE,
    ),
}


def test_kyrgyz_form_1_measures_keep_their_numbers_russian_text_and_2017_status():
    load_demo()
    program = Program.objects.get(organisation__short_name="ГСМ при ПКР")
    entries = ExecutionEntry.objects.filter(
        period__program=program, period__kind=PeriodKind.YEAR, period__year=2017
    ).select_related("measure__task__section")

    assert program.organisation.country == "KG"
    assert (program.start_year, program.end_year, program.risk_matrix.code) == (2015, 2017, "nazk-2016")
    assert {entry.measure.number: (entry.measure.content, entry.status) for entry in entries} == FORM_1
    assert {entry.measure.task.section.number for entry in entries} == {4, 7, 9, 12}
    partial = entries.get(measure__number=35)
    assert "отсутствует должность аудитора" in partial.non_execution_reasons
    assert "четвертом квартале 2017 года" in partial.next_steps
    assert entries.get(measure__number=21).narrative.startswith("Для повышения роли ОС при ГСМ при ПКР")
    officer = Membership.objects.get(user__username="kg-officer")
    assert officer.phone == "300423"
    assert officer.position == "уполномоченный по вопросам предупреждения коррупции"
    assert officer.user.email == "kuvankg@demo.invalid"


def test_demo_risks_are_scored_on_the_2021_matrix_and_treated_by_section_three():
    load_demo()
    program = dms_program()
    risks = list(Risk.objects.filter(program=program))
    treating = Measure.objects.filter(task__section__program=program, task__section__kind=SectionKind.RISK_TREATMENT)

    assert 6 <= len(risks) <= 8
    assert program.risk_matrix.code == "nazk-2021"
    assert all(risk.inherent_level and risk.residual_level for risk in risks)
    assert all(risk.residual_level.rank <= risk.inherent_level.rank for risk in risks)
    assert {risk.pk for measure in treating for risk in measure.risks.all()} == {risk.pk for risk in risks}
    assert {
        DeadlineKind.EVERY_QUARTER,
        DeadlineKind.QUARTER,
        DeadlineKind.DATE,
        DeadlineKind.CONTINUOUS,
        DeadlineKind.PROGRAM_PERIOD,
    } <= set(treating.values_list("deadline_kind", flat=True))
    assert treating.filter(deadline_kind=DeadlineKind.QUARTER, deadline_year__isnull=False).exists()


def test_demo_entries_of_2024_give_the_grid_drafts_work_in_progress_and_a_failure():
    load_demo()
    entries = ExecutionEntry.objects.filter(period__program=dms_program(), period__year=2024)

    assert entries.filter(state=EntryState.DRAFT).exists()
    assert entries.filter(status=ExecutionStatus.IN_PROGRESS).exists()
    failed = entries.get(status=ExecutionStatus.NOT_DONE)
    assert failed.non_execution_reasons
    assert failed.next_steps


def test_demo_commission_holds_the_protocols_of_seed_001_and_approved_the_2023_report():
    load_demo()
    meetings = {
        (meeting.number, meeting.held_on): meeting
        for meeting in Meeting.objects.filter(commission__organisation__short_name="ДМС")
    }
    year = ReportingPeriod.objects.get(program=dms_program(), kind=PeriodKind.YEAR, year=2023, number=1)

    for protocol in [(2, date(2023, 9, 29)), (3, date(2023, 12, 25))]:
        items = list(meetings[protocol].items.all())
        assert len(items) == 1, protocol
        assert items[0].heard
        assert items[0].decided
    assert year.state == PeriodState.APPROVED
    assert year.approval_decision.decision_kind == DecisionKind.APPROVE_PERIOD_REPORT
    assert year.approval_decision.period == year
