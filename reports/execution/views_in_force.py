"""The secretary's page for correcting when a program came into force (the rule: reports/execution/in_force.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.form_errors import FocusFirstErrorMixin
from core.permissions import require_change
from programs.forms import DateInput
from programs.selectors import program_get
from reports.execution.in_force import InForceCorrection, program_in_force_correct


class InForceForm(FocusFirstErrorMixin, forms.Form):
    in_force_on = forms.DateField(label=gettext_lazy("In force from"), widget=DateInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=gettext_lazy("For example: the date of the order that put the program into effect."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def correction_message(correction: InForceCorrection) -> str:
    """What the correction did to the periods, in one sentence a secretary can check against the period list."""
    parts = [_("The date of entry into force has been corrected.")]
    if correction.opened:
        parts.append(_("Periods opened: %(periods)s.") % {"periods": ", ".join(map(str, correction.opened))})
    if correction.removed:
        parts.append(_("Periods removed: %(periods)s.") % {"periods": ", ".join(correction.removed)})
    if correction.kept:
        parts.append(
            _("Kept, because they already hold records: %(periods)s.")
            % {"periods": ", ".join(map(str, correction.kept))}
        )
    return " ".join(parts)


@login_required
def program_in_force(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_get(user=request.user, pk=program_pk)
    require_change(request.user, program)
    initial = {"in_force_on": program.in_force_on, "version": program.version}
    form = InForceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correction = program_in_force_correct(
                program=program,
                user=request.user,
                in_force_on=data["in_force_on"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # the service's keys are this form's fields
        else:
            messages.success(request, correction_message(correction))
            return redirect("programs:detail", pk=program.pk)
    context = {"form": form, "program": program}
    return render(request, "reports/in_force.html", context, status=400 if form.is_bound and form.errors else 200)
