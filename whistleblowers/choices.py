from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB_FORM = "web_form", _("Website form")
    PHONE = "phone", _("Special phone line")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")
    NAZK_PORTAL = "nazk_portal", _("NAZK whistleblower portal")


class BasisOfKnowledge(models.TextChoices):
    """How the whistleblower learned of the facts (art. 1 of the Law «Про запобігання корупції»)."""

    WORK = "work", _("Work")
    PROFESSIONAL = "professional", _("Professional activity")
    BUSINESS = "business", _("Business activity")
    PUBLIC = "public", _("Public activity")
    SCIENTIFIC = "scientific", _("Scientific activity")
    SERVICE = "service", _("Service")
    STUDY = "study", _("Study")
    PROCEDURES = "procedures", _("Participation in procedures mandatory by law")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PRELIMINARY_REVIEW = "preliminary_review", _("Preliminary review")
    VERIFICATION = "verification", _("Verification")
    FORWARDED = "forwarded", _("Forwarded to the competent body")
    NOT_IN_COMPETENCE = "not_in_competence", _("Not within the body's competence")
    ORDINARY_APPEAL = "ordinary_appeal", _("Handled as an ordinary appeal")
    CLOSED = "closed", _("Closed")


class Recipient(models.TextChoices):
    NAZK = "nazk", _("NAZK")
    NABU = "nabu", _("NABU")
    POLICE = "police", _("National Police")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    SBI = "sbi", _("State Bureau of Investigation")
    PARENT_BODY = "parent_body", _("Parent body (its officer may then read the case)")
    OTHER = "other", _("Other body")


class MessageAuthor(models.TextChoices):
    REPORTER = "reporter", _("Whistleblower")
    OFFICER = "officer", _("Anti-corruption officer")


class NoticeChannel(models.TextChoices):
    """How the whistleblower was told that their identity may be disclosed (art. 53-5)."""

    PORTAL = "portal", _("A message on the portal (read with the receipt)")
    CONTACTS = "contacts", _("Through the contacts the whistleblower gave")
    OTHER = "other", _("Another way")


class DisclosureState(models.TextChoices):
    NOTIFIED = "notified", _("Whistleblower notified")
    ALLOWED = "allowed", _("Disclosure allowed")
    DISCLOSED = "disclosed", _("Disclosed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ErasureReason(models.TextChoices):
    RETENTION = "retention", _("Retention period after closing has passed")
