from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.choices import ReportFormat, ReportKind
from reports.execution.models import ReportingPeriod

PROGRAM_KINDS = [ReportKind.EXECUTION, ReportKind.PROGRAM, ReportKind.FORM1]
JOURNAL_KINDS = [ReportKind.INDUCEMENT_JOURNAL, ReportKind.WHISTLEBLOWER_JOURNAL]


class ProgramReportRequestForm(forms.Form):
    """Which document of a program, for which period, in which format."""

    kind = forms.ChoiceField(label=_("Report"), choices=[(kind.value, kind.label) for kind in PROGRAM_KINDS])
    period = forms.ModelChoiceField(
        label=_("Reporting period"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        help_text=_("Needed for the execution report and Form 1."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF)

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        if periods is not None:
            self.fields["period"].queryset = periods
        self.fields["period"].error_messages["invalid_choice"] = _("Choose a period of this program.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in (ReportKind.EXECUTION, ReportKind.FORM1) and not cleaned.get("period"):
            self.add_error("period", _("Choose the reporting period."))
        return cleaned


class JournalRequestForm(forms.Form):
    """A journal of the officer's organisation for a calendar year."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    kind = forms.ChoiceField(label=_("Journal"), choices=[(kind.value, kind.label) for kind in JOURNAL_KINDS])
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["year"].initial = timezone.localdate().year
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class PublishForm(forms.Form):
    public = forms.BooleanField(required=False)
    # Publishing puts the file where anyone can download it: the user confirms they mean it.
    confirm = forms.BooleanField(
        label=_("I confirm: anyone will be able to download this report from the public page."), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("public") and not data.get("confirm"):
            self.add_error("confirm", _("Tick the confirmation to publish the report."))
        return data
