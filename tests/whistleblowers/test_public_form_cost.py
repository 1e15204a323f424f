"""The empty public form is served from each process's short-lived copy of the body's profile: no database, no
session, and still the body's own name and deadlines, the CSRF check on the post and a fresh token per visitor."""

from __future__ import annotations

import re
import time

import pytest
from django.template import engines
from django.template.loaders.cached import Loader
from django.test import Client
from django.urls import reverse

from tests.factories import OrganisationFactory
from tests.whistleblowers.conftest import DETAILS, form_url, shown_receipt
from whistleblowers import public_profile
from whistleblowers.models import CaseRules, WhistleblowerReport

pytestmark = pytest.mark.django_db


def english_visitor(**kwargs) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def test_the_first_visit_reads_the_body_and_its_rules_in_one_query(organisation, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = english_visitor().get(form_url(organisation))

    assert response.status_code == 200


@pytest.mark.parametrize("language", ["uk", "ru", "en"])
def test_the_empty_form_is_served_without_any_database_query_once_the_body_is_known(
    organisation, language, django_assert_num_queries
):
    Client().get(form_url(organisation))
    visitor = Client(HTTP_ACCEPT_LANGUAGE=language)

    with django_assert_num_queries(0):
        response = visitor.get(form_url(organisation))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert organisation.name in page
    assert re.search(r'name="token" value="[\w-]{40,}"', page)
    assert "csrftoken" in response.cookies  # the post is still protected
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize(
    ("own_rules", "promises"),
    [
        (
            None,
            [
                "Preliminary review within 10 working days.",
                "verification takes up to 30 days",
                "(up to 45 days if extended).",
                "within 3 days after the verification ends",
            ],
        ),
        (
            {
                "preliminary_review_working_days": 1,
                "verification_days": 20,
                "verification_extended_days": 40,
                "result_notice_days": 2,
            },
            [
                "Preliminary review within 1 working day.",
                "verification takes up to 20 days",
                "(up to 40 days if extended).",
                "within 2 days after the verification ends",
            ],
        ),
    ],
    ids=["the-model-defaults", "rules-of-its-own"],
)
def test_the_form_promises_the_bodys_own_deadlines(organisation, own_rules, promises):
    if own_rules is not None:
        CaseRules.objects.create(organisation=organisation, **own_rules)
    visitor = english_visitor()

    pages = [visitor.get(form_url(organisation)).content.decode() for _ in range(2)]  # read, then from the copy

    for page in pages:
        for promise in promises:
            assert promise in page


def test_two_bodies_never_share_the_texts_rendered_once(organisation, other_organisation):
    CaseRules.objects.create(organisation=other_organisation, preliminary_review_working_days=7)
    visitor = english_visitor()

    for _ in range(2):
        ours = visitor.get(form_url(organisation)).content.decode()
        theirs = visitor.get(form_url(other_organisation)).content.decode()

        assert organisation.name in ours
        assert other_organisation.name not in ours
        assert "within 10 working days" in ours
        assert other_organisation.name in theirs
        assert organisation.name not in theirs
        assert "within 7 working days" in theirs


def test_a_renamed_body_shows_its_new_name_once_the_copy_expires(organisation, monkeypatch):
    monkeypatch.setattr(public_profile, "PUBLIC_PROFILE_SECONDS", 1)
    visitor = english_visitor()
    visitor.get(form_url(organisation))
    old_name = organisation.name
    organisation.name = "Державна міграційна служба (нова назва)"
    organisation.save(update_fields=["name"])

    soon = visitor.get(form_url(organisation)).content.decode()
    time.sleep(1.1)
    later = visitor.get(form_url(organisation)).content.decode()

    assert old_name in soon  # for at most PUBLIC_PROFILE_SECONDS: the price of a form with no query
    assert "Державна міграційна служба (нова назва)" in later
    assert old_name not in later


def test_a_body_added_after_its_address_answered_404_has_its_form_at_once(db):
    visitor = english_visitor()
    assert visitor.get(reverse("whistleblowers:public-form", args=["НОВИЙ"])).status_code == 404

    body = OrganisationFactory(short_name="НОВИЙ", name="Новий орган")

    response = visitor.get(form_url(body))
    assert response.status_code == 200
    assert "Новий орган" in response.content.decode()


def test_the_form_from_the_copy_is_still_posted_only_with_its_csrf_token(organisation, django_assert_num_queries):
    Client().get(form_url(organisation))
    browser = english_visitor(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        page = browser.get(form_url(organisation)).content.decode()
    fields = {
        "token": re.search(r'name="token" value="([^"]+)"', page).group(1),
        "basis_of_knowledge": "work",
        "details": DETAILS,
        "disclosure": "anonymous",
        "website": "",
    }

    refused = browser.post(form_url(organisation), fields)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    accepted = browser.post(form_url(organisation), {**fields, "csrfmiddlewaretoken": csrf})

    assert refused.status_code == 403
    assert len(shown_receipt(accepted.content.decode())) == 16
    assert WhistleblowerReport.objects.filter(organisation=organisation).count() == 1


def test_a_form_sent_back_with_errors_keeps_the_bodys_name_and_deadlines(organisation, public_client):
    CaseRules.objects.create(organisation=organisation, verification_days=25)

    response = public_client.post(form_url(organisation), {"token": "t" * 43, "basis_of_knowledge": "work"})

    assert response.status_code == 400
    page = response.content.decode()
    assert organisation.name in page
    assert "verification takes up to 25 days" in page
    assert "This field is required." in page


def test_templates_are_compiled_once_per_process_not_for_every_visitor():
    # Django's cached loader is the default only while TEMPLATES names no loaders of its own: a list added there
    # without it would parse the public form's five templates on every request.
    loaders = engines["django"].engine.template_loaders
    assert len(loaders) == 1
    assert isinstance(loaders[0], Loader)
