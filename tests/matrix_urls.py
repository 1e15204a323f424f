"""How the permission matrix fills each URL's parameters from one body's objects (tests/matrix_world.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# The Django admin is one site behind `is_staff`, whose patterns grow with every registered model: its index
# stands for all of them (the admin's own permission checks are Django's).
ADMIN_NAMESPACE = "admin"


def url_names() -> set[str]:
    """Every named URL pattern of the URL conf, as `namespace:name`, the admin as its index."""
    found: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if namespace and pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                if inner == ADMIN_NAMESPACE:
                    found.add("admin:index")
                    continue
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                found.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, None)
    return found


def _program(b):
    return {"program_pk": b.program.pk}


# URL name → its parameters, from one body's objects `b`. A URL without parameters maps to None.
PARAMS = {
    "home": None,
    "login": None,
    "logout": None,
    "set_language": None,
    "admin:index": None,
    "programs:list": None,
    "programs:create": None,
    "programs:detail": lambda b: {"pk": b.program.pk},
    "programs:edit": lambda b: {"pk": b.program.pk},
    "programs:status": lambda b: {"pk": b.program.pk},
    "programs:section-create": lambda b: {"pk": b.program.pk},
    "programs:section-edit": lambda b: {"pk": b.section.pk},
    "programs:revision-create": lambda b: {"pk": b.program.pk},
    "programs:revision": lambda b: {"pk": b.revision.pk},
    "programs:revision-edit": lambda b: {"pk": b.revision.pk},
    "programs:revision-close": lambda b: {"pk": b.revision.pk},
    "programs:organisations": None,
    "invitation-accept": lambda b: {"token": "forged-token-that-was-never-issued"},
    "password_reset": None,
    "password_reset_done": None,
    "password_reset_confirm": lambda b: {"uidb64": "MQ", "token": "set-password"},
    "password_reset_complete": None,
    "programs:people-index": None,
    "programs:people": lambda b: {"pk": b.organisation.pk},
    "programs:people-invite": lambda b: {"pk": b.organisation.pk},
    "programs:person": lambda b: {"pk": b.organisation.pk, "user_pk": b.person.pk},
    "programs:person-activate": lambda b: {"pk": b.organisation.pk, "user_pk": b.person.pk},
    "programs:person-reset-second-factor": lambda b: {"pk": b.organisation.pk, "user_pk": b.person.pk},
    "second-factor-verify": None,
    "second-factor-enrol": None,
    "account-security": None,
    "account-recovery-codes": None,
    "account-second-factor-off": None,
    "programs:person-deactivate": lambda b: {"pk": b.organisation.pk, "user_pk": b.person.pk},
    "programs:membership-edit": lambda b: {"pk": b.membership.pk},
    "programs:membership-remove": lambda b: {"pk": b.membership.pk},
    "programs:invitation-resend": lambda b: {"pk": b.invitation.pk},
    "programs:invitation-revoke": lambda b: {"pk": b.invitation.pk},
    "programs:organisation-create-child": lambda b: {"pk": b.organisation.pk},
    "programs:switch-organisation": None,
    "programs:organisation": lambda b: {"pk": b.organisation.pk},
    "programs:organisation-edit": lambda b: {"pk": b.organisation.pk},
    "programs:unit-create": lambda b: {"pk": b.organisation.pk},
    "programs:unit-edit": lambda b: {"pk": b.unit.pk},
    "programs:commission": lambda b: {"pk": b.organisation.pk},
    "programs:commission-edit": lambda b: {"pk": b.organisation.pk},
    "programs:member-create": lambda b: {"pk": b.organisation.pk},
    "programs:member-edit": lambda b: {"pk": b.member.pk},
    "programs:meeting-create": lambda b: {"pk": b.organisation.pk},
    "programs:meeting": lambda b: {"pk": b.meeting.pk},
    "programs:meeting-edit": lambda b: {"pk": b.meeting.pk},
    "programs:agenda-item-create": lambda b: {"pk": b.meeting.pk},
    "programs:agenda-item-decision": lambda b: {"pk": b.agenda_item.pk},
    "risks:list": _program,
    "risks:create": _program,
    "risks:heatmap": _program,
    "risks:export": _program,
    "risks:detail": lambda b: {**_program(b), "pk": b.risk.pk},
    "risks:update": lambda b: {**_program(b), "pk": b.risk.pk},
    "risks:delete": lambda b: {**_program(b), "pk": b.risk.pk},
    "measures:list": _program,
    "measures:create": _program,
    "measures:section-create": _program,
    "measures:export": _program,
    "measures:import": _program,
    "measures:import-template": _program,
    "measures:import-preview": lambda b: {**_program(b), "token": "0" * 32},
    "measures:detail": lambda b: {**_program(b), "pk": b.measure.pk},
    "measures:update": lambda b: {**_program(b), "pk": b.measure.pk},
    "measures:delete": lambda b: {**_program(b), "pk": b.measure.pk},
    "reports:list": None,
    "reports:request": _program,
    "reports:detail": lambda b: {"pk": b.report.pk},
    "reports:download": lambda b: {"pk": b.report.pk},
    "reports:publication": lambda b: {"pk": b.report.pk},
    "reports:try-again": lambda b: {"pk": b.report.pk},
    "reports:journal-request": None,
    "reports:published-index": None,
    "reports:published": lambda b: {"organisation_pk": b.organisation.pk},
    "reports:published-download": lambda b: {"pk": b.report.pk},
    "reports:program-periods": _program,
    "reports:my-periods": None,
    "reports:period": lambda b: {"pk": b.period.pk},
    "reports:entry": lambda b: {"pk": b.period.pk, "measure_pk": b.measure.pk},
    "reports:grid-save": lambda b: {"pk": b.period.pk, "measure_pk": b.measure.pk},
    "reports:entry-copy": lambda b: {"pk": b.content.periods[1].pk, "measure_pk": b.measure.pk},
    "reports:evidence-delete": lambda b: {"pk": b.evidence.pk},
    "reports:evidence-file": lambda b: {"pk": b.evidence.pk},
    "reports:remind": lambda b: {"pk": b.period.pk},
    "reports:open-early": lambda b: {"pk": b.period.pk},
    "reports:review": lambda b: {"pk": b.period.pk},
    "reports:send-for-review": lambda b: {"pk": b.period.pk},
    "reports:conclusion": lambda b: {"pk": b.period.pk},
    "reports:approve": lambda b: {"pk": b.period.pk},
    "reports:reopen": lambda b: {"pk": b.period.pk},
    "reports:findings": lambda b: {"pk": b.period.pk},
    "reports:evaluation": lambda b: {"entry_pk": b.entry.pk},
    "whistleblowers:report-list": None,
    "whistleblowers:report-export": None,
    "whistleblowers:report-create": None,
    "whistleblowers:report-detail": lambda b: {"pk": b.records.report.pk},
    "whistleblowers:report-identity": lambda b: {"pk": b.records.report.pk},
    "whistleblowers:report-action": lambda b: {"pk": b.records.report.pk, "action": "summary"},
    "whistleblowers:disclosure-notice-step": lambda b: {
        "pk": b.records.report.pk,
        "notice_pk": b.notice.pk,
        "step": "withdraw",
    },
    "whistleblowers:attachment-download": lambda b: {"pk": b.attachment.pk},
    "whistleblowers:statistics": None,
    "whistleblowers:inducement-list": None,
    "whistleblowers:inducement-create": None,
    "whistleblowers:inducement-edit": lambda b: {"pk": b.records.inducement.pk},
    "whistleblowers:public-index": None,
    "whistleblowers:public-form": lambda b: {"short_name": b.organisation.short_name},
    "whistleblowers:public-receipt": lambda b: {"short_name": b.organisation.short_name},
    "whistleblowers:public-follow-up": lambda b: {"short_name": b.organisation.short_name},
    "dashboard:index": None,
    "organisation-list": None,
    "organisation-detail": lambda b: {"pk": b.organisation.pk},
    "unit-list": None,
    "unit-detail": lambda b: {"pk": b.unit.pk},
    "program-list": None,
    "program-detail": lambda b: {"pk": b.program.pk},
    "program-transition": lambda b: {"pk": b.program.pk},
    "risk-list": None,
    "risk-detail": lambda b: {"pk": b.risk.pk},
    "measure-list": None,
    "measure-detail": lambda b: {"pk": b.measure.pk},
    "reporting-period-list": None,
    "reporting-period-detail": lambda b: {"pk": b.period.pk},
    "reporting-period-completeness": lambda b: {"pk": b.period.pk},
    "execution-entry-list": None,
    "execution-entry-detail": lambda b: {"pk": b.entry.pk},
    "execution-entry-evidence": lambda b: {"pk": b.entry.pk},
    "execution-entry-remove-evidence": lambda b: {"pk": b.entry.pk, "evidence_pk": b.evidence.pk},
    "execution-entry-submit": lambda b: {"pk": b.entry.pk},
    "report-list": None,
    "report-detail": lambda b: {"pk": b.report.pk},
    "report-download": lambda b: {"pk": b.report.pk},
    "dashboard-summary": None,
    "dashboard-trend": None,
    "dashboard-heatmap": None,
    "dashboard-organisations": None,
    "dashboard-whistleblowers": None,
    "whistleblower-report-list": None,
    "whistleblower-report-detail": lambda b: {"pk": b.records.report.pk},
    "api-schema": None,
    "api-docs": None,
    "api-redoc": None,
    # Issue 14 item 1: what the pages do, over the API.
    "reporting-period-open-early": lambda b: {"pk": b.period.pk},
    "reporting-period-send-for-review": lambda b: {"pk": b.period.pk},
    "reporting-period-conclusion": lambda b: {"pk": b.period.pk},
    "reporting-period-approve": lambda b: {"pk": b.period.pk},
    "reporting-period-reopen": lambda b: {"pk": b.period.pk},
    "evaluation-list": None,
    "evaluation-detail": lambda b: {"pk": b.evaluation.pk},
    "evidence-list": None,
    "evidence-detail": lambda b: {"pk": b.evidence.pk},
    "evidence-move": lambda b: {"pk": b.evidence.pk},
    "measure-section-list": None,
    "measure-section-detail": lambda b: {"pk": b.measure.task.section_id},
    "measure-section-move": lambda b: {"pk": b.measure.task.section_id},
    "task-list": None,
    "task-detail": lambda b: {"pk": b.measure.task_id},
    "task-move": lambda b: {"pk": b.measure.task_id},
    "risk-matrix-list": None,
    "risk-matrix-detail": lambda b: {"pk": b.program.risk_matrix_id},
    "commission-list": None,
    "commission-detail": lambda b: {"pk": b.commission.pk},
    "commission-member-list": None,
    "commission-member-detail": lambda b: {"pk": b.member.pk},
    "meeting-list": None,
    "meeting-detail": lambda b: {"pk": b.meeting.pk},
    "agenda-item-list": None,
    "agenda-item-detail": lambda b: {"pk": b.agenda_item.pk},
    "agenda-item-decision": lambda b: {"pk": b.agenda_item.pk},
    "membership-list": None,
    "membership-detail": lambda b: {"pk": b.membership.pk},
    "membership-deactivate-account": lambda b: {"pk": b.membership.pk},
    "membership-activate-account": lambda b: {"pk": b.membership.pk},
    "membership-reset-second-factor": lambda b: {"pk": b.membership.pk},
    "invitation-list": None,
    "invitation-detail": lambda b: {"pk": b.invitation.pk},
    "invitation-resend": lambda b: {"pk": b.invitation.pk},
    "invitation-revoke": lambda b: {"pk": b.invitation.pk},
    "program-section-list": None,
    "program-section-detail": lambda b: {"pk": b.section.pk},
    "programs:word-import": lambda b: {"pk": b.program.pk},
    "programs:word-import-preview": lambda b: {"pk": b.program.pk, "token": "0" * 32},
    # Issue 16: the risk loop.
    "risks:signals": _program,
    "risks:residual": _program,
    "risks:residual-decide": lambda b: {**_program(b), "pk": b.risk.pk},
    "dashboard-risk-loop": None,
    # Issue 20 item 4: the audit trail, for administrators.
    "audit:event-list": None,
    "audit:event-export": None,
}


# Query strings of the URLs that name their objects there rather than in the path.
QUERY = {
    "dashboard-summary": lambda b: {"program": b.program.pk, "period": b.period.pk},
    "dashboard-trend": lambda b: {"program": b.program.pk},
    "dashboard-heatmap": lambda b: {"program": b.program.pk},
    "dashboard-risk-loop": lambda b: {"program": b.program.pk},
    "dashboard-organisations": lambda b: {"organisation": b.organisation.pk, "year": b.period.year},
}
