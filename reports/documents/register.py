"""The updated corruption risk register after the commission decides an annual re-assessment, as plain data for the
PDF: the table of a real register of the 830/21 era (№ · Функція, процес · Корупційний ризик · … · Імовірність ·
Наслідки · Рівень ризику · Заходи впливу), with the scores the round decided and their reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from measures.models import Measure
from programs.models import Program
from reports.choices import ReportFormat
from reports.documents.content import Document, signatories
from risks.choices import RoundStatus
from risks.models import ReassessmentRound, RiskReassessment
from risks.residual_services import Axes, measure_label

PRINTED_FORMATS = (ReportFormat.PDF, ReportFormat.PDFA)


@dataclass
class RegisterRow:
    number: int
    function: str
    title: str
    description: str
    factors: str
    controls: str
    probability: str
    consequence: str
    level: str
    measures: str
    reasons: str


@dataclass
class RegisterDocument(Document):
    """`title` is the title sentence (the body, the year, the commission's decision); `decision` the decision's text;
    `columns` the headings in order; `rows` the risks in the register's order."""

    template = "reports/pdf/risk_register.html"
    decision: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[RegisterRow] = field(default_factory=list)


def decided_round(*, program: Program, year: int | None) -> ReassessmentRound | None:
    if year is None:
        return None
    return ReassessmentRound.objects.filter(program=program, year=year, status=RoundStatus.DECIDED).first()


def register_request_errors(*, program: Program, year: int | None, file_format: str) -> dict[str, str]:
    """Why the updated register of `year` cannot be requested: only a decided round is printed, and only as PDF."""
    errors = {}
    if file_format not in PRINTED_FORMATS:
        errors["format"] = _("The updated risk register is printed as PDF.")
    if decided_round(program=program, year=year) is None:
        errors["year"] = _("The commission has not decided a re-assessment of the risks for this year.")
    return errors


def _score(level, score: int) -> str:
    return f"{level.name} ({score})"


def register_document(*, program: Program, year: int, language: str = "uk") -> RegisterDocument:
    """The register as the commission's decision on the re-assessment of `year` left it, in a fixed number of
    queries."""
    with translation.override(language):
        round_ = ReassessmentRound.objects.select_related("program__organisation", "program__risk_matrix").get(
            program=program, year=year, status=RoundStatus.DECIDED
        )
        axes = Axes.of(program.risk_matrix)
        measures = Prefetch(
            "risk__measures",
            queryset=Measure.objects.select_related("task__section").order_by(
                "task__section__number", "task__number", "position", "number", "pk"
            ),
        )
        assessments = (
            RiskReassessment.objects.filter(round=round_)
            .select_related("risk", "probability", "consequence")
            .prefetch_related(measures)
            .order_by("risk__number")
        )
        rows = []
        for assessment in assessments:
            risk, probability, consequence = assessment.risk, assessment.probability, assessment.consequence
            level = axes.level(probability, consequence)
            rows.append(
                RegisterRow(
                    number=risk.number,
                    function="\n".join(filter(None, [risk.get_function_display(), risk.process])),
                    title=risk.title,
                    description=risk.description,
                    factors=risk.factors,
                    controls=risk.existing_controls,
                    probability=_score(probability, probability.score),
                    consequence=_score(consequence, consequence.score),
                    level=_score(level, probability.score * consequence.score) if level else "",
                    measures=", ".join(measure_label(measure) for measure in risk.measures.all()),
                    reasons=assessment.reasons,
                )
            )
        title = _(
            "Corruption risk register of %(body)s, re-assessed for %(year)s and approved by the commission's "
            "decision of %(date)s No. %(number)s"
        ) % {
            "body": program.organisation.name,
            "year": year,
            "date": round_.decision_date.strftime("%d.%m.%Y"),
            "number": round_.decision_number,
        }
        return RegisterDocument(
            organisation=program.organisation.name,
            title=title,
            decision=round_.decision_text,
            columns=[
                "№",
                _("Function, process"),
                _("Corruption risk"),
                _("Content of the corruption risk"),
                _("Sources and factors"),
                _("Existing controls"),
                _("Probability (score x)"),
                _("Consequences (score y)"),
                _("Risk level (x × y)"),
                _("Measures treating it"),
                _("Reasons of the re-assessment"),
            ],
            rows=rows,
            signatories=signatories(program),
        )
