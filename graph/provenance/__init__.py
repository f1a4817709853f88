"""Provenance and fact-checking: trace a claim to its original speaker, count its independent
sources, find contradictions and circular reporting, and record verdicts.

A claim (``cg:Claim``) reaches an article through a **reporting chain**: the article's own
passage (``cg:ArticleMention``, carried by the outlet, with the exact span as evidence) is
``cg:derivedFrom`` (or ``cg:quotedFrom``) a wire report (``cg:WireReport``, carried by an
agency), which is derived from the original speaker's ``cg:Utterance``.  :func:`trace` follows
every chain of a claim from the article end to its origin and returns a :class:`Trace`; the
same value renders as a readable tree (:meth:`Trace.text`), as JSON (:meth:`Trace.as_dict`,
documented in ``docs/provenance.md``) and as PROV-O (:meth:`Trace.turtle`).

**Independence** (:func:`corroboration`): each chain is followed to its origin, the carrier of
its last hop.  Chains that meet at a shared report (two outlets repeating one wire story, one
agency citing another) share that report's origin and count once; chains whose origins are
the same agent count once; anonymous sources linked by ``cg:possiblySameAs`` count once.  A
chain that loops has no origin and is not counted.  Every merge is explained in
:attr:`Corroboration.reasoning`.

>>> from claimgraph.store import open_store
>>> from claimgraph.ingest import ingest_seed
>>> store = open_store(":memory:")
>>> _ = ingest_seed(store)
>>> t = trace(store, "unrealistic")
>>> for h in t.chains[0].hops:
...     print(f"{h.role}: {h.carrier.label}")
outlet: Publisher of the seed article
agency: Reuters
speaker: Ukrainian diplomatic source (told Reuters)
>>> corroboration(store, "cgi:claim-delegations-paused").independent_sources
2

The package, from the values up:

- :mod:`.model` — the result values and their JSON;
- :mod:`.resolve` — which claim a reference names;
- :mod:`.facts`, :mod:`.evidence`, :mod:`.index` — reading the store, once per call;
- :mod:`.describe`, :mod:`.chains`, :mod:`.circular` — agents, revisions, the claim, its
  chains and circular reporting;
- :mod:`.independence`, :mod:`.flags` — independent sources and the fact-checkers' flags;
- :mod:`.tracing`, :mod:`.contradiction` — the per-claim results and the contradictions;
- :mod:`.listing` — claim listings one page at a time;
- :mod:`.ratings`, :mod:`.reviews` — the verdict scale, recording and reading reviews;
- :mod:`.text`, :mod:`.prov_o` — rendering for people and as PROV-O;
- :mod:`.terms` — the vocabulary patterns all of them share.
"""

from __future__ import annotations

from .circular import circular_reporting
from .contradiction import contradictions
from .evidence import revision_text
from .independence import corroboration, corroborations
from .listing import claim_count, claim_ids, claim_page
from .model import (
    FLAG_CODES,
    Agent,
    Chain,
    Circularity,
    ClaimInfo,
    ClaimSummary,
    Contradiction,
    ContradictionSide,
    Corroboration,
    Evidence,
    Flag,
    Hop,
    Ref,
    ReviewInfo,
    ReviewResult,
    Revision,
    SourceGroup,
    Trace,
)
from .ratings import NORMALIZED_RATINGS, normalize_rating
from .resolve import resolve_claim
from .reviews import record_review
from .tracing import claim_summaries, trace

__all__ = [
    "FLAG_CODES",
    "NORMALIZED_RATINGS",
    "Agent",
    "Chain",
    "ClaimInfo",
    "ClaimSummary",
    "Circularity",
    "Contradiction",
    "ContradictionSide",
    "Corroboration",
    "Evidence",
    "Flag",
    "Hop",
    "Ref",
    "ReviewInfo",
    "ReviewResult",
    "Revision",
    "SourceGroup",
    "Trace",
    "circular_reporting",
    "claim_count",
    "claim_ids",
    "claim_page",
    "claim_summaries",
    "contradictions",
    "corroboration",
    "corroborations",
    "normalize_rating",
    "record_review",
    "resolve_claim",
    "revision_text",
    "trace",
]
