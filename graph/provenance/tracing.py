"""The per-claim results: :func:`trace`, everything a fact-checker needs about one claim, and
:func:`claim_summaries`, every claim with its independent-source count and flags."""

from __future__ import annotations

from collections.abc import Sequence

from ..store import Store
from .chains import claim_chains
from .describe import claim_info
from .flags import claim_flags
from .independence import count_sources
from .index import load_index
from .model import ClaimSummary, Trace
from .resolve import resolve_claim
from .reviews import read_reviews


def trace(store: Store, claim: str, *, lang: str = "en") -> Trace:
    """Trace ``claim`` (anything :func:`resolve_claim` accepts) through every reporting chain
    to its original speaker.

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
    corr = count_sources(ix, iri, chains)
    flags = claim_flags(ix, info, chains, corr)
    return Trace(info, chains, corr, flags, read_reviews(store, iri, ix.facts))


def claim_summaries(
    store: Store, *, lang: str = "en", claims: Sequence[str] | None = None
) -> list[ClaimSummary]:
    """Every claim (or those given, as IRIs) with its independent-source count and flags,
    sorted by IRI — what ``claimgraph claims`` and ``claimgraph flags`` show.

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
    out = []
    for c in sorted(ix.claims):
        chains = claim_chains(ix, c)
        info = claim_info(ix, c)
        corr = count_sources(ix, c, chains)
        out.append(
            ClaimSummary(
                ix.facts.ref(c),
                corr.independent_sources,
                len(chains),
                claim_flags(ix, info, chains, corr),
            )
        )
    return out
