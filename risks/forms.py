"""The risk form: scores limited to the program's own matrix; the level is computed, never typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program, Unit
from risks.models import ConsequenceLevel, ProbabilityLevel, Risk
from risks.services import RISK_EDITABLE


def risk_input_problems(data: dict, *, program: Program, risk_pk: int | None) -> list[tuple[str, str]]:
    """A free number in the register and a residual score given in full, checked by the form and the API alike."""
    problems = []
    number = data.get("number")
    if number is not None and Risk.objects.filter(program=program, number=number).exclude(pk=risk_pk).exists():
        problems.append(
            (
                "number",
                _("Risk № %(number)s already exists in this register; choose another number or leave it empty.")
                % {"number": number},
            )
        )
    probability, consequence = data.get("residual_probability"), data.get("residual_consequence")
    if bool(probability) != bool(consequence):
        missing = "residual_consequence" if probability else "residual_probability"
        problems.append((missing, _("Score the residual risk in full: both probability and consequences, or neither.")))
    return problems


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.score} — {obj.name}"


class RiskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Risk
        fields = RISK_EDITABLE
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

    def clean(self):
        cleaned = super().clean()
        for name, message in risk_input_problems(cleaned, program=self.program, risk_pk=self.instance.pk):
            self.add_error(name, message)
        return cleaned

    def _post_clean(self):
        # The model is saved by the service, which assigns the program and number; skip the instance's own checks
        # that would fail on the still-missing program.
        pass
