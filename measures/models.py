from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import PROGRAM_EDITORS, PROGRAM_READERS, AccessRule, ScopedQuerySet
from core.history import KeptHistoricalRecords
from core.roles import Role
from measures.choices import SECTIONS_TREATING_NO_RISK, DeadlineKind, SectionKind
from measures.deadlines import Deadline, phrase


class MeasureSection(models.Model):
    """A section of the measures annex (І. Програма антикорупційних навчань, ІІ. Заходи з поширення інформації …)."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="measure_sections"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices, default=SectionKind.RISK_TREATMENT)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="program__organisation", view=PROGRAM_READERS | {Role.REPORTER}, change=PROGRAM_EDITORS
    )

    class Meta:
        verbose_name = _("section of measures")
        verbose_name_plural = _("sections of measures")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="measure_section_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="measure_section_number_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def treats_no_risk_by_nature(self) -> bool:
        """A measure of this section may rightly treat no risk (a training, a dissemination of information)."""
        return self.kind in SECTIONS_TREATING_NO_RISK


class Task(models.Model):
    """A task (завдання) grouping measures within a section."""

    section = models.ForeignKey(
        MeasureSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("task"), max_length=1000)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="section__program__organisation", view=PROGRAM_READERS | {Role.REPORTER}, change=PROGRAM_EDITORS
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="task_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeasureUnit(models.Model):
    """A responsible unit of a measure at its place in the measure's list (the program names the lead unit first).

    The table is the one the plain many-to-many used (0004 kept its rows), with the position added.
    """

    measure = models.ForeignKey(
        "measures.Measure", verbose_name=_("measure"), on_delete=models.CASCADE, related_name="unit_links"
    )
    unit = models.ForeignKey(
        "programs.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="measure_links"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("place in a list", "position"), default=0)

    class Meta:
        db_table = "measures_measure_responsible_units"
        verbose_name = _("responsible unit of a measure")
        verbose_name_plural = _("responsible units of measures")
        ordering = ["measure", "position", "pk"]
        # The pair's uniqueness is the one the plain many-to-many table had (migration 0004 kept the table).
        unique_together = [("measure", "unit")]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.unit_id}"


class Measure(models.Model):
    """A measure (захід) of the program: content, a structured deadline, responsible units and treated risks."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="measures")
    # Seed 001 numbers measures within a task as "1)", "2)"; a task with a single measure leaves it unnumbered.
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    content = models.TextField(_("content of the measure"))
    stages = models.TextField(_("stages"), blank=True)
    deadline_kind = models.CharField(_("deadline"), max_length=20, choices=DeadlineKind.choices)
    deadline_year = models.PositiveSmallIntegerField(_("deadline year"), null=True, blank=True)
    deadline_part = models.PositiveSmallIntegerField(_("quarter or half-year"), null=True, blank=True)
    deadline_date = models.DateField(_("deadline date"), null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    deadline_event = models.CharField(_("event"), max_length=300, blank=True)
    # In the order the program lists them (seed 001: ВПЗВК, УП, УКЕС, ДІТЗІ), kept by MeasureUnit.position.
    responsible_units = models.ManyToManyField(
        "programs.Unit", verbose_name=_("responsible units"), related_name="measures", through=MeasureUnit
    )
    target_audience = models.TextField(_("target audience"), blank=True)
    indicator = models.TextField(_("indicator (expected result)"), blank=True)
    resources = models.TextField(_("resources needed"), blank=True)
    risks = models.ManyToManyField("risks.Risk", verbose_name=_("risks treated"), blank=True, related_name="measures")
    position = models.PositiveIntegerField(pgettext_lazy("place in a list", "position"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The measure's rank in its program's order (Meta.ordering), kept by measures.places: a sort key, not data.
    place = models.PositiveIntegerField(default=0, editable=False)

    # Kept on the model: a measure is created with its lists as one history record (core.history.created_with_lists).
    history = KeptHistoricalRecords(m2m_fields=[responsible_units, risks], excluded_fields=["place"])
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="task__section__program__organisation",
        view=PROGRAM_READERS | {Role.REPORTER},
        change=PROGRAM_EDITORS,
        reporter_units="responsible_units",
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["task__section__number", "task__number", "position", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="measure_number_unique"),
            models.CheckConstraint(
                condition=~Q(deadline_kind=DeadlineKind.DATE) | Q(deadline_date__isnull=False),
                name="measure_date_deadline_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind=DeadlineKind.QUARTER)
                | Q(deadline_part__isnull=False, deadline_part__gte=1, deadline_part__lte=4),
                name="measure_quarter_deadline_has_quarter",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind=DeadlineKind.HALF_YEAR)
                | Q(deadline_part__isnull=False, deadline_part__gte=1, deadline_part__lte=2),
                name="measure_half_deadline_has_half",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind__in=[DeadlineKind.BEFORE_EVENT, DeadlineKind.AFTER_EVENT])
                | Q(deadline_days__isnull=False, deadline_days__gte=1),
                name="measure_event_deadline_has_days",
            ),
            models.CheckConstraint(
                condition=Q(deadline_kind__in=DeadlineKind.values), name="measure_deadline_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.content[:120]

    @property
    def deadline(self) -> Deadline:
        return Deadline(
            kind=self.deadline_kind,
            year=self.deadline_year,
            part=self.deadline_part,
            on=self.deadline_date,
            days=self.deadline_days,
            event=self.deadline_event,
        )

    def deadline_phrase(self) -> str:
        program = self.task.section.program
        return phrase(self.deadline, program.start_year, program.end_year)

    @property
    def label(self) -> str:
        return f"{self.number})" if self.number else ""

    def ordered_units(self) -> list:
        """The responsible units in the measure's own order; prefetch `unit_links__unit` to read them for free."""
        return [link.unit for link in self.unit_links.all()]
