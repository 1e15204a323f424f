"""The risk form: scores limited to the program's own matrix; the level is computed, never typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program, Unit

from .models import ConsequenceLevel, ProbabilityLevel, Risk


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.score} — {obj.name}"


class RiskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Risk
        fields = [
            "number",
            "function",
            "process",
            "title",
            "description",
            "factors",
            "possible_consequences",
            "existing_controls",
            "owner_unit",
            "inherent_probability",
            "inherent_consequence",
            "residual_probability",
            "residual_consequence",
            "identified_on",
        ]
        field_classes = {
            "inherent_probability": LevelChoiceField,
            "inherent_consequence": LevelChoiceField,
            "residual_probability": LevelChoiceField,
            "residual_consequence": LevelChoiceField,
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "factors": forms.Textarea(attrs={"rows": 3}),
            "possible_consequences": forms.Textarea(attrs={"rows": 3}),
            "existing_controls": forms.Textarea(attrs={"rows": 3}),
            "identified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "number": _("Leave empty to take the next free number of the register."),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        matrix = program.risk_matrix
        probabilities = ProbabilityLevel.objects.filter(matrix=matrix).order_by("score")
        consequences = ConsequenceLevel.objects.filter(matrix=matrix).order_by("score")
        for name in ("inherent_probability", "residual_probability"):
            self.fields[name].queryset = probabilities
        for name in ("inherent_consequence", "residual_consequence"):
            self.fields[name].queryset = consequences
        self.fields["owner_unit"].queryset = Unit.objects.filter(
            organisation=program.organisation, is_active=True
        ).order_by("abbreviation")
        self.fields["number"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is None:
            return None
        clash = Risk.objects.filter(program=self.program, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Risk № %(number)s already exists in this register; choose another number or leave it empty."),
                params={"number": number},
            )
        return number

    def clean(self):
        cleaned = super().clean()
        probability, consequence = cleaned.get("residual_probability"), cleaned.get("residual_consequence")
        if bool(probability) != bool(consequence):
            missing = "residual_consequence" if probability else "residual_probability"
            self.add_error(
                missing, _("Score the residual risk in full: both probability and consequences, or neither.")
            )
        return cleaned

    def _post_clean(self):
        # The model is saved by the service, which assigns the program and number; skip the instance's own checks
        # that would fail on the still-missing program.
        pass
