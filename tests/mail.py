"""A stand-in for the outside SMTP server (the one thing the tests mock): it keeps messages in memory like Django's
locmem backend, and refuses some of them the way a busy server answers "451 try again later"."""

from __future__ import annotations

import os
from pathlib import Path
from smtplib import SMTPException

from django.core import mail
from django.core.mail.backends import filebased
from django.core.mail.backends.locmem import EmailBackend

BACKEND = "tests.mail.RefusingServer"


class RefusingServer(EmailBackend):
    """Accepts `accept_first` messages, then refuses the next `refusals` sends, then accepts again."""

    accept_first = 0
    refusals = 0

    @classmethod
    def configure(cls, settings, *, accept_first: int = 0, refusals: int = 1) -> None:
        settings.EMAIL_BACKEND = BACKEND
        cls.accept_first, cls.refusals = accept_first, refusals

    def send_messages(self, messages):
        if len(mail.outbox) >= RefusingServer.accept_first and RefusingServer.refusals:
            RefusingServer.refusals -= 1
            raise SMTPException("451 try again later")
        return super().send_messages(messages)


class FileDrop(filebased.EmailBackend):
    """For a worker process, which the test's memory cannot see: each accepted message becomes a file in the folder
    named by TEST_MAIL_DIR."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, file_path=os.environ["TEST_MAIL_DIR"], **kwargs)


def dropped_messages(folder) -> list[str]:
    """Every message in the folder. Django's file backend writes one file per connection, each message followed by
    a line of 79 dashes, so messages sent through one connection (a drain of several notices) share a file."""
    separator = "\n" + "-" * 79 + "\n"
    return [
        message + separator
        for path in sorted(Path(folder).iterdir())
        for message in path.read_text().split(separator)
        if message.strip()
    ]
