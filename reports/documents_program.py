"""The program document and the Kyrgyz Form 1, assembled as plain data for the PDF and Excel renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from measures.deadlines import roman
from measures.models import Measure
from programs.choices import Role
from programs.models import Membership, Program, Unit
from risks.selectors import levels_by_id

from .documents import Document, SectionGroup, TaskGroup, period_entries, section_title, signatories
from .evidence import status_sentence
from .models import ReportingPeriod


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
            .prefetch_related(Prefetch("responsible_units", queryset=Unit.objects.order_by("abbreviation")), "risks")
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
            units = list(measure.responsible_units.all())
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
    template = "reports/pdf/form1.html"
    period: str = ""
    officer: str = ""
    officer_position: str = ""
    contacts: str = ""
    sections: list[Form1Section] = field(default_factory=list)


def form1_document(*, program: Program, period: ReportingPeriod, language: str = "ru") -> Form1Document:
    """Kyrgyz «Форма 1» for a period (seed 004): № · Мероприятия · Промежуточные результаты · Причины невыполнения ·
    Дальнейшие действия по реализации, with the body, the period and the responsible officer in the header."""
    with translation.override(language):
        entries = period_entries(period)
        measures = (
            Measure.objects.filter(task__section__program=program)
            .select_related("task__section")
            .order_by("task__section__number", "task__number", "position", "number", "pk")
        )
        sections: dict[int, Form1Section] = {}
        for measure in measures:
            section = measure.task.section
            group = sections.setdefault(section.pk, Form1Section(title=section_title(section.number, section.title)))
            entry = entries.get(measure.pk)
            results = reasons = next_steps = ""
            if entry is not None:
                refs = [item.as_ref() for item in entry.evidence.all()]
                results = status_sentence("", entry.narrative, refs).removeprefix(".").strip()
                reasons = " ".join(filter(None, [entry.get_status_display() + ".", entry.non_execution_reasons]))
                next_steps = entry.next_steps
            group.rows.append(
                Form1Row(
                    number=str(measure.number or ""),
                    measure=measure.content,
                    results=results,
                    reasons=reasons,
                    next_steps=next_steps,
                )
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
        return Form1Document(
            organisation=program.organisation.name,
            title=program.title,
            period=str(period),
            officer=officer.user.get_full_name() if officer else "",
            officer_position=officer.position if officer else "",
            contacts=contacts,
            sections=list(sections.values()),
            signatories=[],
        )
