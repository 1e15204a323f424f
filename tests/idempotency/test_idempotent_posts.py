"""`Idempotency-Key` on API POSTs: a retry gets the first answer instead of a duplicate, and the key is not a
loophole (another body, another user, a key in use, a key past its day)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import programs.api.serializers as program_serializers
from idempotency.models import IdempotentRequest
from idempotency.services import idempotency_cleanup
from programs.models import Unit
from reports.documents.tasks import daily_jobs

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"


def _unit(organisation, abbreviation: str = "ВПЗВК") -> dict:
    return {
        "organisation": organisation.pk,
        "name": "Відділ з питань запобігання корупції",
        "abbreviation": abbreviation,
    }


def _post(client, key: str | None, payload: dict, path: str = UNITS):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, payload, format="json", **headers)


def test_a_retry_with_the_same_key_returns_the_first_answer_and_creates_nothing(token_api, organisation, secretary):
    client = token_api(secretary)

    first = _post(client, "f5c1c1e2-unit", _unit(organisation))
    retry = _post(client, "f5c1c1e2-unit", _unit(organisation))

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert Unit.objects.filter(organisation=organisation, abbreviation="ВПЗВК").count() == 1


def test_without_a_key_a_post_is_not_deduplicated(token_api, organisation, secretary):
    client = token_api(secretary)

    statuses = [_post(client, None, _unit(organisation, abbreviation)).status_code for abbreviation in ("А", "Б")]

    assert statuses == [201, 201]


@pytest.mark.parametrize("change", ["body", "path"])
def test_the_same_key_for_another_request_is_refused_and_nothing_is_created(
    token_api, program_content, organisation, secretary, change
):
    client = token_api(secretary)
    _post(client, "key-1", _unit(organisation))
    before = Unit.objects.count()

    if change == "body":
        response = _post(client, "key-1", _unit(organisation, "ІНШИЙ"))
    else:
        entry = program_content.entries["other_half"]
        response = _post(client, "key-1", {"version": entry.version}, f"/api/v1/execution-entries/{entry.pk}/submit/")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in response.json()["message"]
    assert Unit.objects.count() == before


def test_two_users_may_use_the_same_key(token_api, organisation, other_organisation, secretary, outsider):
    first = _post(token_api(secretary), "shared-key", _unit(organisation))
    second = _post(token_api(outsider), "shared-key", _unit(other_organisation))

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_a_refused_request_frees_its_key_for_the_corrected_one(token_api, organisation, secretary):
    client = token_api(secretary)

    refused = _post(client, "key-2", {**_unit(organisation), "name": ""})
    corrected = _post(client, "key-2", _unit(organisation))

    assert (refused.status_code, corrected.status_code) == (400, 201)


@pytest.mark.parametrize("key", ["", "x" * 256, "ключ", "with space"])
def test_a_key_that_is_not_visible_ascii_of_at_most_255_characters_is_refused(token_api, organisation, secretary, key):
    response = _post(token_api(secretary), key, _unit(organisation))

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not Unit.objects.filter(abbreviation="ВПЗВК").exists()


def test_a_key_is_answered_in_the_language_of_the_request(token_api, organisation, secretary):
    client = token_api(secretary)
    _post(client, "key-3", _unit(organisation))

    response = client.post(
        UNITS, _unit(organisation, "Р"), format="json", HTTP_IDEMPOTENCY_KEY="key-3", HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.json()["message"].startswith("Этот Idempotency-Key уже использован")


def test_an_expired_key_is_forgotten_by_the_daily_job_and_may_be_used_again(token_api, organisation, secretary):
    client = token_api(secretary)
    _post(client, "key-4", _unit(organisation))
    IdempotentRequest.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    result = daily_jobs()
    again = _post(client, "key-4", _unit(organisation, "НОВИЙ"))

    assert result["idempotency_keys_deleted"] == 1
    assert again.status_code == 201
    assert idempotency_cleanup() == 0


@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_first_request_runs_is_told_to_wait_and_then_gets_its_answer(
    token_api, organisation, secretary, monkeypatch
):
    first_client = token_api(secretary)
    second_client = APIClient()
    second_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=secretary).key}")
    inside, release = threading.Event(), threading.Event()
    save = program_serializers.unit_save

    def slow_save(**kwargs):
        inside.set()
        assert release.wait(timeout=30)
        return save(**kwargs)

    monkeypatch.setattr(program_serializers, "unit_save", slow_save)
    answers = {}

    def first_request() -> None:
        try:
            answers["first"] = _post(first_client, "key-5", _unit(organisation))
        finally:
            connection.close()

    thread = threading.Thread(target=first_request)
    thread.start()
    assert inside.wait(timeout=30)

    during = _post(second_client, "key-5", _unit(organisation))
    release.set()
    thread.join()
    after = _post(second_client, "key-5", _unit(organisation))

    assert during.status_code == 409
    assert during.json()["code"] == "idempotency_in_progress"
    assert answers["first"].status_code == 201
    assert (after.status_code, after.content) == (201, answers["first"].content)
    assert Unit.objects.filter(abbreviation="ВПЗВК").count() == 1
