from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.access import PROGRAM_EDITORS, PROGRAM_READERS, AccessRule, ScopedQuerySet
from core.periods import PeriodKind, period_bounds, period_label
from core.roles import Role
from measures.models import Measure
from reports.choices import (
    EntryState,
    EvidenceKind,
    ExecutionStatus,
    Grade,
    PeriodAction,
    PeriodState,
)
from reports.execution.evidence import EvidenceRef, evidence_phrase, status_label, status_sentence

REPORTERS = frozenset({Role.SECRETARY, Role.REPORTER})


class ReportingPeriod(models.Model):
    """A quarter, half-year or year of a program, with its submission due date and review state."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    submission_due = models.DateField(_("units report by"))
    state = models.CharField(_("state"), max_length=20, choices=PeriodState.choices, default=PeriodState.OPEN)
    conclusion = models.TextField(_("commission's overall conclusion"), blank=True)
    # The commission's decision (an agenda item of a meeting protocol) that approved and locked the period.
    approval_decision = models.ForeignKey(
        "programs.AgendaItem",
        verbose_name=_("approved by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Why the commission approved a report that still had gaps (unsubmitted, unevaluated or unexplained entries);
    # empty when it was complete. The review page and the PDF state it.
    approved_with_gaps = models.TextField(_("reason for approving an incomplete report"), blank=True)
    # A quarter opens to units on its first day; the secretary may open it earlier.
    opened_early_on = models.DateField(_("opened to units early on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="program__organisation", view=PROGRAM_READERS | {Role.REPORTER}, change=PROGRAM_EDITORS
    )

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["program", "year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind", "year", "number"], name="reporting_period_unique"),
            models.CheckConstraint(
                condition=~Q(state=PeriodState.APPROVED) | Q(approval_decision__isnull=False),
                name="reporting_period_approved_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(kind=PeriodKind.QUARTER, number__gte=1, number__lte=4)
                | Q(kind=PeriodKind.HALF_YEAR, number__gte=1, number__lte=2)
                | Q(kind=PeriodKind.YEAR, number=1),
                name="reporting_period_number_in_range",
            ),
        ]

    def __str__(self) -> str:
        return period_label(self.kind, self.year, self.number)

    @property
    def bounds(self):
        return period_bounds(self.kind, self.year, self.number)

    @property
    def starts_on(self):
        return self.bounds[0]

    @property
    def ends_on(self):
        return self.bounds[1]

    @property
    def is_locked(self) -> bool:
        return self.state == PeriodState.APPROVED

    def has_begun(self, today=None) -> bool:
        """Units report once the period has begun, or earlier when the secretary opened it early."""
        return self.opened_early_on is not None or (today or timezone.localdate()) >= self.starts_on


class PeriodEvent(models.Model):
    """What happened to a period and why: sent for review, approved, reopened (with the reason), reminders sent."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=PeriodAction.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=PeriodState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=PeriodState.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decision = models.ForeignKey(
        "programs.AgendaItem",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    units = models.ManyToManyField("programs.Unit", verbose_name=_("units"), blank=True, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="period__program__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("period event")
        verbose_name_plural = _("period events")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action=PeriodAction.REOPENED) | ~Q(reason=""), name="period_reopen_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.get_action_display()}"


class ReminderDelivery(models.Model):
    """The outbox of reminders: one unit's e-mail of a recorded reminder, written in the transaction that records
    the reminder, so a broker or mail-server outage delays it and never loses it (the officers' notices work the
    same way, whistleblowers.models.OfficerNotice). The worker mails it on commit; a periodic drain retries with
    back-off while the period is open. `sent_at` marks it delivered, so no unit is mailed twice."""

    event = models.ForeignKey(
        PeriodEvent, verbose_name=_("reminder"), on_delete=models.CASCADE, related_name="deliveries"
    )
    unit = models.ForeignKey("programs.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    # Empty: not to be tried again (the period is no longer open, or the unit has nobody left to mail).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True, default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The class of the last failure (e.g. SMTPServerDisconnected), or why it was given up.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [models.UniqueConstraint(fields=["event", "unit"], name="reminder_delivery_once_per_unit")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="reminder_delivery_unsent")
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.unit}"


# Where `attach_documents` puts each entry's documents, as a plain list: a page of entries then builds no related
# manager and no filtered queryset per entry.
EVIDENCE_IN_ORDER = "evidence_in_order"


def evidence_prefetch() -> Prefetch:
    """Each entry's documents in their order."""
    return Prefetch("evidence", queryset=Evidence.objects.order_by("position", "pk"))


class ExecutionEntry(models.Model):
    """The status of one measure for one period (Стан виконання): a status word, a narrative and evidence."""

    measure = models.ForeignKey(
        "measures.Measure", verbose_name=_("measure"), on_delete=models.CASCADE, related_name="entries"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="entries"
    )
    status = models.CharField(_("status"), max_length=20, choices=ExecutionStatus.choices)
    narrative = models.TextField(_("what was done"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    non_execution_reasons = models.TextField(_("reasons for non-execution"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=EntryState.choices, default=EntryState.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: a save that carries an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The measure's place in the program order (Measure.place), copied so that a long list sorts on the entries alone
    # (reports.execution.receivers keeps it when places change): a sort key, not data.
    measure_place = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["measure_place"])
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="period__program__organisation",
        view=PROGRAM_READERS | {Role.REPORTER},
        change=REPORTERS,
        reporter_units="measure__responsible_units",
    )

    class Meta:
        verbose_name = _("execution entry")
        verbose_name_plural = _("execution entries")
        ordering = ["period", "measure"]
        # A page of the entries list reads its keys from a period in its measures' places (reports.execution.api).
        indexes = [models.Index(fields=["period", "measure_place", "measure"], name="entry_period_place")]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="execution_entry_unique"),
            models.CheckConstraint(
                condition=Q(state=EntryState.DRAFT) | Q(state=EntryState.SUBMITTED, submitted_at__isnull=False),
                name="execution_entry_submission_recorded",
            ),
            models.CheckConstraint(condition=Q(status__in=ExecutionStatus.values), name="execution_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} — {self.period}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            return super().save(*args, **kwargs)
        # The measure's place as stored now, read by the INSERT itself: a measure object held since may be stale.
        self.measure_place = Subquery(Measure.objects.filter(pk=self.measure_id).values("place")[:1])
        try:
            super().save(*args, **kwargs)
        finally:
            del self.measure_place  # deferred: read from the row if ever asked for, and left out of later saves

    @property
    def documents(self) -> list:
        """The entry's documents in order: the list a query attached (`EVIDENCE_IN_ORDER`), else read through the
        relation (or its prefetch)."""
        attached = getattr(self, EVIDENCE_IN_ORDER, None)
        return attached if attached is not None else list(self.evidence.all())

    def sentence(self) -> str:
        """The status sentence exactly as the grid, the PDF and the API show it."""
        refs = [item.as_ref() for item in self.documents]
        # Not get_status_display(): it hashes every lazily translated choice, for each of a page's entries.
        return status_sentence(status_label(self.status), self.narrative, refs)


class Evidence(models.Model):
    """A document proving what was done: a letter, order, protocol, memo, web page or uploaded file."""

    entry = models.ForeignKey(
        ExecutionEntry, verbose_name=_("execution entry"), on_delete=models.CASCADE, related_name="evidence"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("place in a list", "position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/", blank=True)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="entry__period__program__organisation",
        view=PROGRAM_READERS | {Role.REPORTER},
        change=REPORTERS,
        reporter_units="entry__measure__responsible_units",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["entry", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind=EvidenceKind.WEB_PAGE) | ~Q(url=""), name="evidence_page_has_url"),
            models.CheckConstraint(condition=~Q(kind=EvidenceKind.FILE) | ~Q(file=""), name="evidence_file_has_file"),
        ]

    def __str__(self) -> str:
        return self.number or self.title or self.url

    def phrase(self) -> str:
        return evidence_phrase(self.as_ref())

    def as_ref(self) -> EvidenceRef:
        return EvidenceRef(
            kind=self.kind, issuer=self.issuer, number=self.number, on=self.issued_on, title=self.title, url=self.url
        )


def attach_documents(entries: list[ExecutionEntry]) -> list[ExecutionEntry]:
    """Each entry's documents in their order as a plain list under EVIDENCE_IN_ORDER, each document holding its
    entry, read in one query without Django's prefetch machinery (a queryset built and a descriptor set per
    document: a fifth of the API's page of entries)."""
    by_pk = {entry.pk: entry for entry in entries}
    for entry in entries:
        setattr(entry, EVIDENCE_IN_ORDER, [])
    if by_pk:
        link = Evidence._meta.get_field("entry")
        for item in Evidence.objects.filter(entry_id__in=by_pk).order_by("position", "pk"):
            entry = by_pk[item.entry_id]
            link.set_cached_value(item, entry)
            getattr(entry, EVIDENCE_IN_ORDER).append(item)
    return entries


class Evaluation(models.Model):
    """The commission's evaluation of one entry: timeliness, completeness and effectiveness."""

    entry = models.OneToOneField(
        ExecutionEntry, verbose_name=_("execution entry"), on_delete=models.CASCADE, related_name="evaluation"
    )
    timeliness = models.CharField(_("timeliness"), max_length=20, choices=Grade.choices)
    completeness = models.CharField(_("completeness"), max_length=20, choices=Grade.choices)
    effectiveness = models.CharField(_("effectiveness"), max_length=20, choices=Grade.choices)
    comment = models.TextField(_("comment"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="entry__period__program__organisation",
        view=PROGRAM_READERS,
        change=frozenset({Role.COMMISSION, Role.SECRETARY}),
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.entry}"
