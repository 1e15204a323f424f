"""Reading a rendered PDF back as a reader sees it: words with their positions on each page (poppler's pdftotext),
page images (pdftoppm), and the checks a typesetter makes by eye."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from tests.programs.test_demo import normalise

# WeasyPrint's hyphenation mark, and the ordinary hyphen that ends a line inside "веб-сайт".
HYPHENS = ("\u2010", "-", "\u00ad", "–")


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    def body_words(self, foot: float) -> list[Word]:
        """Words above the page's foot (the margin box with the page number and the generation note)."""
        return [word for word in self.words if word.y_max < self.height - foot]


class _BboxParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[Page] = []
        self._word: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "page":
            self.pages.append(Page(len(self.pages) + 1, float(values["width"]), float(values["height"]), []))
        elif tag == "word":
            self._word = {key: float(values[key]) for key in ("xmin", "ymin", "xmax", "ymax")} | {"text": ""}

    def handle_data(self, data):
        if self._word is not None:
            self._word["text"] += data

    def handle_endtag(self, tag):
        if tag == "word" and self._word is not None:
            word = self._word
            self.pages[-1].words.append(Word(word["text"], word["xmin"], word["ymin"], word["xmax"], word["ymax"]))
            self._word = None


def pages_of(pdf: Path) -> list[Page]:
    output = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    parser = _BboxParser()
    parser.feed(output)
    return parser.pages


def page_images(pdf: Path, out_dir: Path, *, first: int, last: int) -> list[Path]:
    """PNG images of pages `first`…`last` at 60 dpi, for a person (or a test) to look at."""
    prefix = out_dir / pdf.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(last), str(pdf), str(prefix)], check=True
    )
    return sorted(out_dir.glob(f"{pdf.stem}*.png"))


def words_in_reading_order(pages: list[Page]) -> list[str]:
    return [word.text for page in pages for word in page.words]


def joined_words(tokens: list[str], known: set[str]) -> list[str]:
    """Tokens with the parts of a word broken at a line end put back together, when the joined form is a word."""
    result: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.endswith(HYPHENS) and index + 1 < len(tokens):
            following = tokens[index + 1]
            for joined in (token[:-1] + following, token + following):
                if bare(joined) in known:
                    result.append(joined)
                    index += 2
                    break
            else:
                result.append(token)
                index += 1
            continue
        result.append(token)
        index += 1
    return result


_EDGES = re.compile(r"^[^\w]+|[^\w]+$")


def bare(token: str) -> str:
    """A word without the punctuation around it: «(Лист» → «Лист», «осіб).» → «осіб»."""
    return _EDGES.sub("", token)


def broken_words(tokens: list[str], known: set[str]) -> list[str]:
    """Printed words that are not words of the source text: pieces of a word broken without a hyphen.

    Pieces of a link are allowed (a link too long for its column breaks anywhere, as links do)."""
    links = [word for word in known if "/" in word or "." in word]
    broken = []
    for token in joined_words(tokens, known):
        word = bare(token)
        if not word or word in known or word.isdigit():
            continue
        if any(word in link for link in links):
            continue
        broken.append(token)
    return broken


# --- comparing with the seeds -------------------------------------------------------------------------------------


def flat(text: str) -> str:
    """Seed and PDF text compared as a reader does: whitespace, dash variants and hyphenation marks do not count."""
    text = text.replace("\u2010", "").replace("\u00ad", "").replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*-\s*", "-", normalise(text))
    return re.sub(r"\s+", "", text)


def found_in_order(cell: str, text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of `cell` in `text` after `start`; a cell split over two pages may be found in two pieces (the
    rest of its row's cells printed between them). None when it is not there in order."""
    needle = flat(cell)
    where = text.find(needle, start)
    if where >= 0:
        return where, where + len(needle)
    words = normalise(cell).split()
    for cut in range(len(words) - 1, 0, -1):
        head, tail = flat(" ".join(words[:cut])), flat(" ".join(words[cut:]))
        first = text.find(head, start)
        if first >= 0:
            second = text.find(tail, first + len(head))
            if second >= 0:
                return first, second + len(tail)
    return None
