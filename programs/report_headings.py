"""How a program's execution report opens: its annex heading, its title sentence and its column headings.

Bodies file the report as an annex to their own report (seed 001: «Додаток 3 до Звіту про стан виконання у 2023 році
…»), so the secretary types these texts; "{period}" in them becomes the period as the sentence needs it («у 2023
році», «у І кварталі 2024 року»). Pure functions, no ORM: the program form, its API serializer and the report builder
share them.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDER = "{period}"
# How the program's reports open is their presentation, not the program's content: it changes without a revision,
# and for a program no longer in force too (its past periods are still reported on).
REPORT_FIELDS = frozenset({"report_annex_heading", "report_title", "report_columns"})
_BRACES = re.compile(r"\{[^{}]*\}")

# The portal's own headings, in column order (seed 001's table); a program may word any of them its own way.
DEFAULT_COLUMNS = (
    gettext_lazy("Name of the task"),
    gettext_lazy("Content of the measure"),
    gettext_lazy("Deadline"),
    gettext_lazy("Responsible unit"),
    gettext_lazy("Target audience"),
    gettext_lazy("Indicator (expected result)"),
    gettext_lazy("Status of execution"),
)

HEADING_HELP = gettext_lazy(
    "Printed above the title, line by line, as in «Додаток 3 / до Звіту про стан виконання / {period} Антикорупційної "
    "програми …». {period} becomes the reporting period («у 2023 році», «у І кварталі 2024 року»). Leave empty for "
    "no annex heading."
)
TITLE_HELP = gettext_lazy(
    "The title sentence of the execution report, e.g. «Інформація про стан виконання {period} заходів, визначених у "
    "додатку 3 до Антикорупційної програми …». {period} becomes the reporting period. Leave empty for a title built "
    "from the program's name."
)
COLUMNS_HELP = gettext_lazy(
    "One heading per line, in the order of the seven columns (task, measure, deadline, responsible unit, target "
    "audience, indicator, status). An empty line or a missing line keeps the portal's heading."
)


def columns(text: str) -> list[str]:
    """The seven column headings: the program's line where it wrote one, the portal's default otherwise."""
    lines = [line.strip() for line in text.splitlines()] if text else []
    return [
        lines[index] if index < len(lines) and lines[index] else str(default)
        for index, default in enumerate(DEFAULT_COLUMNS)
    ]


def fill(text: str, *, period: str) -> str:
    """The text with "{period}" replaced; its line breaks kept (the heading prints line by line)."""
    return "\n".join(line.strip() for line in text.replace(PLACEHOLDER, period).strip().splitlines())


def heading_problems(data: dict) -> list[tuple[str, str]]:
    """(field, message) pairs for the three texts, for the program form and the API alike."""
    problems = []
    for name in ("report_annex_heading", "report_title"):
        unknown = [match for match in _BRACES.findall(data.get(name) or "") if match != PLACEHOLDER]
        if unknown:
            problems.append(
                (
                    name,
                    _("Only {period} can be replaced in this text; correct or remove %(unknown)s.")
                    % {"unknown": ", ".join(unknown)},
                )
            )
    lines = (data.get("report_columns") or "").strip("\n").splitlines()
    if len(lines) > len(DEFAULT_COLUMNS):
        problems.append(
            (
                "report_columns",
                _("The report has %(count)s columns: write at most %(count)s lines (you wrote %(lines)s).")
                % {"count": len(DEFAULT_COLUMNS), "lines": len(lines)},
            )
        )
    return problems
