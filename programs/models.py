from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.access import PROGRAM_EDITORS, PROGRAM_READERS, STAFF_ROLES, AccessRule, ScopedQuerySet
from core.roles import Role
from programs.choices import (
    Country,
    OrganisationKind,
    PeopleAction,
    ProgramStatus,
    RevisionGround,
    RevisionStatus,
)


class Organisation(models.Model):
    """A public body: a central office, a territorial body or a subordinate enterprise, possibly under a parent."""

    name = models.CharField(_("name"), max_length=300)
    # «для Державної міграційної служби України»: Ukrainian and Russian sentences need the name declined, which no
    # rule does reliably; the body writes it once. Empty: sentences are phrased around the name as it stands.
    name_genitive = models.CharField(
        _("name in the genitive case"),
        max_length=300,
        blank=True,
        help_text=_("As it reads after “for” or “from”: «Державної міграційної служби України»."),
    )
    short_name = models.CharField(_("short name"), max_length=50)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.CENTRAL
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.UKRAINE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("identification code"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="", view=STAFF_ROLES, change=frozenset({Role.ADMIN}))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["short_name"], name="organisation_short_name_unique"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="organisation_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("programs:organisation", args=[self.pk])

    @property
    def working_language(self) -> str:
        """The language of the body's own paperwork: Ukrainian bodies write Ukrainian, Kyrgyz bodies Russian."""
        return "ru" if self.country == Country.KYRGYZSTAN else "uk"


class Unit(models.Model):
    """A structural unit of an organisation (ВПЗВК, УП, УКЕС …) that carries out measures and reports on them."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=300)
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    head_name = models.CharField(_("head of unit"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # Optimistic locking (core.concurrency): a save carrying an older version is refused, not overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()
    access = AccessRule(organisation="organisation", view=STAFF_ROLES, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation", "abbreviation"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "abbreviation"], name="unit_abbreviation_unique"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.abbreviation


class Membership(models.Model):
    """A role a user holds in an organisation; unit reporters hold it for one unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="organisation", view=frozenset({Role.ADMIN}), change=frozenset({Role.ADMIN}))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], condition=Q(unit__isnull=True), name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="membership_unit_unique",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.REPORTER, unit__isnull=False) | (~Q(role=Role.REPORTER) & Q(unit__isnull=True)),
                name="membership_unit_only_for_reporters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class Program(models.Model):
    """An anti-corruption program (антикорупційна програма) of one organisation for a span of years."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="programs"
    )
    title = models.CharField(_("title"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    risk_matrix = models.ForeignKey(
        "risks.RiskMatrix", verbose_name=_("risk matrix"), on_delete=models.PROTECT, related_name="programs"
    )
    approval_order_number = models.CharField(_("approval order number"), max_length=50, blank=True)
    approval_order_date = models.DateField(_("approval order date"), null=True, blank=True)
    nazk_agreement_number = models.CharField(_("NAZK agreement number"), max_length=50, blank=True)
    nazk_agreement_date = models.DateField(_("NAZK agreement date"), null=True, blank=True)
    published_url = models.URLField(_("publication address"), blank=True)
    # The day the program came into force (its document's date, else the day it was moved to "in force"): periods
    # that ended before it are never reported (core.periods.period_reported). Empty: in force for all its years.
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    # Revision deadlines of seed 000 §IV; the regulator changes them, so they are data.
    revision_decision_months = models.PositiveSmallIntegerField(_("months for the head's revision decision"), default=1)
    revision_meeting_weeks = models.PositiveSmallIntegerField(_("weeks to convene the commission"), default=3)
    revision_protocol_working_days = models.PositiveSmallIntegerField(
        _("working days to draw up the protocol"), default=1
    )
    submission_due_days = models.PositiveSmallIntegerField(
        _("days after a period ends for units to report"), default=15
    )
    # The worker reminds units that have not submitted this many working days before a quarter's due date.
    reminder_days_before = models.PositiveSmallIntegerField(
        _("working days before the due date to remind units"), default=5
    )
    # How the execution report opens, as the body files it (seed 001); "{period}" stands for «у 2023 році» etc.
    # Empty: no annex heading, a title built from the program, the portal's column headings.
    report_annex_heading = models.TextField(_("annex heading of the execution report"), blank=True)
    report_title = models.TextField(_("title of the execution report"), blank=True)
    report_columns = models.TextField(_("column headings of the execution report"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="organisation", view=PROGRAM_READERS | {Role.REPORTER}, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("anti-corruption program")
        verbose_name_plural = _("anti-corruption programs")
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="program_years_ordered"),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, end_year__lte=2100), name="program_years_plausible"
            ),
            models.CheckConstraint(condition=Q(status__in=ProgramStatus.values), name="program_status_valid"),
            models.UniqueConstraint(fields=["organisation", "title"], name="program_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.pk])

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class ProgramStatusChange(models.Model):
    """One lifecycle transition of a program: who moved it, when and why."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ProgramStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProgramStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="program__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("program status change")
        verbose_name_plural = _("program status changes")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="status_change_changes_status"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.from_status} → {self.to_status}"


class ProgramSection(models.Model):
    """A numbered section of the program document (I. Засади …, II. Оцінка корупційних ризиків …)."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(pgettext_lazy("place in a list", "position"))
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="program__organisation", view=PROGRAM_READERS | {Role.REPORTER}, change=PROGRAM_EDITORS
    )

    class Meta:
        verbose_name = _("program section")
        verbose_name_plural = _("program sections")
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="program_section_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="program_section_position_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgramRevision(models.Model):
    """A revision (перегляд) of an approved program: its grounds, deadlines, the deciding meeting and the changes."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("number"))
    ground = models.CharField(_("ground"), max_length=30, choices=RevisionGround.choices)
    ground_details = models.TextField(_("ground details"), blank=True)
    ground_arose_on = models.DateField(_("ground arose on"))
    status = models.CharField(_("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.OPEN)
    changes_summary = models.TextField(_("what changed"), blank=True)
    head_decision_on = models.DateField(_("head's decision date"), null=True, blank=True)
    order_number = models.CharField(_("amending order number"), max_length=50, blank=True)
    order_date = models.DateField(_("amending order date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="program__organisation", view=PROGRAM_READERS, change=PROGRAM_EDITORS)

    class Meta:
        verbose_name = _("program revision")
        verbose_name_plural = _("program revisions")
        ordering = ["program", "number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="program_revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.program} — {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("programs:revision", args=[self.pk])


class Invitation(models.Model):
    """An invitation to take roles in an organisation, sent by e-mail as a one-time link to set a password.

    Only a hash of the link's token is stored: a copy of the database cannot be used to sign in. The roles are given
    when the invitation is accepted, so a revoked or expired invitation leaves nothing behind.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations"
    )
    roles = models.JSONField(_("roles"), default=list)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="organisation", view=frozenset({Role.ADMIN}), change=frozenset({Role.ADMIN}))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class PeopleChange(models.Model):
    """One change to an organisation's people, in words: who did what to whom and when."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="people_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30, choices=PeopleAction.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(organisation="organisation", view=frozenset({Role.ADMIN}), change=frozenset({Role.ADMIN}))

    class Meta:
        verbose_name = _("change to people")
        verbose_name_plural = _("changes to people")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.detail}"


class DemoLoad(models.Model):
    """What `load_demo` last wrote to this database, so that a second start of the portal skips the loader.

    Kept in the database it describes: a fresh database has no row and is loaded. `fingerprint` is the digest of the
    demo's code, so a changed demo is loaded again. `demo_password_hashes` are digests of password hashes already
    verified to be the demo password: listing the logins verifies only a hash it has not seen (a password changed
    since has a new hash), instead of one Argon2 check per user on every start.
    """

    fingerprint = models.CharField(_("fingerprint of the demo"), max_length=64)
    demo_password_hashes = models.JSONField(_("password hashes known to be the demo password"), default=list)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("demo load")
        verbose_name_plural = _("demo loads")

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} {self.loaded_at:%Y-%m-%d %H:%M}"


# The second factor's devices live in their own module; imported here so that Django registers them with the app.
# Models defined in modules of their own, gathered here so that Django finds them.
from programs.commission_models import AgendaItem, Commission, CommissionMember, Meeting, MemberVote  # noqa: E402, F401
from programs.second_factor_models import AuthenticatorApp, RecoveryCode, RecoveryCodes  # noqa: E402, F401
