"""Every dotted path the settings name resolves: a module moved without its settings would fail here, at once, rather
than in a worker's first message or a schema with unnamed enums."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from config.celery import app


def named_paths() -> list[str]:
    paths = [*settings.MIDDLEWARE, *settings.AUTHENTICATION_BACKENDS, settings.ROOT_URLCONF + ".urlpatterns"]
    paths += [value for value in settings.REST_FRAMEWORK.values() if isinstance(value, str) and "." in value]
    paths += [path for value in settings.REST_FRAMEWORK.values() if isinstance(value, list | tuple) for path in value]
    paths += list(settings.SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}).values())
    paths += list(settings.SPECTACULAR_SETTINGS.get("POSTPROCESSING_HOOKS", []))
    paths += list(settings.SPECTACULAR_SETTINGS.get("PREPROCESSING_HOOKS", []))
    for template in settings.TEMPLATES:
        paths += template.get("OPTIONS", {}).get("context_processors", [])
    return [path for path in paths if isinstance(path, str)]


@pytest.mark.parametrize("path", named_paths())
def test_every_dotted_path_in_the_settings_imports(path):
    assert import_string(path) is not None


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_scheduled_task_is_known_to_the_worker(name):
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE[name]["task"] in app.tasks


@pytest.mark.parametrize(
    "name",
    [
        "reports.tasks.render_report",
        "reports.tasks.sweep_reports",
        "reports.tasks.daily_jobs",
        "reports.reminders.send_period_reminder",
        "reports.reminders.send_pending_reminders",
        "whistleblowers.tasks.send_officer_notice",
        "whistleblowers.tasks.send_pending_officer_notices",
    ],
)
def test_tasks_keep_the_names_messages_already_queued_carry(name):
    """A message names its task: one renamed by moving its module would leave every queued message undelivered."""
    app.loader.import_default_modules()
    assert name in app.tasks
