"""Who is asking the API: no credentials is a 401 with a challenge a client can act on, not a 403 (issue 17,
defect 4); a browser signed in by its session keeps using the API, with its CSRF check on writes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.mark.parametrize(
    ("credentials", "language", "word"),
    [
        (None, "uk", "реквізити"),
        (None, "en", "credentials"),
        ("Token 0000000000000000000000000000000000000000", "uk", "токен"),
        ("Token 0000000000000000000000000000000000000000", "en", "token"),
    ],
    ids=["none-uk", "none-en", "unknown-token-uk", "unknown-token-en"],
)
def test_a_request_without_valid_credentials_is_a_401_with_a_token_challenge(program, credentials, language, word):
    client = APIClient()
    if credentials:
        client.credentials(HTTP_AUTHORIZATION=credentials)

    response = client.get(f"{API}/programs/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["code"] in {"not_authenticated", "authentication_failed"}
    assert word in body["message"].lower()


def test_a_signed_in_role_that_may_not_read_is_still_a_403(api, program, reporter):
    response = api("reporter").get(f"{API}/dashboard/summary/", {"program": program.pk})

    assert response.status_code == 403
    assert "WWW-Authenticate" not in response


def test_a_browser_session_reads_and_writes_the_api_with_its_csrf_token(organisation, secretary):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(secretary)
    unit = {"organisation": organisation.pk, "name": "Відділ кадрів", "abbreviation": "ВК"}

    assert browser.get(f"{API}/units/").status_code == 200
    without_csrf = browser.post(f"{API}/units/", unit, format="json")
    browser.get("/")  # the page hands the browser its CSRF cookie, as any page of the portal does
    with_csrf = browser.post(f"{API}/units/", unit, format="json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)

    assert without_csrf.status_code == 403
    assert "CSRF" in without_csrf.json()["message"]
    assert with_csrf.status_code == 201, with_csrf.json()


def test_a_token_writes_without_a_csrf_token(organisation, secretary, token_api):
    client = token_api(secretary)
    client.handler.enforce_csrf_checks = True

    response = client.post(
        f"{API}/units/",
        {"organisation": organisation.pk, "name": "Відділ кадрів", "abbreviation": "ВК"},
        format="json",
    )

    assert response.status_code == 201, response.json()
