from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ReportFormat, ReportKind
from .models import ReportingPeriod


class ExecutionReportRequestForm(forms.Form):
    """Which period of a program to report on, and in which format."""

    period = forms.ModelChoiceField(label=_("Reporting period"), queryset=ReportingPeriod.objects.none())
    format = forms.ChoiceField(
        label=_("Format"), choices=[(ReportFormat.PDF, "PDF"), (ReportFormat.PDFA, "PDF/A")], initial=ReportFormat.PDF
    )
    kind = forms.ChoiceField(widget=forms.HiddenInput, choices=[(ReportKind.EXECUTION, ReportKind.EXECUTION.label)],
                             initial=ReportKind.EXECUTION)

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        if periods is not None:
            self.fields["period"].queryset = periods
        self.fields["period"].error_messages["invalid_choice"] = _("Choose a period of this program.")
