"""A report request decides whether the file already rendered can be reused without building the document: its
fingerprint is digested from the rows the document reads (reports/documents/fingerprints.py).

The table below is every kind of write a document shows. For each, the test first checks that the write really changes
the document as the worker would build it (so the row proves something), then that the fingerprint changes with it.
A second table lists writes the documents do not show: the fingerprint stays and the request reuses the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.periods import PeriodKind
from core.roles import Role
from measures.models import Measure, MeasureSection, MeasureUnit, Task
from programs.choices import CommissionRole, DecisionKind
from programs.models import (
    AgendaItem,
    CommissionMember,
    Meeting,
    Membership,
    Organisation,
    Program,
    ProgramSection,
    Unit,
)
from reports.choices import ExecutionStatus, ReportFormat, ReportKind
from reports.documents.fingerprints import SOURCES, document_fingerprint
from reports.documents.services import ReportInputs, build_document, report_request
from reports.execution.models import Evidence, ExecutionEntry, ReportingPeriod
from risks.choices import RoundStatus
from risks.models import ReassessmentRound, Risk, RiskReassessment
from tests.conftest import ProgramContent, module_world
from tests.factories import (
    CommissionFactory,
    CommissionMemberFactory,
    EvidenceFactory,
    ExecutionEntryFactory,
    MeetingFactory,
    ReportingPeriodFactory,
    bulk_measures,
)
from whistleblowers.models import Forwarding, InducementNotification, WhistleblowerReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())


@dataclass
class World:
    """The small program with a commission, an officer, a second-quarter entry and the officer's journals."""

    content: ProgramContent
    organisation: Organisation
    second_quarter: ReportingPeriod
    second_entry: ExecutionEntry
    whistleblower_report: WhistleblowerReport
    inducement: InducementNotification
    officer: object

    @property
    def program(self) -> Program:
        return self.content.program

    def measure(self, name: str) -> Measure:
        return self.content.measures[name]

    def inputs(self, kind: str) -> ReportInputs:
        # A request reads the program and the period afresh; so do the builder and the fingerprint here.
        self.content.program.refresh_from_db()
        self.second_quarter.refresh_from_db()
        if kind == ReportKind.PROGRAM:
            return ReportInputs(kind=kind, organisation=self.organisation, program=self.program)
        if kind == ReportKind.RISK_REGISTER:
            return ReportInputs(kind=kind, organisation=self.organisation, program=self.program, year=2024)
        if kind in (ReportKind.EXECUTION, ReportKind.FORM1):
            language = "ru" if kind == ReportKind.FORM1 else "uk"
            return ReportInputs(
                kind=kind,
                organisation=self.organisation,
                program=self.program,
                period=self.second_quarter,
                language=language,
            )
        return ReportInputs(kind=kind, organisation=self.organisation, year=2024)


def _decided_round(content: ProgramContent) -> None:
    """The commission's re-assessment of 2024, decided: what the updated register prints."""
    matrix = content.program.risk_matrix
    round_ = ReassessmentRound.objects.create(
        program=content.program,
        year=2024,
        status=RoundStatus.DECIDED,
        decision_date=dt.date(2024, 12, 20),
        decision_number="Протокол № 7",
        decided_at=dt.datetime(2024, 12, 20, 10, tzinfo=dt.UTC),
    )
    for risk, (p, c) in zip(content.risks, ((2, 3), (1, 1)), strict=True):
        RiskReassessment.objects.create(
            round=round_,
            risk=risk,
            probability=matrix.probabilities.get(score=p),
            consequence=matrix.consequences.get(score=c),
            reasons="Заходи виконано",
        )


@pytest.fixture
def world(program_content, organisation, whistleblower_records, officer) -> World:
    commission = CommissionFactory(organisation=organisation)
    CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR, full_name="Коваль Олена Іванівна")
    CommissionMemberFactory(commission=commission, role=CommissionRole.SECRETARY, full_name="Бондар Петро Олегович")
    second_quarter = program_content.periods[1]
    second_entry = ExecutionEntryFactory(
        measure=program_content.measures["unit_year"],
        period=second_quarter,
        status=ExecutionStatus.IN_PROGRESS,
        narrative="Підготовлено план семінару",
        submitted=True,
    )
    EvidenceFactory(entry=second_entry, number="17/200-23", issued_on=dt.date(2023, 6, 2))
    report = whistleblower_records.report
    Forwarding.objects.create(report=report, recipient="nazk", sent_on=dt.date(2024, 3, 4), outgoing_number="1/5")
    Membership.objects.filter(user=officer, role=Role.OFFICER).update(phone="+380 44 111 11 11")
    _decided_round(program_content)
    return World(
        content=program_content,
        organisation=organisation,
        second_quarter=second_quarter,
        second_entry=second_entry,
        whistleblower_report=report,
        inducement=whistleblower_records.inducement,
        officer=officer,
    )


def built(world: World, kind: str) -> str:
    """The document as the worker builds it, every field of it (the annual audit head aside: it is the moment of
    rendering, and the small program's periods are quarters)."""
    return json.dumps(dataclasses.asdict(build_document(world.inputs(kind))), ensure_ascii=False, default=str)


def fingerprint(world: World, kind: str) -> str:
    return document_fingerprint(world.inputs(kind), file_format=ReportFormat.PDF)


def _swap_unit_order(world: World) -> None:
    links = list(MeasureUnit.objects.filter(measure=world.measure("shared_event")).order_by("position", "pk"))
    for position, link in enumerate(reversed(links)):
        MeasureUnit.objects.filter(pk=link.pk).update(position=position)


def _approve_with_gaps(world: World) -> None:
    meeting = MeetingFactory(commission=world.organisation.commission, number=4)
    decision = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Про затвердження звіту",
        decided="Затвердити.",
        decision_kind=DecisionKind.APPROVE_PERIOD_REPORT,
        period=world.second_quarter,
    )
    ReportingPeriod.objects.filter(pk=world.second_quarter.pk).update(
        approval_decision=decision, approved_with_gaps="Звіти двох підрозділів подано із запізненням"
    )


def _renumber_approval_meeting(world: World) -> None:
    _approve_with_gaps(world)
    before = built(world, ReportKind.EXECUTION)
    fingerprint_before = fingerprint(world, ReportKind.EXECUTION)
    Meeting.objects.filter(items__period=world.second_quarter).update(number=77)
    # This row's own check: the protocol number changes the approval note of an approved report.
    assert built(world, ReportKind.EXECUTION) != before
    assert fingerprint(world, ReportKind.EXECUTION) != fingerprint_before


def _chair_leaves(world: World) -> None:
    CommissionMember.objects.filter(role=CommissionRole.CHAIR).update(until=dt.date(2024, 1, 1))


def _new_chair(world: World) -> None:
    _chair_leaves(world)
    commission = world.organisation.commission
    CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR, full_name="Мельник Ірина Василівна")


Write = Callable[[World], None]

# kind of document → writes it shows. Writes go through QuerySet.update where they can: it bumps no version and no
# updated_at, the hardest case for a fingerprint.
WRITES: list[tuple[str, str, Write]] = [
    # The updated risk register after an annual re-assessment.
    (
        ReportKind.RISK_REGISTER,
        "reasons of a new score",
        lambda w: RiskReassessment.objects.filter(risk=w.content.risks[0]).update(reasons="Виявлено нові чинники"),
    ),
    (
        ReportKind.RISK_REGISTER,
        "a new score",
        lambda w: RiskReassessment.objects.filter(risk=w.content.risks[1]).update(
            probability=w.program.risk_matrix.probabilities.get(score=3)
        ),
    ),
    (
        ReportKind.RISK_REGISTER,
        "the decision's number",
        lambda w: ReassessmentRound.objects.filter(program=w.program).update(decision_number="Протокол № 8"),
    ),
    (
        ReportKind.RISK_REGISTER,
        "a risk's title",
        lambda w: Risk.objects.filter(pk=w.content.risks[0].pk).update(title="Вплив на членів комісії"),
    ),
    (
        ReportKind.RISK_REGISTER,
        "a treating measure renumbered",
        lambda w: Measure.objects.filter(pk=w.content.risks[0].measures.order_by("pk").first().pk).update(number=77),
    ),
    (ReportKind.RISK_REGISTER, "a new chair signs", _new_chair),
    # The execution report (seed 001's table).
    (
        ReportKind.EXECUTION,
        "measure text",
        lambda w: Measure.objects.filter(pk=w.measure("unit_year").pk).update(content="Провести два семінари"),
    ),
    (
        ReportKind.EXECUTION,
        "measure deadline",
        lambda w: Measure.objects.filter(pk=w.measure("unit_quarter").pk).update(deadline_part=3),
    ),
    (
        ReportKind.EXECUTION,
        "measure target audience",
        lambda w: Measure.objects.filter(pk=w.measure("unit_year").pk).update(target_audience="Керівники"),
    ),
    (
        ReportKind.EXECUTION,
        "measure added",
        lambda w: Measure.objects.create(
            task=w.measure("unit_year").task, number=9, content="Новий захід", deadline_kind="year"
        ),
    ),
    (ReportKind.EXECUTION, "measure deleted", lambda w: w.measure("other_training").delete()),
    (
        ReportKind.EXECUTION,
        "responsible unit added",
        lambda w: MeasureUnit.objects.create(
            measure=w.measure("other_half"), unit=w.measure("unit_quarter").responsible_units.get(), position=5
        ),
    ),
    (ReportKind.EXECUTION, "responsible units reordered", _swap_unit_order),
    (
        ReportKind.EXECUTION,
        "unit abbreviation",
        lambda w: Unit.objects.filter(measures=w.measure("unit_year")).update(abbreviation="УЗЯ"),
    ),
    (
        ReportKind.EXECUTION,
        "task title",
        lambda w: Task.objects.filter(pk=w.measure("unit_year").task_id).update(title="Навчання керівників"),
    ),
    (
        ReportKind.EXECUTION,
        "section title",
        lambda w: MeasureSection.objects.filter(program=w.program, number=2).update(title="Навчання"),
    ),
    (
        ReportKind.EXECUTION,
        "entry status",
        lambda w: ExecutionEntry.objects.filter(pk=w.second_entry.pk).update(status=ExecutionStatus.DONE),
    ),
    (
        ReportKind.EXECUTION,
        "entry narrative",
        lambda w: ExecutionEntry.objects.filter(pk=w.second_entry.pk).update(narrative="Семінар проведено"),
    ),
    (ReportKind.EXECUTION, "entry deleted", lambda w: ExecutionEntry.objects.filter(pk=w.second_entry.pk).delete()),
    (
        ReportKind.EXECUTION,
        "entry of an earlier period",
        lambda w: ExecutionEntry.objects.filter(pk=w.content.entries["unit_quarter"].pk).update(
            status=ExecutionStatus.NOT_DONE
        ),
    ),
    (
        ReportKind.EXECUTION,
        "evidence number",
        lambda w: Evidence.objects.filter(entry=w.second_entry).update(number="17/201-23"),
    ),
    (
        ReportKind.EXECUTION,
        "evidence added",
        lambda w: EvidenceFactory(entry=w.second_entry, number="5/1-23", issued_on=dt.date(2023, 6, 9)),
    ),
    (ReportKind.EXECUTION, "evidence removed", lambda w: Evidence.objects.filter(entry=w.second_entry).delete()),
    (ReportKind.EXECUTION, "period approved with gaps", _approve_with_gaps),
    (ReportKind.EXECUTION, "approval meeting renumbered", _renumber_approval_meeting),
    (
        ReportKind.EXECUTION,
        "program report title",
        lambda w: Program.objects.filter(pk=w.program.pk).update(report_title="Звіт {period}"),
    ),
    (
        ReportKind.EXECUTION,
        "program annex heading",
        lambda w: Program.objects.filter(pk=w.program.pk).update(report_annex_heading="Додаток 3"),
    ),
    (
        ReportKind.EXECUTION,
        "program column headings",
        lambda w: Program.objects.filter(pk=w.program.pk).update(report_columns="Завдання"),
    ),
    (
        ReportKind.EXECUTION,
        "program title",
        lambda w: Program.objects.filter(pk=w.program.pk).update(title="Програма на 2023–2026 роки"),
    ),
    (
        ReportKind.EXECUTION,
        "organisation name",
        lambda w: Organisation.objects.filter(pk=w.organisation.pk).update(name="ГУДМС у місті Києві"),
    ),
    (
        ReportKind.EXECUTION,
        "signatory's position",
        lambda w: CommissionMember.objects.filter(role=CommissionRole.CHAIR).update(position="перший заступник"),
    ),
    (ReportKind.EXECUTION, "signatory leaves", _chair_leaves),
    (ReportKind.EXECUTION, "new signatory", _new_chair),
    # The program document.
    (
        ReportKind.PROGRAM,
        "program section text",
        lambda w: ProgramSection.objects.filter(program=w.program, position=1).update(body="Нова редакція."),
    ),
    (
        ReportKind.PROGRAM,
        "risk title",
        lambda w: Risk.objects.filter(program=w.program, number=1).update(title="Вплив на конкурсну комісію"),
    ),
    (
        ReportKind.PROGRAM,
        "risk score",
        lambda w: Risk.objects.filter(program=w.program, number=2).update(
            inherent_probability=w.program.risk_matrix.probabilities.get(score=3)
        ),
    ),
    (ReportKind.PROGRAM, "measure no longer treats a risk", lambda w: w.measure("shared_event").risks.clear()),
    (
        ReportKind.PROGRAM,
        "unit name in the abbreviations",
        lambda w: Unit.objects.filter(measures=w.measure("unit_year")).update(name="Управління кадрового забезпечення"),
    ),
    # Form 1 (Kyrgyz practice).
    (
        ReportKind.FORM1,
        "entry reasons",
        lambda w: ExecutionEntry.objects.filter(pk=w.second_entry.pk).update(non_execution_reasons="Нет средств"),
    ),
    (
        ReportKind.FORM1,
        "officer's name",
        lambda w: get_user_model().objects.filter(pk=w.officer.pk).update(last_name="Асанов"),
    ),
    (
        ReportKind.FORM1,
        "officer's phone",
        lambda w: Membership.objects.filter(user=w.officer, role=Role.OFFICER).update(phone="+996 312 00 00 00"),
    ),
    # The officer's journals.
    (
        ReportKind.INDUCEMENT_JOURNAL,
        "notification summary",
        lambda w: InducementNotification.objects.filter(pk=w.inducement.pk).update(summary="Пропозиція подарунка"),
    ),
    (
        ReportKind.WHISTLEBLOWER_JOURNAL,
        "forwarding",
        lambda w: Forwarding.objects.filter(report=w.whistleblower_report).update(outgoing_number="1/6"),
    ),
    (
        ReportKind.WHISTLEBLOWER_JOURNAL,
        "outcome",
        lambda w: WhistleblowerReport.objects.filter(pk=w.whistleblower_report.pk).update(outcome="Передано до НАЗК"),
    ),
    (
        ReportKind.WHISTLEBLOWER_JOURNAL,
        "assignee's name",
        lambda w: WhistleblowerReport.objects.filter(pk=w.whistleblower_report.pk).update(assignee=w.officer),
    ),
]


@pytest.mark.parametrize(("kind", "write"), [(kind, write) for kind, _, write in WRITES], ids=[n for _, n, _ in WRITES])
def test_every_write_a_document_shows_changes_its_fingerprint(world, kind, write):
    document_before, fingerprint_before = built(world, kind), fingerprint(world, kind)

    write(world)

    assert built(world, kind) != document_before, "the write must change the document, or this row proves nothing"
    assert fingerprint(world, kind) != fingerprint_before


def _other_program_measure(world: World, other_program_content) -> None:
    Measure.objects.filter(task__section__program=other_program_content.program).update(content="Інший текст")


# Writes no document of the world shows: the fingerprint stays, so the file already rendered is reused.
UNSHOWN: list[tuple[str, Callable]] = [
    ("another program's measures", _other_program_measure),
    (
        "a sign-in of the officer",
        lambda w, _: (
            get_user_model().objects.filter(pk=w.officer.pk).update(last_login=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
        ),
    ),
    (
        "an entry of a later year",
        lambda w, _: ExecutionEntryFactory(
            measure=w.measure("unit_year"),
            period=ReportingPeriodFactory(program=w.program, kind=PeriodKind.QUARTER, year=2024, number=1),
        ),
    ),
]


@pytest.mark.parametrize("write", [write for _, write in UNSHOWN], ids=[name for name, _ in UNSHOWN])
def test_a_write_no_document_shows_keeps_every_fingerprint(world, other_program_content, write):
    kinds = [
        ReportKind.EXECUTION,
        ReportKind.PROGRAM,
        ReportKind.FORM1,
        ReportKind.WHISTLEBLOWER_JOURNAL,
        ReportKind.RISK_REGISTER,
    ]
    before = {kind: fingerprint(world, kind) for kind in kinds}

    write(world, other_program_content)

    assert {kind: fingerprint(world, kind) for kind in kinds} == before


def test_unchanged_data_reuses_the_file_and_a_change_makes_a_new_one(world, secretary):
    def request():
        return report_request(
            user=secretary, kind=ReportKind.EXECUTION, program=world.program, period=world.second_quarter
        )

    first = request()
    again = request()
    ExecutionEntry.objects.filter(pk=world.second_entry.pk).update(narrative="Семінар проведено")
    changed = request()

    assert again.pk == first.pk
    assert changed.pk != first.pk
    assert changed.fingerprint != first.fingerprint


def test_the_fingerprint_differs_by_format_and_language(world):
    inputs = world.inputs(ReportKind.EXECUTION)
    english = dataclasses.replace(inputs, language="en")

    fingerprints = {
        document_fingerprint(inputs, file_format=ReportFormat.PDF),
        document_fingerprint(inputs, file_format=ReportFormat.DOCX),
        document_fingerprint(english, file_format=ReportFormat.PDF),
    }

    assert len(fingerprints) == 3


def test_every_kind_of_report_names_the_rows_its_document_reads():
    assert set(SOURCES) == set(ReportKind.values)


def test_a_request_costs_the_same_queries_for_five_measures_and_for_three_hundred(world, secretary):
    def queries_of_a_request() -> int:
        with CaptureQueriesContext(connection) as queries:
            report_request(
                user=secretary, kind=ReportKind.EXECUTION, program=world.program, period=world.second_quarter
            )
        return len(queries)

    queries_of_a_request()  # the first request of a user also reads the user's scope
    ExecutionEntry.objects.filter(pk=world.second_entry.pk).update(narrative="Семінар проведено")
    small = queries_of_a_request()
    units = list(Unit.objects.filter(organisation=world.organisation))
    measures = bulk_measures(world.program, units, 300)
    ExecutionEntry.objects.bulk_create(
        ExecutionEntry(measure=measure, period=world.second_quarter, status=ExecutionStatus.DONE, narrative="Так")
        for measure in measures
    )
    large = queries_of_a_request()

    assert large == small
    assert small <= 30
