"""One list of editable fields per object: its form, its serializer and its service read the same constant.

Two checks per object. The form's and the serializer's writable fields are the list (plus the extras each names,
such as the version it read), so a field added to the list appears on the page and in the API. And the service
writes what the list says at the time it runs: with a field taken out of the list, the service leaves that field
alone — a service with a list of its own would still write it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from measures import services as measure_services
from measures.api.serializers import MeasureCreateSerializer, MeasureUpdateSerializer
from measures.forms import MeasureForm
from programs import commission_services
from programs import services as program_services
from programs.api.commission import (
    CommissionCreateSerializer,
    CommissionMemberCreateSerializer,
    CommissionMemberUpdateSerializer,
    CommissionUpdateSerializer,
    MeetingCreateSerializer,
    MeetingUpdateSerializer,
)
from programs.api.serializers import (
    OrganisationSerializer,
    ProgramCreateSerializer,
    ProgramUpdateSerializer,
    UnitCreateSerializer,
    UnitUpdateSerializer,
)
from programs.api.structure import ProgramSectionCreateSerializer, ProgramSectionUpdateSerializer
from programs.choices import MeetingFormat, ProgramStatus, RevisionGround
from programs.commission_forms import CommissionForm, MeetingForm, MemberForm
from programs.forms import OrganisationForm, ProgramForm, RevisionForm, SectionForm, UnitForm
from programs.models import ProgramRevision
from risks import services as risk_services
from risks.api.serializers import RiskCreateSerializer, RiskUpdateSerializer
from risks.forms import RiskForm
from tests.factories import (
    CommissionFactory,
    CommissionMemberFactory,
    InducementNotificationFactory,
    MeasureFactory,
    MeasureSectionFactory,
    MeetingFactory,
    OrganisationFactory,
    ProgramFactory,
    ProgramSectionFactory,
    RiskFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from whistleblowers import services as whistleblower_services
from whistleblowers.forms import InducementForm


@dataclass(frozen=True)
class Editable:
    owner: object  # the module that declares the list
    constant: str
    form: type
    form_extras: frozenset[str] = frozenset()  # fields the form declares besides the list
    serializers: tuple[tuple[type, frozenset[str]], ...] = ()  # (serializer, writable fields besides the list)


VERSION = frozenset({"version"})
OBJECTS = {
    "program": Editable(
        program_services,
        "PROGRAM_EDITABLE",
        ProgramForm,
        VERSION,
        ((ProgramCreateSerializer, frozenset({"organisation"})), (ProgramUpdateSerializer, {"version", "revision"})),
    ),
    "section": Editable(
        program_services,
        "SECTION_EDITABLE",
        SectionForm,
        {"version", "published_url"},
        (
            (ProgramSectionCreateSerializer, {"program", "revision"}),
            (ProgramSectionUpdateSerializer, {"version", "revision"}),
        ),
    ),
    "revision": Editable(program_services, "REVISION_EDITABLE", RevisionForm),
    "organisation": Editable(
        program_services, "ORGANISATION_EDITABLE", OrganisationForm, (), ((OrganisationSerializer, ()),)
    ),
    "unit": Editable(
        program_services,
        "UNIT_EDITABLE",
        UnitForm,
        (),
        ((UnitCreateSerializer, {"organisation"}), (UnitUpdateSerializer, VERSION)),
    ),
    "commission": Editable(
        commission_services,
        "COMMISSION_EDITABLE",
        CommissionForm,
        (),
        ((CommissionCreateSerializer, {"organisation"}), (CommissionUpdateSerializer, VERSION)),
    ),
    "member": Editable(
        commission_services,
        "MEMBER_EDITABLE",
        MemberForm,
        (),
        ((CommissionMemberCreateSerializer, {"commission"}), (CommissionMemberUpdateSerializer, VERSION)),
    ),
    "meeting": Editable(
        commission_services,
        "MEETING_EDITABLE",
        MeetingForm,
        {"attendees"},
        ((MeetingCreateSerializer, {"commission", "attendees"}), (MeetingUpdateSerializer, {"version", "attendees"})),
    ),
    "risk": Editable(
        risk_services,
        "RISK_EDITABLE",
        RiskForm,
        VERSION,
        ((RiskCreateSerializer, {"program"}), (RiskUpdateSerializer, VERSION)),
    ),
    "measure": Editable(
        measure_services,
        "MEASURE_EDITABLE",
        MeasureForm,
        {"version", "new_task_section", "new_task_title"},
        (
            (MeasureCreateSerializer, {"program", "new_task_section", "new_task_title"}),
            (MeasureUpdateSerializer, {"version", "new_task_section", "new_task_title"}),
        ),
    ),
    "inducement": Editable(whistleblower_services, "INDUCEMENT_EDITABLE", InducementForm, {"organisation"}),
}


@pytest.mark.parametrize("name", OBJECTS)
def test_the_form_offers_the_listed_fields(name):
    editable = OBJECTS[name]
    listed = getattr(editable.owner, editable.constant)
    assert len(set(listed)) == len(listed)
    assert tuple(editable.form._meta.fields[: len(listed)]) == listed
    assert set(editable.form.base_fields) == set(listed) | set(editable.form_extras)


@pytest.mark.parametrize("name", [name for name, editable in OBJECTS.items() if editable.serializers])
def test_the_serializer_accepts_the_listed_fields(name):
    editable = OBJECTS[name]
    listed = getattr(editable.owner, editable.constant)
    for serializer, extras in editable.serializers:
        writable = {field_name for field_name, field in serializer().fields.items() if not field.read_only}
        assert writable == set(listed) | set(extras), serializer.__name__


@dataclass(frozen=True)
class Write:
    """How the service writes one object: `record` makes it, `save` calls the service with `data`, and of the two
    fields changed, `left_out` is taken out of the list for the test and `kept` stays in it."""

    record: Callable
    save: Callable  # (record, data, user) -> None
    left_out: tuple[str, object]
    kept: tuple[str, object]
    base: Callable = lambda record: {}  # the data a valid write needs besides the two fields


def _measure():
    program = ProgramFactory()
    task = TaskFactory(section=MeasureSectionFactory(program=program))
    return MeasureFactory(task=task, responsible_units=[UnitFactory(organisation=program.organisation)])


def _revision():
    program = ProgramFactory()
    return ProgramRevision.objects.create(
        program=program, number=1, ground=RevisionGround.choices[0][0], ground_arose_on=dt.date(2024, 1, 10)
    )


WRITES = {
    "program": Write(
        lambda: ProgramFactory(status=ProgramStatus.DRAFT),
        lambda program, data, user: program_services.program_update(
            program=program, user=user, data=data, expected_version=program.version
        ),
        ("published_url", "https://example.com/program"),
        ("report_title", "Звіт про виконання"),
    ),
    "section": Write(
        lambda: ProgramSectionFactory(program=ProgramFactory(status=ProgramStatus.DRAFT)),
        lambda section, data, user: program_services.program_section_update(
            section=section, user=user, expected_version=section.version, **data
        ),
        ("body", "Новий текст розділу"),
        ("title", "Новий заголовок"),
        lambda section: {"position": section.position, "title": section.title, "body": section.body},
    ),
    "revision": Write(
        _revision,
        lambda revision, data, user: program_services.program_revision_update(revision=revision, user=user, data=data),
        ("changes_summary", "Змінено розділ ІІ"),
        ("ground_details", "Зміни до закону"),
    ),
    "organisation": Write(
        OrganisationFactory,
        lambda organisation, data, user: program_services.organisation_update(
            organisation=organisation, user=user, data=data
        ),
        ("code", "00012345"),
        ("name", "Нова назва органу"),
    ),
    "unit": Write(
        UnitFactory,
        lambda unit, data, user: program_services.unit_save(
            user=user, organisation=unit.organisation, data=data, unit=unit, expected_version=unit.version
        ),
        ("head_name", "Коваленко К. К."),
        ("name", "Управління персоналу"),
    ),
    "commission": Write(
        CommissionFactory,
        lambda commission, data, user: commission_services.commission_save(
            user=user, organisation=commission.organisation, expected_version=commission.version, **data
        ),
        ("established_by", "Наказ № 12"),
        ("name", "Нова комісія"),
    ),
    "member": Write(
        CommissionMemberFactory,
        lambda member, data, user: commission_services.commission_member_save(
            user=user, commission=member.commission, data=data, member=member, expected_version=member.version
        ),
        ("position", "начальник відділу"),
        ("full_name", "Шевченко Тарас Григорович"),
    ),
    "meeting": Write(
        MeetingFactory,
        lambda meeting, data, user: commission_services.meeting_save(
            user=user, commission=meeting.commission, data=data, meeting=meeting, expected_version=meeting.version
        ),
        ("place", "зала засідань"),
        ("format", MeetingFormat.ONLINE),
    ),
    "risk": Write(
        RiskFactory,
        lambda risk, data, user: risk_services.risk_update(
            risk=risk, user=user, data=data, expected_version=risk.version
        ),
        ("process", "Новий процес"),
        ("title", "Новий ризик"),
    ),
    "measure": Write(
        _measure,
        lambda measure, data, user: measure_services.measure_update(
            measure=measure, user=user, data=data, expected_version=measure.version
        ),
        ("resources", "В межах кошторису"),
        ("content", "Новий зміст заходу"),
        lambda measure: {"task": measure.task, "responsible_units": list(measure.responsible_units.all())},
    ),
    "inducement": Write(
        InducementNotificationFactory,
        lambda notification, data, user: whistleblower_services.inducement_update(
            notification=notification, expected_version=notification.version, **data
        ),
        ("summary", "Інший зміст"),
        ("notifier", "Іваненко І. І."),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", WRITES)
def test_the_service_writes_what_the_list_says(name, monkeypatch):
    editable, write = OBJECTS[name], WRITES[name]
    listed = getattr(editable.owner, editable.constant)
    (left_out, left_out_value), (kept, kept_value) = write.left_out, write.kept
    assert {left_out, kept} <= set(listed)
    record = write.record()
    before = getattr(record, left_out)
    monkeypatch.setattr(editable.owner, editable.constant, tuple(field for field in listed if field != left_out))
    write.save(record, {**write.base(record), left_out: left_out_value, kept: kept_value}, UserFactory())
    record.refresh_from_db()
    assert getattr(record, kept) == kept_value
    assert getattr(record, left_out) == before != left_out_value
