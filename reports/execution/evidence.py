"""How a status entry reads in the grid, the PDF and the API — the way seed 001 writes it.

"Виконано. У І кварталі 2023 року проведено навчання … (Лист ВПЗВК від 28.03.2023 № 17/112-23)."
Several documents of one kind from one issuer are cited together: «(листи ВПЗВК від 08.11.2023 № 17/646-23 та від
15.11.2023 № 17/692-23)». A reporter may put a reference inside the narrative by typing a marker, [[1]] for the first
document of the list or [[1, 2]] for two at once; documents no marker cites close the sentence.
Pure functions: callers pass plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from reports.choices import EvidenceKind, ExecutionStatus

MISSING = "\u0000"
# A word in front of a missing value ("№", "від") goes with it; runs of spaces left behind close up.
MISSING_WORD = re.compile(rf"\S*\s*{MISSING}")
SPACES = re.compile(r"\s+")
RUNS_OF_BLANKS = re.compile(r"[ \t]{2,}")
# [[2]] or [[1, 2]], the writer's own brackets around it taken as the reference's: "([[1]])" prints one pair.
MARKER = re.compile(r"(\()?\[\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]\](\))?")
MARKER_HELP = gettext_lazy(
    "To cite a document inside the text, type its number in the list of documents in double square brackets where "
    "the reference belongs: [[1]], or [[1, 2]] for two together; it prints as «(Лист ВПЗВК від 28.03.2023 № "
    "17/112-23)». Documents cited nowhere are listed in brackets at the end of the text."
)
# Kinds cited by an issuer, a date and a number; several of one kind and issuer merge into one reference.
NUMBERED_KINDS = (
    EvidenceKind.LETTER,
    EvidenceKind.ORDER,
    EvidenceKind.PROTOCOL,
    EvidenceKind.MEMO,
    EvidenceKind.INSTRUCTION,
)
ISSUED_KINDS = (EvidenceKind.LETTER, EvidenceKind.ORDER, EvidenceKind.MEMO, EvidenceKind.INSTRUCTION)


@dataclass(frozen=True)
class EvidenceRef:
    kind: str
    issuer: str = ""
    number: str = ""
    on: date | None = None
    title: str = ""
    url: str = ""


# Translated once per language by `_vocabulary`, not for every document of every entry of a page.
PHRASE_TEMPLATES = {
    EvidenceKind.LETTER: gettext_lazy("Letter %(issuer)s of %(date)s No. %(number)s"),
    EvidenceKind.ORDER: gettext_lazy("Order %(issuer)s of %(date)s No. %(number)s"),
    EvidenceKind.PROTOCOL: gettext_lazy("protocol No. %(number)s of %(date)s"),
    EvidenceKind.MEMO: gettext_lazy("memo %(issuer)s of %(date)s No. %(number)s"),
    EvidenceKind.INSTRUCTION: gettext_lazy("instruction %(issuer)s of %(date)s No. %(number)s"),
    EvidenceKind.WEB_PAGE: "%(url)s",
    EvidenceKind.FILE: "%(title)s",
}


@dataclass(frozen=True)
class Vocabulary:
    """The constant words of references in one language."""

    templates: dict[str, str]
    heads: dict[str, str]
    protocol_item: str
    item: str
    joined: str
    statuses: dict[str, str]


@lru_cache(maxsize=16)
def _vocabulary(language: str | None) -> Vocabulary:
    """Translated once per language: a page of 50 entries looked up about eight phrases for every document it cites.
    Keyed by the active language, which is what `gettext` translates into."""
    return Vocabulary(
        templates={kind: str(template) for kind, template in PHRASE_TEMPLATES.items()},
        heads={
            EvidenceKind.LETTER: pgettext("several documents", "letters"),
            EvidenceKind.ORDER: pgettext("several documents", "orders"),
            EvidenceKind.PROTOCOL: pgettext("several documents", "protocols"),
            EvidenceKind.MEMO: pgettext("several documents", "memos"),
            EvidenceKind.INSTRUCTION: pgettext("several documents", "instructions"),
        },
        protocol_item=_("No. %(number)s of %(date)s"),
        item=_("of %(date)s No. %(number)s"),
        joined=_("%(first)s and %(last)s"),
        statuses={value: str(label) for value, label in ExecutionStatus.choices},
    )


@dataclass(frozen=True)
class _Page:
    words: Vocabulary
    phrases: dict[EvidenceRef, str]


# Inside a `phrases_once` block: the block's vocabulary and the phrases built so far; None outside one.
_page: ContextVar[_Page | None] = ContextVar("evidence_page", default=None)


@contextmanager
def phrases_once() -> Iterator[None]:
    """Within the block each document's phrase is built once, and the language's words looked up once: a page of
    entries prints every document in its entry's sentence and again on its own."""
    token = _page.set(_Page(words=_vocabulary(get_language()), phrases={}))
    try:
        yield
    finally:
        _page.reset(token)


def _words() -> Vocabulary:
    page = _page.get()
    return page.words if page is not None else _vocabulary(get_language())


def status_label(status: str) -> str:
    """The status word in the active language, as `get_status_display` prints it (the stored value if unknown)."""
    return _words().statuses.get(status, status)


def _without_missing(text: str) -> str:
    return MISSING_WORD.sub("", text) if MISSING in text else text


def evidence_phrase(ref: EvidenceRef) -> str:
    """One reference: «Лист ВПЗВК від 28.03.2023 № 17/112-23», «протокол № 2 від 29.09.2023», a link …"""
    page = _page.get()
    if page is None:
        return _phrase(ref)
    if ref not in page.phrases:
        page.phrases[ref] = _phrase(ref)
    return page.phrases[ref]


def _phrase(ref: EvidenceRef) -> str:
    # A missing number or date leaves a marker, so only the word in front of that very placeholder ("№", "від")
    # is dropped, never the same word inside an issuer's name.
    values = {
        "issuer": ref.issuer,
        "number": ref.number or MISSING,
        "date": ref.on.strftime("%d.%m.%Y") if ref.on else MISSING,
        "title": ref.title,
        "url": ref.url,
    }
    text = _without_missing(_words().templates.get(ref.kind, "%(title)s") % values)
    if ref.title and ref.kind not in (EvidenceKind.FILE, EvidenceKind.WEB_PAGE):
        text = f"{text} «{ref.title}»"
    return SPACES.sub(" ", text).strip()


def _without_status_word(narrative: str, status_label: str) -> str:
    """The narrative without a leading status word that the sentence already prints.

    Seed 001's narratives start with the status («Виконано. У І кварталі …»); pasted as they are, the sentence would
    read «Виконано. Виконано. …». Only the same word followed by punctuation or the end goes: «Виконано частково» is
    another status and stays.
    """
    label = str(status_label)
    if not label or narrative[: len(label)].casefold() != label.casefold():
        return narrative  # most narratives: no pattern built and matched
    match = re.match(rf"{re.escape(label)}\s*(?:[.:;,]|$)\s*", narrative, flags=re.IGNORECASE)
    return narrative[match.end() :] if match else narrative


def _plural_head(kind: str) -> str:
    return _words().heads[kind]


def _item(ref: EvidenceRef) -> str:
    """One document of a merged reference: «від 08.11.2023 № 17/646-23», a protocol «№ 2 від 29.09.2023»."""
    values = {"number": ref.number or MISSING, "date": ref.on.strftime("%d.%m.%Y") if ref.on else MISSING}
    words = _words()
    template = words.protocol_item if ref.kind == EvidenceKind.PROTOCOL else words.item
    text = _without_missing(template % values)
    if ref.title:
        text = f"{text} «{ref.title}»"
    return SPACES.sub(" ", text).strip()


def _joined(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _words().joined % {"first": ", ".join(items[:-1]), "last": items[-1]}


def reference_groups(refs: Iterable[EvidenceRef]) -> list[str]:
    """The references as the report cites them: documents of one kind from one issuer merged into one phrase, the
    groups in the order their first document comes."""
    groups: dict[tuple, list[EvidenceRef]] = {}
    for index, ref in enumerate(refs):
        key = (ref.kind, ref.issuer.strip()) if ref.kind in NUMBERED_KINDS else (ref.kind, index)
        groups.setdefault(key, []).append(ref)
    phrases = []
    for members in groups.values():
        if len(members) == 1:
            phrases.append(evidence_phrase(members[0]))
            continue
        head = " ".join(part for part in (_plural_head(members[0].kind), members[0].issuer.strip()) if part)
        phrases.append(f"{head} {_joined([_item(ref) for ref in members])}")
    return phrases


def _cased(phrase: str, before: str) -> str:
    """A reference opening a sentence starts with a capital («… 232 особи. (Лист ВПЗВК …)»), one inside a sentence
    with a small letter («… 300 осіб (листи ВПЗВК …)»), as seed 001 writes them."""
    if not phrase or not phrase[0].isalpha() or phrase.startswith(("http://", "https://")):
        return phrase
    opens = not before.strip() or before.rstrip()[-1] in ".!?:\n"
    return (phrase[0].upper() if opens else phrase[0].lower()) + phrase[1:]


def _bracketed(phrases: list[str], before: str) -> str:
    """References in one bracket: the first cased by its place, the others continuing the sentence."""
    return "; ".join(_cased(phrase, before if index == 0 else "…") for index, phrase in enumerate(phrases))


def _cited(numbers: str, count: int) -> list[int]:
    indexes = [int(number) - 1 for number in re.split(r"\s*[,;]\s*", numbers)]
    return list(dict.fromkeys(index for index in indexes if 0 <= index < count))


def marker_problems(narrative: str, count: int) -> list[str]:
    """Markers citing a document the list does not have, for the entry page and the API to refuse."""
    problems = []
    for match in MARKER.finditer(narrative or ""):
        wrong = [number for number in re.split(r"\s*[,;]\s*", match.group(2)) if not 1 <= int(number) <= count]
        if wrong:
            problems.append(
                _("%(marker)s cites document %(numbers)s, but the entry lists %(count)s.")
                % {"marker": match.group(0), "numbers": ", ".join(wrong), "count": count}
            )
    return problems


def status_sentence(status_label: str, narrative: str, refs: Iterable[EvidenceRef]) -> str:
    """The status word, then the narrative with any cited references in place, then the remaining references in
    brackets closing the sentence.

    Seed 001 writes "Виконано. … участь у якому взяли 27 осіб (протокол № 2 від 29.09.2023)."
    """
    refs = list(refs)
    narrative = _without_status_word(narrative.strip(), status_label)
    cited: set[int] = set()

    def in_place(match: re.Match) -> str:
        indexes = _cited(match.group(2), len(refs))
        cited.update(indexes)
        if not indexes:  # a document since removed: its marker must not print
            return ""
        before = f"{status_label}. " + narrative[: match.start()]
        return f"({_bracketed(reference_groups(refs[index] for index in indexes), before)})"

    # Most narratives cite nothing in place and hold no run of blanks: no pattern is run over them.
    if "[[" in narrative:
        narrative = MARKER.sub(in_place, narrative)
    if "  " in narrative or "\t" in narrative:
        narrative = RUNS_OF_BLANKS.sub(" ", narrative)
    narrative = narrative.strip()
    remaining = [ref for index, ref in enumerate(refs) if index not in cited]
    if not remaining:
        return f"{status_label}. {narrative}".strip()
    body = narrative.rstrip(".").rstrip()
    references = f"({_bracketed(reference_groups(remaining), f'{status_label}. {body}')})."
    return f"{status_label}. {body} {references}" if body else f"{status_label}. {references}"


def evidence_problems(
    *,
    kind: str,
    issuer: str = "",
    number: str = "",
    issued_on: date | None = None,
    url: str = "",
    has_file: bool,
    today: date,
) -> dict[str, str]:
    """What a document of this kind lacks to be cited as the report cites it, by field; empty when nothing.

    A letter, order, memo or instruction is cited by its issuer, date and number («Лист ВПЗВК від 28.03.2023
    № 17/112-23»), a protocol by its number and date; without them the reference would be unverifiable.
    """
    problems: dict[str, str] = {}
    if kind not in EvidenceKind.values:
        return {"kind": _("Choose the kind of document.")}
    if kind in ISSUED_KINDS and not issuer.strip():
        problems["issuer"] = _("Enter who issued the document (for example ВПЗВК): the report names the issuer.")
    if kind in NUMBERED_KINDS:
        if not number.strip():
            problems["number"] = _("Enter the document's number: the report cites it (for example № 17/112-23).")
        if issued_on is None:
            problems["issued_on"] = _("Enter the document's date: the report cites it (for example 28.03.2023).")
    if issued_on is not None and issued_on > today:
        problems["issued_on"] = _("The document's date cannot be later than today.")
    if kind == EvidenceKind.WEB_PAGE and not url:
        problems["url"] = _("Enter the address of the web page.")
    if kind == EvidenceKind.FILE and not has_file:
        problems["file"] = _("Choose the file to upload.")
    return problems
