"""The officer's e-mails name the body as a sentence needs it — «для Головного управління ДМС у Київській області»
— when the body has written its name in the genitive case, and otherwise name it apart («Орган: …») rather than
decline it wrongly (issue 17 item 4)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase

from programs.choices import Country
from tests.whistleblowers.conftest import follow_up_url, shown_receipt, submit
from whistleblowers.models import OfficerNotice

pytestmark = pytest.mark.django_db

GENITIVE = "Головного управління ДМС у Київській області"


@pytest.fixture(autouse=True)
def _mailbox(settings, eager_tasks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _report(client, organisation) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = submit(client, organisation)
    return shown_receipt(response.content.decode())


@pytest.mark.parametrize(
    ("country", "genitive", "says", "never"),
    [
        (Country.UKRAINE, GENITIVE, f"повідомлення викривача для {GENITIVE}.", "Орган:"),
        (Country.UKRAINE, "", "Орган: Головне управління ДМС у Київській області.", " для "),
        (Country.KYRGYZSTAN, "Главного управления", "сообщение разоблачителя для Главного управления.", "Орган:"),
        (Country.KYRGYZSTAN, "", "Орган: Головне управління ДМС у Київській області.", " для "),
    ],
    ids=["uk-genitive", "uk-without", "ru-genitive", "ru-without"],
)
def test_the_report_notice_declines_the_body_only_when_its_genitive_is_known(
    organisation, officer, public_client, country, genitive, says, never
):
    organisation.name_genitive, organisation.country = genitive, country
    organisation.save()

    _report(public_client, organisation)

    (message,) = mail.outbox
    assert says in message.body
    assert never not in message.body.split("\n")[0]


@pytest.mark.parametrize(
    ("genitive", "says"),
    [
        (GENITIVE, f"щодо свого звернення до {GENITIVE}."),
        ("", "щодо свого звернення. Орган: Головне управління ДМС у Київській області."),
    ],
    ids=["genitive", "without"],
)
def test_the_notice_of_a_whistleblowers_message_declines_the_body_as_well(
    organisation, officer, public_client, genitive, says
):
    organisation.name_genitive = genitive
    organisation.save()
    receipt = _report(public_client, organisation)
    mail.outbox.clear()

    with TestCase.captureOnCommitCallbacks(execute=True):
        public_client.post(follow_up_url(organisation), {"receipt": receipt})
        public_client.post(
            follow_up_url(organisation), {"receipt": receipt, "action": "reply", "body": "Додаю ще одну обставину."}
        )

    assert OfficerNotice.objects.filter(message__isnull=False).exists()
    (message,) = mail.outbox
    assert says in message.body
