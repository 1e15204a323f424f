"""Forms of the commission: members, meetings, agenda items and decisions with votes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.periods import PERIOD_READING_ORDER
from programs.choices import DecisionKind, RevisionStatus, Vote
from programs.commission_services import COMMISSION_EDITABLE, MEETING_EDITABLE, MEMBER_EDITABLE, VOTING_ROLES
from programs.forms import DateInput, VersionedFormMixin
from programs.models import AgendaItem, Commission, CommissionMember, Meeting, ProgramRevision

# Reporting periods are defined in `reports`, above programs: reached through the agenda item's own relation.
ReportingPeriod = AgendaItem._meta.get_field("period").related_model


class CommissionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Commission
        fields = COMMISSION_EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_field(self.instance)


class MemberForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CommissionMember
        fields = MEMBER_EDITABLE
        widgets = {"since": DateInput, "until": DateInput}
        help_texts = {
            "user": _("Optional: link the member to their portal account."),
            "until": _("Leave empty while the member serves."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people of this organisation (or above it) can be linked; outside experts stay without an account.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation__in=_organisation_and_ancestors(organisation))
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.add_version_field(self.instance)

    def validate_unique(self):
        pass  # the service explains a second chair or secretary next to the role

    def _get_validation_exclusions(self):
        # The dates' order is checked in clean() with a message next to the field, not as a constraint name.
        return super()._get_validation_exclusions() | {"since", "until"}

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the term cannot be before its start."))
        return data


def _organisation_and_ancestors(organisation) -> list:
    found, current = [], organisation
    while current is not None and current not in found:
        found.append(current)
        current = current.parent
    return found


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    number = forms.IntegerField(
        label=_("Protocol number"), min_value=1, required=False, help_text=_("Leave empty to take the next number.")
    )

    class Meta:
        model = Meeting
        fields = [*MEETING_EDITABLE, "attendees"]
        widgets = {
            "held_on": DateInput,
            "protocol_signed_on": DateInput,
            "attendees": forms.CheckboxSelectMultiple,
        }
        help_texts = {"attendees": _("Members of the commission on the meeting day who were present.")}

    def __init__(self, *args, commission: Commission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = commission.members.order_by("role", "full_name")
        self.add_version_field(self.instance)

    def validate_unique(self):
        pass


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "heard"]
        widgets = {"heard": forms.Textarea(attrs={"rows": 4})}


class DecisionForm(forms.Form):
    """«Слухали / Вирішили», the kind of decision and one vote per voting attendee."""

    heard = forms.CharField(label=_("Heard"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    decided = forms.CharField(label=_("Decided"), widget=forms.Textarea(attrs={"rows": 4}))
    decision_kind = forms.ChoiceField(label=_("Decision kind"), choices=DecisionKind.choices)
    period = forms.ModelChoiceField(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none(), required=False
    )
    revision = forms.ModelChoiceField(label=_("Revision"), queryset=ProgramRevision.objects.none(), required=False)

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_id = item.meeting.commission.organisation_id
        self.fields["period"].queryset = (
            ReportingPeriod.objects.filter(program__organisation_id=organisation_id)
            .select_related("program")
            .order_by("program", *PERIOD_READING_ORDER)
        )
        self.fields["revision"].queryset = (
            ProgramRevision.objects.filter(program__organisation_id=organisation_id)
            .filter(Q(status=RevisionStatus.OPEN) | Q(pk=item.revision_id))
            .select_related("program")
            .order_by("program", "number")
        )
        self.voters = list(item.meeting.attendees.filter(role__in=VOTING_ROLES).order_by("role", "full_name"))
        existing = {vote.member_id: vote.vote for vote in item.votes.all()}
        for member in self.voters:
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=member.full_name,
                choices=[("", _("Did not vote")), *Vote.choices],
                required=False,
                initial=existing.get(member.pk, ""),
            )

    def vote_fields(self):
        return [self[f"vote_{member.pk}"] for member in self.voters]

    def votes(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data.get(f"vote_{member.pk}") or "" for member in self.voters}

    def clean(self):
        data = super().clean()
        kind = data.get("decision_kind")
        if kind == DecisionKind.APPROVE_PERIOD_REPORT and not data.get("period"):
            self.add_error("period", _("Choose the reporting period whose report is approved."))
        if kind == DecisionKind.APPROVE_REVISION and not data.get("revision"):
            self.add_error("revision", _("Choose the revision the commission decided on."))
        return data
