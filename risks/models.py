from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import PROGRAM_EDITORS, PROGRAM_READERS, AccessRule, ScopedQuerySet
from core.roles import Role
from risks.choices import Function, Methodology, ResidualDecision
from risks.residual import ResidualRuleSpec


class TranslatedName(models.Model):
    """Reference data named in the three languages of the portal."""

    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return getattr(self, name_column()) or self.name_uk


NAME_LANGUAGES = ("uk", "en", "ru")


def name_column() -> str:
    """The column of TranslatedName holding the active language's name; Ukrainian when the language has none."""
    language = (get_language() or "uk")[:2]
    return f"name_{language}" if language in NAME_LANGUAGES else "name_uk"


class RiskMatrix(TranslatedName):
    """A probability × consequence matrix. Presets follow the 2016 and 2021 NAZK methodologies; all of it is data."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    methodology = models.CharField(_("methodology"), max_length=20, choices=Methodology.choices)
    is_preset = models.BooleanField(_("preset"), default=False)

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["code"]


class ProbabilityLevel(TranslatedName):
    """A row of the matrix: how likely a risk is to be realised, with its score."""

    matrix = models.ForeignKey(
        RiskMatrix, verbose_name=_("matrix"), on_delete=models.CASCADE, related_name="probabilities"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("probability level")
        verbose_name_plural = _("probability levels")
        ordering = ["matrix", "score"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "score"], name="probability_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=1), name="probability_score_positive"),
        ]


class ConsequenceLevel(TranslatedName):
    """A column of the matrix: how severe the consequences of a realised risk are, with its score."""

    matrix = models.ForeignKey(
        RiskMatrix, verbose_name=_("matrix"), on_delete=models.CASCADE, related_name="consequences"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("consequence level")
        verbose_name_plural = _("consequence levels")
        ordering = ["matrix", "score"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "score"], name="consequence_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=1), name="consequence_score_positive"),
        ]


class RiskLevel(TranslatedName):
    """A level a cell can give (низький / середній / високий), ranked so that levels can be compared."""

    matrix = models.ForeignKey(RiskMatrix, verbose_name=_("matrix"), on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("rank"))
    colour = models.CharField(_("colour"), max_length=7, default="#888888")

    class Meta:
        verbose_name = _("risk level")
        verbose_name_plural = _("risk levels")
        ordering = ["matrix", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "code"], name="risk_level_code_unique"),
            models.UniqueConstraint(fields=["matrix", "rank"], name="risk_level_rank_unique"),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="risk_level_colour_hex"),
        ]


class MatrixCell(models.Model):
    """The level one (probability, consequence) pair gives."""

    matrix = models.ForeignKey(RiskMatrix, verbose_name=_("matrix"), on_delete=models.CASCADE, related_name="cells")
    probability = models.ForeignKey(ProbabilityLevel, verbose_name=_("probability"), on_delete=models.CASCADE)
    consequence = models.ForeignKey(ConsequenceLevel, verbose_name=_("consequences"), on_delete=models.CASCADE)
    level = models.ForeignKey(RiskLevel, verbose_name=_("level"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("matrix cell")
        verbose_name_plural = _("matrix cells")
        constraints = [
            models.UniqueConstraint(fields=["probability", "consequence"], name="matrix_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.probability} × {self.consequence} → {self.level}"


def _level_subquery(probability: str, consequence: str, field: str) -> Subquery:
    cells = MatrixCell.objects.filter(probability=OuterRef(probability), consequence=OuterRef(consequence))
    return Subquery(cells.values(field)[:1])


class RiskQuerySet(ScopedQuerySet):
    def with_levels(self) -> "RiskQuerySet":
        """Annotate the inherent and residual level computed from the matrix, so lists can filter and sort by it."""
        return self.annotate(
            inherent_level_id=_level_subquery("inherent_probability", "inherent_consequence", "level_id"),
            inherent_level_rank=_level_subquery("inherent_probability", "inherent_consequence", "level__rank"),
            inherent_level_code=_level_subquery("inherent_probability", "inherent_consequence", "level__code"),
            residual_level_id=_level_subquery("residual_probability", "residual_consequence", "level_id"),
            residual_level_rank=_level_subquery("residual_probability", "residual_consequence", "level__rank"),
            residual_level_code=_level_subquery("residual_probability", "residual_consequence", "level__code"),
        )


class Risk(models.Model):
    """A corruption risk of the register (реєстр корупційних ризиків) with inherent and residual scores."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="risks"
    )
    number = models.PositiveIntegerField(_("number"))
    function = models.CharField(_("function"), max_length=30, choices=Function.choices)
    process = models.CharField(_("process"), max_length=500, blank=True)
    title = models.CharField(_("corruption risk"), max_length=1000)
    description = models.TextField(_("content of the risk"), blank=True)
    factors = models.TextField(_("sources and factors"), blank=True)
    possible_consequences = models.TextField(_("possible consequences"), blank=True)
    existing_controls = models.TextField(_("existing controls"), blank=True)
    owner_unit = models.ForeignKey(
        "programs.Unit",
        verbose_name=_("risk owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
    )
    inherent_probability = models.ForeignKey(
        ProbabilityLevel, verbose_name=_("probability"), on_delete=models.PROTECT, related_name="+"
    )
    inherent_consequence = models.ForeignKey(
        ConsequenceLevel, verbose_name=_("consequences"), on_delete=models.PROTECT, related_name="+"
    )
    residual_probability = models.ForeignKey(
        ProbabilityLevel,
        verbose_name=_("residual probability"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    residual_consequence = models.ForeignKey(
        ConsequenceLevel,
        verbose_name=_("residual consequences"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()
    objects = RiskQuerySet.as_manager()
    access = AccessRule(organisation="program__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("corruption risk")
        verbose_name_plural = _("corruption risks")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="risk_number_unique"),
            models.CheckConstraint(
                condition=Q(residual_probability__isnull=True, residual_consequence__isnull=True)
                | Q(residual_probability__isnull=False, residual_consequence__isnull=False),
                name="risk_residual_scored_in_full",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="risk_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def _level(self, probability: ProbabilityLevel | None, consequence: ConsequenceLevel | None) -> RiskLevel | None:
        if probability is None or consequence is None:
            return None
        cell = (
            MatrixCell.objects.select_related("level").filter(probability=probability, consequence=consequence).first()
        )
        return cell.level if cell else None

    @property
    def inherent_level(self) -> RiskLevel | None:
        return self._level(self.inherent_probability, self.inherent_consequence)

    @property
    def residual_level(self) -> RiskLevel | None:
        return self._level(self.residual_probability, self.residual_consequence)

    @property
    def inherent_score(self) -> int:
        return self.inherent_probability.score * self.inherent_consequence.score


class ResidualRule(models.Model):
    """The residual-score rule of one matrix as data (risks/residual.py documents the default and how it reads)."""

    matrix = models.OneToOneField(
        RiskMatrix, verbose_name=_("matrix"), on_delete=models.CASCADE, related_name="residual_rule"
    )
    effectiveness_weight = models.PositiveSmallIntegerField(_("weight of effectiveness"), default=3)
    completeness_weight = models.PositiveSmallIntegerField(_("weight of completeness"), default=2)
    timeliness_weight = models.PositiveSmallIntegerField(_("weight of timeliness"), default=1)
    partly_met_credit = models.PositiveSmallIntegerField(_("credit of a partly met grade, %"), default=50)
    full_reduction_from = models.PositiveSmallIntegerField(_("full reduction from, %"), default=80)
    full_reduction_steps = models.PositiveSmallIntegerField(_("probability levels of a full reduction"), default=2)
    partial_reduction_from = models.PositiveSmallIntegerField(_("partial reduction from, %"), default=50)
    partial_reduction_steps = models.PositiveSmallIntegerField(
        _("probability levels of a partial reduction"), default=1
    )
    consequence_steps_at_full = models.PositiveSmallIntegerField(_("consequence levels of a full reduction"), default=0)

    class Meta:
        verbose_name = _("residual-score rule")
        verbose_name_plural = _("residual-score rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(effectiveness_weight__gt=0) | Q(completeness_weight__gt=0) | Q(timeliness_weight__gt=0),
                name="residual_rule_has_weight",
            ),
            models.CheckConstraint(condition=Q(partly_met_credit__lte=100), name="residual_rule_credit_percent"),
            models.CheckConstraint(
                condition=Q(partial_reduction_from__lte=models.F("full_reduction_from"), full_reduction_from__lte=100),
                name="residual_rule_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.matrix)

    def spec(self) -> ResidualRuleSpec:
        return ResidualRuleSpec(**{name: getattr(self, name) for name in ResidualRuleSpec.__dataclass_fields__})


class ResidualAssessment(models.Model):
    """One settled residual score of a risk: what the rule proposed, what the commission decided and why.

    The rows of a risk are the trail of its scores over time; the inherent score is copied in, so the trail still
    shows what the residual score was measured against after the inherent score is reassessed. A row of an annual
    re-assessment (`reassessment_round`, decision REASSESSED) has no period and no proposal: the working group's new
    score became both the inherent and the residual score, from which later periods' evaluations lower it again.
    """

    risk = models.ForeignKey(
        Risk, verbose_name=_("corruption risk"), on_delete=models.CASCADE, related_name="residual_assessments"
    )
    period = models.ForeignKey(
        "reports.ReportingPeriod",
        verbose_name=_("period evaluated"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reassessment_round = models.ForeignKey(
        "ReassessmentRound",
        verbose_name=_("re-assessment round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trail",
    )
    inherent_probability = models.ForeignKey(
        ProbabilityLevel, verbose_name=_("probability"), on_delete=models.PROTECT, related_name="+"
    )
    inherent_consequence = models.ForeignKey(
        ConsequenceLevel, verbose_name=_("consequences"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_probability = models.ForeignKey(
        ProbabilityLevel,
        verbose_name=_("proposed probability"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_consequence = models.ForeignKey(
        ConsequenceLevel,
        verbose_name=_("proposed consequences"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    probability = models.ForeignKey(
        ProbabilityLevel, verbose_name=_("residual probability"), on_delete=models.PROTECT, related_name="+"
    )
    consequence = models.ForeignKey(
        ConsequenceLevel, verbose_name=_("residual consequences"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ResidualDecision.choices)
    reason = models.TextField(_("reason"), blank=True)
    basis = models.JSONField(_("basis of the proposal"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="risk__program__organisation",
        view=PROGRAM_READERS,
        change=frozenset({Role.COMMISSION, Role.SECRETARY}),
    )

    class Meta:
        verbose_name = _("residual-score decision")
        verbose_name_plural = _("residual-score decisions")
        ordering = ["risk", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=ResidualDecision.OVERRIDDEN) | ~Q(reason=""),
                name="residual_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(decision=ResidualDecision.ACCEPTED)
                | Q(proposed_probability__isnull=False, proposed_consequence__isnull=False),
                name="residual_accepted_has_proposal",
            ),
            models.CheckConstraint(
                condition=Q(decision=ResidualDecision.REASSESSED, reassessment_round__isnull=False)
                | (~Q(decision=ResidualDecision.REASSESSED) & Q(reassessment_round__isnull=True)),
                name="residual_reassessed_names_its_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk} {self.decided_at:%d.%m.%Y}"


# Tags of whistleblower cases are read by the officer alone, row by row; everyone else sees counts (risks/case_signals).
SIGNAL_RULE = AccessRule(
    organisation="organisation",
    view=frozenset({Role.OFFICER}),
    change=frozenset({Role.OFFICER}),
    superuser_bypass=False,
    read_down=False,
)


class RiskSignal(models.Model):
    """The officer's tag of a whistleblower case: the function or process it concerns and the risk it touches.

    It holds nothing of the case's content or the whistleblower's identity, only the day the case arrived. It is a
    row of its own so that it outlives the case: when a closed case is erased, `report` becomes empty and the signal
    still counts.
    """

    organisation = models.ForeignKey(
        "programs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    report = models.OneToOneField(
        "whistleblowers.WhistleblowerReport",
        verbose_name=_("whistleblower report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_signal",
    )
    received_on = models.DateField(_("case received on"))
    function = models.CharField(_("function"), max_length=30, choices=Function.choices)
    process = models.CharField(_("process"), max_length=500, blank=True)
    risk = models.ForeignKey(
        Risk,
        verbose_name=_("corruption risk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
    )
    proposed_risk = models.CharField(_("proposed new risk"), max_length=500, blank=True)
    tagged_at = models.DateTimeField(_("tagged at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    access = SIGNAL_RULE

    class Meta:
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")
        ordering = ["-received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk__isnull=True) | Q(proposed_risk=""), name="risk_signal_risk_or_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_function_display()} {self.received_on:%d.%m.%Y}"


# Models defined in a module of their own, gathered here so that Django finds them.
from risks.reassessment_models import ReassessmentRound, RiskReassessment  # noqa: E402, F401
