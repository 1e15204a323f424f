from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Country(models.TextChoices):
    UKRAINE = "UA", _("Ukraine")
    KYRGYZSTAN = "KG", _("Kyrgyzstan")


class OrganisationKind(models.TextChoices):
    CENTRAL = "central", _("Central body")
    TERRITORIAL = "territorial", _("Territorial body")
    ENTERPRISE = "enterprise", _("Subordinate enterprise or institution")


class PeopleAction(models.TextChoices):
    INVITED = "invited", _("Invited")
    INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    ROLE_GIVEN = "role_given", _("Role given")
    ROLE_TAKEN = "role_taken", _("Role taken away")
    DETAILS_CHANGED = "details_changed", _("Position or phone changed")
    DEACTIVATED = "deactivated", _("Account deactivated")
    ACTIVATED = "activated", _("Account activated")
    ORGANISATION_CREATED = "organisation_created", _("Organisation created")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("program status", "Draft")
    PUBLIC_DISCUSSION = "public_discussion", _("Public discussion")
    APPROVED = "approved", _("Approved")
    SUBMITTED = "submitted", _("Submitted to NAZK for agreement")
    AGREED = "agreed", _("Agreed")
    RETURNED = "returned", _("Returned for revision")
    IN_FORCE = "in_force", _("In force")
    UNDER_REVISION = "under_revision", _("Under revision")
    EXPIRED = "expired", _("No longer in force")


class RevisionGround(models.TextChoices):
    STATE_PROGRAM = "state_program", _("A new state anti-corruption program")
    NAZK_PROPOSALS = "nazk_proposals", _("Proposals of NAZK")
    NEW_RISKS = "new_risks", _("Newly identified corruption risks")
    INEFFECTIVE_MEASURES = "ineffective_measures", _("Ineffective measures")
    LEGISLATION = "legislation", _("New or amended legislation")
    OTHER = "other", _("Other")


class RevisionStatus(models.TextChoices):
    OPEN = "open", _("Grounds recorded")
    DECIDED = "decided", _("Decided by the commission")
    APPROVED = "approved", _("Changes approved")
    REJECTED = "rejected", _("No changes needed")


class CommissionRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    EXPERT = "expert", _("External expert")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    MIXED = "mixed", _("Mixed")


class DecisionKind(models.TextChoices):
    GENERAL = "general", _("General decision")
    APPROVE_PERIOD_REPORT = "approve_period_report", _("Approve the execution report for a period")
    APPROVE_REVISION = "approve_revision", _("Decide on a program revision")


class Vote(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstained")
