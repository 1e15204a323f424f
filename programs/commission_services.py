"""Writes of the commission: its members, meetings, agenda items, votes and decisions.

A decision is recorded only at a meeting with a quorum. A decision approving a revision moves the revision to
"decided"; a decision approving a period's report names the period, and the reports app reacts to it through
`agenda_item_record_decision` (it locks the period itself).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.updating import model_update
from programs.choices import CommissionRole, DecisionKind, RevisionStatus
from programs.lifecycle import has_quorum
from programs.models import AgendaItem, Commission, CommissionMember, Meeting, MemberVote, Organisation

# The fields of each object its form, its serializer and its service share; a meeting's attendees are a list of
# members the service sets after checking them.
COMMISSION_EDITABLE = ("name", "established_by")
MEMBER_EDITABLE = ("full_name", "position", "role", "user", "since", "until")
MEETING_EDITABLE = ("number", "held_on", "format", "place", "protocol_signed_on")

# External experts advise; they are not counted for the quorum and do not vote.
VOTING_ROLES = (CommissionRole.CHAIR, CommissionRole.DEPUTY, CommissionRole.SECRETARY, CommissionRole.MEMBER)


def members_on(commission: Commission, day: dt.date) -> QuerySet[CommissionMember]:
    """Members whose term covers `day` (no dates means an open term)."""
    return commission.members.filter(
        Q(since__isnull=True) | Q(since__lte=day), Q(until__isnull=True) | Q(until__gte=day)
    )


def meeting_quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(voting members present, voting members on the meeting day, whether more than half are present)."""
    voting = members_on(meeting.commission, meeting.held_on).filter(role__in=VOTING_ROLES)
    members = voting.count()
    present = meeting.attendees.filter(pk__in=voting.values("pk")).count()
    return present, members, has_quorum(present=present, members=members)


@transaction.atomic
def commission_save(
    *, user, organisation: Organisation, name: str, established_by: str = "", expected_version: int | None = None
) -> Commission:
    """Set up the organisation's commission, or change it unless someone saved it after `expected_version`."""
    commission = Commission.objects.filter(organisation=organisation).first() or Commission(organisation=organisation)
    commission, _changed = model_update(
        instance=commission,
        fields=COMMISSION_EDITABLE,
        data={"name": name, "established_by": established_by},
        expected_version=expected_version,
        clean=False,
    )
    return commission


@transaction.atomic
def commission_member_save(
    *,
    user,
    commission: Commission,
    data: dict[str, Any],
    member: CommissionMember | None = None,
    expected_version: int | None = None,
) -> CommissionMember:
    """Add a member or change one (unless saved by someone else after `expected_version`); a commission has one
    current chair and one current secretary."""
    member = member or CommissionMember(commission=commission)
    since, until = data.get("since", member.since), data.get("until", member.until)
    if since and until and until < since:
        raise ValidationError({"until": _("The end of the term cannot be before its start.")})
    try:
        with transaction.atomic():
            # Not cleaned: the database's refusal of a second chair or secretary is answered below, by the role.
            model_update(
                instance=member, fields=MEMBER_EDITABLE, data=data, expected_version=expected_version, clean=False
            )
    except IntegrityError as error:
        # The database refuses a second current chair or secretary; say so next to the role.
        if member.role in (CommissionRole.CHAIR, CommissionRole.SECRETARY):
            raise ValidationError(
                {
                    "role": _("The commission already has a current %(role)s. Enter the end date of their term first.")
                    % {"role": CommissionRole(member.role).label.lower()}
                }
            ) from error
        raise ValidationError(_("The member could not be saved: %(error)s") % {"error": error}) from error
    return member


def _check_attendees(commission: Commission, held_on: dt.date, attendees) -> None:
    current = set(members_on(commission, held_on).values_list("pk", flat=True))
    strangers = [member for member in attendees if member.pk not in current]
    if strangers:
        names = ", ".join(member.full_name for member in strangers)
        raise ValidationError(
            {"attendees": _("Not members of the commission on the meeting day: %(names)s.") % {"names": names}}
        )


@transaction.atomic
def meeting_save(
    *,
    user,
    commission: Commission,
    data: dict[str, Any],
    meeting: Meeting | None = None,
    expected_version: int | None = None,
) -> Meeting:
    """Create or change a meeting (unless saved by someone else after `expected_version`); attendees must be
    members of the commission on the meeting day."""
    meeting = meeting or Meeting(commission=commission)
    values = {name: data.get(name, getattr(meeting, name)) for name in MEETING_EDITABLE}
    if values["number"] is None:
        values["number"] = (
            commission.meetings.filter(held_on__year=values["held_on"].year).aggregate(last=Max("number"))["last"] or 0
        ) + 1
    if values["protocol_signed_on"] and values["protocol_signed_on"] < values["held_on"]:
        raise ValidationError({"protocol_signed_on": _("The protocol cannot be drawn up before the meeting.")})
    attendees = list(data.get("attendees", []))
    _check_attendees(commission, values["held_on"], attendees)
    try:
        with transaction.atomic():
            model_update(
                instance=meeting, fields=MEETING_EDITABLE, data=values, expected_version=expected_version, clean=False
            )
    except IntegrityError as error:
        raise ValidationError(
            {"number": _("A protocol with this number and date already exists; check the number.")}
        ) from error
    if "attendees" in data:
        meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def agenda_item_create(*, user, meeting: Meeting, title: str, heard: str = "") -> AgendaItem:
    position = (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1
    return AgendaItem.objects.create(meeting=meeting, position=position, title=title, heard=heard)


@transaction.atomic
def agenda_item_record_decision(
    *,
    item: AgendaItem,
    user,
    decided: str,
    decision_kind: str = DecisionKind.GENERAL,
    heard: str | None = None,
    period=None,
    revision=None,
    votes: dict[int, str] | None = None,
) -> AgendaItem:
    """Record «Слухали / Вирішили» and the votes of one agenda item.

    Refused without a quorum. `decision_kind` approve_period_report needs `period` (a ReportingPeriod of a program
    of the commission's organisation); approve_revision needs `revision` (an open revision of such a program), which
    becomes "decided". `votes` maps a CommissionMember id (an attendee) to a Vote value.
    """
    meeting = item.meeting
    organisation_id = meeting.commission.organisation_id
    present, members, quorum = meeting_quorum(meeting)
    if not quorum:
        raise ValidationError(
            _(
                "There is no quorum: %(present)s of %(members)s members are present, more than half are needed. "
                "Mark the attendees of the meeting first."
            )
            % {"present": present, "members": members}
        )
    if not (decided or "").strip():
        raise ValidationError({"decided": _("Write what the commission decided.")})
    errors: dict[str, str] = {}
    if decision_kind == DecisionKind.APPROVE_PERIOD_REPORT:
        if period is None:
            errors["period"] = _("Choose the reporting period whose report is approved.")
        elif period.program.organisation_id != organisation_id:
            errors["period"] = _("Choose a period of this organisation's program.")
        revision = None
    elif decision_kind == DecisionKind.APPROVE_REVISION:
        if revision is None:
            errors["revision"] = _("Choose the revision the commission decided on.")
        elif revision.program.organisation_id != organisation_id:
            errors["revision"] = _("Choose a revision of this organisation's program.")
        elif revision.status != RevisionStatus.OPEN and revision.pk != item.revision_id:
            errors["revision"] = _("The commission has already decided on this revision.")
        period = None
    else:
        period = revision = None
    attendee_ids = set(meeting.attendees.filter(role__in=VOTING_ROLES).values_list("pk", flat=True))
    votes = {member_id: vote for member_id, vote in (votes or {}).items() if vote}
    if set(votes) - attendee_ids:
        errors["__all__"] = _("Only voting members present at the meeting can vote.")
    if errors:
        raise ValidationError(errors)

    item.decided = decided
    if heard is not None:
        item.heard = heard
    item.decision_kind, item.period, item.revision = decision_kind, period, revision
    item.save()
    item.votes.all().delete()
    MemberVote.objects.bulk_create(
        MemberVote(item=item, member_id=member_id, vote=vote) for member_id, vote in votes.items()
    )
    if revision is not None and revision.status == RevisionStatus.OPEN:
        revision.status = RevisionStatus.DECIDED
        revision.save(update_fields=["status"])
    audit_record(
        AuditAction.DECISION_RECORDED,
        actor=user,
        organisation=meeting.commission.organisation,
        target=item,
        kind=decision_kind,
        period=period.pk if period is not None else None,
        revision=revision.pk if revision is not None else None,
    )
    return item
