"""Writing a previewed Word program: new units, then sections, risks and measures, all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.concurrency import ConcurrentEditError
from measures.excel import ImportPreview, measure_import
from measures.word_import.preview import WordPreview
from programs.models import Program, Unit
from programs.services import program_section_create, program_section_update, unit_save
from risks.models import Risk
from risks.services import next_risk_number, risk_create, risk_update


@dataclass
class WordImportResult:
    units: int = 0
    sections: int = 0
    risks: int = 0
    measures_created: int = 0
    measures_updated: int = 0


def _expected(versions: dict, kind: str, key: str, current: Any) -> int:
    """The version the preview showed; a row that matched nothing then, or something else, is stale now."""
    shown = versions.get(kind, {}).get(key)
    if shown is None or shown[0] != current.pk:
        raise ConcurrentEditError(
            _("The program was changed after this preview was made, so nothing was imported. Check the preview again.")
        )
    return shown[1]


@transaction.atomic
def program_import_word(*, program: Program, user, preview: WordPreview, versions: dict) -> WordImportResult:
    """Write a clean preview: new units, then sections, risks and measures; all of it or, on any refusal, nothing."""
    if not preview.ok:
        raise ValidationError(_("Correct the unreadable rows first; nothing was imported."))
    Program.objects.select_for_update().get(pk=program.pk)  # one import of a program at a time
    result = WordImportResult()
    created: dict[str, Unit] = {}
    for short, name in preview.units.items():
        existing = Unit.objects.filter(organisation=program.organisation_id, abbreviation__iexact=short).first()
        created[short] = existing or unit_save(
            user=user, organisation=program.organisation, data={"abbreviation": short, "name": name[:300]}
        )
        result.units += existing is None
    for item in preview.sections:
        if item.status == "unchanged":
            continue
        if item.section is None:
            program_section_create(program=program, user=user, position=item.position, title=item.title, body=item.body)
        else:
            program_section_update(
                section=item.section,
                user=user,
                position=item.position,
                title=item.title,
                body=item.body,
                expected_version=_expected(versions, "sections", str(item.position), item.section),
            )
        result.sections += 1
    numbers: dict[int, Risk] = {}
    for item in preview.risks:
        data = dict(item.data)
        if item.owner_proposed:
            data["owner_unit"] = created[item.owner_proposed]
        if item.risk is None:
            taken = item.number and Risk.objects.filter(program=program, number=item.number).exists()
            data["number"] = item.number if item.number and not taken else next_risk_number(program=program)
            risk = risk_create(program=program, user=user, data=data)
            result.risks += 1
        elif item.changes:
            expected = _expected(versions, "risks", item.key, item.risk)
            risk = risk_update(risk=item.risk, user=user, data=data, expected_version=expected)
            result.risks += 1
        else:
            risk = item.risk
        if item.number:
            numbers[item.number] = risk
    rows = []
    for item in preview.measures:
        if item.proposed:
            # In the file's order, the new units where the file names them: the order says which unit leads.
            known = {unit.abbreviation: unit for unit in item.row.units}
            ordered = [created.get(name) or known.get(name) for name in item.unit_names]
            item.row.units = list(dict.fromkeys(unit for unit in ordered if unit is not None))
        item.row.risks += [numbers[number] for number in item.risk_numbers if number in numbers]
        rows.append(item.row)
    if rows:
        measure_versions = {int(line): tuple(pair) for line, pair in versions.get("measures", {}).items()}
        imported = measure_import(
            program=program,
            user=user,
            preview=ImportPreview(rows=rows),
            versions=measure_versions,
            reason=_("Imported from Word"),
        )
        result.measures_created, result.measures_updated = len(imported.created), len(imported.updated)
    return result
