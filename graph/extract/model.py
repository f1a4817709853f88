"""What the extractor finds in an article: spans, speakers, hops, attributions, the outlet's own
statements.  Plain frozen dataclasses; offsets are Unicode code points into the article text,
end exclusive (``text[span.start:span.end] == span.text``), as evidence selectors count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PATTERNS: tuple[str, ...] = (
    "quote",
    "quote-split",
    "quote-adjacent",
    "reported",
    "according-to",
    "told",
    "citing",
    "wrote-on",
    "leak",
)
"""How an attribution is written, from the most to the least direct:

- ``quote``: a direct quote with its speaker in the same sentence (“…,” X said);
- ``quote-split``: a later part of a quote whose speaker was named with an earlier part
  (“A,” X said. “B.”);
- ``quote-adjacent``: a quote whose speaker is only in the previous or next sentence;
- ``reported``: reported speech or a cue verb (X said that …; …, X said; X proposed …);
- ``according-to``: according to X, …;
- ``told``: X told / speaking to / in an interview with a news organisation;
- ``citing``: a news organisation passing on a source (Sky News, citing a source, reported …);
- ``wrote-on``: a post (X wrote on Telegram …);
- ``leak``: leaks from X that ….
"""

KINDS: tuple[str, ...] = (
    "quote",
    "statement",
    "proposal",
    "demand",
    "denial",
    "assessment",
    "leak report",
)
"""The kinds of claim an attribution makes."""


@dataclass(frozen=True)
class Span:
    """A stretch of the article: ``text == article[start:end]``.

    >>> Span.of("Peskov said no.", 0, 6)
    Span(start=0, end=6, text='Peskov')
    """

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, article: str, start: int, end: int) -> Span:
        """The span of ``article`` from ``start`` to ``end``."""
        return cls(start, end, article[start:end])

    def overlap(self, other: Span) -> int:
        """How many code points the two spans share.

        >>> Span(0, 10, "x" * 10).overlap(Span(5, 20, "y" * 15))
        5
        """
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Speaker:
    """Who an attribution is to, as the article names them.

    ``name`` is the normalised name ("Dmitry Peskov", "Turkish Foreign Ministry"); for an
    anonymous source it is the descriptor without its determiner.  ``span`` is where the
    article names the speaker in this attribution (a pronoun or "the minister" when that is
    how it refers to them; ``referred_by`` then holds those words).
    """

    name: str
    kind: str = "person"
    """person, organisation, state, agency, outlet, group or anonymous."""
    span: Span | None = None
    anonymous: bool = False
    descriptor: str | None = None
    """An anonymous source in the article's words ("a Ukrainian diplomatic source")."""
    affiliation: str | None = None
    """The side or body the article ties the speaker to ("Ukraine")."""
    group: bool = False
    role: str | None = None
    """A post or role the article gives ("Kremlin spokesman")."""
    referred_by: str | None = None
    """The words that referred to this speaker when it was resolved ("he", "the minister")."""
    entity: int = -1
    """Which speaker of the article this is: attributions to one source share the number."""


@dataclass(frozen=True)
class Hop:
    """A carrier between the speaker and the article: an intermediary or a news agency."""

    name: str
    role: str = "intermediary"
    """``agency`` for a news agency, ``intermediary`` for anyone else (a newspaper, a
    broadcaster, a person passing words on)."""
    cue: str | None = None
    channel: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Attribution:
    """One thing the article says someone said."""

    content: Span
    """What was said: the quote without its marks, or the reported clause."""
    speaker: Speaker
    pattern: str
    cue: str | None = None
    """The cue verb or phrase as written ("said", "telling", "according to")."""
    channel: str | None = None
    """How it was said ("told Reuters", "speaking to TASS", "on Telegram")."""
    certainty: str = "certain"
    polarity: str = "affirmed"
    intermediaries: tuple[Hop, ...] = ()
    """The hops between speaker and article, in order from the speaker outward."""
    kind: str = "statement"
    kind_confidence: float = 1.0
    verbatim: bool = False
    frame: Span | None = None
    """The whole passage that carries the attribution (speaker, cue and content): the
    evidence span of the article mention."""


@dataclass(frozen=True)
class OwnStatement:
    """A passage that attributes nothing: the outlet says it itself."""

    span: Span


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article text."""

    text: str
    attributions: tuple[Attribution, ...]
    statements: tuple[OwnStatement, ...] = ()
    sentences: tuple[Span, ...] = field(default=(), repr=False)

    def speakers(self) -> dict[int, Speaker]:
        """One speaker per entity, the first mention of each (in text order).

        >>> Extraction("", ()).speakers()
        {}
        """
        out: dict[int, Speaker] = {}
        for a in self.attributions:
            out.setdefault(a.speaker.entity, a.speaker)
        return out
