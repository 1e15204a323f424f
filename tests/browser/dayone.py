"""Day one of a real body, step by step in the browser: reusable by every journey that starts from an EMPTY database.

    admin_email = getting_started(page)          # the command, its printed link, the administrator's password
    add_unit(page, "УП", "Управління персоналу")
    link = invite(page, "sec@example.gov.ua", Role.SECRETARY)
    sign_out(page); accept(page, link, PASSWORD)

Links are read from the e-mails the portal sent (the locmem outbox of the live server, which runs in this process)
and opened by their path, so they work whatever SITE_URL says.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

from django.core import mail
from django.core.management import call_command

from core.roles import Role
from programs.models import Invitation
from programs.people import token_hash
from tests.second_factor import pass_second_factor

PASSWORD = "Kashtan-na-Khreshchatyku-17"
LINK = re.compile(r"https?://\S+/accounts/invitation/[\w-]+/")
ORGANISATION = {
    "name": "Державна служба України з питань праці",
    "short_name": "Держпраці",
    "admin_email": "admin@dsp.gov.ua",
}


def link_path(text: str) -> str:
    """The path of the (last) invitation link in an e-mail or in the command's output."""
    return urlsplit(LINK.findall(text)[-1]).path


def getting_started(page, *, password: str = PASSWORD, **organisation) -> str:
    """Run `create_organisation`, open the link it prints and set the administrator's password; returns their
    e-mail (which is also how they sign in). The administrator stays signed in."""
    options = {**ORGANISATION, **organisation}
    out = io.StringIO()
    call_command("create_organisation", stdout=out, **options)
    accept(page, link_path(out.getvalue()), password)
    return options["admin_email"]


def accept(page, link: str, password: str = PASSWORD) -> None:
    """Open an invitation link, set the password twice and sign in (an administrator or officer then sets up the
    second factor, as a person with an authenticator app would)."""
    invitation = Invitation.objects.select_related("user").get(token_hash=token_hash(link.rstrip("/").split("/")[-1]))
    page.goto(link)
    page.fill("input[name=new_password1]", password)
    page.fill("input[name=new_password2]", password)
    page.get_by_role("button", name="Встановити пароль і увійти").click()
    page.wait_for_load_state()
    pass_second_factor(page, invitation.user.get_username())


def add_unit(page, abbreviation: str, name: str) -> None:
    """The administrator adds a structural unit to their organisation (a reporter is invited for a unit)."""
    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Працівники").click()
    page.locator(".breadcrumbs").get_by_role("link").nth(1).click()
    page.get_by_role("link", name="Додати підрозділ").click()
    page.fill("input[name=abbreviation]", abbreviation)
    page.fill("input[name=name]", name)
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_load_state()


def invite(page, email: str, role: str, unit: str | None = None, *, position: str = "") -> str:
    """The signed-in administrator invites `email` to `role` (for the unit with abbreviation `unit`); returns the
    path of the link from the e-mail the person received."""
    sent_before = len(mail.outbox)
    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Працівники").click()
    page.get_by_role("link", name="Запросити працівника").click()
    page.fill("input[name=email]", email)
    page.get_by_label(str(Role(role).label), exact=True).check()
    if unit is not None:
        value = page.locator("select[name=unit] option", has_text=f"{unit} — ").get_attribute("value")
        page.select_option("select[name=unit]", value)
    if position:
        page.fill("input[name=position]", position)
    page.get_by_role("button", name="Надіслати запрошення").click()
    page.wait_for_load_state()
    received = [message for message in mail.outbox[sent_before:] if email in message.to]
    assert received, f"no invitation e-mail reached {email}: {page.locator('main').inner_text()}"
    return link_path(received[-1].body)


def sign_out(page) -> None:
    page.get_by_role("button", name="Вийти").click()
    page.wait_for_load_state()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    pass_second_factor(page, username)
