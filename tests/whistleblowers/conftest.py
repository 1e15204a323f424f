"""Helpers for the whistleblower tests: a client that submits the public form like a browser does."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from whistleblowers.models import CaseRules

DETAILS = "Інспектор сектору прийому вимагав 3 000 гривень за прискорене оформлення паспорта."


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and sealed receipts live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_storage(private_storage):
    return private_storage


@pytest.fixture
def rules(organisation):
    return CaseRules.objects.create(organisation=organisation)


@pytest.fixture
def public_client() -> Client:
    # English messages keep the assertions readable; the Ukrainian pages are covered by the browser journey.
    return Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Mozilla/5.0 WhistleTest", HTTP_ACCEPT_LANGUAGE="en")


def form_url(organisation) -> str:
    return reverse("whistleblowers:public-form", args=[organisation.short_name])


def follow_up_url(organisation) -> str:
    return reverse("whistleblowers:public-follow-up", args=[organisation.short_name])


def form_token(client: Client, organisation) -> str:
    html = client.get(form_url(organisation)).content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def shown_receipt(html: str) -> str:
    match = re.search(r'id="receipt-number">([\d ]+)<', html)
    assert match, "no receipt on the page"
    return match.group(1).replace(" ", "")


def submit(client: Client, organisation, *, token: str | None = None, files=(), **fields):
    data = {
        "token": token or form_token(client, organisation),
        "basis_of_knowledge": "work",
        "details": DETAILS,
        "accused": "",
        "place_and_time": "Київ, березень 2024",
        "disclosure": "anonymous",
        "full_name": "",
        "contacts": "",
        "position": "",
        "website": "",
        **fields,
    }
    if files:
        data["attachments"] = list(files)
    return client.post(form_url(organisation), data)
