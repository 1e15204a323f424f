"""Forms of the people pages: they validate what an administrator typed; programs.people does the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import Role
from programs.choices import OrganisationKind
from programs.models import Membership, Organisation, Unit


class UnitsOf(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.abbreviation} — {obj.name}"


def unit_field(organisation: Organisation) -> UnitsOf:
    # Only this organisation's units are offered, so a unit of another body is "not one of the choices".
    return UnitsOf(
        label=_("Unit (for a unit reporter)"),
        queryset=Unit.objects.filter(organisation=organisation, is_active=True).order_by("abbreviation"),
        required=False,
        error_messages={"invalid_choice": _("Choose a unit of this organisation.")},
    )


class RolesCheckMixin:
    roles_field = "roles"

    def check_unit(self, roles: list[str], unit: Unit | None) -> None:
        if Role.REPORTER in roles and unit is None:
            self.add_error("unit", _("A unit reporter reports for a unit: choose the unit."))
        elif Role.REPORTER not in roles and unit is not None:
            self.add_error("unit", _("Only a unit reporter has a unit: choose the unit reporter role or no unit."))


class InviteForm(RolesCheckMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={"invalid": _("Enter an e-mail address such as name@example.gov.ua.")},
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    position = forms.CharField(label=pgettext_lazy("job title", "Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(organisation)
        self.order_fields(["email", "roles", "unit", "position", "phone"])

    def clean(self):
        data = super().clean()
        if "roles" in data and "unit" in data:
            self.check_unit(data["roles"], data["unit"])
        return data


class RoleGiveForm(RolesCheckMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices])
    position = forms.CharField(label=pgettext_lazy("job title", "Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(organisation)
        self.order_fields(["role", "unit", "position", "phone"])

    def clean(self):
        data = super().clean()
        if data.get("role") and "unit" in data:
            self.check_unit([data["role"]], data["unit"])
        return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["position", "phone"]


class ChildOrganisationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices, initial=OrganisationKind.TERRITORIAL)
    admin_email = forms.EmailField(
        label=_("E-mail of its first administrator"),
        max_length=254,
        help_text=_("They receive an invitation to set a password and then invite the body's other people."),
        error_messages={"invalid": _("Enter an e-mail address such as name@example.gov.ua.")},
    )

    def clean_short_name(self) -> str:
        short_name = self.cleaned_data["short_name"].strip()
        if Organisation.objects.filter(short_name__iexact=short_name).exists():
            raise forms.ValidationError(_("An organisation with this short name already exists."))
        return short_name


class SecondFactorCodeForm(forms.Form):
    """The code from the authenticator app, or a recovery code; programs.second_factor checks it."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        error_messages={"required": _("Enter the code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
