"""The rows of the period grid as HTML, written in Python rather than by the template engine.

A grid of 300 measures is some 30 template nodes a row: rendered by Django's engine that alone took several times
what the database needs for the page. Here every row is a handful of string formats over values worked out once.

The secretary's editable grid sends each row lean: its values and no controls. The status options, labels, text
boxes, CSRF token, buttons and the link to the entry's page are on the page once (`<template id="grid-parts">`) and
`static/reports/js/grid.js` builds every row's cells from them. The narrative is sent once; the status sentence quotes
it through `<span data-echo>`, which the script fills. Without the script a lean row reads as text and its «Edit this
row» link (`?edit=`) brings the page back with that one row complete — a plain form, as a refused save shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from reports.choices import EntryState, ExecutionStatus
from reports.execution.forms import GridCellForm
from reports.execution.grid import GridRow

NOT_DUE = ' class="not-due"'


@dataclass(frozen=True)
class GridPage:
    """What every row of one rendering shares: the period, who looks, and the words, translated once."""

    period_pk: int
    editable: bool  # the secretary's grid of an open period: cells are edited in place
    entries_editable: bool
    compact: bool
    csrf_token: str
    edit_prefix: str  # the current query with `edit=` last, for the rows' no-script links
    edit_pk: int | None = None


def _labels() -> dict[str, str]:
    return {
        "status": _("Status"),
        "narrative": _("What was done"),
        "summary": _("Reasons and next steps"),
        "reasons": _("Reasons for non-execution (or measures of partial execution)"),
        "next_steps": _("Next steps"),
        "save": _("Save"),
        "submit": _("Save and submit"),
        "open": _("Open"),
        "with_documents": _("With documents"),
        "with_evidence": _("Report with evidence"),
        "nothing_yet": _("Nothing yet"),
        "copy": _("Copy last period's text"),
        "not_reported": _("Not reported"),
        "not_due": _("Not yet due"),
        "done": _("Done"),
        "edit": _("Edit this row"),
    }


def status_options(selected: str | None = None) -> SafeString:
    """The status choices of the grid's cell form as `<option>`s."""
    options = []
    for value, label in GridCellForm.base_fields["status"].choices:
        chosen = " selected" if value == selected else ""
        options.append(f'<option value="{escape(str(value))}"{chosen}>{escape(str(label))}</option>')
    return mark_safe("".join(options))


def grid_rows_html(rows: list[GridRow], page: GridPage) -> SafeString:
    words = _labels()
    # The lean row's one option carries the status's label as the select shows it.
    words.update({f"option:{value}": str(label) for value, label in GridCellForm.base_fields["status"].choices})
    statuses = {value: str(label) for value, label in ExecutionStatus.choices}
    states = {value: str(label) for value, label in EntryState.choices}
    save_url = reverse("reports:grid-save", args=[page.period_pk, 0]).replace("/0/", "/{}/")
    entry_url = reverse("reports:entry", args=[page.period_pk, 0]).replace("/0/", "/{}/")
    copy_url = reverse("reports:entry-copy", args=[page.period_pk, 0]).replace("/0/", "/{}/")
    overdue = _("deadline passed %(date)s")
    edit = escape(words["edit"])
    out = []
    for row in rows:
        measure = row.measure
        pk = measure.pk
        entry = row.entry
        lean = page.editable and row.posted is None and pk != page.edit_pk
        number = f"{measure.task.section.number}.{measure.task.number}"
        if measure.number:
            number += f".{measure.number}"
        units = ", ".join(f'<abbr title="{escape(unit.name)}">{_text(unit.abbreviation)}</abbr>' for unit in row.units)
        badge = ""
        if row.standing.overdue:
            since = row.standing.overdue_since.strftime("%d.%m.%Y")
            badge = f'<span class="badge overdue">{_text(overdue % {"date": since})}</span>'
        data = ""
        if lean:
            # What the script needs to build the row's cells that the values do not say.
            data = f' data-version="{entry.version if entry else 0}"'
            if entry is None or entry.state == EntryState.DRAFT:
                data += " data-submit"
            if row.needs_reasons:
                data += " data-open"
        out.append(
            f'<tr id="measure-{pk}"{"" if row.due else NOT_DUE}{data}>'
            f"<td>{number}</td>"
            f'<td><p id="measure-title-{pk}">{_text(_words(measure.content, 40))}</p>'
            f'<p class="note">{_text(row.deadline_phrase)} · {units}</p></td>'
        )
        if lean:
            out.append(_lean_cells(row, badge))
        elif page.editable:
            out.append(_full_cells(row, page, words, badge))
        else:
            out.append(f"<td>{_row_status(row, statuses, words)} {badge}</td>")
            out.append(f'<td class="text"><p class="sentence">{_text(row.sentence)}</p></td>')
        out.append(f"<td data-state>{_state(row, states, words)}</td><td>")
        if lean:
            # The script builds the row's form, buttons and link; without it the row is opened complete.
            out.append(f'<noscript><a href="{escape(page.edit_prefix)}{pk}#measure-{pk}">{edit}</a></noscript>')
        else:
            if page.editable:
                out.append(_row_form(row, page, words, save_url.format(pk)))
            if page.entries_editable or entry is not None:
                if not page.entries_editable:
                    text = words["open"]
                else:
                    text = words["with_documents"] if page.compact else words["with_evidence"]
                out.append(f'<a href="{entry_url.format(pk)}" aria-describedby="measure-title-{pk}">{_text(text)}</a>')
        if row.can_copy and page.entries_editable:
            out.append(
                f'<form method="post" action="{copy_url.format(pk)}">{_csrf(page)}'
                f'<button type="submit" class="button-small button-secondary">{_text(words["copy"])}</button></form>'
            )
        out.append("</td></tr>")
    return mark_safe("".join(out))  # every value above is escaped where it is written


def _state(row: GridRow, states: dict[str, str], words: dict[str, str]) -> str:
    entry = row.entry
    if entry is None:
        return f'<span class="muted">{_text(words["nothing_yet"])}</span>' if row.due else ""
    state = f'<span class="badge entry-{entry.state}">{_text(states.get(entry.state, entry.state))}</span>'
    if entry.submitted_by is not None:
        name = entry.submitted_by.get_full_name() or entry.submitted_by.username
        state += f'<span class="note">{_text(name)}</span>'
    return state


def _csrf(page: GridPage) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(page.csrf_token)}">'


def _row_status(row: GridRow, statuses: dict[str, str], words: dict[str, str]) -> str:
    """The read-only status badge (as `includes/row_status.html`, without the overdue badge)."""
    shown = row.shown
    if shown is not None:
        html = f'<span class="badge exec-{shown.status}">{escape(statuses.get(shown.status, shown.status))}</span>'
        if row.rolled_up is not None:
            html += f'<span class="note">{escape(str(row.rolled_up.period))}</span>'
        return html
    if row.due:
        return f'<span class="badge exec-missing">{escape(words["not_reported"])}</span>'
    if row.latest is not None and row.latest.status == ExecutionStatus.DONE:
        return (
            f'<span class="badge exec-done">{escape(words["done"])}</span><span class="note">{row.latest.period}</span>'
        )
    return f'<span class="badge exec-not_due">{escape(words["not_due"])}</span>'


def _lean_cells(row: GridRow, badge: str) -> str:
    cells = row.cells
    values = "".join(
        f'<p data-value="{name}">{_text(cells[name])}</p>'
        for name in ("non_execution_reasons", "next_steps")
        if cells[name]
    )
    return (
        f'<td data-status="{escape(cells["status"] or "")}">{badge}</td>'
        f'<td><p data-value="narrative">{_text(cells["narrative"])}</p>{values}'
        f"<p data-sentence>{_echoed(row.sentence, cells['narrative'])}</p></td>"
    )


def _words(text: str, count: int) -> str:
    """`truncatewords`: most measures are shorter, and then the text stays as it is."""
    return text if len(text.split(None, count)) <= count else Truncator(text).words(count)


def _text(value: str) -> str:
    """Text between tags: quotes need no escaping there."""
    return escape(value, quote=False)


def _echoed(sentence: str, narrative: str) -> str:
    """The sentence with the narrative it quotes word for word left out for the script to fill from the text box."""
    quoted = narrative.strip()
    if quoted and sentence.count(quoted) == 1:
        before, after = sentence.split(quoted)
        return f"{_text(before)}<span data-echo></span>{_text(after)}"
    return _text(sentence)


def _full_cells(row: GridRow, page: GridPage, words: dict[str, str], badge: str) -> str:
    pk = row.measure.pk
    cells = row.cells
    errors = ""
    if row.errors:
        items = "".join(f"<li>{escape(str(error))}</li>" for error in row.errors)
        errors = f'<ul class="row-errors" id="row-errors-{pk}" role="alert" data-row-errors>{items}</ul>'
    described = f'aria-describedby="measure-title-{pk}"'
    return (
        f'<td><label class="visually-hidden" for="status-{pk}">{escape(words["status"])}</label>'
        f'<select id="status-{pk}" name="status" form="row-{pk}" data-cell {described}>'
        f"{status_options(cells['status'])}</select> {badge}</td>"
        f"<td>{errors}"
        f'<label class="visually-hidden" for="narrative-{pk}">{escape(words["narrative"])}</label>'
        f'<textarea id="narrative-{pk}" name="narrative" rows="{1 if page.compact else 3}" form="row-{pk}" data-cell'
        f" {described}>\n{escape(cells['narrative'])}</textarea>"
        f'<details class="reasons" data-reasons{" open" if row.needs_reasons else ""}>'
        f"<summary>{escape(words['summary'])}</summary>"
        f'<label for="reasons-{pk}">{escape(words["reasons"])}</label>'
        f'<textarea id="reasons-{pk}" name="non_execution_reasons" rows="2" form="row-{pk}" data-cell>'
        f"\n{escape(cells['non_execution_reasons'])}</textarea>"
        f'<label for="next-steps-{pk}">{escape(words["next_steps"])}</label>'
        f'<textarea id="next-steps-{pk}" name="next_steps" rows="2" form="row-{pk}" data-cell>'
        f"\n{escape(cells['next_steps'])}</textarea></details>"
        f'<p class="sentence" data-sentence>{escape(row.sentence)}</p></td>'
    )


def _row_form(row: GridRow, page: GridPage, words: dict[str, str], save_url: str) -> str:
    pk = row.measure.pk
    entry = row.entry
    submit = ""
    if entry is None or entry.state == EntryState.DRAFT:
        submit = (
            f'<button type="submit" name="submit" value="1" class="button-small button-secondary">'
            f"{escape(words['submit'])}</button>"
        )
    return (
        f'<form id="row-{pk}" method="post" action="{save_url}" class="row-form" data-row-form>{_csrf(page)}'
        f'<input type="hidden" name="version" value="{entry.version if entry else 0}" data-version>'
        f'<button type="submit" class="button-small">{escape(words["save"])}</button>{submit}</form>'
    )
