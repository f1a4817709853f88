"""Article text into paragraphs, quotation regions and sentences, with exact offsets.

Quotation marks are paired first, per paragraph, in every style news copy uses: “ ” (and
„ “), " ", ‘ ’, « » (and ‹ ›), and ' ' where an apostrophe cannot be meant.  A quote opened and
not closed in its paragraph runs to the paragraph's end (the convention for a quote that goes
on in the next paragraph).  Sentences never end inside a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Span

OPENERS = {"“": "”", "„": "“”", "«": "»", "‹": "›", "‘": "’", '"': '"', "'": "'"}
"""Opening quotation marks and the marks that close each."""

QUOTE_MARKS = frozenset("“”„«»‹›‘’\"'")

CLOCK = r"\d{1,2}[:.]\d{2}\s*(?:[APap]\.?[Mm]\.?\s*)?"
"""A live-blog time: ``11:05``, ``9.30 a.m.``."""

LEAD = re.compile(
    r"(?:" + CLOCK + r"|[A-Z][A-Z’'.-]+(?:\s+[A-Z][A-Z’'.-]+)*(?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?"
    r"(?:\s*\([^()]{1,40}\))?\s*)[-–—]+\s+"
)
"""What opens a paragraph before its first sentence: a live-blog time (``11:05 - ``) or a
wire dateline (``MOSCOW, June 4 (RIA Novosti) - ``, ``KYIV (Reuters) — ``), before a
paragraph that ends as a sentence does."""

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col sgt capt sen rep gov st no vs etc jan feb mar apr jun jul aug
    sep sept oct nov dec inc ltd co corp u.s u.k u.n e.u p.m a.m approx dept""".split()
)


@dataclass(frozen=True)
class Quote:
    """A quotation: ``outer`` with its marks, ``inner`` the words between them (trimmed)."""

    outer: Span
    inner: Span
    closed: bool = True


def paragraphs(text: str) -> list[Span]:
    """The non-blank lines of ``text``.

    >>> [p.text for p in paragraphs("A b.\\n\\n  C d.\\n")]
    ['A b.', 'C d.']
    """
    out = []
    for m in re.finditer(r"[^\n]+", text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Span.of(text, start, end))
    return out


def quotes(text: str, paragraph: Span) -> list[Quote]:
    """The top-level quotations of one paragraph.

    >>> t = '“We are ready,” he said, adding: «Nothing ‘more’.»'
    >>> [q.inner.text for q in quotes(t, Span.of(t, 0, len(t)))]
    ['We are ready,', 'Nothing ‘more’.']
    """
    out: list[Quote] = []
    i, end = paragraph.start, paragraph.end
    while i < end:
        mark = text[i]
        if mark in OPENERS and _opens(text, i, paragraph):
            close = _closing(text, i, end)
            if close is None:
                if mark in "'‘\"":
                    i += 1
                    continue
                outer = Span.of(text, i, end)
                out.append(Quote(outer, _trimmed(text, i + 1, end), closed=False))
                break
            out.append(Quote(Span.of(text, i, close + 1), _trimmed(text, i + 1, close)))
            i = close + 1
            continue
        i += 1
    return [q for q in out if len(q.inner) > 0]


def _opens(text: str, i: int, paragraph: Span) -> bool:
    """Whether the mark at ``i`` can open a quotation (not an apostrophe, not a closer)."""
    mark = text[i]
    before = text[i - 1] if i > paragraph.start else " "
    after = text[i + 1] if i + 1 < paragraph.end else " "
    if mark in "“„«‹":
        return not after.isspace() or mark in "«‹"
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _closing(text: str, i: int, end: int) -> int | None:
    """Where the quotation opened at ``i`` closes, or None."""
    mark = text[i]
    closers = OPENERS[mark]
    j = i + 1
    while j < end:
        c = text[j]
        if c in closers and _closes(text, j, end, mark):
            return j
        if mark == "“" and c == "“":
            return None  # a new quotation opens before this one closed
        j += 1
    return None


def _closes(text: str, j: int, end: int, opener: str) -> bool:
    after = text[j + 1] if j + 1 < end else " "
    if opener in "'‘":
        return not after.isalnum()
    return True


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span.of(text, start, end)


def sentences(text: str, paragraph: Span, regions: list[Quote]) -> list[Span]:
    """The sentences of a paragraph; a sentence ends at ``.``, ``!`` or ``?`` (and any closing
    marks) before a capital, a digit or an opening mark — never inside a quotation, and not
    after an abbreviation.

    >>> t = '“A is so. B too,” X said. “C.” Mr. Y left.'
    >>> p = Span.of(t, 0, len(t))
    >>> [s.text for s in sentences(t, p, quotes(t, p))]
    ['“A is so. B too,” X said.', '“C.”', 'Mr. Y left.']
    >>> t = "KYIV, May 2 (Reuters) - Talks resumed."
    >>> [s.text for s in sentences(t, Span.of(t, 0, len(t)), [])]
    ['Talks resumed.']
    """
    inside = [(q.outer.start, q.outer.end) for q in regions]
    out: list[Span] = []
    # a headline line (no closing stop) keeps its time: "11:30 - Qatar calls for restraint"
    lead = LEAD.match(paragraph.text) if re.search(r"[.!?][”»’\"')]*$", paragraph.text) else None
    start = paragraph.start + (lead.end() if lead else 0)
    for m in re.finditer(r"[.!?]+[”»’\"')\]]*(?=\s+[“„«‘\"'(\[A-Z0-9—–-])", paragraph.text):
        stop = paragraph.start + m.end()
        punct = paragraph.start + m.start()
        if punct < start:
            continue  # a stop inside the dateline: "ADDIS ABABA, Oct. 7 (Xinhua) -- "
        if any(a < punct < b and stop < b for a, b in inside):
            continue
        word = re.search(r"(\S+)$", text[start:punct])
        if word and m.group(0) == "." and _abbreviation(word.group(1)):
            continue
        out.append(_trimmed(text, start, stop))
        start = stop
    if start < paragraph.end:
        out.append(_trimmed(text, start, paragraph.end))
    return [s for s in out if len(s) > 0]


def dateline_agencies(text: str) -> list[Span]:
    """The agency each wire dateline names, in text order: ``(Reuters)`` in ``ANKARA, March
    29 (Reuters) - …`` (a paragraph that ends as a sentence does, as for :func:`sentences`).

    >>> t = "ANKARA, March 29 (Reuters) - Talks resumed.\\n11:05 - Talks ended."
    >>> [a.text for a in dateline_agencies(t)]
    ['Reuters']
    """
    out = []
    for paragraph in paragraphs(text):
        if not re.search(r"[.!?][”»’\"')]*$", paragraph.text):
            continue
        lead = LEAD.match(paragraph.text)
        agency = re.search(r"\(\s*([^()]*?)\s*\)", lead.group(0)) if lead else None
        if agency and agency.group(1):
            start = paragraph.start + agency.start(1)
            out.append(Span.of(text, start, start + len(agency.group(1))))
    return out


def _abbreviation(word: str) -> bool:
    w = word.lower().strip("“”\"'‘’(")
    return (
        w in _ABBREVIATIONS
        or bool(re.fullmatch(r"[a-z]", w))
        or bool(re.fullmatch(r"(\w\.)+\w", w))
    )


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark with its offsets in the article."""

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Words (with inner apostrophes, hyphens and dots) and punctuation between two offsets.

    >>> [t.text for t in tokens("Russia’s U.S. plan, he said.", 0, 28)]
    ['Russia’s', 'U.S.', 'plan', ',', 'he', 'said', '.']
    """
    found = re.finditer(r"(?:\w\.){2,}|\w+(?:[’'\-]\w+)*|[^\w\s]", text[start:end])
    return [Token(start + m.start(), start + m.end(), m.group(0)) for m in found]
