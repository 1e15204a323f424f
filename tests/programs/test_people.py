"""People and roles in the portal: getting started, invitations, roles, deactivation, child bodies, resets."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from programs.choices import PeopleAction
from programs.models import Invitation, Membership, Organisation, PeopleChange
from programs.people import invitation_link, person_invite
from tests.conftest import member
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory
from tests.mail import RefusingServer
from tests.second_factor import verified_login

# A valid address (local part 64, labels under 63) too long to be an account's sign-in name.
LONG_ADDRESS = "x" * 64 + "@" + "d" * 60 + "." + "e" * 40 + ".gov.ua"


pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Kashtan-na-Khreshchatyku-17"
LINK = re.compile(r"https?://\S+/accounts/invitation/[\w-]+/")


def without_csrf(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page.decode())


def link_path(text: str) -> str:
    """The path of the invitation link in an e-mail or command output."""
    return "/" + LINK.search(text).group(0).split("/", 3)[3]


def accept(client: Client, path: str, password: str = PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})


# --- getting started ----------------------------------------------------------------------------------------------


def test_getting_started_creates_the_body_and_its_administrator_who_sets_a_password_through_the_printed_link():
    assert not Organisation.objects.exists()
    out = io.StringIO()

    call_command(
        "create_organisation",
        name="Державна служба України з питань праці",
        short_name="Держпраці",
        admin_email="Admin@dsp.gov.ua",
        kind="central",
        stdout=out,
    )

    organisation = Organisation.objects.get(short_name="Держпраці")
    admin = User.objects.get(email="admin@dsp.gov.ua")
    assert not admin.is_active
    client = Client()
    response = accept(client, link_path(out.getvalue()))
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.check_password(PASSWORD)
    assert Membership.objects.filter(user=admin, organisation=organisation, role=Role.ADMIN).exists()
    # The same link was e-mailed, and it works only once.
    assert link_path(mail.outbox[0].body) == link_path(out.getvalue())
    assert Client().get(link_path(out.getvalue())).status_code == 410


def test_getting_started_places_a_territorial_body_under_its_parent(parent_organisation):
    call_command(
        "create_organisation",
        name="Головне управління у Львівській області",
        short_name="ГУ Львів",
        admin_email="lviv@example.gov.ua",
        kind="territorial",
        parent=parent_organisation.pk,
        stdout=io.StringIO(),
    )

    assert Organisation.objects.get(short_name="ГУ Львів").parent == parent_organisation


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"admin_email": "not-an-address"}, "--admin-email"),
        ({"parent": 999999}, "--parent"),
        ({"short_name": "ДМС"}, "скороченою назвою"),
    ],
)
def test_getting_started_refuses_bad_arguments_with_a_reason(parent_organisation, arguments, problem):
    options = {"name": "Нова служба", "short_name": "НС", "admin_email": "a@example.gov.ua", **arguments}

    with pytest.raises(CommandError, match=problem):
        call_command("create_organisation", stdout=io.StringIO(), **options)


# --- invitations --------------------------------------------------------------------------------------------------


def invite_url(organisation) -> str:
    return reverse("programs:people-invite", args=[organisation.pk])


def test_the_administrator_invites_a_reporter_who_accepts_and_works_for_the_unit(login, organisation, reporter_unit):
    response = login("admin_user").post(
        invite_url(organisation),
        {
            "email": "kovalenko@example.gov.ua",
            "roles": [Role.REPORTER],
            "unit": reporter_unit.pk,
            "position": "головний спеціаліст",
            "phone": "+380 44 123 45 67",
        },
    )

    assert response.status_code == 302
    assert mail.outbox[0].to == ["kovalenko@example.gov.ua"]
    client = Client()
    assert accept(client, link_path(mail.outbox[0].body)).status_code == 302
    membership = Membership.objects.get(user__email="kovalenko@example.gov.ua")
    assert (membership.role, membership.unit, membership.position, membership.phone) == (
        Role.REPORTER,
        reporter_unit,
        "головний спеціаліст",
        "+380 44 123 45 67",
    )
    # Signed in by the acceptance; later by the e-mail address and the new password.
    assert client.get(reverse("home")).status_code == 200
    assert Client().login(username="kovalenko@example.gov.ua", password=PASSWORD)


def test_the_invitation_answer_is_the_same_whether_or_not_the_address_has_an_account(login, organisation, outsider):
    answers = []
    for email in (outsider.email, "nobody-yet@example.gov.ua"):
        client = login("admin_user")
        response = client.post(invite_url(organisation), {"email": email, "roles": [Role.MANAGER]})
        said = [str(message).replace(email, "EMAIL") for message in get_messages(response.wsgi_request)]
        answers.append((response.status_code, response["Location"], said))

    assert answers[0] == answers[1]
    page = client.get(reverse("programs:people", args=[organisation.pk])).content.decode()
    assert outsider.get_full_name() not in page
    # The existing account gets the role only when its owner accepts from their own mailbox.
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()
    accept(Client(), link_path(mail.outbox[0].body))
    assert Membership.objects.filter(user=outsider, organisation=organisation, role=Role.MANAGER).exists()
    assert User.objects.filter(email__iexact=outsider.email).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not an address", "roles": [Role.SECRETARY]}, "email", "Введіть адресу електронної пошти"),
        ({"email": LONG_ADDRESS, "roles": [Role.SECRETARY]}, "email", "не довшою за 150 символів"),
        ({"email": "a@example.gov.ua", "roles": [Role.REPORTER]}, "unit", "оберіть підрозділ"),
        ({"email": "a@example.gov.ua"}, "roles", "Оберіть принаймні одну роль"),
        ({"email": "a@example.gov.ua", "roles": [Role.SECRETARY], "unit": "UNIT"}, "unit", "Підрозділ має лише"),
        ({"email": "a@example.gov.ua", "roles": [Role.REPORTER], "unit": "FOREIGN"}, "unit", "Оберіть підрозділ цієї"),
    ],
)
def test_bad_invitation_input_is_a_form_error_that_keeps_what_was_typed(
    login, organisation, reporter_unit, other_organisation, data, field, message
):
    foreign = UnitFactory(organisation=other_organisation)
    data = {**data, "position": "провідний фахівець"}
    if data.get("unit") == "UNIT":
        data["unit"] = reporter_unit.pk
    if data.get("unit") == "FOREIGN":
        data["unit"] = foreign.pk

    response = login("admin_user").post(invite_url(organisation), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "провідний фахівець" in page
    assert data["email"] in page
    assert not Invitation.objects.exists()
    assert not mail.outbox


def sent_invitation(organisation, admin, **kwargs):
    options = {"email": "new@example.gov.ua", "roles": [Role.SECRETARY], **kwargs}
    return person_invite(organisation=organisation, actor=admin, **options)


def test_an_expired_link_is_refused_with_a_clear_message(organisation, admin_user):
    sent = sent_invitation(organisation, admin_user)
    Invitation.objects.filter(pk=sent.invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = accept(Client(), link_path(sent.link))

    assert response.status_code == 410
    assert "Термін дії цього запрошення минув" in response.content.decode()
    assert not User.objects.get(email="new@example.gov.ua").is_active


def test_a_reused_link_is_refused_with_a_clear_message(organisation, admin_user):
    sent = sent_invitation(organisation, admin_user)
    accept(Client(), link_path(sent.link))

    response = accept(Client(), link_path(sent.link), "Inshyi-parol-2026-x")

    assert response.status_code == 410
    assert "вже використано" in response.content.decode()
    assert User.objects.get(email="new@example.gov.ua").check_password(PASSWORD)


@pytest.mark.parametrize("tamper", ["forged", "truncated"])
def test_a_forged_or_truncated_link_is_refused_with_a_clear_message(organisation, admin_user, tamper):
    sent = sent_invitation(organisation, admin_user)
    path = link_path(sent.link)
    path = "/accounts/invitation/Zm9yZ2VkLXRva2VuLW5vdC1pc3N1ZWQ/" if tamper == "forged" else path[:-6] + "/"

    response = Client().get(path)

    assert response.status_code == 404
    assert "Посилання запрошення недійсне" in response.content.decode()


def test_sending_again_voids_the_old_link_and_revoking_voids_the_new_one(login, organisation, admin_user):
    sent = sent_invitation(organisation, admin_user)
    client = login("admin_user")

    client.post(reverse("programs:invitation-resend", args=[sent.invitation.pk]))
    assert Client().get(link_path(sent.link)).status_code == 404
    new_link = link_path(mail.outbox[-1].body)
    assert Client().get(new_link).status_code == 200

    client.post(reverse("programs:invitation-revoke", args=[sent.invitation.pk]))
    response = Client().get(new_link)
    assert response.status_code == 410
    assert "відкликано" in response.content.decode()


def test_only_a_hash_of_the_token_is_stored(organisation, admin_user):
    sent = sent_invitation(organisation, admin_user)
    token = link_path(sent.link).rstrip("/").rsplit("/", 1)[1]

    assert token not in sent.invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert sent.link == invitation_link(token)


# --- roles, position, phone, deactivation -----------------------------------------------------------------------


def person_url(organisation, user) -> str:
    return reverse("programs:person", args=[organisation.pk, user.pk])


def test_the_administrator_gives_and_takes_a_role_and_the_history_says_who(login, organisation, admin_user, secretary):
    client = login("admin_user")

    client.post(person_url(organisation, secretary), {"role": Role.OFFICER, "position": "уповноважений"})
    officer = Membership.objects.get(user=secretary, role=Role.OFFICER)
    assert officer.position == "уповноважений"
    client.post(reverse("programs:membership-remove", args=[officer.pk]))

    assert not Membership.objects.filter(user=secretary, role=Role.OFFICER).exists()
    changes = PeopleChange.objects.filter(person=secretary).order_by("at", "pk")
    assert [(change.action, change.actor) for change in changes] == [
        (PeopleAction.ROLE_GIVEN, admin_user),
        (PeopleAction.ROLE_TAKEN, admin_user),
    ]
    assert officer.history.filter(history_user=admin_user).count() == 2  # created, deleted


def test_position_and_phone_are_set_per_membership(login, organisation, admin_user, secretary):
    membership = Membership.objects.get(user=secretary)
    prefix = f"m{membership.pk}"

    response = login("admin_user").post(
        reverse("programs:membership-edit", args=[membership.pk]),
        {f"{prefix}-position": "секретар комісії", f"{prefix}-phone": "+380 44 000 11 22"},
    )

    membership.refresh_from_db()
    assert response.status_code == 302
    assert (membership.position, membership.phone) == ("секретар комісії", "+380 44 000 11 22")
    assert PeopleChange.objects.filter(action=PeopleAction.DETAILS_CHANGED, person=secretary).exists()


def test_a_reporter_role_without_a_unit_is_a_form_error(login, organisation, secretary):
    response = login("admin_user").post(person_url(organisation, secretary), {"role": Role.REPORTER})

    assert response.status_code == 400
    assert response.context["give_form"].errors["unit"]


def test_a_deactivated_person_cannot_sign_in_and_their_history_stays(login, organisation, admin_user):
    person = member(Role.SECRETARY, organisation, username="leaving", password=PASSWORD)

    login("admin_user").post(reverse("programs:person-deactivate", args=[organisation.pk, person.pk]))

    person.refresh_from_db()
    assert not person.is_active
    assert not Client().login(username="leaving", password=PASSWORD)
    assert Membership.objects.filter(user=person).exists()
    assert PeopleChange.objects.filter(action=PeopleAction.DEACTIVATED, person=person, actor=admin_user).exists()


def test_an_administrator_cannot_deactivate_themselves(login, organisation, admin_user):
    response = login("admin_user").post(
        reverse("programs:person-deactivate", args=[organisation.pk, admin_user.pk]), follow=True
    )

    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert "Ви не можете деактивувати власний обліковий запис" in response.content.decode()


def test_the_last_administrator_keeps_the_role(login, organisation, admin_user, superuser):
    membership = Membership.objects.get(user=admin_user, role=Role.ADMIN)

    response = login("superuser").post(reverse("programs:membership-remove", args=[membership.pk]), follow=True)

    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "останній адміністратор" in response.content.decode()


# --- child bodies -------------------------------------------------------------------------------------------------


@pytest.fixture
def parent_admin(parent_organisation):
    return member(Role.ADMIN, parent_organisation, username="parent_admin")


def test_a_parent_body_administrator_adds_a_child_body_and_invites_its_administrator(
    login, parent_organisation, parent_admin
):
    response = login("parent_admin").post(
        reverse("programs:organisation-create-child", args=[parent_organisation.pk]),
        {
            "name": "Управління ДМС в Одеській області",
            "short_name": "УДМС Одеса",
            "kind": "territorial",
            "admin_email": "odesa@example.gov.ua",
        },
    )

    child = Organisation.objects.get(short_name="УДМС Одеса")
    assert response.status_code == 302
    assert child.parent == parent_organisation
    accept(Client(), link_path(mail.outbox[0].body))
    assert Membership.objects.filter(organisation=child, role=Role.ADMIN, user__email="odesa@example.gov.ua").exists()


def test_a_duplicate_short_name_of_a_child_body_is_a_form_error(login, parent_organisation, parent_admin, organisation):
    response = login("parent_admin").post(
        reverse("programs:organisation-create-child", args=[parent_organisation.pk]),
        {"name": "Дубль", "short_name": organisation.short_name, "kind": "territorial", "admin_email": "d@x.gov.ua"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["short_name"]
    assert "Дубль" in response.content.decode()


# --- permissions --------------------------------------------------------------------------------------------------


@pytest.fixture
def other_admin(other_organisation):
    return member(Role.ADMIN, other_organisation, username="other_admin")


@pytest.fixture
def people_urls(organisation, admin_user, secretary):
    invitation = sent_invitation(organisation, admin_user).invitation
    membership = Membership.objects.get(user=secretary)
    return {
        "list": ("get", reverse("programs:people", args=[organisation.pk])),
        "invite": ("post", invite_url(organisation)),
        "person": ("get", person_url(organisation, secretary)),
        "give": ("post", person_url(organisation, secretary)),
        "deactivate": ("post", reverse("programs:person-deactivate", args=[organisation.pk, secretary.pk])),
        "activate": ("post", reverse("programs:person-activate", args=[organisation.pk, secretary.pk])),
        "membership": ("post", reverse("programs:membership-edit", args=[membership.pk])),
        "remove": ("post", reverse("programs:membership-remove", args=[membership.pk])),
        "resend": ("post", reverse("programs:invitation-resend", args=[invitation.pk])),
        "revoke": ("post", reverse("programs:invitation-revoke", args=[invitation.pk])),
        "child": ("post", reverse("programs:organisation-create-child", args=[organisation.pk])),
    }


# Who may do what on the people pages of `organisation` (a territorial body under `parent_organisation`).
# A parent body's administrator sees the body (403) but administers only their own people; anything of an
# organisation outside one's scope is not found (404). Memberships and invitations are found only by their
# administrators, so everyone else gets 404 for them.
DENIED = {
    "other_admin": 404,
    "secretary": 403,
    "reporter": 403,
    "parent_admin": 403,
}
OBJECT_URLS = {"membership", "remove", "resend", "revoke"}


@pytest.mark.parametrize("persona", ["other_admin", "secretary", "reporter", "parent_admin", "anonymous"])
@pytest.mark.parametrize(
    "name",
    ["list", "invite", "person", "give", "deactivate", "activate", "membership", "remove", "resend", "revoke", "child"],
)
def test_only_the_organisations_administrator_reaches_its_people_pages(
    login, people_urls, other_admin, parent_admin, persona, name
):
    method, url = people_urls[name]
    response = getattr(login(persona), method)(
        url, {"email": "x@example.gov.ua", "roles": [Role.ADMIN], "role": "admin"}
    )

    if persona == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif name in OBJECT_URLS or (name == "child" and persona == "other_admin"):
        assert response.status_code == 404
    else:
        assert response.status_code == DENIED[persona]
    assert Membership.objects.filter(role=Role.ADMIN).count() == 3  # nobody granted anything
    assert not Membership.objects.filter(user__email="x@example.gov.ua").exists()


def test_the_organisations_administrator_reaches_every_people_page(login, people_urls):
    client = login("admin_user")
    for name in ["list", "person"]:
        assert client.get(people_urls[name][1]).status_code == 200, name


def test_the_people_list_costs_the_same_few_queries_for_many_people(
    login, organisation, reporter_unit, admin_user, django_assert_max_num_queries
):
    for n in range(25):
        user = UserFactory(last_login=timezone.now())
        MembershipFactory(user=user, organisation=organisation, role=Role.REPORTER, unit=reporter_unit)
        MembershipFactory(user=user, organisation=organisation, role=Role.COMMISSION, position=f"посада {n}")
    for n in range(5):
        sent_invitation(organisation, admin_user, email=f"invitee{n}@example.gov.ua")
    client = login("admin_user")

    with django_assert_max_num_queries(9):
        response = client.get(reverse("programs:people", args=[organisation.pk]))

    assert response.status_code == 200
    assert len(response.context["people"]) == 26
    assert "invitee4@example.gov.ua" in response.content.decode()


# --- password reset and the current organisation ---------------------------------------------------------------


def test_the_password_reset_answers_the_same_for_a_known_and_an_unknown_address(organisation, settings):
    settings.SITE_URL = "https://antykoruptsiia.example.gov.ua"  # the public address, not the request's testserver
    member(Role.SECRETARY, organisation, username="known", email="known@example.gov.ua", password=PASSWORD)
    answers = []
    for email in ("known@example.gov.ua", "unknown@example.gov.ua"):
        response = Client().post(reverse("password_reset"), {"email": email}, follow=True)
        answers.append((response.status_code, response.redirect_chain, without_csrf(response.content)))

    assert answers[0] == answers[1]
    assert "Перевірте пошту" in answers[0][2]
    assert [message.to for message in mail.outbox] == [["known@example.gov.ua"]]
    reset = re.search(r"https?://\S+/accounts/password-reset/\S+/", mail.outbox[0].body).group(0)
    assert reset.startswith("https://antykoruptsiia.example.gov.ua/accounts/password-reset/")
    client = Client()
    form_page = client.get(reset.removeprefix(settings.SITE_URL.rstrip("/")), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Novyi-Parol-2026", "new_password2": "Novyi-Parol-2026"}
    )
    assert response.status_code == 302
    assert Client().login(username="known", password="Novyi-Parol-2026")


def test_a_person_with_roles_in_two_bodies_switches_between_them(login, organisation, other_organisation):
    user = member(Role.ADMIN, organisation, username="two_bodies")
    MembershipFactory(user=user, organisation=other_organisation, role=Role.SECRETARY)
    client = Client()
    verified_login(client, user)

    page = client.get(reverse("home")).content.decode()
    assert other_organisation.short_name in page
    assert "organisation-select" in page

    client.post(reverse("programs:switch-organisation"), {"organisation": other_organisation.pk, "next": "/"})
    response = client.get(reverse("home"))
    assert response.context["current_organisation_id"] == other_organisation.pk
    assert [str(role) for role in response.context["current_roles"]] == [str(Role.SECRETARY.label)]
    # An organisation where the user has no role cannot be chosen.
    stranger = OrganisationFactory()
    assert client.post(reverse("programs:switch-organisation"), {"organisation": stranger.pk}).status_code == 404


def test_someone_only_invited_has_no_person_page_so_an_existing_account_stays_unseen(login, organisation, outsider):
    login("admin_user").post(invite_url(organisation), {"email": outsider.email, "roles": [Role.MANAGER]})

    response = login("admin_user").get(person_url(organisation, outsider))

    assert response.status_code == 404


def test_a_person_who_also_works_elsewhere_keeps_the_account_and_loses_only_the_roles_here(
    login, organisation, other_organisation, admin_user
):
    person = member(Role.SECRETARY, organisation, username="two_jobs")
    MembershipFactory(user=person, organisation=other_organisation, role=Role.MANAGER)

    response = login("admin_user").post(
        reverse("programs:person-deactivate", args=[organisation.pk, person.pk]), follow=True
    )

    person.refresh_from_db()
    assert person.is_active
    assert "працює також в іншій організації" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("admin_user", 302), ("secretary", 403), ("anonymous", 302)])
def test_the_people_menu_opens_the_administrators_own_organisation(login, organisation, persona, status):
    response = login(persona).get(reverse("programs:people-index"))

    assert response.status_code == status
    if persona == "admin_user":
        assert response["Location"] == reverse("programs:people", args=[organisation.pk])
    if persona == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_switching_organisation_needs_a_sign_in(client):
    response = client.post(reverse("programs:switch-organisation"), {"organisation": 1})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_organisation_page_links_its_administrator_to_the_people(login, organisation):
    people = reverse("programs:people", args=[organisation.pk])

    assert people in login("admin_user").get(organisation.get_absolute_url()).content.decode()
    assert people not in login("secretary").get(organisation.get_absolute_url()).content.decode()


@pytest.mark.parametrize("model", ["invitation", "peoplechange", "membership"])
def test_the_django_admin_lists_invitations_and_changes_without_their_tokens(login, organisation, admin_user, model):
    sent = sent_invitation(organisation, admin_user)

    response = login("superuser").get(reverse(f"admin:programs_{model}_changelist"))

    assert response.status_code == 200
    assert sent.invitation.token_hash not in response.content.decode()


def test_a_new_program_starts_in_the_organisation_chosen_in_the_header(double_secretary, other_organisation):
    client = Client()
    verified_login(client, double_secretary)
    client.post(reverse("programs:switch-organisation"), {"organisation": other_organisation.pk})

    form = client.get(reverse("programs:create")).context["form"]

    assert form["organisation"].value() == other_organisation.pk


def test_a_refused_e_mail_keeps_the_invitation_and_says_to_send_it_again(settings, login, organisation):
    RefusingServer.configure(settings, refusals=1)

    response = login("admin_user").post(
        invite_url(organisation), {"email": "late@example.gov.ua", "roles": [Role.OFFICER]}, follow=True
    )

    invitation = Invitation.objects.get(email="late@example.gov.ua")
    assert "лист не вдалося надіслати" in response.content.decode()
    assert not mail.outbox
    login("admin_user").post(reverse("programs:invitation-resend", args=[invitation.pk]))
    assert accept(Client(), link_path(mail.outbox[0].body)).status_code == 302
