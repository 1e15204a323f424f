from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_IN_LOCKED = "sign_in_locked", _("Sign-in locked")
    SIGNED_OUT = "signed_out", _("Signed out")
    ROLE_GIVEN = "role_given", _("Role given")
    ROLE_TAKEN = "role_taken", _("Role taken away")
    INVITED = "invited", _("Invitation sent")
    INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    ACCOUNT_ACTIVATED = "account_activated", _("Account activated")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")
    IDENTITY_READ = "identity_read", _("Whistleblower identity read")
    DISCLOSURE_NOTICE = "disclosure_notice", _("Notice of identity disclosure recorded")
    IDENTITY_DISCLOSED = "identity_disclosed", _("Whistleblower identity disclosed")
    PERIOD_APPROVED = "period_approved", _("Period report approved")
    DECISION_RECORDED = "decision_recorded", _("Commission decision recorded")
    REPORT_PUBLISHED = "report_published", _("Report published")
    REPORT_WITHDRAWN = "report_withdrawn", _("Report withdrawn from publication")
    DELETED = "deleted", _("Deleted")
    CASE_ERASED = "case_erased", _("Whistleblower case erased at the end of its retention period")
    EXPORTED = "exported", _("Exported")
