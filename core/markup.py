"""Safe formatted text for program sections: a small Markdown subset rendered here, never raw HTML from users.

Supported: paragraphs separated by a blank line, line breaks inside a paragraph, bulleted lists ("- " or "* "),
numbered lists ("1. " or "1) "), **bold** and *italic*. Everything is escaped first, so a <script> typed by anyone is
shown as text; the few tags we add come from this module only.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")


def _inline(text: str) -> str:
    text = escape(text)
    text = BOLD.sub(r"<strong>\1</strong>", text)
    return ITALIC.sub(r"<em>\1</em>", text)


def _block(lines: list[str]) -> str:
    if all(BULLET.match(line) for line in lines):
        items = "".join(f"<li>{_inline(BULLET.match(line).group(1))}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    if all(NUMBERED.match(line) for line in lines):
        items = "".join(f"<li>{_inline(NUMBERED.match(line).group(1))}</li>" for line in lines)
        return f"<ol>{items}</ol>"
    return "<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>"


def render_markup(text: str | None) -> SafeString:
    """HTML for `text`; safe to put in a page because every user character passed through `escape`."""
    if not text:
        return mark_safe("")
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    html = "\n".join(_block(lines) for lines in blocks if lines)
    # Safe: built only from escaped text and the tags this module adds.
    return mark_safe(html)
