"""Ukrainian is the primary language and Russian serves the Kyrgyz practice: both catalogues must be complete."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _catalogue(language: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing"
    return polib.pofile(str(path))


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = _catalogue(language)
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert len(catalogue) > 100
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_translations_keep_every_placeholder(language):
    mismatched = []
    for entry in _catalogue(language).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        mismatched += [entry.msgid for text in translations if sorted(PLACEHOLDER.findall(text)) != expected]

    assert mismatched == []


SOURCE_DIRS = (
    "config",
    "core",
    "demo",
    "programs",
    "risks",
    "measures",
    "reports",
    "whistleblowers",
    "idempotency",
    "audit",
    "templates",
)


def test_the_catalogues_hold_every_message_of_the_code_and_templates(tmp_path):
    """A string added to the code but never extracted would show in English on a Ukrainian page."""
    root = LOCALE.parent
    for name in SOURCE_DIRS:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "uk", "--no-location", "--verbosity=0"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "uk" / "LC_MESSAGES" / "django.po"))
    held = {(entry.msgctxt, entry.msgid) for entry in _catalogue("uk") if not entry.obsolete}

    missing = sorted(f"{context or ''}|{msgid}" for context, msgid in {(e.msgctxt, e.msgid) for e in extracted} - held)
    assert missing == [], "run makemessages and translate these"
