"""The annual re-assessment of the risk register: a round per program and year, a new score per risk (gathered in
risks.models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import PROGRAM_EDITORS, PROGRAM_READERS, AccessRule, ScopedQuerySet
from core.roles import Role
from risks.choices import RoundStatus

WORKING_GROUP = frozenset({Role.COMMISSION, Role.SECRETARY})


class ReassessmentRound(models.Model):
    """The annual re-assessment of a program's register (NAZK methodology: the risks are assessed again every year).

    The secretary opens it; the working group scores every risk anew with its reasons (RiskReassessment); the
    commission's decision ends it, writes the new scores to the register and its trail, and locks it.
    """

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="reassessment_rounds",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    decision_date = models.DateField(_("date of the commission's decision"), null=True, blank=True)
    decision_number = models.CharField(_("decision (protocol) number"), max_length=100, blank=True)
    decision_text = models.TextField(_("text of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="program__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("re-assessment round")
        verbose_name_plural = _("re-assessment rounds")
        ordering = ["program", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="reassessment_round_year_unique"),
            models.UniqueConstraint(
                fields=["program"], condition=Q(status=RoundStatus.OPEN), name="reassessment_round_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status=RoundStatus.OPEN)
                | (Q(decision_date__isnull=False, decided_at__isnull=False) & ~Q(decision_number="")),
                name="reassessment_round_decided_in_full",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Re-assessment of corruption risks, %(year)s") % {"year": self.year})

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class RiskReassessment(models.Model):
    """The working group's new score of one risk in a round, with the reasons; its level is read from the matrix.

    `previous_*` are filled when the commission decides: the score the register held before it took this one."""

    round = models.ForeignKey(
        ReassessmentRound, verbose_name=_("re-assessment round"), on_delete=models.CASCADE, related_name="assessments"
    )
    risk = models.ForeignKey(
        "risks.Risk", verbose_name=_("corruption risk"), on_delete=models.CASCADE, related_name="reassessments"
    )
    probability = models.ForeignKey(
        "risks.ProbabilityLevel", verbose_name=_("new probability"), on_delete=models.PROTECT, related_name="+"
    )
    consequence = models.ForeignKey(
        "risks.ConsequenceLevel", verbose_name=_("new consequences"), on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(_("reasons"))
    previous_probability = models.ForeignKey(
        "risks.ProbabilityLevel",
        verbose_name=_("previous probability"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_consequence = models.ForeignKey(
        "risks.ConsequenceLevel",
        verbose_name=_("previous consequences"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="round__program__organisation", view=PROGRAM_READERS, change=WORKING_GROUP)

    class Meta:
        verbose_name = _("re-assessment of a risk")
        verbose_name_plural = _("re-assessments of risks")
        ordering = ["round", "risk__number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "risk"], name="risk_reassessment_once_per_round"),
            models.CheckConstraint(condition=~Q(reasons=""), name="risk_reassessment_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.risk}"
