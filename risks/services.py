"""Writes to the risk register. Edits are optimistic-locked: the second of two concurrent saves is refused."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.concurrency import delete_unless_refused
from core.updating import model_update
from programs.models import Program
from risks.models import Risk

# The fields of a risk its form, its serializer and its services share. Without a number, a new risk takes the next
# free one and an edited risk keeps its own.
RISK_EDITABLE = (
    "number",
    "function",
    "process",
    "title",
    "description",
    "factors",
    "possible_consequences",
    "existing_controls",
    "owner_unit",
    "inherent_probability",
    "inherent_consequence",
    "residual_probability",
    "residual_consequence",
    "identified_on",
)


def _check_belongs(*, program: Program, data: dict[str, Any]) -> None:
    """The owner unit of the program's organisation and scores of its own matrix, whatever the form let through."""
    owner = data.get("owner_unit")
    if owner is not None and owner.organisation_id != program.organisation_id:
        raise ValidationError({"owner_unit": _("Choose a unit of the program's organisation.")})
    for name in ("inherent_probability", "inherent_consequence", "residual_probability", "residual_consequence"):
        level = data.get(name)
        if level is not None and level.matrix_id != program.risk_matrix_id:
            raise ValidationError({name: _("Choose a score of the program's own risk matrix.")})
    if bool(data.get("residual_probability")) != bool(data.get("residual_consequence")):
        raise ValidationError(_("Score the residual risk in full: both probability and consequences, or neither."))


def next_risk_number(*, program: Program) -> int:
    return (Risk.objects.filter(program=program).aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def risk_create(*, program: Program, user, data: dict[str, Any]) -> Risk:
    """Add a risk to the program's register; without a number it takes the next free one."""
    _check_belongs(program=program, data=data)
    risk, _created = model_update(
        instance=Risk(program=program),
        fields=RISK_EDITABLE,
        data={**data, "number": data.get("number") or next_risk_number(program=program)},
        user=user,
    )
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, user, data: dict[str, Any], expected_version: int) -> Risk:
    """Change a risk unless someone saved it after `expected_version` was read."""
    _check_belongs(program=risk.program, data=data)
    if not data.get("number"):
        data = {name: value for name, value in data.items() if name != "number"}
    risk, _changed = model_update(
        instance=risk,
        fields=RISK_EDITABLE,
        data=data,
        user=user,
        expected_version=expected_version,
        clean_exclude=["version"],
    )
    return risk


def risk_delete_check(*, risk: Risk) -> None:
    """Refuse, as `risk_delete` would, a risk that measures treat: each would silently lose the risk it answers."""
    treating = [f"{measure.label} {measure.content}".strip() for measure in risk.measures.all()]
    if treating:
        names = "; ".join(f"«{Truncator(name).chars(80)}»" for name in treating)
        raise ValidationError(
            _(
                "Risk № %(number)s cannot be deleted: it is treated by the measures %(measures)s. Edit these "
                "measures to remove the risk from them first, then delete it."
            )
            % {"number": risk.number, "measures": names}
        )


@transaction.atomic
def risk_delete(*, risk: Risk, user) -> None:
    """Delete a risk entered by mistake; its history keeps the deletion and who made it."""
    delete_unless_refused(
        risk,
        user=user,
        check=lambda: risk_delete_check(risk=risk),
        organisation=risk.program.organisation,
    )
