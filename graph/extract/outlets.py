"""News organisations: by name (the lexicon), by how an article names one it does not know
(``the Swiss daily Le Temps``, ``the Tasnim news agency``), and as the audience of ``told``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from .lexicon.names import DEMONYMS, NEWS_AGENCIES, NEWS_OUTLETS, PLACES

_NEWS_KIND = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w’'-]*\s+|state\s+|state-run\s+|official\s+|private\s+|independent\s+)*"
    r"(?:news\s+agency|agency|broadcaster|newspaper|daily|channel|television|TV|outlet|"
    r"news\s+website|website|paper)\s+",
    re.IGNORECASE,
)


@cache
def _news_pattern() -> re.Pattern[str]:
    names = sorted({*NEWS_AGENCIES, *NEWS_OUTLETS}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


_LOWER_BEFORE = re.compile(
    r"(?:\S+(?:’s|'s))?(?:(?:^|\s+)(?:[a-z][\w-]*|[A-Z]\w*-(?:based|run|owned|funded|"
    r"controlled|affiliated|backed)))*"
)
"""Words before an outlet's name that keep it one (``Britain's state-run``, ``the Cairo-based``):
a possessive, then lowercase words, one word at a time (no backtracking over splits)."""


def news_organisation(phrase: str) -> tuple[str, str] | None:
    """The news organisation a phrase names, and whether it is an ``agency`` or an ``outlet``.

    >>> news_organisation("the Russian news agency TASS")
    ('TASS', 'agency')
    >>> news_organisation("Britain's Sky News")
    ('Sky News', 'outlet')
    >>> news_organisation("reporters") is None
    True
    >>> news_organisation("The Times of Israel")
    ('Times of Israel', 'outlet')
    """
    text = phrase.strip()
    pattern = _news_pattern()
    m = pattern.search(text)
    if m is None:
        return _by_pattern(text)
    for start in range(m.start() + 1, m.end()):  # "The Times of Israel", not "The Times"
        if text[start - 1] == " ":
            longer = pattern.match(text, start)
            if longer is not None and longer.end() > m.end():
                m = longer
    before = text[: m.start()].strip()
    after = text[m.end() :].strip(" .,")
    if re.fullmatch(_KIND, after, re.IGNORECASE):
        after = ""  # "the Tasnim news agency"
    if after or (
        before and not _NEWS_KIND.match(before + " ") and not _LOWER_BEFORE.fullmatch(before)
    ):
        if before.lower() not in ("the", ""):
            return None
    name = m.group(0)
    return name, "agency" if name in NEWS_AGENCIES else "outlet"


_KIND = (
    r"(?:news\s+agency|agency|broadcaster|newspaper|daily|weekly|channel|television|TV|"
    r"outlet|news\s+(?:website|site|portal)|website|paper|radio|station)"
)
_OUTLET_NAME = (
    r"(?P<name>(?!(?:The|A|An|This|That|Its)\s)"  # "The newspaper" names no outlet "The"
    r"[A-Z][\w’'.&-]*(?:\s+(?:[A-Z][\w’'.&-]*|\d+))*)"
)
_KIND_BEFORE = re.compile(
    r"(?:(?:the|[A-Z][\w-]*(?:’s|'s))\s+)?(?:[\w-]+\s+){0,3}?" + _KIND + r"\s+" + _OUTLET_NAME,
    re.IGNORECASE,
)
_KIND_AFTER = re.compile(
    r"(?:(?:the|[A-Z][\w-]*(?:’s|'s))\s+)?(?:[a-z][\w-]*\s+){0,3}" + _OUTLET_NAME + r"\s+" + _KIND,
)
_NAME_OF_OUTLET = re.compile(
    r"(?:(?:the|The|[A-Z][\w-]*(?:’s|'s))\s+)?(?:[a-z][\w-]*\s+){0,3}"
    r"(?P<name>(?:[A-Z][\w’'.&-]*\s+){1,3}"
    r"(?:News(?:\s+Agency)?|Press\s+Agency|Times|Post|Journal|Herald|Gazette|Tribune|Television))"
)
"""A name that says it is a news organisation (``the official Qatar News Agency``, ``Egypt's
state-run Al-Qahera News``, ``The Jerusalem Post``)."""
STATE_MEDIA = re.compile(
    r"(?:(?:the|The|[A-Z][\w-]*(?:’s|'s))\s+)?(?:[A-Z][\w-]*\s+)?"
    r"(?:[Ss]tate|[Ss]tate-run|[Ss]tate-controlled|[Oo]fficial|[Pp]ublic)\s+"
    r"(?:media|television|TV|radio|news\s+outlets|outlets)"
)
"""State media named as a speaker, not by name (``Iranian state media``)."""
_NOT_OUTLETS = frozenset(
    """UN EU NATO OSCE IAEA US USA UK UAE OPEC ICC ICJ CIA FBI SBU FSB GRU IDF WHO WTO IMF G7
    G20 BRICS ASEAN OIC AU""".split()
)
_ARTICLE_OUTLETS: ContextVar[tuple[tuple[int, str], ...]] = ContextVar(
    "article_outlets", default=()
)


def _by_pattern(text: str) -> tuple[str, str] | None:
    """An outlet the lexicon does not know, named the way articles name one: with what it is
    (``the Swiss daily Le Temps``, ``the Tasnim news agency``, ``Israel's Channel 12``), or
    named so earlier in the article."""
    bare = re.sub(r"^(?:the|The)\s+", "", text)
    if bare in (name for _, name in _ARTICLE_OUTLETS.get()):
        return bare, "outlet"
    m = re.fullmatch(r"(?:[A-Z][\w-]*(?:’s|'s)\s+)?(?P<name>Channel\s+\d+)", text)
    if m is None:
        m = _NAME_OF_OUTLET.fullmatch(text)
    if m is None:
        m = _KIND_BEFORE.fullmatch(text)
        if m is not None and not m.group("name")[:1].isupper():
            m = None
    if m is None:
        m = _KIND_AFTER.fullmatch(text)
    if m is None:
        return None
    name = m.group("name").rstrip(".")
    if name in _NOT_OUTLETS or name in PLACES or name in DEMONYMS:
        return None
    kind = "agency" if re.search(r"agency", m.group(0), re.IGNORECASE) else "outlet"
    return name, kind


def article_outlets(text: str) -> tuple[tuple[int, str], ...]:
    """Where an article names an outlet with what it is (``the Swiss daily Le Temps``), so that
    ``told Le Temps`` or ``told the newspaper`` later in it is read as that outlet.

    >>> article_outlets("In an interview with the Swiss daily Le Temps, he said so.")
    ((31, 'Le Temps'),)
    """
    found: dict[int, str] = {}
    for kinds in _NAMED_WITH_KIND:
        for m in kinds.finditer(text):
            hit = _by_pattern(m.group(0).strip())
            if hit is not None:
                found.setdefault(m.start(), hit[0])
    return tuple(sorted(found.items()))


def outlet_before(at: int) -> str | None:
    """The outlet the article named last before offset ``at`` (``told the newspaper``)."""
    before = [name for start, name in _ARTICLE_OUTLETS.get() if start < at]
    return before[-1] if before else None


_NAMED_WITH_KIND = (
    re.compile(r"\b(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}" + _KIND + r"\s+" + _OUTLET_NAME),
    re.compile(r"(?:the\s+)?" + _OUTLET_NAME + r"\s+(?:news\s+agency|newspaper|broadcaster)\b"),
)


@contextmanager
def outlets_of(text: str) -> Iterator[None]:
    """Within this block, outlets ``text`` names by pattern are outlets wherever named."""
    token = _ARTICLE_OUTLETS.set(article_outlets(text))
    try:
        yield
    finally:
        _ARTICLE_OUTLETS.reset(token)


def told_outlet(name: str) -> tuple[str, str] | None:
    """Who ``told <name>`` talked to when it is a news organisation: one by name or pattern,
    or an acronym that names no state or international body (``told RTS``).

    >>> told_outlet("RTS"), told_outlet("NATO"), told_outlet("Putin")
    (('RTS', 'outlet'), None, None)
    """
    news = news_organisation(name)
    if news is not None:
        return news
    if re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", name) and name not in _NOT_OUTLETS | set(DEMONYMS):
        return name, "outlet"
    return None
