"""The organisation's administrator keeps its details — among them the name in the genitive case that sentences
need («для Державної міграційної служби України») — on a page and over the API; the invitation e-mail uses it
(issue 17 item 4)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from core.roles import Role
from programs.models import Organisation
from tests.programs.test_demo import load_demo

pytestmark = pytest.mark.django_db

GENITIVE = "Головного управління ДМС у Київській області"


def details(organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "name_genitive": organisation.name_genitive,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "code": organisation.code,
        "website": organisation.website,
    }
    return {**data, **changes}


def test_the_administrator_writes_the_genitive_on_the_organisations_page(login, organisation):
    client = login("admin_user")
    page = client.get(reverse("programs:organisation", args=[organisation.pk])).content.decode()
    assert reverse("programs:organisation-edit", args=[organisation.pk]) in page

    response = client.post(
        reverse("programs:organisation-edit", args=[organisation.pk]), details(organisation, name_genitive=GENITIVE)
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name_genitive == GENITIVE


def test_a_short_name_taken_by_another_body_is_refused_next_to_the_field_and_the_typing_is_kept(
    login, organisation, other_organisation
):
    response = login("admin_user").post(
        reverse("programs:organisation-edit", args=[organisation.pk]),
        details(organisation, name_genitive=GENITIVE, short_name=other_organisation.short_name),
        HTTP_ACCEPT_LANGUAGE="uk",
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Інша організація вже має цю скорочену назву." in page or "вже" in page
    assert GENITIVE in page
    organisation.refresh_from_db()
    assert organisation.name_genitive == ""


def test_the_secretary_reads_the_organisation_but_does_not_edit_it(login, organisation):
    client = login("secretary")
    page = client.get(reverse("programs:organisation", args=[organisation.pk])).content.decode()

    assert reverse("programs:organisation-edit", args=[organisation.pk]) not in page
    assert (
        client.post(reverse("programs:organisation-edit", args=[organisation.pk]), details(organisation)).status_code
        == 403
    )


def test_the_api_reads_and_writes_the_genitive(api, organisation, admin_user):
    client = api("admin_user")

    response = client.patch(f"/api/v1/organisations/{organisation.pk}/", {"name_genitive": GENITIVE}, format="json")

    assert response.status_code == 200, response.json()
    assert client.get(f"/api/v1/organisations/{organisation.pk}/").json()["name_genitive"] == GENITIVE
    assert Organisation.objects.get(pk=organisation.pk).name_genitive == GENITIVE


@pytest.mark.parametrize(
    ("genitive", "says"),
    [
        (GENITIVE, f"для роботи від імені {GENITIVE}."),
        ("", "для роботи від імені: Головне управління ДМС у Київській області."),
    ],
    ids=["genitive", "without"],
)
def test_the_invitation_names_the_body_in_the_genitive_when_it_is_known(login, organisation, genitive, says):
    organisation.name_genitive = genitive
    organisation.save()

    login("admin_user").post(
        reverse("programs:people-invite", args=[organisation.pk]),
        {"email": "kovalenko@example.gov.ua", "roles": [Role.SECRETARY]},
    )

    (message,) = mail.outbox
    assert says in message.body


def test_the_demo_bodies_have_their_genitive_from_the_seeds():
    load_demo()

    genitives = dict(Organisation.objects.values_list("short_name", "name_genitive"))
    assert genitives["ДМС"] == "Державної міграційної служби України"
    assert genitives["ДП «Документ»"] == "Державного підприємства «Документ»"
    assert all(genitives.values())
