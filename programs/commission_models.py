"""The anti-corruption commission: its members, meetings, agenda items and votes (gathered in programs.models)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.access import PROGRAM_EDITORS, PROGRAM_READERS, AccessRule, ScopedQuerySet
from programs.choices import (
    CommissionRole,
    DecisionKind,
    MeetingFormat,
    Vote,
)


class Commission(models.Model):
    """The commission that assesses corruption risks and monitors the program of an organisation."""

    organisation = models.OneToOneField(
        "programs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="commission"
    )
    name = models.CharField(_("name"), max_length=500)
    established_by = models.CharField(_("established by (order)"), max_length=300, blank=True)

    # Optimistic locking (core.concurrency): a save carrying an older version is refused, not overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")

    def __str__(self) -> str:
        return self.name


class CommissionMember(models.Model):
    """A person on the commission with a role; outside experts may have no portal account."""

    commission = models.ForeignKey(
        Commission, verbose_name=_("commission"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commission_seats",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=300, blank=True)
    role = models.CharField(_("role in the commission"), max_length=20, choices=CommissionRole.choices)
    since = models.DateField(_("member since"), null=True, blank=True)
    until = models.DateField(_("member until"), null=True, blank=True)

    # Optimistic locking (core.concurrency): a save carrying an older version is refused, not overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="commission__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["commission", "role", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission"],
                condition=Q(role=CommissionRole.CHAIR, until__isnull=True),
                name="commission_one_current_chair",
            ),
            models.UniqueConstraint(
                fields=["commission"],
                condition=Q(role=CommissionRole.SECRETARY, until__isnull=True),
                name="commission_one_current_secretary",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="commission_member_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Meeting(models.Model):
    """A commission meeting; its protocol records the decisions."""

    commission = models.ForeignKey(
        Commission, verbose_name=_("commission"), on_delete=models.CASCADE, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("protocol number"))
    held_on = models.DateField(_("date"))
    format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    protocol_signed_on = models.DateField(_("protocol drawn up on"), null=True, blank=True)
    attendees = models.ManyToManyField(
        CommissionMember, verbose_name=_("attendees"), blank=True, related_name="meetings_attended"
    )

    # Optimistic locking (core.concurrency): a save carrying an older version is refused, not overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="commission__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("commission meeting")
        verbose_name_plural = _("commission meetings")
        ordering = ["-held_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "held_on", "number"], name="meeting_protocol_unique"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.held_on:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("programs:meeting", args=[self.pk])


class AgendaItem(models.Model):
    """An item of a meeting: what was heard (Слухали) and what was decided (Вирішили)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(pgettext_lazy("place in a list", "position"))
    title = models.CharField(_("question"), max_length=500)
    heard = models.TextField(_("heard"), blank=True)
    decided = models.TextField(_("decided"), blank=True)
    decision_kind = models.CharField(
        _("decision kind"), max_length=30, choices=DecisionKind.choices, default=DecisionKind.GENERAL
    )
    period = models.ForeignKey(
        "reports.ReportingPeriod",
        verbose_name=_("reporting period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    revision = models.ForeignKey(
        "ProgramRevision",
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="meeting__commission__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_unique"),
            models.CheckConstraint(
                condition=~Q(decision_kind=DecisionKind.APPROVE_PERIOD_REPORT) | Q(period__isnull=False),
                name="agenda_item_report_decision_names_period",
            ),
            models.CheckConstraint(
                condition=~Q(decision_kind=DecisionKind.APPROVE_REVISION) | Q(revision__isnull=False),
                name="agenda_item_revision_decision_names_revision",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MemberVote(models.Model):
    """How one member voted on an agenda item."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CommissionMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member}: {self.vote}"
