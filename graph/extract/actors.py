"""Linking speakers to actors already known (from a store, or given as labels and aliases), and
proposing a new actor, with the candidates considered, when none matches; and the record ids a
store already uses, so that a draft picks fresh ones.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon.names import DEMONYMS, PLACES

if TYPE_CHECKING:
    from ..store import Store

LINK_THRESHOLD = 0.75
"""The score from which a speaker is linked to a known actor rather than proposed as new."""


def normalise_name(name: str) -> str:
    """A name as compared: case, accents, quotation marks, determiners and numbers left out.

    >>> normalise_name("The Wall Street Journal")
    'wall street journal'
    >>> normalise_name("two people familiar with the talks")
    'people familiar with the talks'
    >>> normalise_name("Erdoğan")
    'erdogan'
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("’", "'")
    s = re.sub(r"[^\w\s'.-]", " ", s)
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    while True:
        t = re.sub(
            r"^(?:the|a|an|one|two|three|four|five|several|some|both|its own|their own|its|their"
            r"|mr|mrs|ms)\s+",
            "",
            s,
        )
        if t == s:
            return s
        s = t


@dataclass(frozen=True)
class KnownActor:
    """An actor to link speakers to: its IRI, labels and aliases, and classes (local names)."""

    iri: str
    names: tuple[str, ...]
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A known actor considered for a name, with its score (0..1)."""

    iri: str
    name: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """What a speaker's name was linked to: a known actor (``iri``) with ``confidence``, or a
    new actor to propose (``iri`` None), with the candidates considered either way."""

    name: str
    iri: str | None
    confidence: float
    candidates: tuple[Candidate, ...] = ()

    @property
    def proposed(self) -> bool:
        return self.iri is None


class ActorIndex:
    """Known actors by their normalised names.

    >>> index = ActorIndex([KnownActor("cgi:ukraine", ("Ukraine", "Kyiv")),
    ...                     KnownActor("cgi:zelensky", ("Volodymyr Zelensky",))])
    >>> index.resolve("Kyiv").iri, index.resolve("Zelensky").iri
    ('cgi:ukraine', 'cgi:zelensky')
    >>> r = index.resolve("Dmitry Peskov"); r.proposed
    True
    """

    def __init__(self, actors: Iterable[KnownActor] = ()) -> None:
        self.actors = list(actors)
        self.by_name: dict[str, list[tuple[str, str]]] = {}
        for actor in self.actors:
            for name in actor.names:
                self.by_name.setdefault(normalise_name(name), []).append((actor.iri, name))

    def resolve(self, name: str) -> Resolution:
        """Link ``name`` to the best-scoring known actor, or propose a new one."""
        key = normalise_name(name)
        scores: dict[str, Candidate] = {}

        def consider(iri: str, label: str, score: float) -> None:
            if iri not in scores or scores[iri].score < score:
                scores[iri] = Candidate(iri, label, round(score, 2))

        for iri, label in self.by_name.get(key, ()):
            consider(iri, label, 1.0)
        place = PLACES.get(name) or DEMONYMS.get(name)
        if place is not None:
            for iri, label in self.by_name.get(normalise_name(place), ()):
                consider(iri, label, 0.9)
        words = set(key.split())
        for other, entries in self.by_name.items():
            other_words = set(other.split())
            if words and other_words and (words < other_words or other_words < words):
                shared = len(words & other_words) / max(len(words), len(other_words))
                for iri, label in entries:
                    consider(iri, label, 0.6 + 0.3 * shared)
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            if ratio >= 0.8:
                for iri, label in entries:
                    consider(iri, label, 0.8 * ratio)
        ranked = tuple(sorted(scores.values(), key=lambda c: (-c.score, c.iri))[:5])
        if ranked and ranked[0].score >= LINK_THRESHOLD:
            return Resolution(name, ranked[0].iri, ranked[0].score, ranked)
        return Resolution(name, None, 0.0, ranked)


_ACTORS = """
SELECT ?actor ?name ?type WHERE {
  ?actor a cg:Actor .
  { ?actor rdfs:label ?name } UNION { ?actor cg:alias ?name }
  OPTIONAL { ?actor a ?type . FILTER(STRSTARTS(STR(?type), STR(cg:))) }
  FILTER NOT EXISTS { ?actor a cg:AnonymousSource }
}"""


def actors_from_store(store: Store) -> list[KnownActor]:
    """The named actors of a store (anonymous sources are local to their article), with their
    labels, aliases and ``cg:`` classes.

    >>> from claimgraph.store import open_store
    >>> actors_from_store(open_store(":memory:"))
    []
    """
    from ..rdf import PREFIXES, compact

    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("cg", "rdfs"))
    names: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    for row in store.select(prefixes + _ACTORS):
        iri = compact(row["actor"].value)
        names.setdefault(iri, set()).add(row["name"].value)
        kind = row["type"]
        if kind is not None:
            types.setdefault(iri, set()).add(kind.value.rsplit("#", 1)[-1])
    return [
        KnownActor(iri, tuple(sorted(n)), tuple(sorted(types.get(iri, ()))))
        for iri, n in sorted(names.items())
    ]


_ARTICLES = """
SELECT ?article WHERE { ?article a cg:Article }"""


def ids_in_store(store: Store) -> frozenset[str]:
    """The ids (compacted) a draft's stem could collide with: the store's articles and named
    graphs.

    >>> from claimgraph.store import open_store
    >>> sorted(ids_in_store(open_store(":memory:")))
    []
    """
    from ..rdf import PREFIXES, compact

    rows = store.select(f"PREFIX cg: <{PREFIXES['cg']}>\n" + _ARTICLES)
    return frozenset(
        [compact(row["article"].value) for row in rows] + [compact(g) for g in store.graphs()]
    )


def known_to(store: Store) -> tuple[list[KnownActor], frozenset[str]]:
    """What a draft links to and must not reuse, read in one session of ``store``: its named
    actors (:func:`actors_from_store`) and its taken ids (:func:`ids_in_store`).

    >>> from claimgraph.store import open_store
    >>> known_to(open_store(":memory:"))
    ([], frozenset())
    """
    with store.reading() as session:
        return actors_from_store(session), ids_in_store(session)
