"""Redis failing under the public form: no receipt is lost and every notice reaches the officers once it is back.

A private redis-server of the test's own is made to refuse writes, is stopped (SIGSTOP: it hangs) or is killed
(SIGKILL, no persistence), as cache, broker or both; a real worker then drains the outbox, and the mail it sends
is read back from files.
"""

from __future__ import annotations

import signal
import time

import pytest
import redis as redis_client

from tests.mail import dropped_messages
from tests.whistleblowers.conftest import follow_up_url, form_token, shown_receipt, submit
from tests.worker import broker, celery_worker, redis_server, wait_for
from whistleblowers.models import OfficerNotice, ReportMessage, WhistleblowerReport
from whistleblowers.security import LOCAL_COUNTERS, RECEIPT_FAILURES, CacheHealth

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-public"},
}


@pytest.fixture
def redis(settings):
    LOCAL_COUNTERS.clear()
    with redis_server() as server:
        yield server
        # The other fixtures clear the cache when the test ends: it must no longer be the stopped server, and the
        # next tests must not be told it failed moments ago.
        settings.CACHES = LOCAL_CACHES
        CacheHealth.down_until = 0.0
    LOCAL_COUNTERS.clear()


def use_as_cache(settings, server) -> None:
    settings.CACHES = {
        **LOCAL_CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url(1),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
    }


def refuse_writes(server, refuse: bool) -> None:
    # Redis answers every write with "OOM command not allowed" once its memory limit is below what it uses.
    redis_client.Redis.from_url(server.url()).config_set("maxmemory", 1 if refuse else 0)


@pytest.mark.parametrize("fault", ["cache-refuses-writes", "broker-down", "redis-down", "redis-hangs"])
def test_no_receipt_and_no_notice_is_lost_when_redis_fails(
    fault, settings, redis, organisation, officer, public_client, tmp_path
):
    if fault != "broker-down":
        use_as_cache(settings, redis)
    with broker(redis.url(0)) as queue:
        token = form_token(public_client, organisation)
        if fault == "cache-refuses-writes":
            refuse_writes(redis, True)
        elif fault == "redis-hangs":
            redis.process.send_signal(signal.SIGSTOP)  # connections are accepted, nothing is ever answered
        else:
            redis.kill()

        started = time.monotonic()
        response = submit(public_client, organisation, token=token)
        assert response.status_code == 200
        # Gunicorn kills a request after 30 s; a hung Redis costs a few seconds of timeouts, not the receipt.
        assert time.monotonic() - started < 15
        receipt = shown_receipt(response.content.decode())
        reply = public_client.post(
            follow_up_url(organisation), {"receipt": receipt, "action": "reply", "body": "Ще одна деталь"}
        )
        assert reply.status_code == 200  # the receipt opens the case: it was saved under what was shown

        report = WhistleblowerReport.objects.get()
        assert ReportMessage.objects.get(report=report).body == "Ще одна деталь"
        assert OfficerNotice.objects.filter(report=report, sent_at__isnull=True).count() == 2

        if fault == "cache-refuses-writes":
            refuse_writes(redis, False)
        elif fault == "redis-hangs":
            redis.process.send_signal(signal.SIGCONT)
        else:
            redis.start()
        environment = {
            "EMAIL_BACKEND": "tests.mail.FileDrop",
            "TEST_MAIL_DIR": str(tmp_path),
            "WHISTLEBLOWER_NOTICE_RETRY_SECONDS": "1",
        }
        with celery_worker(broker_url=redis.url(0), queue=queue, environment=environment, beat=True):
            wait_for(lambda: not OfficerNotice.objects.filter(sent_at__isnull=True).exists(), timeout=30)
            time.sleep(2.5)  # more rounds of the drain: none may mail again

    messages = dropped_messages(tmp_path)
    assert len(messages) == 2
    assert all(f"/whistleblowing/reports/{report.pk}/" in message for message in messages)
    report.refresh_from_db()
    assert report.officers_notified_at is not None


@pytest.mark.django_db
def test_the_receipt_guessing_limit_still_holds_while_redis_is_down(settings, redis, organisation, public_client):
    use_as_cache(settings, redis)
    redis.kill()

    statuses = [
        public_client.post(follow_up_url(organisation), {"receipt": "0000 0000 0000 0000"}).status_code
        for _ in range(RECEIPT_FAILURES.limit + 1)
    ]

    assert statuses[:-1] == [400] * (len(statuses) - 1)
    assert statuses[-1] == 429
