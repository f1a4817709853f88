"""Paged claim listings: what ``claimgraph claims`` / ``flags`` and ``/api/claims`` /
``/api/flags`` show, one page at a time.

A claim's summary (independent sources, chains, flags) depends only on what the store says
about that claim, so a page is computed from the page's claims alone (:func:`claim_page`):
the claims are listed in IRI order, the page's slice is taken, and only those claims are read.
Each claim's own standing (which decides whether it is listed) is read only as far as the
page lists, and not at all when every standing is counted.
The rows are exactly the rows of :func:`~claimgraph.provenance.claim_summaries` over the whole
store (``tests/test_listing.py`` checks it).

On a store that can tell when it was last written (see
:meth:`~claimgraph.store.Store.generation`), the ordered list of claims and the summaries
already computed are kept with the store object until the next write, so the pages after the
first, and the same page again (a query process of the server answering one client after
another), cost milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..rdf import VALUES_CHUNK, sparql_iri
from ..statements import DEFAULT_STANDINGS, STANDINGS, resource_standings
from ..store import Store
from ..store.kept import kept
from .model import ClaimSummary
from .resolve import claim_classes

_CHUNK = 200
"""Claims summarised at a time when a whole listing keeps only flagged claims."""

_MOST = 1600
"""The most claims summarised at a time when a page of flagged claims reads on for more."""


@dataclass
class _Listing:
    """One store generation's listing: every claim in order, the standings read so far (of
    the first ``read`` claims: a page reads them only as far as it lists), and the summaries
    computed (by language of the labels, standings counted, then claim)."""

    claims: list[str]
    standing: dict[str, str] = field(default_factory=dict)
    read: int = 0
    summaries: dict[tuple[str, tuple[str, ...], str], ClaimSummary] = field(default_factory=dict)

    def listed(self, store: Store, standings: tuple[str, ...], enough: int | None) -> list[str]:
        """The claims whose own standing is one of ``standings`` (a claim stated nowhere
        with a type, only reported, stands as evidenced), in IRI order: every one, or at
        least the first ``enough`` (all if there are fewer).  Every standing asked for lists
        every claim, with no standing read."""
        if set(standings) >= set(STANDINGS):
            return self.claims
        wanted = set(standings)
        out: list[str] = []
        for start in range(0, len(self.claims), VALUES_CHUNK):
            chunk = self.claims[start : start + VALUES_CHUNK]
            if self.read < start + len(chunk):  # read in step: the first claims, a chunk on
                self.standing.update(resource_standings(store, chunk))
                self.read = start + len(chunk)
            out += [c for c in chunk if self.standing.get(c, "evidenced") in wanted]
            if enough is not None and len(out) >= enough:
                break
        return out


def claim_ids(store: Store, *, standings: Iterable[str] = DEFAULT_STANDINGS) -> list[str]:
    """Every claim's IRI, sorted: what is typed as a kind of claim, and what a report
    reports (as :func:`~claimgraph.provenance.resolve.find_claims` lists them), whose own
    standing is one of ``standings`` (as :func:`~claimgraph.provenance.claim_summaries` lists
    them).

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> ids = claim_ids(store)
    >>> len(ids) > 10, ids == sorted(ids)
    (True, True)
    >>> len(claim_ids(store, standings=("evidenced", "cited", "judged"))) >= len(ids)
    True
    """
    return list(_listing(store).listed(store, tuple(sorted(set(standings))), None))  # a copy


def claim_count(store: Store, *, standings: Iterable[str] = DEFAULT_STANDINGS) -> int:
    """How many claims :func:`claim_page` lists without ``warnings_only`` (a listing's
    total, for a ``Claimgraph-Total`` header): no summary is computed, and counting every
    standing reads no standing (the listing's ordered claims, kept with the store, suffice).

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> claim_count(store) == len(claim_ids(store))
    True
    """
    return len(claim_ids(store, standings=standings))


def claim_page(
    store: Store,
    *,
    limit: int | None = None,
    offset: int = 0,
    warnings_only: bool = False,
    lang: str = "en",
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> list[ClaimSummary]:
    """The claims ``offset`` to ``offset + limit`` (all from ``offset`` when ``limit`` is
    None) in IRI order, each with its independent-source count and flags; with
    ``warnings_only``, counting only claims with a flag of severity ``warning``.  As in
    :func:`~claimgraph.provenance.claim_summaries`, only claims whose own standing is one of
    ``standings`` are listed, counted from the chains of those standings.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> from claimgraph.provenance import claim_summaries
    >>> claim_page(store, limit=2, offset=1) == claim_summaries(store)[1:3]
    True
    >>> everything = ("evidenced", "cited", "judged")
    >>> claim_page(store, standings=everything) == claim_summaries(store, standings=everything)
    True
    >>> flagged = claim_page(store, warnings_only=True)
    >>> len(flagged) > 0 and all(any(f.severity == "warning" for f in s.flags) for s in flagged)
    True
    """
    if limit is not None and limit < 0 or offset < 0:
        raise ValueError("limit and offset are counts: 0 or more")
    with store.reading():  # one session for the page's queries (they stream, unlocked once)
        return _page(store, limit, offset, warnings_only, lang, standings)


def _page(
    store: Store,
    limit: int | None,
    offset: int,
    warnings_only: bool,
    lang: str,
    standings: Iterable[str],
) -> list[ClaimSummary]:
    listing = _listing(store)
    counted = tuple(sorted(set(standings)))
    end = None if limit is None else offset + limit
    if not warnings_only:
        claims = listing.listed(store, counted, end)
        return _summaries(store, listing, claims[offset:end], lang, counted)
    out: list[ClaimSummary] = []
    skipped = read = found = 0
    while end is None or skipped + len(out) < end:
        needed = _CHUNK if end is None else end - skipped - len(out)
        if end is not None and read:  # as many more as the share flagged so far asks for
            needed = max(needed, min(_MOST, needed * read // max(found, 1)))
        chunk = listing.listed(store, counted, read + needed)[read : read + needed]
        if not chunk:
            break
        read += len(chunk)
        for s in _summaries(store, listing, chunk, lang, counted):
            if not any(f.severity == "warning" for f in s.flags):
                continue
            found += 1
            if skipped < offset:
                skipped += 1
                continue
            out.append(s)
            if limit is not None and len(out) >= limit:
                return out
    return out


def _summaries(
    store: Store, listing: _Listing, claims: list[str], lang: str, standings: tuple[str, ...]
) -> list[ClaimSummary]:
    """The summaries of ``claims``, computed for those not yet in ``listing``."""
    from .tracing import claim_summaries

    done = listing.summaries
    missing = [c for c in claims if (lang, standings, c) not in done]
    if missing:
        for s in claim_summaries(store, lang=lang, claims=missing, standings=standings):
            done[(lang, standings, s.claim.iri)] = s
    return [done[(lang, standings, c)] for c in claims if (lang, standings, c) in done]


def _listing(store: Store) -> _Listing:
    """The listing of the store as it is now (kept until the next write when the store can
    tell: :func:`claimgraph.store.kept.kept`)."""

    def read() -> _Listing:
        return _Listing(_ordered_claims(store))

    return kept(store, "claim listing", read)


def _ordered_claims(store: Store) -> list[str]:
    """Every claim's IRI, sorted in Python (one query, its terms decoded once: an ORDER BY
    makes pyoxigraph compare every term; ``isIRI`` in a FILTER, decode each once more)."""
    classes = " ".join(sparql_iri(c) for c in sorted(claim_classes()))
    with store.reading():
        rows = store.select(
            f"SELECT DISTINCT ?c WHERE {{ {{ VALUES ?t {{ {classes} }} ?c a ?t }} "
            "UNION { ?r cg:reports ?c } }"
        )
        return sorted(row["c"].value for row in rows if isinstance(row["c"], ox.NamedNode))
