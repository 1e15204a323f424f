"""Forms of the annual re-assessment: the year of a new round, a risk's new score, the commission's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from risks.forms import LevelChoiceField
from risks.forms_loop import DATE_FORMATS
from risks.models import ConsequenceLevel, ProbabilityLevel


class RoundOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the re-assessment"), min_value=2000, max_value=2100)


class RiskReassessmentForm(forms.Form):
    """A risk's new score on the program's matrix; the level is read from the matrix, never typed."""

    probability = LevelChoiceField(label=_("New probability"), queryset=ProbabilityLevel.objects.none())
    consequence = LevelChoiceField(label=_("New consequences"), queryset=ConsequenceLevel.objects.none())
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}), strip=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, program: Program, levels: tuple[list, list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        matrix = program.risk_matrix_id
        self.fields["probability"].queryset = ProbabilityLevel.objects.filter(matrix_id=matrix).order_by("score")
        self.fields["consequence"].queryset = ConsequenceLevel.objects.filter(matrix_id=matrix).order_by("score")
        self.fields["reasons"].error_messages["required"] = _("Give the reasons for the new score.")
        if levels is not None:
            # A page of one form per risk reads the matrix's levels once, not twice per form.
            for name, items in zip(("probability", "consequence"), levels, strict=True):
                field = self.fields[name]
                field.choices = [
                    ("", field.empty_label),
                    *((item.pk, field.label_from_instance(item)) for item in items),
                ]


class RoundDecisionForm(forms.Form):
    decision_date = forms.DateField(
        label=_("Date of the commission's decision"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision_number = forms.CharField(label=_("Decision (protocol) number"), max_length=100)
    decision_text = forms.CharField(
        label=_("Text of the decision"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
