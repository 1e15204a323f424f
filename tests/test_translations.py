"""Ukrainian is the primary language and Russian serves the Kyrgyz practice: both catalogues must be complete."""

import re
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
