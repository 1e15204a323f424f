"""Named role rules of the register that are not row scoping (scoping is `core.access`): who keeps the register,
who scores risks in the annual re-assessment, who records the commission's decision, who settles residual scores,
who reads exact counts of whistleblower signals."""

from __future__ import annotations

from core.access import Action, allowed_in, user_scope
from core.roles import Role
from programs.models import Program
from risks.models import ReassessmentRound, ResidualAssessment, Risk, RiskReassessment


def may_keep_register(user, program: Program) -> bool:
    """The secretary keeps the register (administrators stand in): opens the annual re-assessment round."""
    return allowed_in(user, Action.CHANGE, ReassessmentRound, program.organisation_id)


def may_reassess_risks(user, program: Program) -> bool:
    """The working group scores the risks anew: the commission's members and its secretary."""
    return allowed_in(user, Action.CHANGE, RiskReassessment, program.organisation_id)


def may_decide_residual(user, program: Program) -> bool:
    """The commission settles residual scores; the secretary records its decisions, as with evaluations."""
    return allowed_in(user, Action.CHANGE, ResidualAssessment, program.organisation_id)


def may_decide_reassessment(user, program: Program) -> bool:
    """The commission decides the round; the secretary records its decision — the rule of residual scores."""
    return may_decide_residual(user, program)


def may_read_exact_signal_counts(user, organisation_id: int) -> bool:
    """Only the organisation's officer, who reads the cases anyway, sees counts below the threshold."""
    return user_scope(user).has_role(Role.OFFICER, organisation_id)


def may_read_unregistered_signals(user, program: Program) -> bool:
    """Risks signalled but not in the register go to those who keep the register, and to the officer who tagged."""
    return allowed_in(user, Action.CHANGE, Risk, program.organisation_id) or may_read_exact_signal_counts(
        user, program.organisation_id
    )
