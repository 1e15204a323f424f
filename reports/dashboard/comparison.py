"""Organisations side by side: a parent body and the bodies below it, each with its active program's numbers for
the same period, a page at a time.

The tree is read once (a list of ids and names); the numbers are asked only for the page's bodies, grouped by the
database per program, so a page costs the same few queries whether the parent has ten children or a thousand.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.paginator import Paginator

from core.access import Action
from measures.models import Measure
from programs.models import Organisation
from reports.dashboard.common import ACTIVE_PROGRAM_STATUSES, Counts
from reports.dashboard.placed import PeriodSpan, fetch, placed_cte
from reports.execution.models import ReportingPeriod

COMPARISON_PAGE_SIZE = 25
BY_PROGRAM = """
    SELECT placed.program_id, placed.status, placed.due, COUNT(*) FROM placed
    GROUP BY placed.program_id, placed.status, placed.due
"""


def _subtree(organisation: Organisation, visible: list[Organisation]) -> list[tuple[Organisation, int]]:
    """The organisation and every visible organisation below it, each with its depth, parents before children."""
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    for item in visible:
        children[item.parent_id].append(item)
    result = []
    stack = [(organisation, 0)]
    while stack:
        item, depth = stack.pop()
        result.append((item, depth))
        below = sorted(children.get(item.pk, ()), key=lambda org: org.short_name, reverse=True)
        stack.extend((child, depth + 1) for child in below if child.pk != organisation.pk)
    return result


def _numbers(*, user, tree: list[tuple[Organisation, int]], span: PeriodSpan) -> list[dict]:
    """The rows of the given part of the tree: four queries whatever its size."""
    periods = list(
        ReportingPeriod.objects.restrict(user, Action.VIEW)
        .filter(
            program__organisation__in=[item.pk for item, _depth in tree],
            program__status__in=ACTIVE_PROGRAM_STATUSES,
            kind=span.kind,
            year=span.year,
            number=span.number,
        )
        .select_related("program")
        .only("pk", "program_id", "program__title", "program__organisation_id")
    )
    period_by_org = {period.program.organisation_id: period for period in periods}
    counts: dict[int, Counts] = defaultdict(Counts)
    if periods:
        program_ids = [period.program_id for period in periods]
        measures = Measure.objects.restrict(user, Action.VIEW).filter(task__section__program__in=program_ids)
        placed, params = placed_cte(
            measures, span=span, period_ids=[period.pk for period in periods], program_ids=program_ids
        )
        for program_id, status, due, count in fetch(placed + BY_PROGRAM, params):
            counts[program_id].add(status=status, due=bool(due), count=count)
    result = []
    for item, depth in tree:
        period = period_by_org.get(item.pk)
        entry = {
            "organisation": item.pk,
            "short_name": item.short_name,
            "name": item.name,
            "parent": item.parent_id if depth else None,
            "depth": depth,
            "program": None,
            "period": None,
        }
        if period is not None:
            entry.update(
                program=period.program_id,
                program_title=period.program.title,
                period=period.pk,
                **counts[period.program_id].as_dict(),
            )
        result.append(entry)
    return result


def _tree(*, user, organisation: Organisation) -> list[tuple[Organisation, int]]:
    visible = list(Organisation.objects.restrict(user, Action.VIEW).only("pk", "parent_id", "short_name", "name"))
    return _subtree(organisation, visible)


def organisation_comparison(*, user, organisation: Organisation, kind: str, year: int, number: int) -> list[dict]:
    """The organisation and the bodies below it at any depth, each with its active program's numbers for the same
    period: the whole tree (`comparison_page` gives it a page at a time)."""
    tree = _tree(user=user, organisation=organisation)
    return _numbers(user=user, tree=tree, span=PeriodSpan(kind, year, number))


def comparison_page(
    *,
    user,
    organisation: Organisation,
    kind: str,
    year: int,
    number: int,
    page: int | str | None = 1,
    per_page: int = COMPARISON_PAGE_SIZE,
) -> dict:
    """One page of `organisation_comparison`, parents before their children; a page out of range shows the last."""
    paginator = Paginator(_tree(user=user, organisation=organisation), per_page)
    shown = paginator.get_page(page)
    return {
        "organisations": _numbers(user=user, tree=list(shown.object_list), span=PeriodSpan(kind, year, number)),
        "count": paginator.count,
        "page": shown.number,
        "pages": paginator.num_pages,
    }
