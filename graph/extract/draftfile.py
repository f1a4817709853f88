"""The draft file: what the caller knows of an article (:class:`ArticleInfo`), what drafting
gives back (:class:`Draft`: the records, what was guessed and what needs review, written as
YAML with the review comments at the top) and the stem of its record ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..records import CONTEXT_URL
from .article import check_date, check_url


@dataclass(frozen=True)
class ArticleInfo:
    """What the caller knows of the article beyond its text."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    """The publication date, ``YYYY-MM-DD``: the article's (cited to the draft file); claims
    are not dated by it (a claim may be older than the article that reports it)."""
    slug: str | None = None
    """The stem of every record id (default: from the title, else the text's hash)."""
    source_file: str | None = None
    """The file the text came from, kept as the article's ``sourceFile``."""
    taken: frozenset[str] = frozenset()
    """Ids already in the store (:func:`~claimgraph.extract.actors.ids_in_store`): while
    ``cgi:article-STEM`` or ``cgi:STEM-statements`` is one of them, the stem gets ``-2``,
    ``-3`` … and the draft says so."""

    def __post_init__(self) -> None:
        check_date(self.published)
        check_url(self.url)


@dataclass(frozen=True)
class Judgement:
    """Something the extractor guessed: a statement about ``subject`` with its confidence."""

    subject: str
    property: str
    value: Any
    confidence: float
    note: str


@dataclass
class Draft:
    """Draft records for one article, and what in them a person should review."""

    records: list[dict[str, Any]]
    """The records: the cited ones, then the evidenced graph, then the judged graphs."""
    judgements: list[Judgement] = field(default_factory=list)
    needs_review: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader should know but need not act on (a stem changed to stay free)."""

    def document(self) -> dict[str, Any]:
        """The JSON-LD document: ``{"@context": …, "@graph": […]}``."""
        return {"@context": CONTEXT_URL, "@graph": self.records}

    def graph(self, kind: str) -> list[dict[str, Any]]:
        """The declared graphs of ``kind`` (``EvidencedStatements``, ``JudgedStatements``)."""
        return [r for r in self.records if r.get("type") == kind]

    def yaml(self) -> str:
        """The records as YAML, with the review notes as comments at the top."""
        lines = [
            "# DRAFT written by claimgraph extract: review every record, then ingest with",
            "# `claimgraph ingest --accept-drafts` (or remove each `draft: true`).",
        ]
        for note in self.notes:
            lines.append(f"# note: {note}")
        for note in self.needs_review:
            lines.append(f"# needs review: {note}")
        for j in self.judgements:
            lines.append(
                f"# guessed ({j.confidence:.2f}): {j.subject} {j.property} {j.value} — {j.note}"
            )
        body = yaml.safe_dump(self.document(), allow_unicode=True, sort_keys=False, width=100)
        return "\n".join(lines) + "\n" + body


def slugify(words: str) -> str:
    """An id-safe stem.

    >>> slugify("Istanbul talks: Day 1!")
    'istanbul-talks-day-1'
    """
    import unicodedata

    s = unicodedata.normalize("NFKD", words)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60] or "x"


def free_stem(stem: str, taken: frozenset[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3`` … the first whose article and statement graph ids
    are not ``taken``.

    >>> free_stem("talks", frozenset({"cgi:article-talks", "cgi:talks-2-statements"}))
    'talks-3'
    """
    free, n = stem, 1
    while f"cgi:article-{free}" in taken or f"cgi:{free}-statements" in taken:
        n += 1
        free = f"{stem}-{n}"
    return free
