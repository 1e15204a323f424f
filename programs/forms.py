"""Forms of programs, sections, lifecycle, revisions and units: they validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs import report_headings
from programs.choices import ProgramStatus, RevisionStatus
from programs.lifecycle import NEEDS_DOCUMENT, NEEDS_REASON, allowed_transitions
from programs.models import Organisation, Program, ProgramRevision, ProgramSection, Unit
from programs.services import (
    ORGANISATION_EDITABLE,
    PROGRAM_EDITABLE,
    REVISION_EDITABLE,
    SECTION_EDITABLE,
    UNIT_EDITABLE,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RevisionChoiceMixin:
    """An approved program changes only under an open revision: the form offers the open ones."""

    def add_revision_field(self, program: Program, required: bool) -> None:
        queryset = program.revisions.filter(status__in=[RevisionStatus.OPEN, RevisionStatus.DECIDED])
        self.fields["revision"] = forms.ModelChoiceField(
            label=_("Under revision"),
            queryset=queryset,
            required=required,
            help_text=_("The program is approved: every change is made under a recorded revision."),
            error_messages={"required": _("Choose the revision under which this change is made.")},
        )


def program_input_problems(data: dict) -> list[tuple[str, str]]:
    """The years of a program, checked by the form and the API alike: (field, message) pairs."""
    problems = []
    start, end = data.get("start_year"), data.get("end_year")
    if start is not None and end is not None and end < start:
        problems.append(("end_year", _("The last year cannot be before the first year.")))
    for name in ("start_year", "end_year"):
        year = data.get(name)
        if year is not None and not 2000 <= year <= 2100:
            problems.append((name, _("Enter a year between 2000 and 2100.")))
    return problems + report_headings.heading_problems(data)


class VersionedFormMixin:
    """An edit form carries, hidden, the version of the record the user opened: the service refuses the save if
    someone saved the record since (core.concurrency), and the form comes back with what the user typed."""

    def add_version_field(self, instance) -> None:
        if instance is not None and instance.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, initial=instance.version
            )

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def data_without_version(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ProgramForm(RevisionChoiceMixin, forms.ModelForm):
    # The version the user opened: a save over someone else's newer change is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)
    published_url = forms.URLField(label=_("publication address"), required=False, assume_scheme="https")

    class Meta:
        model = Program
        fields = PROGRAM_EDITABLE
        widgets = {
            "report_annex_heading": forms.Textarea(attrs={"rows": 3}),
            "report_title": forms.Textarea(attrs={"rows": 2}),
            "report_columns": forms.Textarea(attrs={"rows": 7}),
        }
        help_texts = {
            "report_annex_heading": report_headings.HEADING_HELP,
            "report_title": report_headings.TITLE_HELP,
            "report_columns": report_headings.COLUMNS_HELP,
            "revision_decision_months": _("Seed program: the head decides within 1 month of the ground."),
            "revision_meeting_weeks": _("Seed program: the commission meets within 3 weeks."),
            "revision_protocol_working_days": _("Seed program: the protocol within 1 working day of the meeting."),
            "reminder_days_before": _(
                "Units that have not submitted are reminded by e-mail this many working days "
                "before a quarter's due date."
            ),
        }

    def __init__(self, *args, organisations=None, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_matrix"].queryset = self.fields["risk_matrix"].queryset.order_by("code")
        self.locked = locked
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            # Required only for the program's content: the report headings change without a revision.
            self.add_revision_field(self.instance, required=False)
        else:
            del self.fields["version"]
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Organisation"), queryset=organisations, empty_label=None
            )
            self.order_fields(["organisation", *self.Meta.fields])

    def clean(self):
        data = super().clean()
        for name, message in program_input_problems(data):
            self.add_error(name, message)
        content_changed = set(self.changed_data) - {"version", "revision", *report_headings.REPORT_FIELDS}
        if self.locked and content_changed and not data.get("revision") and "revision" not in self.errors:
            self.add_error("revision", self.fields["revision"].error_messages["required"])
        return data

    def validate_unique(self):
        # Uniqueness of the title within the organisation is checked by the service with a clearer message.
        pass


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason or comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the program is returned, goes back to a draft or stops being in force."),
    )
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=50,
        required=False,
        help_text=_("The head's order for approval; NAZK's letter for agreement."),
    )
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DateInput)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status, ProgramStatus(status).label) for status in allowed_transitions(program.status)
        ]

    def clean(self):
        data = super().clean()
        target = data.get("to_status")
        if target in NEEDS_DOCUMENT:
            if not data.get("document_number"):
                self.add_error("document_number", _("Enter the number of the order or letter that makes this change."))
            if not data.get("document_date"):
                self.add_error("document_date", _("Enter the date of the order or letter."))
        if target in NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Explain why, so that readers of the history understand the change."))
        return data


class SectionForm(RevisionChoiceMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    published_url = forms.URLField(label=_("publication address"), required=False, assume_scheme="https")

    class Meta:
        model = ProgramSection
        fields = SECTION_EDITABLE
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
        help_texts = {
            "body": _(
                "Separate paragraphs with an empty line. Start lines with “- ” for a bulleted list or “1. ” for a "
                "numbered one; **bold**, *italic*. HTML is shown as typed, not applied."
            )
        }

    def __init__(self, *args, program: Program, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].min_value = 1
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
        if locked:
            self.add_revision_field(program, required=True)

    def validate_unique(self):
        pass  # the service checks the position with a message next to the field


class RevisionForm(forms.ModelForm):
    class Meta:
        model = ProgramRevision
        fields = REVISION_EDITABLE
        widgets = {
            "ground_arose_on": DateInput,
            "head_decision_on": DateInput,
            "ground_details": forms.Textarea(attrs={"rows": 3}),
            "changes_summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["head_decision_on"]
            del self.fields["changes_summary"]

    def validate_unique(self):
        pass


class RevisionCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (RevisionStatus.APPROVED, RevisionStatus.APPROVED.label),
            (RevisionStatus.REJECTED, RevisionStatus.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    changes_summary = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    order_number = forms.CharField(label=_("Amending order number"), max_length=50, required=False)
    order_date = forms.DateField(label=_("Amending order date"), required=False, widget=DateInput)


class UnitForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = UNIT_EDITABLE

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(organisation=organisation).order_by("abbreviation")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.add_version_field(self.instance)

    def validate_unique(self):
        pass  # the service turns the database's refusal into a message next to the abbreviation


class OrganisationForm(forms.ModelForm):
    """The details the organisation's administrator keeps, as the API edits them."""

    class Meta:
        model = Organisation
        fields = ORGANISATION_EDITABLE

    def validate_unique(self):
        pass  # the service turns the database's refusal into a message next to the short name
