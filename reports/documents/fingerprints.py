"""The fingerprint of a report document, read from the data it is made of without building it.

A request must answer in milliseconds whether the file already rendered can be reused, so it never assembles the
document (2 s of CPU at 3,000 measures). Each kind declares instead the rows its document reads (`SOURCES`: one
function per kind returning named querysets and values); the database digests those rows, every column of them,
and the fingerprint is the digest of those digests with the kind, format, language and the version of the code that
draws the document.

The rows themselves are digested rather than their `version` or `updated_at`: several tables a document reads have
neither (organisations, tasks, evidence, a measure's units), and a write through `QuerySet.update`, the admin or an
import changes the text without bumping them. A digest of the columns cannot miss a write: a changed, added or
removed row changes it. A column the document does not show changes it too, which costs one render and is never
wrong.

A new kind plugs in with a function `<kind>_sources(inputs) -> Sources` naming every table its document builder
reads, registered in `SOURCES`; `tests/reports/test_fingerprints.py` fails for a kind without one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import weasyprint
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.functions import MD5, Cast, Coalesce

from core.roles import Role
from measures.models import Measure, MeasureSection, MeasureUnit, Task
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
from reports.choices import ReportKind
from reports.execution.models import Evidence, ExecutionEntry, ReportingPeriod
from reports.execution.standing import as_of
from risks.models import (
    ConsequenceLevel,
    MatrixCell,
    ProbabilityLevel,
    ReassessmentRound,
    Risk,
    RiskLevel,
    RiskReassessment,
)
from whistleblowers.models import Forwarding, InducementNotification, WhistleblowerReport

if TYPE_CHECKING:
    from reports.documents.services import ReportInputs

# A named queryset is digested row by row (all columns, or the listed ones); a string is taken as it is.
Source = QuerySet | tuple[QuerySet, tuple[str, ...]] | str
Sources = dict[str, Source]

# What the documents are drawn with: a change to any of these is a new version of every document.
CODE_PATTERNS = (
    "reports/*.py",
    "measures/*.py",
    "programs/*.py",
    "risks/*.py",
    "whistleblowers/*.py",
    "templates/reports/pdf/*.html",
    "static/reports/pdf.css",
    "locale/*/LC_MESSAGES/django.po",
)
# Column and NULL markers in a row's text: control characters no form lets a person type.
COLUMN_SEPARATOR = "\x1f"
NULL_MARK = "\x1e"
# The people a document names, by the columns it prints: a login (last_login) must not make a new version.
PERSON_FIELDS = ("pk", "first_name", "last_name", "email")


@cache
def code_version() -> str:
    """The digest of the document code, templates, stylesheet and translations, read once per process."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    root = Path(settings.BASE_DIR)
    for pattern in CODE_PATTERNS:
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class _Joined(Func):
    """The expressions joined with `||` in one flat expression: Concat nests a pair per column, deeper than
    SQLite's parser allows for a table of twenty columns."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def _row_text(model, fields: tuple[str, ...] | None) -> _Joined:
    names = fields or tuple(field.attname for field in model._meta.concrete_fields)
    parts = []
    for name in names:
        parts += [
            Coalesce(Cast(name, TextField()), Value(NULL_MARK), output_field=TextField()),
            Value(COLUMN_SEPARATOR, output_field=TextField()),
        ]
    return _Joined(*parts)


def rows_digest(queryset: QuerySet, fields: tuple[str, ...] | None = None) -> str:
    """«count:digest» of the rows, computed by the database in one query: the MD5 of each row's columns in
    primary-key order, digested together. Nothing but the two values comes back to Python."""
    rows = (
        queryset.order_by()
        .annotate(fingerprint_key=F("pk"), fingerprint_row=MD5(_row_text(queryset.model, fields)))
        .values_list("fingerprint_key", "fingerprint_row")
    )
    sql, params = rows.query.sql_with_params()
    if connection.vendor == "postgresql":
        outer = (
            "SELECT COUNT(*), MD5(COALESCE(STRING_AGG(r.fingerprint_row, '' ORDER BY r.fingerprint_key), '')) "
            f"FROM ({sql}) AS r"
        )
    else:
        # SQLite: group_concat keeps the order of the ordered subquery it reads.
        outer = f"SELECT COUNT(*), MD5(COALESCE(GROUP_CONCAT(r.fingerprint_row, ''), '')) FROM ({sql} ORDER BY 1) AS r"
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        count, digest = cursor.fetchone()
    return f"{count}:{digest}"


def _program_tables(program: Program) -> Sources:
    """The organisation, the program and its measures annex: what every program-based document prints."""
    measures = Measure.objects.filter(task__section__program=program)
    links = MeasureUnit.objects.filter(measure__in=measures)
    return {
        "organisation": Organisation.objects.filter(pk=program.organisation_id),
        "program": Program.objects.filter(pk=program.pk),
        "measure_sections": MeasureSection.objects.filter(program=program),
        "tasks": Task.objects.filter(section__program=program),
        "measures": measures,
        "measure_units": links,
        "units": Unit.objects.filter(pk__in=links.values("unit_id")),
    }


def _entry_tables(program: Program, period: ReportingPeriod) -> Sources:
    """The program's periods and every entry up to the period's year with its evidence: the period's own entries,
    its quarters' (the roll-up) and the earlier periods' (what was done before, the last status given)."""
    entries = ExecutionEntry.objects.filter(period__program=program, period__year__lte=period.year)
    return {
        "periods": ReportingPeriod.objects.filter(program=program, year__lte=period.year),
        "entries": entries,
        "evidence": Evidence.objects.filter(entry__in=entries),
    }


def _signatory_tables(program: Program) -> Sources:
    return {"commission_members": CommissionMember.objects.filter(commission__organisation=program.organisation_id)}


def execution_sources(inputs: ReportInputs) -> Sources:
    """`documents.execution_document`: the annex, the entries, the signatories, the approval decision, and the day
    the deadlines are judged on (today while the period runs)."""
    program, period = inputs.program, inputs.period
    sources = {
        **_program_tables(program),
        **_entry_tables(program, period),
        **_signatory_tables(program),
        "as_of": as_of(period).isoformat(),
    }
    if period.approval_decision_id is not None:
        decision = AgendaItem.objects.filter(pk=period.approval_decision_id)
        sources["approval_decision"] = decision
        sources["approval_meeting"] = Meeting.objects.filter(pk__in=decision.values("meeting_id"))
    return sources


def form1_sources(inputs: ReportInputs) -> Sources:
    """`documents_program.form1_document`: the annex, the entries and the officer named in the header."""
    program = inputs.program
    officers = Membership.objects.filter(organisation=program.organisation_id, role=Role.OFFICER)
    return {
        **_program_tables(program),
        **_entry_tables(program, inputs.period),
        "officers": officers,
        "officer_people": (get_user_model().objects.filter(pk__in=officers.values("user_id")), PERSON_FIELDS),
    }


def program_sources(inputs: ReportInputs) -> Sources:
    """`documents_program.program_document`: the text sections, the annex, the risk register with the levels its
    matrix gives, and the signatories."""
    program = inputs.program
    risks = Risk.objects.filter(program=program)
    matrix = program.risk_matrix_id
    return {
        **_program_tables(program),
        **_signatory_tables(program),
        "program_sections": ProgramSection.objects.filter(program=program),
        "risks": risks,
        "measure_risks": Measure.risks.through.objects.filter(risk__in=risks),
        "risk_owners": Unit.objects.filter(pk__in=risks.values("owner_unit_id")),
        "matrix_cells": MatrixCell.objects.filter(matrix=matrix),
        "risk_levels": RiskLevel.objects.filter(matrix=matrix),
        "probability_levels": ProbabilityLevel.objects.filter(matrix=matrix),
        "consequence_levels": ConsequenceLevel.objects.filter(matrix=matrix),
    }


def inducement_journal_sources(inputs: ReportInputs) -> Sources:
    return {
        "organisation": Organisation.objects.filter(pk=inputs.organisation.pk),
        "notifications": InducementNotification.objects.filter(organisation=inputs.organisation, year=inputs.year),
    }


def whistleblower_journal_sources(inputs: ReportInputs) -> Sources:
    reports = WhistleblowerReport.objects.filter(organisation=inputs.organisation, registration_year=inputs.year)
    return {
        "organisation": Organisation.objects.filter(pk=inputs.organisation.pk),
        "reports": reports,
        "forwardings": Forwarding.objects.filter(report__in=reports),
        "accused_units": Unit.objects.filter(pk__in=reports.values("accused_unit_id")),
        "assignees": (get_user_model().objects.filter(pk__in=reports.values("assignee_id")), PERSON_FIELDS),
    }


def risk_register_sources(inputs: ReportInputs) -> Sources:
    """`documents_register.register_document`: the decided round of the year with its new scores and reasons, the
    risks with the levels of their matrix, the measures treating them (numbered by section and task), and the
    signatories."""
    program = inputs.program
    rounds = ReassessmentRound.objects.filter(program=program, year=inputs.year)
    risks = Risk.objects.filter(program=program)
    treating = Measure.risks.through.objects.filter(risk__in=risks)
    measures = Measure.objects.filter(pk__in=treating.values("measure_id"))
    matrix = program.risk_matrix_id
    return {
        **_signatory_tables(program),
        "organisation": Organisation.objects.filter(pk=program.organisation_id),
        "program": Program.objects.filter(pk=program.pk),
        "rounds": rounds,
        "reassessments": RiskReassessment.objects.filter(round__in=rounds),
        "risks": risks,
        "measure_risks": treating,
        "measures": measures,
        "tasks": Task.objects.filter(pk__in=measures.values("task_id")),
        "measure_sections": MeasureSection.objects.filter(program=program),
        "risk_levels": RiskLevel.objects.filter(matrix=matrix),
        "matrix_cells": MatrixCell.objects.filter(matrix=matrix),
        "probability_levels": ProbabilityLevel.objects.filter(matrix=matrix),
        "consequence_levels": ConsequenceLevel.objects.filter(matrix=matrix),
    }


SOURCES: dict[str, Callable[[ReportInputs], Sources]] = {
    ReportKind.EXECUTION: execution_sources,
    ReportKind.FORM1: form1_sources,
    ReportKind.PROGRAM: program_sources,
    ReportKind.INDUCEMENT_JOURNAL: inducement_journal_sources,
    ReportKind.WHISTLEBLOWER_JOURNAL: whistleblower_journal_sources,
    ReportKind.RISK_REGISTER: risk_register_sources,
}


def _digest(source: Source) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, tuple):
        return rows_digest(*source)
    return rows_digest(source)


def document_fingerprint(inputs: ReportInputs, *, file_format: str) -> str:
    """The fingerprint of the document `inputs` describe in `file_format`: equal exactly while the data it reads,
    the kind, format, language and the code that draws it are unchanged."""
    sources = SOURCES[inputs.kind](inputs)
    payload = {
        "kind": inputs.kind,
        "format": file_format,
        "language": inputs.language,
        "code": code_version(),
        "data": {name: _digest(source) for name, source in sources.items()},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
