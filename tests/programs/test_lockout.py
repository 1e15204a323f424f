"""Sign-in lockout per account and per client address, with a way to unlock; atomic counters in Redis."""

from __future__ import annotations

import os
import threading

import pytest
import redis
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from core.counters import client_address, counter_hit
from programs.lockout import account_key
from tests.factories import UserFactory
from tests.second_factor import verified_login
from whistleblowers.security import RateLimit

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
LOCKED_UK = "Забагато невдалих спроб входу"


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """The counters in the real Redis (this run's database), as in production."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    server = redis.Redis.from_url(url)
    server.flushdb()
    yield
    server.flushdb()


@pytest.fixture
def staff_user():
    return UserFactory(username="officer.kyiv", password=PASSWORD, is_staff=True, is_superuser=True)


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str, url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_ten_wrong_passwords_then_the_right_one_is_refused_with_a_clear_message(staff_user):
    client = client_from("198.51.100.1")
    for _attempt in range(10):
        assert sign_in(client, "officer.kyiv", "wrong password").status_code == 200

    response = sign_in(client, "officer.kyiv", PASSWORD)

    assert not signed_in(response)
    assert LOCKED_UK in response.content.decode()
    # Another address does not get in either: the account itself is locked.
    assert not signed_in(sign_in(client_from("198.51.100.2"), "officer.kyiv", PASSWORD))


def test_the_message_appears_with_the_failure_that_locks(staff_user, settings):
    client = client_from("198.51.100.1")
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        assert LOCKED_UK not in sign_in(client, "officer.kyiv", "wrong").content.decode()

    assert LOCKED_UK in sign_in(client, "officer.kyiv", "wrong").content.decode()


def test_the_username_is_matched_whatever_its_case(staff_user, settings):
    client = client_from("198.51.100.1")
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(client, "OFFICER.KYIV", "wrong")

    assert not signed_in(sign_in(client, "officer.kyiv", PASSWORD))


def test_a_locked_sign_in_costs_no_password_hashing(staff_user, settings, monkeypatch):
    client = client_from("198.51.100.1")
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(client, "officer.kyiv", "wrong")
    checked = []
    original = ModelBackend.authenticate
    monkeypatch.setattr(
        ModelBackend, "authenticate", lambda self, *a, **kw: checked.append(1) or original(self, *a, **kw)
    )

    sign_in(client, "officer.kyiv", "still wrong")
    sign_in(client, "officer.kyiv", PASSWORD, url=reverse("admin:login"))

    assert checked == []


def test_after_the_administrator_unlocks_the_account_the_right_password_works(staff_user, settings):
    client = client_from("198.51.100.1")
    for _attempt in range(10):
        sign_in(client, "officer.kyiv", "wrong password")

    call_command("unlock_sign_in", "officer.kyiv")

    assert signed_in(sign_in(client, "officer.kyiv", PASSWORD))


def test_the_administrator_unlocks_an_account_in_the_admin(staff_user, settings):
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(client_from("198.51.100.1"), "officer.kyiv", "wrong")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    verified_login(client, admin)
    changelist = reverse("admin:auth_user_changelist")

    assert "icon-yes.svg" in client.get(changelist, {"username": "officer.kyiv"}).content.decode()
    response = client.post(changelist, {"action": "unlock_sign_in", "_selected_action": [staff_user.pk]})

    assert response.status_code == 302
    assert signed_in(sign_in(client_from("198.51.100.1"), "officer.kyiv", PASSWORD))


def test_the_per_address_lock_covers_different_usernames(staff_user, settings):
    attacker = client_from("203.0.113.9")
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        sign_in(attacker, f"guess{number}", "wrong")

    response = sign_in(attacker, "officer.kyiv", PASSWORD)

    assert not signed_in(response)
    assert LOCKED_UK in response.content.decode()
    # The account itself is not locked: the officer signs in from their own address.
    assert signed_in(sign_in(client_from("198.51.100.1"), "officer.kyiv", PASSWORD))
    call_command("unlock_sign_in", address=["203.0.113.9"])
    assert signed_in(sign_in(attacker, "officer.kyiv", PASSWORD))


def test_the_admin_sign_in_page_is_locked_too(staff_user, settings):
    client = client_from("198.51.100.1")
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(client, "officer.kyiv", "wrong", url=reverse("admin:login"))

    response = sign_in(client, "officer.kyiv", PASSWORD, url=reverse("admin:login"))

    assert not signed_in(response)
    assert LOCKED_UK in response.content.decode()


def test_a_successful_sign_in_clears_the_accounts_failures(staff_user, settings):
    client = client_from("198.51.100.1")
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        sign_in(client, "officer.kyiv", "wrong")

    assert signed_in(sign_in(client, "officer.kyiv", PASSWORD))
    assert cache.get(account_key("officer.kyiv")) is None


def test_the_unlock_command_needs_a_username_or_an_address():
    with pytest.raises(CommandError, match="at least one"):
        call_command("unlock_sign_in")


def test_parallel_attempts_pass_a_limit_exactly_limit_times(rf):
    limit = RateLimit("probe", limit_setting="NO_SUCH_SETTING", default_limit=10, window_seconds=60)
    request = rf.post("/", REMOTE_ADDR="203.0.113.5")
    barrier = threading.Barrier(8)
    passed = []

    def guess():
        barrier.wait()
        for _attempt in range(5):
            passed.append(limit.take(request))

    threads = [threading.Thread(target=guess) for _thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert passed.count(True) == 10
    assert limit.count(request) == 40


def test_a_counter_always_has_a_life():
    counter_hit("probe:counter", 60)
    counter_hit("probe:counter", 60)

    client = cache._cache.get_client("probe:counter")
    assert 0 < client.ttl(cache.make_and_validate_key("probe:counter")) <= 60


def test_behind_a_proxy_only_the_address_the_proxy_appended_counts(rf, settings):
    settings.WHISTLEBLOWER_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.77", REMOTE_ADDR="10.0.0.1")

    assert client_address(request) == "198.51.100.77"


def test_with_the_cache_down_staff_still_sign_in_and_the_log_says_the_lockout_was_skipped(staff_user, settings, caplog):
    # Nothing listens on port 1: every cache call fails as it does when Redis is stopped.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    client = client_from("198.51.100.1")

    assert sign_in(client, "officer.kyiv", "wrong").status_code == 200
    assert signed_in(sign_in(client, "officer.kyiv", PASSWORD))
    assert "Sign-in lockout skipped" in caplog.text


@pytest.mark.parametrize(
    ("failing_as", "then_as"),
    [
        ("officer.kyiv", "officer.kyiv@body.gov.ua"),
        ("OFFICER.KYIV@BODY.GOV.UA", "officer.kyiv"),
        ("Officer.Kyiv@Body.gov.ua", "officer.kyiv@body.gov.ua"),
        ("officer.kyiv", "OFFICER.KYIV"),
    ],
)
def test_every_spelling_of_an_account_shares_its_counter(staff_user, settings, failing_as, then_as):
    staff_user.email = "officer.kyiv@body.gov.ua"
    staff_user.save(update_fields=["email"])
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        sign_in(client_from("198.51.100.1"), failing_as, "wrong")

    # The last failure allowed comes from another spelling and another address: it locks the account.
    assert LOCKED_UK in sign_in(client_from("198.51.100.2"), then_as, "wrong").content.decode()
    assert not signed_in(sign_in(client_from("198.51.100.3"), "officer.kyiv", PASSWORD))


def test_a_success_by_e_mail_clears_the_failures_counted_by_name(staff_user, settings):
    staff_user.email = "officer.kyiv@body.gov.ua"
    staff_user.save(update_fields=["email"])
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        sign_in(client_from("198.51.100.1"), "officer.kyiv", "wrong")

    assert signed_in(sign_in(client_from("198.51.100.1"), "Officer.Kyiv@body.gov.ua", PASSWORD))

    assert cache.get(account_key("officer.kyiv")) is None


def test_unknown_names_are_counted_apart_and_lock_only_themselves(staff_user, settings):
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(client_from("198.51.100.1"), "nobody.here", "wrong")

    assert LOCKED_UK in sign_in(client_from("198.51.100.2"), "NOBODY.HERE", "wrong").content.decode()
    assert signed_in(sign_in(client_from("198.51.100.3"), "officer.kyiv", PASSWORD))
