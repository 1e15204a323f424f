"""Forms of the execution pages: they validate and render; the views pass cleaned_data to the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.choices import EvidenceKind, ExecutionStatus, Grade
from reports.execution.evidence import MARKER_HELP, evidence_problems
from reports.execution.services import evidence_file_problem

STATUS_CHOICES = [("", "—"), *[(value, label) for value, label in ExecutionStatus.choices]]


class EntryForm(forms.Form):
    """One measure's status for one period, as a unit reporter or the secretary fills it in."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)
    narrative = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKER_HELP,
    )
    participants = forms.IntegerField(label=_("Participants"), required=False, min_value=0)
    non_execution_reasons = forms.CharField(
        label=_("Reasons for non-execution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the measure is not done or done partially."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the measure is not done or done partially."),
    )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class EvidenceForm(forms.Form):
    """A document proving what was done; optional on the entry page (leave the kind empty to add none)."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=[("", "—"), *EvidenceKind.choices], required=False)
    issuer = forms.CharField(label=_("Issued by"), required=False, max_length=200, help_text=_("For example ВПЗВК"))
    number = forms.CharField(label=_("Number"), required=False, max_length=100)
    issued_on = forms.DateField(label=_("Date"), required=False, help_text=_("dd.mm.yyyy"))
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    url = forms.URLField(label=_("Link"), required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF, image or office document, up to 10 MB."))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        problem = evidence_file_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("kind"):
            if any(data.get(name) for name in ("number", "issuer", "url", "title", "file")):
                self.add_error("kind", _("Choose the kind of document."))
            return data
        problems = evidence_problems(
            kind=data["kind"],
            issuer=data.get("issuer") or "",
            number=data.get("number") or "",
            issued_on=data.get("issued_on"),
            url=data.get("url") or "",
            has_file=bool(data.get("file")),
            today=timezone.localdate(),
        )
        for name, message in problems.items():
            if name not in self.errors:  # a date that did not parse already says so
                self.add_error(name, message)
        return data

    def has_document(self) -> bool:
        return bool(self.cleaned_data.get("kind"))

    def document(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "file"}


class GridCellForm(forms.Form):
    """A save from the grid: all of a row's fields (no JavaScript) or a single field (the grid script)."""

    version = forms.IntegerField(min_value=0)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    narrative = forms.CharField(required=False)
    participants = forms.IntegerField(required=False, min_value=0)
    non_execution_reasons = forms.CharField(required=False)
    next_steps = forms.CharField(required=False)

    def changes(self) -> dict:
        # Only the fields that were posted change: a single-cell save must not blank the other cells.
        return {name: self.cleaned_data[name] for name in self.fields if name != "version" and name in self.data}


class EvaluationForm(forms.Form):
    timeliness = forms.ChoiceField(label=_("Timeliness"), choices=Grade.choices)
    completeness = forms.ChoiceField(label=_("Completeness"), choices=Grade.choices)
    effectiveness = forms.ChoiceField(label=_("Effectiveness"), choices=Grade.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Overall conclusion of the commission"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ApprovalForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Decision of the commission meeting"), queryset=None, empty_label=None)
    incomplete_reason = forms.CharField(
        label=_("Reason for approving an incomplete report"),
        help_text=_("Needed only while something above is missing; the reason is stated in the report."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda item: (
            _("Protocol %(meeting)s, item %(position)s: %(title)s")
            % {"meeting": item.meeting, "position": item.position, "title": item.title}
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why the period is reopened"), widget=forms.Textarea(attrs={"rows": 2}))
