"""E-mails that tell the officers something arrived, never what: the text stays on the portal.

Like GlobaLeaks' notifications, a message names the organisation, the day and the next deadline, and links to the
officer's registry; the report's content, the whistleblower's identity and attachments are never mailed. Each
notice is sent once: the row is locked while mailing and stamped after the server accepted the message, so a retry
of the task (or a second delivery of it) sends nothing more.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programs.choices import Role
from programs.models import Membership, Organisation

from .choices import MessageAuthor
from .models import ReportMessage, WhistleblowerReport
from .selectors import report_deadlines, rules_by_organisation


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


@transaction.atomic
def report_arrival_notify(*, report_id: int) -> bool:
    """Tell the officers a report arrived and by when the preliminary review is due; True when mailed."""
    report = (
        WhistleblowerReport.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=report_id, officers_notified_at__isnull=True)
        .first()
    )
    if report is None:
        return False
    organisation = report.organisation
    rules = rules_by_organisation([organisation.pk])[organisation.pk]
    deadlines = {item.key: item for item in report_deadlines(report, rules)}
    with translation.override(organisation.working_language):
        subject = _("New whistleblower report for %(organisation)s") % {"organisation": organisation.short_name}
        body = _(
            "A whistleblower report for %(organisation)s arrived on the portal on %(received)s.\n"
            "Register it and finish the preliminary review by %(due)s.\n\n"
            "The report's content is not sent by e-mail. Open the registry on the portal: %(link)s"
        ) % {
            "organisation": organisation.name,
            "received": timezone.localtime(report.received_at).strftime("%d.%m.%Y %H:%M"),
            "due": deadlines["preliminary_review"].due.strftime("%d.%m.%Y"),
            "link": _link(reverse("whistleblowers:report-detail", args=[report.pk])),
        }
        mailed = _send(organisation=organisation, subject=subject, body=body)
    report.officers_notified_at = timezone.now()
    report.save(update_fields=["officers_notified_at"])
    return mailed


@transaction.atomic
def reporter_message_notify(*, message_id: int) -> bool:
    """Tell the officers the whistleblower wrote (not what); True when mailed."""
    message = (
        ReportMessage.objects.select_for_update(of=("self",))
        .select_related("report__organisation")
        .filter(pk=message_id, author=MessageAuthor.REPORTER, officers_notified_at__isnull=True)
        .first()
    )
    if message is None:
        return False
    report, organisation = message.report, message.report.organisation
    with translation.override(organisation.working_language):
        subject = _("A whistleblower wrote about report %(number)s") % {
            "number": report.registration_number or _("not yet registered")
        }
        body = _(
            "The whistleblower sent a message on %(sent)s about a report for %(organisation)s.\n\n"
            "Messages are not sent by e-mail. Read it on the portal: %(link)s"
        ) % {
            "sent": timezone.localtime(message.created_at).strftime("%d.%m.%Y %H:%M"),
            "organisation": organisation.name,
            "link": _link(reverse("whistleblowers:report-detail", args=[report.pk])),
        }
        mailed = _send(organisation=organisation, subject=subject, body=body)
    message.officers_notified_at = timezone.now()
    message.save(update_fields=["officers_notified_at"])
    return mailed
