"""Named role rules of the register that are not row scoping (scoping is `core.access`): who keeps the register,
who scores risks in the annual re-assessment, who records the commission's decision."""

from __future__ import annotations

from core.access import Action, allowed_in
from programs.models import Program
from risks.models import ReassessmentRound, RiskReassessment
from risks.residual_services import may_decide_residual


def may_keep_register(user, program: Program) -> bool:
    """The secretary keeps the register (administrators stand in): opens the annual re-assessment round."""
    return allowed_in(user, Action.CHANGE, ReassessmentRound, program.organisation_id)


def may_reassess_risks(user, program: Program) -> bool:
    """The working group scores the risks anew: the commission's members and its secretary."""
    return allowed_in(user, Action.CHANGE, RiskReassessment, program.organisation_id)


def may_decide_reassessment(user, program: Program) -> bool:
    """The commission decides the round; the secretary records its decision — the rule of residual scores."""
    return may_decide_residual(user, program)
