"""The measure form with its structured deadline editor."""

from __future__ import annotations

from django import forms
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _

from core.form_errors import FocusFirstErrorMixin
from core.periods import PeriodKind, period_bounds, period_label
from measures.choices import DeadlineKind
from measures.deadlines import EVERY_PERIOD_KINDS, Deadline, due_dates, is_due_in, phrase
from measures.models import Measure, MeasureSection, Task
from measures.services import MEASURE_EDITABLE
from programs.models import Program, Unit
from risks.models import Risk

# Which deadline fields each kind uses; the others are cleared so a stale quarter never lingers on a date deadline.
DEADLINE_FIELDS = {
    DeadlineKind.DATE: {"deadline_date"},
    DeadlineKind.QUARTER: {"deadline_year", "deadline_part"},
    DeadlineKind.HALF_YEAR: {"deadline_year", "deadline_part"},
    DeadlineKind.YEAR: {"deadline_year"},
    DeadlineKind.BEFORE_EVENT: {"deadline_days", "deadline_event"},
    DeadlineKind.AFTER_EVENT: {"deadline_days", "deadline_event"},
}
# "unit-place-<pk>": the number the secretary gave a unit's place in the measure's list.
UNIT_PLACE = "unit-place-"
ALL_DEADLINE_FIELDS = ("deadline_year", "deadline_part", "deadline_date", "deadline_days", "deadline_event")


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.section.number}.{obj.number}. {obj.title[:120]}"


class RiskChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"№ {obj.number}. {obj.title[:150]}"


class UnitChoiceField(forms.ModelMultipleChoiceField):
    """Responsible units in the order they were sent (the order the page lists the ticked boxes), not by name."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.abbreviation} — {obj.name}"

    def clean(self, value):
        units = super().clean(value)
        order = {str(pk): index for index, pk in enumerate(dict.fromkeys(value or []))}
        return sorted(units, key=lambda unit: order.get(str(unit.pk), len(order)))


def due_periods(deadline: Deadline, program: Program) -> list[str]:
    """The quarters of the program in which a measure with this deadline must be reported."""
    labels = []
    for year in program.years:
        for quarter in (1, 2, 3, 4):
            starts_on, ends_on = period_bounds(PeriodKind.QUARTER, year, quarter)
            if is_due_in(deadline, starts_on, ends_on, program.start_year, program.end_year):
                labels.append(period_label(PeriodKind.QUARTER, year, quarter))
    return labels


def deadline_from(data: dict) -> Deadline:
    return Deadline(
        kind=data.get("deadline_kind") or "",
        year=data.get("deadline_year"),
        part=data.get("deadline_part"),
        on=data.get("deadline_date"),
        days=data.get("deadline_days"),
        event=data.get("deadline_event") or "",
    )


def measure_input_problems(data: dict, *, program: Program, measure_pk: int | None) -> list[tuple[str, str]]:
    """The checks across fields of a measure, for the form and the API alike: (field, message) pairs.

    Clears in `data` the deadline fields its kind does not use, so a stale quarter never lingers on a date deadline.
    """
    problems = []
    task, section, title = data.get("task"), data.get("new_task_section"), data.get("new_task_title")
    if not task and not (section and title):
        problems.append(("task", _("Choose the task of the measure, or name a new task and its section.")))
    elif task and (section or title):
        problems.append(("new_task_title", _("Choose an existing task or describe a new one, not both.")))
    elif not task and title and not section:
        problems.append(("new_task_section", _("Choose the section of the new task.")))

    kind = data.get("deadline_kind")
    if kind:
        used = DEADLINE_FIELDS.get(kind, set())
        for name in ALL_DEADLINE_FIELDS:
            if name not in used:
                data[name] = "" if name == "deadline_event" else None
        targets = {
            DeadlineKind.DATE: "deadline_date",
            DeadlineKind.QUARTER: "deadline_part",
            DeadlineKind.HALF_YEAR: "deadline_part",
            DeadlineKind.BEFORE_EVENT: "deadline_days",
            DeadlineKind.AFTER_EVENT: "deadline_days",
        }
        problems += [(targets.get(kind, "deadline_kind"), problem) for problem in deadline_from(data).validate()]
        year = data.get("deadline_year")
        if year and year not in program.years:
            problems.append(("deadline_year", _("Choose a year of the program.")))

    number = data.get("number")
    if task and number and Measure.objects.filter(task=task, number=number).exclude(pk=measure_pk).exists():
        problems.append(
            ("number", _("The task already has a measure %(number)s); choose another number.") % {"number": number})
        )
    return problems


class MeasureForm(FocusFirstErrorMixin, forms.ModelForm):
    # The order of measure_form.html, where the keyboard lands on the first field to correct.
    focus_order = (
        "task",
        "new_task_section",
        "new_task_title",
        "number",
        "content",
        "stages",
        "deadline_kind",
        "deadline_part",
        "deadline_year",
        "deadline_date",
        "deadline_days",
        "deadline_event",
        "responsible_units",
        "target_audience",
        "indicator",
        "resources",
        "risks",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    task = TaskChoiceField(queryset=Task.objects.none(), required=False, label=_("Task"))
    new_task_section = forms.ModelChoiceField(
        queryset=MeasureSection.objects.none(), required=False, label=_("…or a new task in the section")
    )
    new_task_title = forms.CharField(required=False, label=_("Title of the new task"), max_length=1000)
    responsible_units = UnitChoiceField(
        queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Responsible units")
    )
    risks = RiskChoiceField(
        queryset=Risk.objects.none(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Risks treated")
    )

    class Meta:
        model = Measure
        fields = MEASURE_EDITABLE
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "stages": forms.Textarea(attrs={"rows": 2}),
            "target_audience": forms.Textarea(attrs={"rows": 2}),
            "indicator": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "deadline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"deadline_kind": _("Kind of deadline")}
        help_texts = {
            "deadline_year": _("Leave empty when the measure is due in every year of the program."),
            "deadline_part": _("The quarter (1–4) or the half-year (1–2)."),
            "number": _("The number within the task, as “1)”; leave empty for a task with a single measure."),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["task"].queryset = (
            Task.objects.filter(section__program=program)
            .select_related("section")
            .order_by("section__number", "number")
        )
        self.fields["new_task_section"].queryset = MeasureSection.objects.filter(program=program).order_by("number")
        # The measure's units come first in its order, so saving the page unchanged keeps that order.
        current = list(self.instance.unit_links.values_list("unit", flat=True)) if self.instance.pk else []
        order = ["abbreviation"]
        if current:
            order.insert(0, Case(*[When(pk=pk, then=index) for index, pk in enumerate(current)], default=len(current)))
        self.fields["responsible_units"].queryset = Unit.objects.filter(organisation=program.organisation).order_by(
            *order
        )
        self.fields["risks"].queryset = Risk.objects.filter(program=program).order_by("number")
        self.fields["deadline_year"].widget = forms.Select(
            choices=[("", _("Every year of the program"))] + [(year, year) for year in program.years]
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def unit_choices(self) -> list[tuple]:
        """Each unit's checkbox with its place in the measure's list (empty for a unit not yet chosen)."""
        if self.is_bound:
            places = {
                key.removeprefix(UNIT_PLACE): value for key, value in self.data.items() if key.startswith(UNIT_PLACE)
            }
        else:
            current = self.instance.unit_links.values_list("unit", flat=True) if self.instance.pk else []
            places = {str(pk): index for index, pk in enumerate(current, start=1)}
        return [(choice, places.get(str(choice.data["value"]), "")) for choice in self["responsible_units"]]

    def clean_responsible_units(self):
        """The units in the order their places say (1 — the lead unit); unnumbered ones follow as they were sent."""
        units = self.cleaned_data["responsible_units"]

        def place(unit) -> int:
            value = str(self.data.get(f"{UNIT_PLACE}{unit.pk}", "")).strip()
            return int(value) if value.isdigit() else 10_000

        return sorted(units, key=place)  # sorted() is stable: equal places keep the order sent

    def clean(self):
        cleaned = super().clean()
        for name, message in measure_input_problems(cleaned, program=self.program, measure_pk=self.instance.pk):
            self.add_error(name, message)
        return cleaned

    def _post_clean(self):
        # The service builds and saves the measure; the instance is left as it was loaded.
        pass

    def preview(self) -> dict | None:
        """The deadline as the program will write it and the quarters it is due in; None while incomplete."""
        if not hasattr(self, "cleaned_data") or not self.cleaned_data.get("deadline_kind"):
            return None
        if any(name in self.errors for name in ("deadline_kind", *ALL_DEADLINE_FIELDS)):
            return None
        deadline = deadline_from(self.cleaned_data)
        program = self.program
        return {
            "phrase": phrase(deadline, program.start_year, program.end_year),
            "every_period": deadline.kind in EVERY_PERIOD_KINDS,
            "due_dates": due_dates(deadline, program.start_year, program.end_year),
            "periods": due_periods(deadline, program),
        }


class MeasureSectionForm(forms.ModelForm):
    """A section of the measures annex: its number, its title as the program writes it, and what it holds."""

    class Meta:
        model = MeasureSection
        fields = ["number", "title", "kind"]
        widgets = {"title": forms.TextInput(attrs={"size": 80})}
