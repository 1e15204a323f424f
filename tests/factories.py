"""factory_boy factories for every model the tests build; the risk-matrix presets come from the migration."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.history import record_created
from core.periods import PeriodKind, period_bounds, submission_due
from core.roles import Role
from measures.choices import DeadlineKind, SectionKind
from measures.models import Measure, MeasureSection, Task
from measures.places import renumber_places
from programs.choices import CommissionRole, OrganisationKind, ProgramStatus
from programs.models import (
    Commission,
    CommissionMember,
    Meeting,
    Membership,
    Organisation,
    Program,
    ProgramSection,
    Unit,
)
from reports.choices import EntryState, EvidenceKind, ExecutionStatus, ReportKind
from reports.documents.models import GeneratedReport
from reports.execution.models import Evidence, ExecutionEntry, ReportingPeriod
from risks.choices import Function
from risks.models import Risk, RiskMatrix
from risks.presets import ensure_presets
from whistleblowers.choices import BasisOfKnowledge, Channel
from whistleblowers.models import InducementNotification, ReporterIdentity, WhistleblowerReport

DEFAULT_MATRIX = "nazk-2021"


def preset_matrix(code: str = DEFAULT_MATRIX) -> RiskMatrix:
    ensure_presets()
    return RiskMatrix.objects.get(code=code)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Головне управління № {n}")
    short_name = factory.Sequence(lambda n: f"ГУ-{n}")
    kind = OrganisationKind.CENTRAL
    parent = None


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Відділ № {n}")
    abbreviation = factory.Sequence(lambda n: f"В{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="uk_UA")
    last_name = factory.Faker("last_name", locale="uk_UA")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # An unusable password costs no hashing; tests that log in through the form pass a real one.
    password = factory.django.Password(None)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SECRETARY
    unit = None

    class Params:
        reporter = factory.Trait(
            role=Role.REPORTER,
            unit=factory.SubFactory(UnitFactory, organisation=factory.SelfAttribute("..organisation")),
        )


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Антикорупційна програма № {n} на 2023–2025 роки")
    start_year = 2023
    end_year = 2025
    status = ProgramStatus.IN_FORCE
    risk_matrix = factory.LazyFunction(preset_matrix)


class ProgramSectionFactory(DjangoModelFactory):
    class Meta:
        model = ProgramSection

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Розділ {n + 1}")
    body = "Текст розділу."


class CommissionFactory(DjangoModelFactory):
    class Meta:
        model = Commission

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.LazyAttribute(lambda commission: f"Комісія з оцінки корупційних ризиків {commission.organisation}")


class CommissionMemberFactory(DjangoModelFactory):
    class Meta:
        model = CommissionMember

    commission = factory.SubFactory(CommissionFactory)
    full_name = factory.Faker("name", locale="uk_UA")
    position = "головний спеціаліст"
    role = CommissionRole.MEMBER
    since = dt.date(2023, 1, 10)
    until = None


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    commission = factory.SubFactory(CommissionFactory)
    number = factory.Sequence(lambda n: n + 1)
    held_on = dt.date(2023, 9, 29)


class MeasureSectionFactory(DjangoModelFactory):
    class Meta:
        model = MeasureSection

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Заходи розділу {n + 1}")
    kind = SectionKind.RISK_TREATMENT


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    section = factory.SubFactory(MeasureSectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Завдання {n + 1}")


class MeasureFactory(DjangoModelFactory):
    """A measure due in the first quarter of every program year unless told otherwise."""

    class Meta:
        model = Measure
        skip_postgeneration_save = True

    task = factory.SubFactory(TaskFactory)
    number = factory.Sequence(lambda n: (n % 30000) + 1)
    content = factory.Sequence(lambda n: f"Зміст заходу № {n}")
    deadline_kind = DeadlineKind.QUARTER
    deadline_part = 1
    indicator = "Проведено"

    @factory.post_generation
    def responsible_units(self, create, extracted, **kwargs):
        if create and extracted:
            self.responsible_units.set(extracted)

    @factory.post_generation
    def risks(self, create, extracted, **kwargs):
        if create and extracted:
            self.risks.set(extracted)

    # As `measures.services.measure_create` does it: the row and its lists make one history record, written once the
    # lists are set (left to simple-history, three records: two thirds of a `build_program`'s time).
    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        measure = model_class(*args, **kwargs)
        measure.skip_history_when_saving = True
        measure.save()
        return measure

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            del instance.skip_history_when_saving
            record_created(instance)


class RiskFactory(DjangoModelFactory):
    """A risk scored on the program's own matrix; pass probability_score / consequence_score to pick the cell."""

    class Meta:
        model = Risk

    class Params:
        probability_score = 2
        consequence_score = 2
        residual_probability_score = None
        residual_consequence_score = None

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    function = Function.PERSONNEL
    title = factory.Sequence(lambda n: f"Корупційний ризик № {n + 1}")
    inherent_probability = factory.LazyAttribute(
        lambda risk: risk.program.risk_matrix.probabilities.get(score=risk.probability_score)
    )
    inherent_consequence = factory.LazyAttribute(
        lambda risk: risk.program.risk_matrix.consequences.get(score=risk.consequence_score)
    )
    residual_probability = factory.LazyAttribute(
        lambda risk: (
            risk.program.risk_matrix.probabilities.get(score=risk.residual_probability_score)
            if risk.residual_probability_score
            else None
        )
    )
    residual_consequence = factory.LazyAttribute(
        lambda risk: (
            risk.program.risk_matrix.consequences.get(score=risk.residual_consequence_score)
            if risk.residual_consequence_score
            else None
        )
    )


class ReportingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    program = factory.SubFactory(ProgramFactory)
    kind = PeriodKind.QUARTER
    year = 2023
    number = 1
    submission_due = factory.LazyAttribute(
        lambda period: submission_due(period_bounds(period.kind, period.year, period.number)[1], 15)
    )


class ExecutionEntryFactory(DjangoModelFactory):
    class Meta:
        model = ExecutionEntry

    measure = factory.SubFactory(MeasureFactory)
    period = factory.SubFactory(ReportingPeriodFactory, program=factory.SelfAttribute("..measure.task.section.program"))
    status = ExecutionStatus.DONE
    narrative = "Проведено навчання."
    state = EntryState.DRAFT

    class Params:
        submitted = factory.Trait(
            state=EntryState.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = Evidence

    entry = factory.SubFactory(ExecutionEntryFactory)
    position = factory.Sequence(lambda n: n)
    kind = EvidenceKind.LETTER
    issuer = "ВПЗВК"
    number = "17/112-23"
    issued_on = dt.date(2023, 3, 28)


class GeneratedReportFactory(DjangoModelFactory):
    class Meta:
        model = GeneratedReport

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ReportKind.EXECUTION


class WhistleblowerReportFactory(DjangoModelFactory):
    """An unregistered anonymous report; the `registered` trait gives it a number of the organisation's journal."""

    class Meta:
        model = WhistleblowerReport

    organisation = factory.SubFactory(OrganisationFactory)
    received_at = factory.LazyFunction(lambda: dt.datetime(2024, 2, 5, 10, 30, tzinfo=dt.UTC))
    channel = Channel.WEB_FORM
    basis_of_knowledge = BasisOfKnowledge.WORK
    is_anonymous = True
    details = "Начальник відділу вимагає винагороду за оформлення паспорта."

    class Params:
        registered = factory.Trait(
            registration_year=2024,
            registration_sequence=factory.Sequence(lambda n: n + 1),
            registration_number=factory.LazyAttribute(lambda report: f"{report.registration_sequence}/2024-В"),
        )


class ReporterIdentityFactory(DjangoModelFactory):
    class Meta:
        model = ReporterIdentity

    report = factory.SubFactory(WhistleblowerReportFactory, is_anonymous=False)
    full_name = factory.Faker("name", locale="uk_UA")
    contacts = "+380 44 000 00 00"


class InducementNotificationFactory(DjangoModelFactory):
    class Meta:
        model = InducementNotification

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2024
    sequence = factory.Sequence(lambda n: n + 1)
    registered_on = dt.date(2024, 3, 1)
    notifier = "Петренко П. П., інспектор"
    summary = "Пропозиція неправомірної вигоди за прискорення оформлення документів."
    sheets = 1


def bulk_measures(program: Program, units: list, count: int) -> list[Measure]:
    """`count` more measures of the program's first task, alternating between `units`, each treating a new risk.

    Built with bulk_create (no history rows), so tests can grow a program to hundreds of rows in a few queries; the
    program's places are renumbered, as the bulk writes of the code do.
    """
    task = Task.objects.filter(section__program=program).order_by("section__number", "number").first()
    start = (Measure.objects.filter(task=task).order_by("-number").values_list("number", flat=True).first() or 0) + 1
    kinds = [
        {"deadline_kind": DeadlineKind.QUARTER, "deadline_part": 2},
        {"deadline_kind": DeadlineKind.EVERY_HALF_YEAR},
        {"deadline_kind": DeadlineKind.AFTER_EVENT, "deadline_days": 3},
    ]
    measures = Measure.objects.bulk_create(
        [
            Measure(task=task, number=start + i, content=f"Захід масового переліку № {start + i}", **kinds[i % 3])
            for i in range(count)
        ]
    )
    matrix = program.risk_matrix
    probability, consequence = matrix.probabilities.get(score=2), matrix.consequences.get(score=3)
    first_risk = (
        Risk.objects.filter(program=program).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    risks = Risk.objects.bulk_create(
        [
            Risk(
                program=program,
                number=first_risk + i,
                function=Function.FINANCE,
                title=f"Ризик № {first_risk + i}",
                inherent_probability=probability,
                inherent_consequence=consequence,
                owner_unit=units[i % len(units)],
            )
            for i in range(count)
        ]
    )
    Measure.responsible_units.through.objects.bulk_create(
        [
            Measure.responsible_units.through(measure_id=measure.pk, unit_id=units[i % len(units)].pk)
            for i, measure in enumerate(measures)
        ]
    )
    Measure.risks.through.objects.bulk_create(
        [
            Measure.risks.through(measure_id=measure.pk, risk_id=risk.pk)
            for measure, risk in zip(measures, risks, strict=True)
        ]
    )
    renumber_places(program.pk)  # bulk_create sends no post_save
    return measures
