"""Forms of the risk loop: the window of counted signals, the officer's tag of a case, the commission's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from risks.case_signals import SignalWindow
from risks.choices import Function
from risks.forms import LevelChoiceField
from risks.models import ConsequenceLevel, ProbabilityLevel, Risk

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SignalWindowForm(forms.Form):
    """The days whose cases are counted; empty ends fall back to the last twelve months."""

    since = _date(_("Cases received from"))
    until = _date(_("to"))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period must not be before its start."))
        return data

    def window(self) -> SignalWindow:
        default = SignalWindow.default()
        if not self.is_bound or not self.is_valid():
            return default
        return SignalWindow(
            since=self.cleaned_data.get("since") or default.since, until=self.cleaned_data.get("until") or default.until
        )


class RiskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        program = obj.program
        return f"{program.start_year}–{program.end_year}, № {obj.number}. {obj.title}"


class CaseSignalForm(forms.Form):
    """What a case signals about the register. Nothing typed here may describe the case or the people in it."""

    function = forms.ChoiceField(label=_("Function or process concerned"), choices=Function.choices)
    process = forms.CharField(
        label=_("Process (optional)"),
        required=False,
        max_length=500,
        help_text=_("Name the process in general terms, never a person, a date or a document of the case."),
    )
    risk = RiskChoiceField(label=_("Risk of the register it touches"), queryset=Risk.objects.none(), required=False)
    proposed_risk = forms.CharField(
        label=_("Or a new risk it points to"),
        required=False,
        max_length=500,
        help_text=_("The secretary sees this wording in the list of risks signalled but not in the register."),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = (
            Risk.objects.filter(program__organisation_id=report.organisation_id)
            .select_related("program")
            .order_by("-program__start_year", "number")
        )

    def clean(self):
        data = super().clean()
        if data.get("risk") and (data.get("proposed_risk") or "").strip():
            self.add_error("proposed_risk", _("Either choose a risk of the register or propose a new one, not both."))
        return data


class ResidualDecisionForm(forms.Form):
    """The commission's residual score of one risk: the proposal, or another score with the reason."""

    probability = LevelChoiceField(label=_("Residual probability"), queryset=ProbabilityLevel.objects.none())
    consequence = LevelChoiceField(label=_("Residual consequences"), queryset=ConsequenceLevel.objects.none())
    reason = forms.CharField(
        label=_("Reason (required when the score differs from the proposal)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, program: Program, levels: tuple[list, list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        matrix = program.risk_matrix_id
        self.fields["probability"].queryset = ProbabilityLevel.objects.filter(matrix_id=matrix).order_by("score")
        self.fields["consequence"].queryset = ConsequenceLevel.objects.filter(matrix_id=matrix).order_by("score")
        if levels is not None:
            # A page of one form per risk reads the matrix's levels once, not twice per form.
            for name, items in zip(("probability", "consequence"), levels, strict=True):
                field = self.fields[name]
                field.choices = [
                    ("", field.empty_label),
                    *((item.pk, field.label_from_instance(item)) for item in items),
                ]
