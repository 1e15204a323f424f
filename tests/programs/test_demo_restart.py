"""`scripts/run` started again: `load_demo --skip-unchanged` skips the loader while the database holds the demo as
the code describes it, and lists the logins without an Argon2 check per user — yet a changed demo is loaded again and
a password changed meanwhile is noticed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from programs.models import DemoLoad, Membership

pytestmark = pytest.mark.django_db
OWN_PASSWORD = " (existing account: its own password)"


def start(*options: str) -> str:
    """`manage.py load_demo` as scripts/run calls it on a developer's machine."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", *options, stdout=out)
    return out.getvalue()


def login_line(output: str, username: str) -> str:
    return next(line for line in output.splitlines() if line.strip().startswith(f"{username} "))


def test_a_second_start_skips_the_loader_while_the_demo_is_unchanged():
    start("--skip-unchanged")
    # A row the loader would put back: the skipped start does not, a full load does.
    Membership.objects.filter(user__username="secretary").delete()

    output = start("--skip-unchanged")

    assert "loaded and unchanged: skipped" in output
    assert not Membership.objects.filter(user__username="secretary").exists()
    start()
    assert Membership.objects.filter(user__username="secretary").exists()


def test_a_changed_demo_is_loaded_again_on_the_next_start():
    start("--skip-unchanged")
    Membership.objects.filter(user__username="secretary").delete()
    DemoLoad.objects.update(fingerprint="the demo as an older version of the code described it")

    output = start("--skip-unchanged")

    assert "skipped" not in output
    assert Membership.objects.filter(user__username="secretary").exists()


def test_a_fresh_database_is_loaded_even_when_asked_to_skip():
    output = start("--skip-unchanged")

    assert "Demo data loaded:" in output
    assert DemoLoad.objects.count() == 1


def test_the_logins_notice_a_password_changed_since_the_last_start():
    first = start("--skip-unchanged")
    assert OWN_PASSWORD not in login_line(first, "secretary")
    secretary = get_user_model().objects.get(username="secretary")
    secretary.set_password("мій-власний-пароль-2026")
    secretary.save()

    output = start("--skip-unchanged")

    assert login_line(output, "secretary").endswith(OWN_PASSWORD)
    assert not login_line(output, "reporter").endswith(OWN_PASSWORD)
