"""The per-claim results: :func:`trace`, everything a fact-checker needs about one claim, and
:func:`claim_summaries`, every claim with its independent-source count and flags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..statements import DEFAULT_STANDINGS
from ..store import Store
from .chains import claim_chains
from .describe import claim_info
from .flags import claim_flags
from .independence import count_sources
from .index import load_index
from .model import ClaimSummary, Trace
from .resolve import resolve_claim
from .reviews import read_reviews


def trace(
    store: Store,
    claim: str,
    *,
    lang: str = "en",
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> Trace:
    """Trace ``claim`` (anything :func:`resolve_claim` accepts) through every reporting chain
    to its original speaker.  Every chain is shown, each hop with its standing; the
    independent sources count the chains of ``standings`` (by default what articles say).

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> t = trace(store, "cgi:claim-russian-demands-unrealistic")
    >>> ev = t.chains[0].hops[0].evidence[0]
    >>> ev.start, ev.end, ev.verified
    (731, 913, True)
    >>> [f.code for f in t.flags][:2]
    ['anonymous-only', 'single-source']
    """
    iri = resolve_claim(store, claim)
    ix = load_index(store, [iri], lang=lang)
    chains = claim_chains(ix, iri)
    info = claim_info(ix, iri)
    corr = count_sources(ix, iri, chains, standings)
    flags = claim_flags(ix, info, chains, corr)
    return Trace(info, chains, corr, flags, read_reviews(store, iri, ix.facts))


def claim_summaries(
    store: Store,
    *,
    lang: str = "en",
    claims: Sequence[str] | None = None,
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> list[ClaimSummary]:
    """Every claim (or those given, as IRIs) with its independent-source count and flags,
    sorted by IRI — what ``claimgraph claims`` and ``claimgraph flags`` show.  Listing every
    claim, only those whose own standing is one of ``standings`` (by default what articles
    say), counted from the chains of those standings.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> by_id = {s.claim.id: s for s in claim_summaries(store)}
    >>> paused = by_id["cgi:claim-delegations-paused"]
    >>> paused.independent_sources, [f.code for f in paused.flags]
    (2, ['contradicted'])
    """
    ix = load_index(store, list(claims) if claims is not None else None, lang=lang)
    wanted = set(standings)
    out = []
    for c in sorted(ix.claims):
        if claims is None and ix.standing.get(c, "evidenced") not in wanted:
            continue
        chains = claim_chains(ix, c)
        info = claim_info(ix, c)
        corr = count_sources(ix, c, chains, standings)
        out.append(
            ClaimSummary(
                ix.facts.ref(c),
                corr.independent_sources,
                len(chains),
                claim_flags(ix, info, chains, corr),
            )
        )
    return out
