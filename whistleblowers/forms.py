"""Forms validate and render; the views hand `cleaned_data` to the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.form_errors import FocusFirstErrorMixin
from core.roles import Role
from core.uploads import RefusedFile, Sniffed, sniff
from programs.forms import VersionedFormMixin
from programs.models import Unit
from whistleblowers.choices import BasisOfKnowledge, CaseStatus, Channel, NoticeChannel, Recipient
from whistleblowers.models import InducementNotification
from whistleblowers.receipts import RECEIPT_DIGITS, receipt_normalise
from whistleblowers.services import INDUCEMENT_EDITABLE, TRANSITIONS

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class FocusFirstError(FocusFirstErrorMixin):
    """The officer's forms: sent back with errors, the keyboard lands on the first field to correct."""

    error_id_suffix = "_error"  # whistleblowers/includes/field.html


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def max_files() -> int:
    return int(getattr(settings, "WHISTLEBLOWER_MAX_FILES", 5))


def max_file_size() -> int:
    return int(getattr(settings, "WHISTLEBLOWER_MAX_FILE_SIZE", 10 * 1024 * 1024))


def check_upload(upload) -> Sniffed:
    """Size first (without reading a huge file into memory), then the content."""
    if upload.size > max_file_size():
        raise RefusedFile(gettext("The file is larger than %(size)s MB.") % {"size": max_file_size() // (1024 * 1024)})
    upload.seek(0)
    return sniff(upload.read())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once; each is judged by its content, and a refused file names itself and the reason."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > max_files():
            raise forms.ValidationError(
                _("Attach at most %(count)s files; the text you typed is kept, attach the files again.")
                % {"count": max_files()}
            )
        accepted, errors = [], []
        for upload in uploads:
            try:
                accepted.append((check_upload(upload), upload.name))
            except RefusedFile as refusal:
                errors.append(
                    _("“%(name)s” was not accepted: %(reason)s") % {"name": upload.name[:100], "reason": refusal}
                )
        if errors:
            errors.append(_("The text you typed is kept; attach the accepted files again."))
            raise forms.ValidationError(errors)
        return accepted


class PublicReportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    basis_of_knowledge = forms.ChoiceField(
        label=_("How did you learn about it?"), choices=BasisOfKnowledge.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("What happened?"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Facts that can be checked: what was done, what was asked or offered, documents that show it."),
    )
    accused = forms.CharField(
        label=_("Who is involved? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    place_and_time = forms.CharField(
        label=_("Where and when did it happen? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    disclosure = forms.ChoiceField(
        label=_("Do you want to give your name?"),
        choices=[("anonymous", _("No, report anonymously")), ("named", _("Yes, with my name and contacts"))],
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Your full name"), required=False, max_length=300)
    contacts = forms.CharField(
        label=_("How can we contact you? (phone, e-mail, address)"), required=False, max_length=500
    )
    position = forms.CharField(
        label=_("Your position or relation to the body (optional)"), required=False, max_length=300
    )
    attachments = AttachmentsField(
        label=_("Documents, photos (optional)"),
        help_text=_("Up to %(count)s files, each up to %(size)s MB: PDF, JPEG, PNG, text, DOCX or ODT."),
    )
    # A honeypot: people never see or fill it, form-filling robots do.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {
            "count": max_files(),
            "size": max_file_size() // (1024 * 1024),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("The form could not be accepted. Please try again."))
        if cleaned.get("disclosure") == "named" and not cleaned.get("full_name", "").strip():
            self.add_error("full_name", _("Enter your name, or choose to report anonymously."))
        return cleaned


class ReceiptField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Receipt (16 digits)"))
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})

    def clean(self, value):
        digits = receipt_normalise(super().clean(value) or "")
        if len(digits) != RECEIPT_DIGITS:
            raise forms.ValidationError(_("A receipt has 16 digits; check the number you saved."))
        return digits


class ReceiptConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    receipt = ReceiptField(label=_("Type your receipt here to confirm you saved it"))


class FollowUpForm(forms.Form):
    receipt = ReceiptField()


class ReplyForm(forms.Form):
    receipt = ReceiptField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your reply"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = AttachmentsField(label=_("Add files (optional)"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("body", "").strip() and not cleaned.get("attachments"):
            raise forms.ValidationError(_("Write a message or attach a file."))
        return cleaned


# --- the officer's forms -------------------------------------------------------------------------------------------


class StaffReportForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    channel = forms.ChoiceField(
        label=_("Received through"), choices=[choice for choice in Channel.choices if choice[0] != Channel.WEB_FORM]
    )
    received_on = date_field(_("Date received"))
    basis_of_knowledge = forms.ChoiceField(label=_("Basis of knowledge"), choices=BasisOfKnowledge.choices)
    summary = forms.CharField(label=_("Summary for the journal"), required=False, max_length=1000)
    details = forms.CharField(label=_("What happened"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    accused = forms.CharField(label=_("Who is involved"), required=False, max_length=2000)
    place_and_time = forms.CharField(label=_("Where and when"), required=False, max_length=2000)
    concerns_head = forms.BooleanField(label=_("The report concerns the head of the body"), required=False)
    is_anonymous = forms.BooleanField(label=_("Anonymous"), required=False, initial=True)
    full_name = forms.CharField(label=_("Whistleblower's full name"), required=False, max_length=300)
    contacts = forms.CharField(label=_("Contacts"), required=False, max_length=500)
    position = forms.CharField(label=_("Position or relation to the body"), required=False, max_length=300)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of receipt cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_anonymous") and not cleaned.get("full_name", "").strip():
            self.add_error("full_name", _("Enter the whistleblower's name, or mark the report as anonymous."))
        return cleaned


class SummaryForm(FocusFirstError, VersionedFormMixin, forms.Form):
    summary = forms.CharField(label=_("Summary for the journal"), required=False, max_length=1000)
    concerns_head = forms.BooleanField(label=_("The report concerns the head of the body"), required=False)
    accused_unit = forms.ModelChoiceField(label=_("Unit concerned"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused_unit"].queryset = Unit.objects.filter(organisation_id=report.organisation_id)
        self.add_version_field(report)


class AssignForm(FocusFirstError, forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation_id=report.organisation_id, memberships__role=Role.OFFICER)
            .distinct()
            .order_by("last_name", "username")
        )
        # The officer picks a person, not a login name.
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class StatusForm(FocusFirstError, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    on = date_field(_("Date"), required=False)
    outcome = forms.CharField(
        label=_("Outcome (required to close)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s.value, s.label) for s in CaseStatus if s.value in TRANSITIONS[report.status]
        ]


class ForwardingForm(FocusFirstError, forms.Form):
    recipient = forms.ChoiceField(label=_("Recipient"), choices=Recipient.choices)
    recipient_details = forms.CharField(label=_("Recipient details"), required=False, max_length=300)
    sent_on = date_field(_("Sent on"))
    outgoing_number = forms.CharField(label=_("Outgoing number"), max_length=50)


class OutcomeForm(FocusFirstError, forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class RetentionHoldForm(FocusFirstError, VersionedFormMixin, forms.Form):
    retention_hold = forms.CharField(
        label=_("Proceedings that still need the case"),
        max_length=300,
        required=False,
        help_text=_(
            "E.g. a criminal proceeding or a court case and its number. While this is filled in, the case is not "
            "erased when its retention period ends; empty it to lift the hold."
        ),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_field(report)


class InformedForm(FocusFirstError, forms.Form):
    informed_on = date_field(_("Whistleblower informed on"))


class OffenceSignsForm(FocusFirstError, forms.Form):
    found_on = date_field(_("Signs of an offence found on"))


class OfficerMessageForm(FocusFirstError, forms.Form):
    body = forms.CharField(
        label=_("Message to the whistleblower"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class IdentityForm(FocusFirstError, forms.Form):
    purpose = forms.CharField(label=_("Why do you need the identity?"), max_length=300)


class DisclosureNoticeForm(FocusFirstError, forms.Form):
    ground = forms.CharField(
        label=_("Legal ground for the disclosure"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The law and the request that allow it, e.g. an investigator's request: number, date, article."),
    )
    recipient = forms.CharField(label=_("To whom the identity would be disclosed"), max_length=1000)
    notified_on = date_field(_("Whistleblower notified on"))
    channel = forms.ChoiceField(
        label=_("How the whistleblower was notified"), choices=NoticeChannel.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        if report.receipt_hash is None:
            self.fields["channel"].choices = [c for c in NoticeChannel.choices if c[0] != NoticeChannel.PORTAL]
        else:
            self.fields["channel"].help_text = _(
                "The whistleblower has a receipt: the notice is also sent to them as a message on the portal."
            )

    def clean_notified_on(self):
        value = self.cleaned_data["notified_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date the whistleblower was notified cannot be in the future."))
        return value


class NoticeStepForm(FocusFirstError, forms.Form):
    """A form about one notice of the case page; its ids carry the notice's number so several fit on one page."""

    def __init__(self, *args, notice, **kwargs):
        kwargs.setdefault("auto_id", f"id_notice{notice.pk}_%s")
        super().__init__(*args, **kwargs)


class DisclosureForm(NoticeStepForm):
    disclosed_on = date_field(_("Disclosed on"))
    note = forms.CharField(
        label=_("What was disclosed, to whom and by which document"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoticeWithdrawForm(NoticeStepForm):
    reason = forms.CharField(label=_("Why the notice is withdrawn"), max_length=2000)


class InducementForm(VersionedFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    class Meta:
        model = InducementNotification
        fields = INDUCEMENT_EDITABLE
        widgets = {
            "notifier": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "registered_on",
            "incoming_date",
            "resolution_due",
            "receipt_acknowledged_on",
            "executed_document_date",
        ):
            self.fields[name].input_formats = DATE_FORMATS
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.add_version_field(self.instance)
        if self.instance.pk or organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            if len(organisations) == 1:
                self.fields["organisation"].initial = organisations[0]

    def clean(self):
        cleaned = super().clean()
        registered, due = cleaned.get("registered_on"), cleaned.get("resolution_due")
        if registered and due and due < registered:
            self.add_error("resolution_due", _("The due date cannot be before the registration date."))
        return cleaned
