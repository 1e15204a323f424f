"""Deadline phrases read back into structured deadlines — the inverse of `phrase`."""

from datetime import date

import pytest
from django.utils import translation

from measures.choices import DeadlineKind
from measures.deadline_parse import DeadlineParseError, deadline_parse
from measures.deadlines import Deadline, phrase


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        # Every deadline phrasing of seed 001, as extracted (with its stray spaces).
        ("І квартал", Deadline(DeadlineKind.QUARTER, part=1)),
        ("ІІ квартал ", Deadline(DeadlineKind.QUARTER, part=2)),
        ("ІІІ квартал", Deadline(DeadlineKind.QUARTER, part=3)),
        ("IV квартал", Deadline(DeadlineKind.QUARTER, part=4)),
        ("Щопівроку", Deadline(DeadlineKind.EVERY_HALF_YEAR)),
        ("Протягом року", Deadline(DeadlineKind.YEAR)),
        ("Не пізніше 3 робочих днів з дня після (події)", Deadline(DeadlineKind.AFTER_EVENT, days=3)),
        ("Протягом 10 робочих днів до дня настання події", Deadline(DeadlineKind.BEFORE_EVENT, days=10)),
        # Usual variants.
        ("ІV квартал 2024 року", Deadline(DeadlineKind.QUARTER, part=4, year=2024)),
        ("ІІ півріччя", Deadline(DeadlineKind.HALF_YEAR, part=2)),
        ("Протягом 2025 року", Deadline(DeadlineKind.YEAR, year=2025)),
        ("Щокварталу", Deadline(DeadlineKind.EVERY_QUARTER)),
        ("Щорічно", Deadline(DeadlineKind.EVERY_YEAR)),
        ("Постійно", Deadline(DeadlineKind.CONTINUOUS)),
        ("Січень – грудень 2023–2025 років", Deadline(DeadlineKind.PROGRAM_PERIOD)),
        ("до 28.03.2023", Deadline(DeadlineKind.DATE, on=date(2023, 3, 28))),
    ],
)
def test_each_deadline_phrasing_of_the_seed_program_is_understood(text, deadline):
    assert deadline_parse(text) == deadline


@pytest.mark.parametrize(
    "deadline",
    [
        Deadline(DeadlineKind.DATE, on=date(2023, 3, 28)),
        Deadline(DeadlineKind.QUARTER, part=1),
        Deadline(DeadlineKind.QUARTER, part=4, year=2024),
        Deadline(DeadlineKind.HALF_YEAR, part=2),
        Deadline(DeadlineKind.HALF_YEAR, part=1, year=2023),
        Deadline(DeadlineKind.YEAR),
        Deadline(DeadlineKind.YEAR, year=2025),
        Deadline(DeadlineKind.EVERY_QUARTER),
        Deadline(DeadlineKind.EVERY_HALF_YEAR),
        Deadline(DeadlineKind.EVERY_YEAR),
        Deadline(DeadlineKind.PROGRAM_PERIOD),
        Deadline(DeadlineKind.CONTINUOUS),
        Deadline(DeadlineKind.BEFORE_EVENT, days=10),
        Deadline(DeadlineKind.AFTER_EVENT, days=3),
    ],
    ids=lambda deadline: deadline.kind,
)
@pytest.mark.parametrize("language", ["en", "uk"])
def test_every_phrase_the_portal_writes_reads_back_as_the_same_deadline(deadline, language):
    with translation.override(language):
        assert deadline_parse(phrase(deadline, 2023, 2025)) == deadline


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the deadline."),
        ("щотижня", "is not a deadline the portal understands"),
        ("ІІІ півріччя", "two halves"),
        ("31.02.2024", "is not a real date"),
    ],
)
def test_a_phrase_that_is_not_a_deadline_is_refused_with_a_message(text, message):
    with translation.override("en"), pytest.raises(DeadlineParseError, match=message):
        deadline_parse(text)
