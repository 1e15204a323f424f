"""The content of report documents, assembled as plain data.

The same data feeds the PDF, Excel and Word renderers. Whether a stored file can be reused is decided without
building it, from the rows each builder reads (`fingerprints.SOURCES`): a builder that reads a new table names it
there too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from audit.chain import GENESIS
from audit.services import chain_head
from core.periods import PeriodKind, period_in, roman
from measures.models import Measure, MeasureUnit
from programs import report_headings
from programs.choices import CommissionRole
from programs.models import AgendaItem, CommissionMember, Program
from reports.execution.grid import quarters_in
from reports.execution.models import ExecutionEntry, ReportingPeriod, evidence_prefetch
from reports.execution.standing import Earlier, deadline_standing, earlier_entries, status_text

# A measure's responsible units in its own order (seed 001: ВПЗВК, УП, УКЕС, ДІТЗІ), in one query for all measures.
ORDERED_UNITS = Prefetch("unit_links", queryset=MeasureUnit.objects.select_related("unit").order_by("position", "pk"))


@dataclass
class MeasureRow:
    label: str
    content: str
    deadline: str
    units: list[str]
    audience: str
    indicator: str
    status: str


@dataclass
class TaskGroup:
    title: str
    rows: list[MeasureRow] = field(default_factory=list)


@dataclass
class SectionGroup:
    title: str
    tasks: list[TaskGroup] = field(default_factory=list)


@dataclass
class Document:
    """What every report document carries; subclasses add their tables and name their template."""

    template: ClassVar[str]
    organisation: str
    title: str
    signatories: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ExecutionDocument(Document):
    """Seed 001's table. `annex_heading` holds the lines printed above the title at the right («Додаток 3», «до Звіту
    …»), empty for none; `columns` the seven column headings in order; `sections` → tasks → rows the table body."""

    template = "reports/pdf/execution.html"
    program: str = ""
    period: str = ""
    annex_heading: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    sections: list[SectionGroup] = field(default_factory=list)
    # The commission's reason for approving the report although it was incomplete, as the report states it.
    approval_note: str = ""
    # The annual report commits to the audit trail as it stood when the file was rendered (see `audit_head_line`):
    # the moment of rendering, not the data, so the fingerprint leaves it out and a file rendered earlier is reused.
    audit_head: str = ""

    @property
    def measure_count(self) -> int:
        return sum(len(task.rows) for section in self.sections for task in section.tasks)


def _status_text(measure: Measure, entry: ExecutionEntry | None, period: ReportingPeriod, earlier: Earlier) -> str:
    standing = deadline_standing(
        measure.deadline,
        period=period,
        measure_id=measure.pk,
        earlier=earlier,
        status_now=entry.status if entry is not None else None,
    )
    return status_text(
        sentence=entry.sentence() if entry is not None else None,
        standing=standing,
        latest=earlier.latest.get(measure.pk),
    )


def period_entries(period: ReportingPeriod) -> dict[int, ExecutionEntry]:
    """Each measure's entry for the period; for a half-year or a year without a direct entry, its latest quarter's
    entry within that span (the roll-up of the quarters), in two queries."""
    with_evidence = evidence_prefetch()
    quarters = quarters_in(period)
    entries: dict[int, ExecutionEntry] = {}
    if quarters:
        rolled_up = ExecutionEntry.objects.filter(
            period__program_id=period.program_id,
            period__kind=PeriodKind.QUARTER,
            period__year=period.year,
            period__number__in=quarters,
        ).order_by("period__number")
        for entry in rolled_up.prefetch_related(with_evidence):
            entries[entry.measure_id] = entry
    for entry in ExecutionEntry.objects.filter(period=period).prefetch_related(with_evidence):
        entries[entry.measure_id] = entry
    return entries


def signatories(program: Program) -> list[tuple[str, str]]:
    """The commission chair and secretary who sign the report, from the commission's current membership."""
    members = CommissionMember.objects.filter(
        commission__organisation=program.organisation_id,
        until__isnull=True,
        role__in=[CommissionRole.CHAIR, CommissionRole.SECRETARY],
    ).order_by("role")
    order = {CommissionRole.CHAIR: 0, CommissionRole.SECRETARY: 1}
    return [
        (f"{member.get_role_display()} — {member.position}".strip(" —"), member.full_name)
        for member in sorted(members, key=lambda member: order[member.role])
    ]


def execution_document(*, program: Program, period: ReportingPeriod, language: str = "uk") -> ExecutionDocument:
    """«Інформація про стан виконання заходів …» in the layout of seed 001, in a fixed number of queries."""
    with translation.override(language):
        entries = period_entries(period)
        earlier = earlier_entries(program_id=program.pk, before=period.starts_on)
        measures = (
            Measure.objects.filter(task__section__program=program)
            .select_related("task__section__program")
            .prefetch_related(ORDERED_UNITS)
            .order_by("task__section__number", "task__number", "position", "number", "pk")
        )
        sections: dict[int, SectionGroup] = {}
        tasks: dict[int, TaskGroup] = {}
        for measure in measures:
            task = measure.task
            if task.section_id not in sections:
                sections[task.section_id] = SectionGroup(title=section_title(task.section.number, task.section.title))
            if task.pk not in tasks:
                tasks[task.pk] = TaskGroup(title=f"{task.number}. {task.title}")
                sections[task.section_id].tasks.append(tasks[task.pk])
            tasks[task.pk].rows.append(
                MeasureRow(
                    label=measure.label,
                    content=measure.content,
                    deadline=measure.deadline_phrase(),
                    units=[unit.abbreviation for unit in measure.ordered_units()],
                    audience=measure.target_audience,
                    indicator=measure.indicator,
                    status=_status_text(measure, entries.get(measure.pk), period, earlier),
                )
            )
        during = period_in(period.kind, period.year, period.number)
        title = report_headings.fill(program.report_title, period=during) or _(
            "Information on the execution %(period)s of the measures of the program «%(program)s»"
        ) % {"program": program.title, "period": during}
        return ExecutionDocument(
            organisation=program.organisation.name,
            program=program.title,
            period=str(period),
            title=title,
            annex_heading=report_headings.fill(program.report_annex_heading, period=during).splitlines(),
            columns=report_headings.columns(program.report_columns),
            sections=list(sections.values()),
            signatories=signatories(program),
            approval_note=_approval_note(period),
            audit_head=audit_head_line() if period.kind == PeriodKind.YEAR else "",
        )


def audit_head_line() -> str:
    """«Контрольна сума журналу аудиту …»: the hash and number of the audit trail's latest entry now. Printed on the
    annual report, it lets anyone later check that no entry up to that one has been edited since."""
    head = chain_head()
    return _("Audit trail checksum at the time of generation: %(hash)s (entry № %(sequence)s)") % {
        "hash": head.hash if head is not None else GENESIS,
        "sequence": head.sequence if head is not None else 0,
    }


def _approval_note(period: ReportingPeriod) -> str:
    if not (period.approved_with_gaps and period.approval_decision_id):
        return ""
    meeting = AgendaItem.objects.select_related("meeting").get(pk=period.approval_decision_id).meeting
    return _(
        "The commission approved this report although it was incomplete (protocol %(protocol)s). Reason: %(reason)s"
    ) % {"protocol": meeting, "reason": period.approved_with_gaps}


def section_title(number: int, title: str) -> str:
    """Section titles carry their Roman numeral; add it when the stored title does not start with one."""
    numeral = roman(number)
    return title if title.startswith(f"{numeral}.") else f"{numeral}. {title}"
