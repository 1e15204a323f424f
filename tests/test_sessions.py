"""Sessions read through Redis and kept in the database (config/sessions.py): signing in and out works as with the
database alone — also when Redis has lost the copy or cannot be reached — and a copy lives minutes, not weeks."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.test_deployment import production_variables, run_settings

pytestmark = pytest.mark.django_db
PASSWORD = "Kashtan-na-Khreshchatyku-17"
HOME = reverse("home")
LOGIN = reverse("login")
# A Redis that does not answer: nothing listens on port 1.
UNREACHABLE_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}


@pytest.fixture(autouse=True)
def cached_sessions(settings):
    settings.SESSION_ENGINE = "config.sessions"


@pytest.fixture
def secretary_with_password(secretary):
    secretary.set_password(PASSWORD)
    secretary.save()
    return secretary


def signed_in(user) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.get_username(), "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def same_cookie(client: Client) -> Client:
    """Another browser holding the same session cookie (a copied or stolen one)."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return other


def test_a_sign_out_ends_the_session_for_every_holder_of_its_cookie(secretary_with_password):
    client = signed_in(secretary_with_password)
    copy = same_cookie(client)
    assert copy.get(HOME).status_code == 200

    client.post(reverse("logout"))

    assert copy.get(HOME)["Location"].startswith(LOGIN)


def test_a_session_the_cache_lost_is_read_back_from_the_database(secretary_with_password):
    client = signed_in(secretary_with_password)
    cache.clear()

    assert client.get(HOME).status_code == 200


def test_a_changed_password_ends_the_other_sessions_whatever_the_cache_holds(secretary_with_password):
    client = signed_in(secretary_with_password)
    assert client.get(HOME).status_code == 200

    secretary_with_password.set_password("Inshyi-Kashtan-na-Podoli-18")
    secretary_with_password.save()

    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_with_redis_out_of_reach_people_still_sign_in_work_and_sign_out(settings, secretary_with_password):
    settings.CACHES = {**settings.CACHES, "default": UNREACHABLE_REDIS}

    client = signed_in(secretary_with_password)
    copy = same_cookie(client)
    assert client.get(HOME).status_code == 200
    assert client.post(reverse("logout")).status_code == 302

    assert copy.get(HOME)["Location"].startswith(LOGIN)


def test_a_copy_in_redis_lives_at_most_the_configured_minutes(settings, secretary_with_password):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs the Redis of REDIS_URL")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]},
    }
    settings.SESSION_CACHE_SECONDS = 120
    from django.core.cache import caches

    redis = caches["default"]
    client = signed_in(secretary_with_password)
    key = "django.contrib.sessions.cached_db" + client.cookies[settings.SESSION_COOKIE_NAME].value
    try:
        ttl = redis._cache.get_client(key).ttl(redis.make_and_validate_key(key))
        assert 0 < ttl <= 120
        assert client.get(HOME).status_code == 200
    finally:
        client.post(reverse("logout"))
    assert redis.get(key) is None


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [("", "django.contrib.sessions.backends.db"), ("redis://127.0.0.1:6379/0", "config.sessions")],
)
def test_sessions_go_through_the_cache_only_when_it_is_redis(tmp_path, redis_url, engine):
    # The in-process cache of each worker would not see a sign-out made in another worker.
    variables = {**production_variables(tmp_path), "REDIS_URL": redis_url}
    result = run_settings("print(settings.SESSION_ENGINE)", **variables)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == engine
