"""How a status entry reads in the grid, the PDF and the API — the way seed 001 writes it.

"Виконано. У І кварталі 2023 року проведено навчання … (Лист ВПЗВК від 28.03.2023 № 17/112-23)."
Pure functions: callers pass plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .choices import EvidenceKind

MISSING = "\u0000"


@dataclass(frozen=True)
class EvidenceRef:
    kind: str
    issuer: str = ""
    number: str = ""
    on: date | None = None
    title: str = ""
    url: str = ""


def evidence_phrase(ref: EvidenceRef) -> str:
    """One reference: «Лист ВПЗВК від 28.03.2023 № 17/112-23», «протокол № 2 від 29.09.2023», a link …"""
    # A missing number or date leaves a marker, so only the word in front of that very placeholder ("№", "від")
    # is dropped, never the same word inside an issuer's name.
    values = {
        "issuer": ref.issuer,
        "number": ref.number or MISSING,
        "date": ref.on.strftime("%d.%m.%Y") if ref.on else MISSING,
        "title": ref.title,
        "url": ref.url,
    }
    templates = {
        EvidenceKind.LETTER: _("Letter %(issuer)s of %(date)s No. %(number)s"),
        EvidenceKind.ORDER: _("Order %(issuer)s of %(date)s No. %(number)s"),
        EvidenceKind.PROTOCOL: _("protocol No. %(number)s of %(date)s"),
        EvidenceKind.MEMO: _("memo %(issuer)s of %(date)s No. %(number)s"),
        EvidenceKind.INSTRUCTION: _("instruction %(issuer)s of %(date)s No. %(number)s"),
        EvidenceKind.WEB_PAGE: "%(url)s",
        EvidenceKind.FILE: "%(title)s",
    }
    text = templates.get(ref.kind, "%(title)s") % values
    text = re.sub(rf"\S*\s*{MISSING}", "", text)
    if ref.title and ref.kind not in (EvidenceKind.FILE, EvidenceKind.WEB_PAGE):
        text = f"{text} «{ref.title}»"
    return re.sub(r"\s+", " ", text).strip()


def _without_status_word(narrative: str, status_label: str) -> str:
    """The narrative without a leading status word that the sentence already prints.

    Seed 001's narratives start with the status («Виконано. У І кварталі …»); pasted as they are, the sentence would
    read «Виконано. Виконано. …». Only the same word followed by punctuation or the end goes: «Виконано частково» is
    another status and stays.
    """
    if not status_label:
        return narrative
    match = re.match(rf"{re.escape(str(status_label))}\s*(?:[.:;,]|$)\s*", narrative, flags=re.IGNORECASE)
    return narrative[match.end() :] if match else narrative


def status_sentence(status_label: str, narrative: str, refs: Iterable[EvidenceRef]) -> str:
    """The status word, then the narrative, then the references in brackets closing the sentence.

    Seed 001 writes "Виконано. … участь у якому взяли 27 осіб (протокол № 2 від 29.09.2023)."
    """
    narrative = _without_status_word(narrative.strip(), status_label)
    phrases = [evidence_phrase(ref) for ref in refs]
    if not phrases:
        return f"{status_label}. {narrative}".strip()
    body = narrative.rstrip(".").rstrip()
    references = f"({'; '.join(phrases)})."
    return f"{status_label}. {body} {references}" if body else f"{status_label}. {references}"
