"""E-mails that tell the officers something arrived, never what: the text stays on the portal.

Like GlobaLeaks' notifications, a message names the organisation, the day and the next deadline, and links to the
officer's registry; the report's content, the whistleblower's identity and attachments are never mailed.

Every notice goes through the OfficerNotice outbox, written with the report or message it announces: a broker that
is down when the whistleblower sends loses nothing, and a mail server that refuses is tried again with back-off by
the periodic drain (`send_pending_officer_notices`, or `manage.py send_officer_notices` without a worker). A notice
is locked while it is mailed and stamped after the server accepted it, so a second drain or a repeated task sends
nothing more; only a crash between the server's acceptance and the stamp can send one twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.roles import Role
from programs.models import Membership, Organisation
from whistleblowers.models import OfficerNotice, ReportMessage, WhistleblowerReport
from whistleblowers.selectors import report_deadlines, rules_by_organisation

logger = logging.getLogger(__name__)
# Back-off between attempts for one notice: 1, 2, 4 … minutes, never more than an hour apart.
MAX_BACKOFF = timedelta(hours=1)


def officer_addresses(*, organisation: Organisation) -> list[str]:
    """The e-mail addresses of the organisation's active anti-corruption officers."""
    return sorted(
        set(
            Membership.objects.filter(organisation=organisation, role=Role.OFFICER, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _link(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _send(*, organisation: Organisation, subject: str, body: str) -> bool:
    recipients = officer_addresses(organisation=organisation)
    if not recipients:
        return False
    # Officers are addressed separately (bcc), so no officer's address is shown to the others.
    EmailMessage(subject, body, bcc=recipients).send()
    return True


def officer_notice_record(*, report: WhistleblowerReport, message: ReportMessage | None = None) -> OfficerNotice:
    """Put a notice in the outbox (inside the caller's transaction) and kick the worker once it commits."""
    notice = OfficerNotice.objects.create(report=report, message=message)
    from whistleblowers.tasks import send_officer_notice

    # robust: with the broker down the kick is lost, not the notice; the periodic drain sends it.
    transaction.on_commit(lambda: send_officer_notice.delay(notice.pk), robust=True)
    return notice


def _report_arrived(report: WhistleblowerReport) -> tuple[str, str]:
    organisation = report.organisation
    rules = rules_by_organisation([organisation.pk])[organisation.pk]
    deadlines = {item.key: item for item in report_deadlines(report, rules)}
    subject = _("New whistleblower report for %(organisation)s") % {"organisation": organisation.short_name}
    values = {
        "organisation": organisation.name,
        "organisation_genitive": organisation.name_genitive,
        "received": timezone.localtime(report.received_at).strftime("%d.%m.%Y %H:%M"),
        "due": deadlines["preliminary_review"].due.strftime("%d.%m.%Y"),
        "link": _link(reverse("whistleblowers:report-detail", args=[report.pk])),
    }
    if organisation.name_genitive:
        body = _(
            "A whistleblower report for %(organisation_genitive)s arrived on the portal on %(received)s.\n"
            "Register it and finish the preliminary review by %(due)s.\n\n"
            "The report's content is not sent by e-mail. Open the registry on the portal: %(link)s"
        )
    else:  # the name cannot be declined: the sentence names the body apart («Орган: …»)
        body = _(
            "A whistleblower report for %(organisation)s arrived on the portal on %(received)s.\n"
            "Register it and finish the preliminary review by %(due)s.\n\n"
            "The report's content is not sent by e-mail. Open the registry on the portal: %(link)s"
        )
    return subject, body % values


def _reporter_wrote(message: ReportMessage) -> tuple[str, str]:
    report, organisation = message.report, message.report.organisation
    subject = _("A whistleblower wrote about report %(number)s") % {
        "number": report.registration_number or _("not yet registered")
    }
    values = {
        "sent": timezone.localtime(message.created_at).strftime("%d.%m.%Y %H:%M"),
        "organisation": organisation.name,
        "organisation_genitive": organisation.name_genitive,
        "link": _link(reverse("whistleblowers:report-detail", args=[report.pk])),
    }
    if organisation.name_genitive:
        body = _(
            "The whistleblower sent a message on %(sent)s about a report for %(organisation_genitive)s.\n\n"
            "Messages are not sent by e-mail. Read it on the portal: %(link)s"
        )
    else:  # the name cannot be declined: the sentence names the body apart («Орган: …»)
        body = _(
            "The whistleblower sent a message on %(sent)s about a report for %(organisation)s.\n\n"
            "Messages are not sent by e-mail. Read it on the portal: %(link)s"
        )
    return subject, body % values


def officer_notice_send(*, notice_id: int) -> bool:
    """Mail one notice unless it was sent or another process is mailing it; True when this call delivered it.

    A refusal of the mail server is recorded on the notice with the time of the next attempt, not raised: the
    periodic drain retries it.
    """
    with transaction.atomic():
        notice = (
            OfficerNotice.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("report__organisation", "message__report__organisation")
            .filter(pk=notice_id, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        report = notice.report
        with translation.override(report.organisation.working_language):
            subject, body = _reporter_wrote(notice.message) if notice.message else _report_arrived(report)
            try:
                _send(organisation=report.organisation, subject=subject, body=body)
            except (SMTPException, OSError) as error:
                notice.attempts += 1
                notice.last_error = type(error).__name__
                backoff = min(timedelta(minutes=2 ** (notice.attempts - 1)), MAX_BACKOFF)
                notice.next_attempt_at = timezone.now() + backoff
                notice.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.warning("Notice %s to the officers was refused (%s); retried later.", notice.pk, error)
                return False
        now = timezone.now()
        notice.sent_at = now
        notice.attempts += 1
        notice.save(update_fields=["sent_at", "attempts"])
        stamped = notice.message if notice.message else report
        type(stamped).objects.filter(pk=stamped.pk).update(officers_notified_at=now)
    return True


def officer_notices_send_pending(*, limit: int = 200) -> int:
    """Mail the notices that are due (never sent, back-off elapsed), oldest first; returns how many went out."""
    due = OfficerNotice.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now()).order_by(
        "next_attempt_at", "pk"
    )
    return sum(officer_notice_send(notice_id=pk) for pk in due.values_list("pk", flat=True)[:limit])
