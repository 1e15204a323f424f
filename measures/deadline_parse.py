"""Deadline phrases back into structured deadlines: the inverse of `deadlines.phrase`.

Spreadsheets of measures carry deadlines as the program writes them ("І квартал", "Щопівроку", "Протягом року",
"Не пізніше 3 робочих днів з дня після (події)"). The parser accepts the Ukrainian phrasings of seed 001 and their
usual variants, the English and Russian phrases the portal itself exports, and Cyrillic or Latin numerals alike.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from measures.choices import DeadlineKind
from measures.deadlines import Deadline


class DeadlineParseError(ValueError):
    """The phrase is not a deadline the portal understands; the message says what it expects."""


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
NUMERAL = r"(?P<numeral>[IVІ]{1,3}|[1-4])"
YEAR = r"(?:\s+(?:of\s+)?(?P<year>20\d\d)(?:\s*(?:року|р\.|года|г\.))?)?"
DAYS = r"(?P<days>\d{1,3})"


def _numeral(text: str) -> int:
    text = text.replace("І", "I")  # Cyrillic І looks the same as Latin I in every seed
    return int(text) if text.isdigit() else ROMAN[text]


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("’", "'").replace("—", "–").replace("-", "–")
    return re.sub(r"\s+", " ", text).strip().rstrip(".;")


def _year(match: re.Match) -> int | None:
    year = match.groupdict().get("year")
    return int(year) if year else None


PATTERNS: list[tuple[re.Pattern, object]] = []


def _pattern(regex: str):
    def register(builder):
        PATTERNS.append((re.compile(rf"^{regex}$", re.IGNORECASE), builder))
        return builder

    return register


@_pattern(rf"{NUMERAL}\s+(?:квартал|quarter)(?:у|а)?{YEAR}")
def _quarter(match):
    return Deadline(DeadlineKind.QUARTER, part=_numeral(match["numeral"].upper()), year=_year(match))


@_pattern(rf"{NUMERAL}\s+(?:півріччя|half–year|полугодие|полугодия)(?:\s+)?{YEAR}")
def _half(match):
    part = _numeral(match["numeral"].upper())
    if part not in (1, 2):
        raise DeadlineParseError(_("A year has two halves: write І or ІІ півріччя."))
    return Deadline(DeadlineKind.HALF_YEAR, part=part, year=_year(match))


@_pattern(r"(?:протягом|упродовж|during|в течение)\s+(?:the\s+)?(?:року|year|года)")
def _year_kind(match):
    return Deadline(DeadlineKind.YEAR)


@_pattern(r"(?:протягом|упродовж|during|в течение)\s+(?P<year>20\d\d)(?:\s*(?:року|р\.|года|г\.))?")
def _given_year(match):
    return Deadline(DeadlineKind.YEAR, year=int(match["year"]))


@_pattern(r"(?:щокварталу|щоквартально|every quarter|ежеквартально)")
def _every_quarter(match):
    return Deadline(DeadlineKind.EVERY_QUARTER)


@_pattern(r"(?:щопівроку|щопіврічно|раз на півроку|every half–year|раз в полугодие|раз в полгода)")
def _every_half(match):
    return Deadline(DeadlineKind.EVERY_HALF_YEAR)


@_pattern(r"(?:щороку|щорічно|every year|ежегодно)")
def _every_year(match):
    return Deadline(DeadlineKind.EVERY_YEAR)


@_pattern(r"(?:січень\s*–\s*грудень|january\s*–\s*december|январь\s*–\s*декабрь)(?:\s+20\d\d\s*–\s*20\d\d.*)?")
def _program_period(match):
    return Deadline(DeadlineKind.PROGRAM_PERIOD)


@_pattern(r"(?:постійно|continuously|постоянно)")
def _continuous(match):
    return Deadline(DeadlineKind.CONTINUOUS)


@_pattern(
    rf"(?:протягом|упродовж|не пізніше(?: ніж)? за|within|в течение)\s+{DAYS}\s+"
    r"(?:робоч\w+ дн\w+|working days|рабоч\w+ дн\w+)\s+(?:до|before)\s+(?P<event>.+)"
)
def _before_event(match):
    return Deadline(DeadlineKind.BEFORE_EVENT, days=int(match["days"]), event=_event(match["event"]))


@_pattern(
    rf"(?:не пізніше|no later than|не позднее)\s+{DAYS}\s+"
    r"(?:робоч\w+ дн\w+|working days|рабоч\w+ дн\w+)\s+"
    r"(?:з дня після|from the day after|со дня после|після|after)\s*(?P<event>.*)"
)
def _after_event(match):
    return Deadline(DeadlineKind.AFTER_EVENT, days=int(match["days"]), event=_event(match["event"]))


@_pattern(r"(?:до|by|не пізніше|not later than)?\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})(?:\s*(?:року|р\.))?")
def _date(match):
    try:
        on = dt.datetime.strptime(match["date"], "%d.%m.%Y").date()  # noqa: DTZ007 — a calendar date, no time
    except ValueError:
        raise DeadlineParseError(_("%(date)s is not a real date.") % {"date": match["date"]}) from None
    return Deadline(DeadlineKind.DATE, on=on)


GENERIC_EVENTS = {"(події)", "події", "the event", "дня настання події", "настання події", "события", "event"}


def _event(text: str) -> str:
    """The event named after the deadline, unless it is the generic "(події)" of the seed."""
    text = text.strip()
    return "" if text.lower() in GENERIC_EVENTS else text.strip("() ")


def deadline_parse(text: str) -> Deadline:
    """The structured deadline a phrase describes; DeadlineParseError names the phrasings understood."""
    normalised = _normalise(str(text or ""))
    if not normalised:
        raise DeadlineParseError(_("Enter the deadline."))
    for pattern, builder in PATTERNS:
        match = pattern.match(normalised)
        if match:
            deadline = builder(match)
            problems = deadline.validate()
            if problems:
                raise DeadlineParseError(" ".join(problems))
            return deadline
    raise DeadlineParseError(
        _(
            "“%(text)s” is not a deadline the portal understands. Write it as the program does, for example "
            "“І квартал”, “ІІ півріччя 2024 року”, “Щопівроку”, “Протягом року”, “Постійно”, “до 28.03.2023” or "
            "“Не пізніше 3 робочих днів з дня після (події)”."
        )
        % {"text": normalised}
    )
