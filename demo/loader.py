"""Writes the demo data. Every row is looked up by its natural key first, so a second run changes nothing.

Rows that already exist are left as they are (a user may have edited them); their many-to-many links, passwords and
dates are set only when the row is created.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models

from core.periods import PeriodKind
from demo import DEMO_PASSWORD, dms, dms_measures, dms_risks, dms_texts, journals, kyrgyz, people
from measures.choices import DeadlineKind
from measures.models import Measure, MeasureSection, Task
from measures.services import measure_units_set
from programs.choices import DecisionKind, Vote
from programs.models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Meeting,
    Membership,
    MemberVote,
    Organisation,
    Program,
    ProgramSection,
    ProgramStatusChange,
    Unit,
)
from reports.choices import EntryState, ExecutionStatus, PeriodAction, PeriodState
from reports.execution.models import Evidence, ExecutionEntry, PeriodEvent, ReportingPeriod
from reports.execution.periods_create import reporting_periods_create
from risks.models import ConsequenceLevel, ProbabilityLevel, Risk, RiskMatrix
from risks.presets import ensure_presets
from whistleblowers.choices import MessageAuthor
from whistleblowers.models import (
    CaseRules,
    InducementNotification,
    ReporterIdentity,
    ReportMessage,
    WhistleblowerReport,
)

KYIV = ZoneInfo("Europe/Kyiv")
BISHKEK = ZoneInfo("Asia/Bishkek")
MeasureKey = tuple[int, int, int | None]


def at_ten(day: date, zone: ZoneInfo = KYIV) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=zone)


class DemoLoader:
    """Loads both demo bodies; `created` counts the rows each model gained."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.users: dict[str, models.Model] = {}
        self.organisations: dict[str, Organisation] = {}
        self.units: dict[tuple[str, str], Unit] = {}

    def run(self) -> Counter[str]:
        dms_org = self.organisation(dms.ORGANISATION, dms.UNITS)
        for child in dms.CHILDREN:
            data = {key: value for key, value in child.items() if key != "units"}
            self.organisation(data, child["units"], parent=dms_org)
        gsm_org = self.organisation(kyrgyz.ORGANISATION, kyrgyz.UNITS)
        ensure_presets()
        self.load_users()
        self.load_dms(dms_org)
        self.load_kyrgyz(gsm_org)
        self.load_journals(dms_org)
        return self.created

    def get_or_create(self, model: type[models.Model], defaults: dict | None = None, **lookup) -> tuple:
        obj, created = model._default_manager.get_or_create(defaults=defaults or {}, **lookup)
        if created:
            self.created[model._meta.label] += 1
        return obj, created

    # --- bodies and people ----------------------------------------------------------------------------------------

    def organisation(self, data: dict, units, parent: Organisation | None = None) -> Organisation:
        fields = {key: value for key, value in data.items() if key != "short_name"}
        organisation, _ = self.get_or_create(
            Organisation, short_name=data["short_name"], defaults={**fields, "parent": parent}
        )
        for abbreviation, name in units:
            unit, _ = self.get_or_create(
                Unit, organisation=organisation, abbreviation=abbreviation, defaults={"name": name}
            )
            self.units[(organisation.short_name, abbreviation)] = unit
        self.organisations[organisation.short_name] = organisation
        return organisation

    def load_users(self) -> None:
        User = get_user_model()
        for person in people.USERS:
            user, created = self.get_or_create(
                User,
                username=person.username,
                defaults={
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "email": person.address,
                    "is_staff": person.is_superuser,
                    "is_superuser": person.is_superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            self.users[person.username] = user
            if person.organisation:
                self.get_or_create(
                    Membership,
                    user=user,
                    organisation=self.organisations[person.organisation],
                    role=person.role,
                    unit=self.units[(person.organisation, person.unit)] if person.unit else None,
                    defaults={"position": person.position, "phone": person.phone},
                )

    # --- ДМС --------------------------------------------------------------------------------------------------------

    def load_dms(self, organisation: Organisation) -> None:
        program, _ = self.get_or_create(
            Program,
            organisation=organisation,
            title=dms.PROGRAM["title"],
            defaults={**dms.PROGRAM, "risk_matrix": RiskMatrix.objects.get(code=dms.RISK_MATRIX)},
        )
        self.status_history(program)
        for position, (title, paragraphs) in enumerate(dms_texts.SECTIONS, start=1):
            self.get_or_create(
                ProgramSection,
                program=program,
                position=position,
                defaults={"title": title, "body": "\n\n".join(paragraphs)},
            )
        periods = self.periods(program)
        risks = self.risks(program, organisation)
        measures = self.measure_tree(
            program, organisation, (*dms_measures.SEED_SECTIONS, dms_risks.RISK_SECTION), risks
        )

        secretary = self.users["secretary"]
        year_2023 = periods[(PeriodKind.YEAR, 2023, 1)]
        for section in dms_measures.SEED_SECTIONS:
            for task in section["tasks"]:
                for item in task["measures"]:
                    report = item["report_2023"]
                    self.entry(
                        measures[(section["number"], task["number"], item["number"])],
                        year_2023,
                        {
                            "status": ExecutionStatus.DONE,
                            "narrative": report["narrative"],
                            "participants": report.get("participants"),
                            "state": EntryState.SUBMITTED,
                            "submitted_by": secretary,
                            "submitted_at": at_ten(date(2024, 1, 12)),
                            "updated_by": secretary,
                        },
                        report.get("evidence", ()),
                    )
        for item in dms_risks.ENTRIES_2024:
            user = self.users[item["by"]]
            submitted = item["state"] == EntryState.SUBMITTED
            self.entry(
                measures[item["measure"]],
                periods[item["period"]],
                {
                    "status": item["status"],
                    "narrative": item["narrative"],
                    "participants": item.get("participants"),
                    "non_execution_reasons": item.get("non_execution_reasons", ""),
                    "next_steps": item.get("next_steps", ""),
                    "state": item["state"],
                    "submitted_by": user if submitted else None,
                    "submitted_at": at_ten(item["submitted_on"]) if submitted else None,
                    "updated_by": user,
                },
                item.get("evidence", ()),
            )
        self.commission(organisation, periods)

    def status_history(self, program: Program) -> None:
        for from_status, to_status, day, reason, number, document_date in dms.STATUS_HISTORY:
            change, created = self.get_or_create(
                ProgramStatusChange,
                program=program,
                from_status=from_status,
                to_status=to_status,
                defaults={
                    "changed_by": self.users["secretary"],
                    "reason": reason,
                    "document_number": number,
                    "document_date": document_date,
                },
            )
            if created:
                # `changed_at` is filled on insert; the demo records a past lifecycle.
                ProgramStatusChange.objects.filter(pk=change.pk).update(changed_at=at_ten(day))

    def periods(self, program: Program) -> dict[tuple, ReportingPeriod]:
        before = ReportingPeriod.objects.filter(program=program).count()
        periods = reporting_periods_create(program=program)
        if len(periods) > before:
            self.created[ReportingPeriod._meta.label] += len(periods) - before
        return {(period.kind, period.year, period.number): period for period in periods}

    def risks(self, program: Program, organisation: Organisation) -> dict[int, Risk]:
        matrix = program.risk_matrix
        probability = {level.score: level for level in ProbabilityLevel.objects.filter(matrix=matrix)}
        consequence = {level.score: level for level in ConsequenceLevel.objects.filter(matrix=matrix)}
        risks = {}
        for item in dms_risks.RISKS:
            fields = {key: value for key, value in item.items() if key not in ("number", "inherent", "residual")}
            risk, _ = self.get_or_create(
                Risk,
                program=program,
                number=item["number"],
                defaults={
                    **fields,
                    "owner_unit": self.units[(organisation.short_name, item["owner_unit"])],
                    "inherent_probability": probability[item["inherent"][0]],
                    "inherent_consequence": consequence[item["inherent"][1]],
                    "residual_probability": probability[item["residual"][0]],
                    "residual_consequence": consequence[item["residual"][1]],
                    "identified_on": date(program.start_year - 1, 11, 15),
                },
            )
            risks[item["number"]] = risk
        return risks

    def measure_tree(
        self, program: Program, organisation: Organisation, sections, risks: dict[int, Risk] | None = None
    ) -> dict[MeasureKey, Measure]:
        measures = {}
        for section_data in sections:
            section, _ = self.get_or_create(
                MeasureSection,
                program=program,
                number=section_data["number"],
                defaults={"title": section_data["title"], "kind": section_data["kind"]},
            )
            for task_data in section_data["tasks"]:
                task, _ = self.get_or_create(
                    Task, section=section, number=task_data["number"], defaults={"title": task_data["title"]}
                )
                for position, item in enumerate(task_data["measures"], start=1):
                    measure, created = self.get_or_create(
                        Measure,
                        task=task,
                        number=item["number"],
                        defaults={
                            "content": item["content"],
                            **item["deadline"],
                            "target_audience": item.get("target_audience", ""),
                            "indicator": item.get("indicator", ""),
                            "resources": item.get("resources", ""),
                            "position": position,
                        },
                    )
                    if created:
                        measure_units_set(
                            measure=measure,
                            units=[
                                self.units[(organisation.short_name, abbreviation)] for abbreviation in item["units"]
                            ],
                        )
                        measure.risks.set([risks[number] for number in item.get("risks", ())])
                    measures[(section.number, task.number, item["number"])] = measure
        return measures

    def entry(self, measure: Measure, period: ReportingPeriod, fields: dict, evidence=()) -> ExecutionEntry:
        entry, _ = self.get_or_create(ExecutionEntry, measure=measure, period=period, defaults=fields)
        for position, item in enumerate(evidence, start=1):
            self.get_or_create(Evidence, entry=entry, position=position, defaults=item)
        return entry

    def commission(self, organisation: Organisation, periods: dict[tuple, ReportingPeriod]) -> None:
        commission, _ = self.get_or_create(Commission, organisation=organisation, defaults=dms.COMMISSION)
        members = {}
        for full_name, position, role, username in dms.COMMISSION_MEMBERS:
            members[full_name], _ = self.get_or_create(
                CommissionMember,
                commission=commission,
                full_name=full_name,
                defaults={"position": position, "role": role, "user": self.users.get(username)},
            )
        for data in dms.MEETINGS:
            meeting, created = self.get_or_create(
                Meeting,
                commission=commission,
                held_on=data["held_on"],
                number=data["number"],
                defaults={"place": dms.PLACE, "protocol_signed_on": data["held_on"]},
            )
            present = [member for name, member in members.items() if name not in data["absent"]]
            if created:
                meeting.attendees.set(present)
            for position, item_data in enumerate(data["items"], start=1):
                approves = item_data.get("approves")
                item, created = self.get_or_create(
                    AgendaItem,
                    meeting=meeting,
                    position=position,
                    defaults={
                        "title": item_data["title"],
                        "heard": item_data["heard"],
                        "decided": item_data["decided"],
                        "decision_kind": DecisionKind.APPROVE_PERIOD_REPORT if approves else DecisionKind.GENERAL,
                        "period": periods[approves or item_data["period"]],
                    },
                )
                for member in present:
                    self.get_or_create(MemberVote, item=item, member=member, defaults={"vote": Vote.FOR})
                if approves and created:
                    self.approve(periods[approves], item)
        for key, day in dms.UNDER_REVIEW.items():
            period = periods[key]
            if period.state == PeriodState.OPEN and not period.events.exists():
                self.period_event(period, PeriodAction.SENT_FOR_REVIEW, PeriodState.UNDER_REVIEW, day)

    def approve(self, period: ReportingPeriod, item: AgendaItem) -> None:
        """Lock a period by the commission's decision, as the report's approval does, dated by the meeting."""
        held_on = item.meeting.held_on
        period.approval_decision = item
        period.approved_at = at_ten(held_on)
        if (period.kind, period.year) == (PeriodKind.YEAR, 2023):
            period.conclusion = dms.YEAR_2023_CONCLUSION
        self.period_event(period, PeriodAction.APPROVED, PeriodState.APPROVED, held_on, decision=item)

    def period_event(
        self, period: ReportingPeriod, action: str, to_state: str, day: date, decision: AgendaItem | None = None
    ) -> None:
        from_state = period.state
        period.state = to_state
        period.save()
        event, created = self.get_or_create(
            PeriodEvent,
            period=period,
            action=action,
            defaults={
                "from_state": from_state,
                "to_state": to_state,
                "decision": decision,
                "by": self.users["secretary"],
            },
        )
        if created:
            # `at` is filled on insert; the demo records past events.
            PeriodEvent.objects.filter(pk=event.pk).update(at=at_ten(day))

    # --- ГСМ при ПКР ------------------------------------------------------------------------------------------------

    def load_kyrgyz(self, organisation: Organisation) -> None:
        program, _ = self.get_or_create(
            Program,
            organisation=organisation,
            title=kyrgyz.PROGRAM["title"],
            defaults={**kyrgyz.PROGRAM, "risk_matrix": RiskMatrix.objects.get(code=kyrgyz.RISK_MATRIX)},
        )
        periods = self.periods(program)
        sections = [
            {
                "number": number,
                "title": title,
                "kind": kind,
                "tasks": (
                    {
                        "number": 1,
                        "title": title,
                        "measures": [
                            {
                                "number": item["number"],
                                "content": item["content"],
                                "deadline": {"deadline_kind": DeadlineKind.PROGRAM_PERIOD},
                                "units": kyrgyz.ITEM_UNITS[item["number"]],
                            }
                            for item in kyrgyz.ITEMS
                            if item["section"] == number
                        ],
                    },
                ),
            }
            for number, title, kind in kyrgyz.SECTIONS
        ]
        measures = self.measure_tree(program, organisation, sections)
        officer = self.users[kyrgyz.REPORTED_BY]
        year = periods[(PeriodKind.YEAR, kyrgyz.REPORT_YEAR, 1)]
        for item in kyrgyz.ITEMS:
            self.entry(
                measures[(item["section"], 1, item["number"])],
                year,
                {
                    "status": item["status"],
                    "narrative": item["narrative"],
                    "non_execution_reasons": item["non_execution_reasons"],
                    "next_steps": item["next_steps"],
                    "state": EntryState.SUBMITTED,
                    "submitted_by": officer,
                    "submitted_at": at_ten(kyrgyz.SUBMITTED_ON, BISHKEK),
                    "updated_by": officer,
                },
            )
        earlier = kyrgyz.EARLIER_REPORT
        self.entry(
            measures[(earlier["section"], 1, earlier["number"])],
            periods[(PeriodKind.YEAR, earlier["year"], 1)],
            {
                "status": earlier["status"],
                "narrative": earlier["narrative"],
                "next_steps": earlier["next_steps"],
                "state": EntryState.SUBMITTED,
                "submitted_by": officer,
                "submitted_at": at_ten(date(earlier["year"] + 1, 1, 10), BISHKEK),
                "updated_by": officer,
            },
        )

    # --- whistleblowers and inducement notifications ----------------------------------------------------------------

    def load_journals(self, organisation: Organisation) -> None:
        rules, _ = self.get_or_create(
            CaseRules, organisation=organisation, defaults={"number_pattern": journals.NUMBER_PATTERN}
        )
        officer = self.users["officer"]
        for data in journals.REPORTS:
            fields = {
                key: value
                for key, value in data.items()
                if key not in ("year", "sequence", "accused_unit", "identity", "message", "message_at")
            }
            report, _ = self.get_or_create(
                WhistleblowerReport,
                organisation=organisation,
                registration_number=rules.number_pattern.format(seq=data["sequence"], year=data["year"]),
                defaults={
                    **fields,
                    "registration_year": data["year"],
                    "registration_sequence": data["sequence"],
                    "accused_unit": self.units[data["accused_unit"]],
                    "assignee": officer,
                },
            )
            if "identity" in data:
                self.get_or_create(ReporterIdentity, report=report, defaults=data["identity"])
            if "message" in data:
                message, created = self.get_or_create(
                    ReportMessage,
                    report=report,
                    author=MessageAuthor.OFFICER,
                    defaults={"officer": officer, "body": data["message"]},
                )
                if created:
                    ReportMessage.objects.filter(pk=message.pk).update(created_at=data["message_at"])
        for data in journals.INDUCEMENTS:
            fields = {key: value for key, value in data.items() if key not in ("organisation", "year", "sequence")}
            self.get_or_create(
                InducementNotification,
                organisation=self.organisations[data["organisation"]],
                year=data["year"],
                sequence=data["sequence"],
                defaults=fields,
            )
