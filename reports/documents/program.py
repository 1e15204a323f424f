"""The program document and the Kyrgyz Form 1, assembled as plain data for the PDF and Excel renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import translation
from django.utils.translation import gettext as _

from core.periods import roman
from core.roles import Role
from measures.models import Measure
from programs import report_headings
from programs.models import Membership, Program
from reports.documents.content import (
    ORDERED_UNITS,
    Document,
    SectionGroup,
    TaskGroup,
    period_entries,
    section_title,
    signatories,
)
from reports.execution.evidence import status_sentence
from reports.execution.models import ExecutionEntry, ReportingPeriod
from risks.selectors import levels_by_id


@dataclass
class RiskRow:
    number: int
    function: str
    title: str
    factors: str
    consequences: str
    controls: str
    inherent: str
    residual: str
    owner: str
    measures: str


@dataclass
class PlanRow:
    label: str
    content: str
    deadline: str
    units: list[str]
    audience: str
    indicator: str
    risks: str


@dataclass
class ProgramDocument(Document):
    template = "reports/pdf/program.html"
    approval: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    risks: list[RiskRow] = field(default_factory=list)
    plan: list[SectionGroup] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)


def program_document(*, program: Program, language: str = "uk") -> ProgramDocument:
    """Sections, the risk register table, the measures table, the abbreviations list and the approval block."""
    with translation.override(language):
        measures = list(
            Measure.objects.filter(task__section__program=program)
            .select_related("task__section__program")
            .prefetch_related(ORDERED_UNITS, "risks")
            .order_by("task__section__number", "task__number", "position", "number", "pk")
        )
        risks = list(
            program.risks.with_levels()
            .select_related("owner_unit", "inherent_probability", "inherent_consequence")
            .prefetch_related("measures__task__section")
            .order_by("number")
        )
        levels = levels_by_id(risks)
        used_units: dict[str, str] = {}
        plan: dict[int, SectionGroup] = {}
        tasks: dict[int, TaskGroup] = {}
        for measure in measures:
            task = measure.task
            section = plan.setdefault(
                task.section_id, SectionGroup(title=section_title(task.section.number, task.section.title))
            )
            if task.pk not in tasks:
                tasks[task.pk] = TaskGroup(title=f"{task.number}. {task.title}")
                section.tasks.append(tasks[task.pk])
            units = measure.ordered_units()
            used_units.update({unit.abbreviation: unit.name for unit in units})
            tasks[task.pk].rows.append(
                PlanRow(
                    label=measure.label,
                    content=measure.content,
                    deadline=measure.deadline_phrase(),
                    units=[unit.abbreviation for unit in units],
                    audience=measure.target_audience,
                    indicator=measure.indicator,
                    risks=", ".join(str(risk.number) for risk in measure.risks.all()),
                )
            )
        risk_rows = []
        for risk in risks:
            if risk.owner_unit:
                used_units[risk.owner_unit.abbreviation] = risk.owner_unit.name
            inherent = levels.get(risk.inherent_level_id)
            residual = levels.get(risk.residual_level_id)
            risk_rows.append(
                RiskRow(
                    number=risk.number,
                    function=risk.get_function_display(),
                    title=risk.title,
                    factors=risk.factors,
                    consequences=risk.possible_consequences,
                    controls=risk.existing_controls,
                    inherent=f"{inherent.name} ({risk.inherent_score})" if inherent else "",
                    residual=residual.name if residual else "—",
                    owner=risk.owner_unit.abbreviation if risk.owner_unit else "",
                    measures=", ".join(sorted({_measure_ref(measure) for measure in risk.measures.all()})),
                )
            )
        approval = ""
        if program.approval_order_number and program.approval_order_date:
            approval = _("Approved by order of %(date)s No. %(number)s") % {
                "date": program.approval_order_date.strftime("%d.%m.%Y"),
                "number": program.approval_order_number,
            }
        return ProgramDocument(
            organisation=program.organisation.name,
            title=program.title,
            approval=approval,
            sections=[(section.title, section.body) for section in program.sections.order_by("position")],
            risks=risk_rows,
            plan=list(plan.values()),
            abbreviations=sorted(used_units.items()),
            signatories=signatories(program),
        )


def _measure_ref(measure: Measure) -> str:
    label = f" {measure.number})" if measure.number else ""
    return f"{roman(measure.task.section.number)}.{measure.task.number}{label}".strip()


@dataclass
class Form1Row:
    number: str
    measure: str
    results: str
    reasons: str
    next_steps: str


@dataclass
class Form1Section:
    title: str
    rows: list[Form1Row] = field(default_factory=list)


@dataclass
class Form1Document(Document):
    """Kyrgyz «Форма 1» (seed 004). `title` is the form's title sentence, `period` the period line as the seed writes
    it («за 2016–2017 г.»), `points` the line of covered plan items («(пункты 15, 21, 26)»), `columns` the five
    column headings, `sections` → rows the table."""

    template = "reports/pdf/form1.html"
    period: str = ""
    officer: str = ""
    officer_position: str = ""
    contacts: str = ""
    points: str = ""
    columns: list[str] = field(default_factory=list)
    sections: list[Form1Section] = field(default_factory=list)


def form1_period(*, first_year: int, year: int) -> str:
    """«за 2017 г.», or «за 2016–2017 г.» when the report sums up the years since reporting began."""
    span = f"{first_year}–{year}" if first_year < year else str(year)
    return _("for %(years)s") % {"years": span}


def form1_document(*, program: Program, period: ReportingPeriod, language: str = "ru") -> Form1Document:
    """Kyrgyz «Форма 1» for a period (seed 004): № · Мероприятия · Промежуточные результаты · Причины невыполнения ·
    Дальнейшие действия по реализации, with the body, the period and the responsible officer in the header.

    The form is cumulative: its period runs from the first year the program has any report up to this period."""
    with translation.override(language):
        entries = period_entries(period)
        measures = (
            Measure.objects.filter(task__section__program=program)
            .select_related("task__section")
            .order_by("task__section__number", "task__number", "position", "number", "pk")
        )
        sections: dict[int, Form1Section] = {}
        points: list[str] = []
        for measure in measures:
            section = measure.task.section
            group = sections.setdefault(section.pk, Form1Section(title=section_title(section.number, section.title)))
            entry = entries.get(measure.pk)
            results = reasons = next_steps = ""
            if entry is not None:
                refs = [item.as_ref() for item in entry.evidence.all()]
                results = status_sentence("", entry.narrative, refs).removeprefix(".").strip()
                # Seed 004: the status word alone («Исполнено»), the reasons below it.
                reasons = "\n".join(filter(None, [entry.get_status_display(), entry.non_execution_reasons]))
                next_steps = entry.next_steps
                if measure.number:
                    points.append(str(measure.number))
            group.rows.append(
                Form1Row(
                    number=str(measure.number or ""),
                    measure=measure.content,
                    results=results,
                    reasons=reasons,
                    next_steps=next_steps,
                )
            )
        first_year = (
            ExecutionEntry.objects.filter(period__program=program, period__year__lte=period.year).aggregate(
                first=Min("period__year")
            )["first"]
            or period.year
        )
        officer = (
            Membership.objects.filter(organisation=program.organisation, role=Role.OFFICER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        contacts = ""
        if officer is not None:
            parts = [officer.user.email, officer.phone]
            contacts = ", ".join(part for part in parts if part)
        title = report_headings.fill(program.report_title, period=str(period)) or _(
            "Form for reporting on the execution of the %(plan)s"
        ) % {"plan": program.title}
        return Form1Document(
            organisation=program.organisation.name,
            title=title,
            period=form1_period(first_year=first_year, year=period.year),
            officer=officer.user.get_full_name() if officer else "",
            officer_position=officer.position if officer else "",
            contacts=contacts,
            points=_("(items %(numbers)s)") % {"numbers": ", ".join(points)} if points else "",
            columns=[
                "№",
                _("Measures"),
                _("Intermediate results"),
                _("Reasons for non-execution (or measures of partial execution)"),
                _("Further actions for implementation"),
            ],
            sections=list(sections.values()),
            signatories=[],
        )
