"""The objects the permission matrix fills URL parameters with: one of everything a URL can name, per body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from core.roles import Role
from programs.choices import CommissionRole, DecisionKind, RevisionGround
from programs.models import AgendaItem, ProgramRevision
from programs.people import person_invite
from reports.choices import EvidenceKind, Grade, ReportFormat, ReportKind, ReportStatus
from reports.execution.models import Evaluation
from risks.models import ReassessmentRound
from tests.conftest import ProgramContent, WhistleblowerRecords, member
from tests.factories import (
    CommissionFactory,
    CommissionMemberFactory,
    EvidenceFactory,
    GeneratedReportFactory,
    MeetingFactory,
)
from whistleblowers.choices import NoticeChannel
from whistleblowers.disclosure import disclosure_notice_create
from whistleblowers.models import ReportAttachment


@dataclass
class BodyObjects:
    """What one organisation holds, named as the URL parameters need it."""

    organisation: object
    content: ProgramContent
    records: WhistleblowerRecords
    unit: object
    commission: object
    member: object
    meeting: object
    agenda_item: object
    evidence: object
    report: object
    attachment: object
    notice: object
    revision: object
    person: object  # a member of the body (the people pages)
    membership: object
    invitation: object
    evaluation: object = None  # the commission's grades of `entry`
    reassessment_round: object = None  # an open annual re-assessment of the program's register

    @property
    def program(self):
        return self.content.program

    @property
    def period(self):
        return self.content.periods[0]

    @property
    def measure(self):
        return self.content.measures["unit_quarter"]

    @property
    def entry(self):
        return self.content.entries["unit_quarter"]

    @property
    def risk(self):
        return self.content.risks[0]

    @property
    def section(self):
        return self.program.sections.order_by("position").first()


def build_body(organisation, content: ProgramContent, records: WhistleblowerRecords, unit) -> BodyObjects:
    commission = CommissionFactory(organisation=organisation)
    chair = CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR)
    meeting = MeetingFactory(commission=commission, number=1)
    meeting.attendees.set([chair])
    agenda_item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Про затвердження звіту",
        decision_kind=DecisionKind.APPROVE_PERIOD_REPORT,
        period=content.periods[0],
    )
    evidence = EvidenceFactory.build(entry=content.entries["unit_quarter"], kind=EvidenceKind.FILE, title="scan.pdf")
    evidence.file.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"))  # saves the row with its file
    report = GeneratedReportFactory(
        organisation=organisation, program=content.program, kind=ReportKind.EXECUTION, format=ReportFormat.PDF
    )
    report.file.save("execution.pdf", ContentFile(b"%PDF-1.7 rendered"), save=False)
    report.sha256, report.status = "0" * 64, ReportStatus.READY
    report.is_public, report.published_at = True, timezone.now()
    report.save()
    case = records.report
    attachment = ReportAttachment(
        report=case, original_name="akt.pdf", content_type="application/pdf", size=8, sha256="0" * 64
    )
    attachment.file.save("0123456789abcdef.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    officer = member(Role.OFFICER, organisation, username=f"notice-officer-{organisation.pk}")
    notice = disclosure_notice_create(
        report=case,
        user=officer,
        ground="Запит слідчого",
        recipient="Слідче управління",
        notified_on=timezone.localdate() - dt.timedelta(days=1),
        channel=NoticeChannel.CONTACTS,
    )
    revision = ProgramRevision.objects.create(
        program=content.program,
        number=1,
        ground=RevisionGround.LEGISLATION,
        ground_arose_on=dt.date(2024, 1, 15),
        created_by=officer,
    )
    sent = person_invite(
        organisation=organisation, email=f"invited-{organisation.pk}@example.org", roles=[Role.MANAGER], actor=officer
    )
    evaluation = Evaluation.objects.create(
        entry=content.entries["unit_quarter"], timeliness=Grade.MET, completeness=Grade.MET, effectiveness=Grade.MET
    )
    return BodyObjects(
        reassessment_round=ReassessmentRound.objects.create(program=content.program, year=content.program.start_year),
        evaluation=evaluation,
        person=officer,
        membership=officer.memberships.get(organisation=organisation),
        invitation=sent.invitation,
        organisation=organisation,
        content=content,
        records=records,
        unit=unit,
        commission=commission,
        member=chair,
        meeting=meeting,
        agenda_item=agenda_item,
        evidence=evidence,
        report=report,
        attachment=attachment,
        notice=notice,
        revision=revision,
    )
