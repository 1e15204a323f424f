"""Day one in real Chromium, from an EMPTY database: the getting-started command, the administrator's password,
a unit, the invitations of a secretary and a reporter, each accepting and signing in with their role."""

import pytest
from django.contrib.auth import get_user_model

from core.roles import Role
from programs.models import Membership, Organisation
from tests.browser.dayone import PASSWORD, accept, add_unit, getting_started, invite, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_body_starts_from_an_empty_database_and_its_people_sign_in_with_their_roles(page):
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()

    admin_email = getting_started(page)
    assert page.locator(".user-roles").inner_text() == str(Role.ADMIN.label)

    add_unit(page, "УП", "Управління персоналу")
    secretary_link = invite(page, "secretary@dsp.gov.ua", Role.SECRETARY, position="головний спеціаліст")
    reporter_link = invite(page, "reporter@dsp.gov.ua", Role.REPORTER, unit="УП")
    pending = page.locator("#invitations").inner_text()
    assert "secretary@dsp.gov.ua" in pending
    assert f"{Role.REPORTER.label} (УП)" in pending
    sign_out(page)

    for email, link, role in (
        ("secretary@dsp.gov.ua", secretary_link, Role.SECRETARY),
        ("reporter@dsp.gov.ua", reporter_link, Role.REPORTER),
    ):
        accept(page, link, PASSWORD)
        assert page.locator(".user-roles").inner_text() == str(Role(role).label)
        sign_out(page)
        sign_in(page, email, PASSWORD)
        assert "/accounts/login/" not in page.url
        assert page.locator(".user-roles").inner_text() == str(Role(role).label)
        sign_out(page)

    # The administrator finds both on the people page, with their roles, units and first sign-ins.
    sign_in(page, admin_email, PASSWORD)
    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Працівники").click()
    people = page.locator("#people").inner_text()
    assert "secretary@dsp.gov.ua" in people
    assert "reporter@dsp.gov.ua" in people
    assert "(УП)" in people
    assert "Запрошень, що очікують, немає." in page.locator("#invitations").inner_text()
    assert Membership.objects.filter(user__email="reporter@dsp.gov.ua", role=Role.REPORTER, unit__abbreviation="УП")
