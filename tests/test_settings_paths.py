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
