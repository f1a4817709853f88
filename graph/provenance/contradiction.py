"""Contradictions: pairs of claims that cannot both be true — asserted by someone
(``cg:contradicts``, a ``cg:ClaimRelation``, ``cg:denies``) or detected (two values for the
same property of the same event) — each side with who stands behind it and how independently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..rdf import RDFS, compact
from ..statements import DEFAULT_STANDINGS
from ..store import Store
from .chains import claim_chains
from .describe import claim_info, stated_value_text
from .facts import Facts, load_facts
from .flags import claim_flags
from .independence import count_sources
from .index import Index, load_index
from .model import ClaimInfo, Contradiction, ContradictionSide
from .terms import DIFFERENT_VALUES


@dataclass
class _Pair:
    """What was found about a pair of claims: the assertions and detections, and the event
    and property they disagree on (when detected)."""

    asserted: list[str] = field(default_factory=list)
    detected: list[str] = field(default_factory=list)
    event: str | None = None
    property: str | None = None


class _Pairs(dict[tuple[str, str], _Pair]):
    """Pairs of claims by their IRIs, smaller first."""

    def of(self, a: str, b: str) -> _Pair:
        """The pair ``a``, ``b`` (in either order), new if not yet found."""
        return self.setdefault((a, b) if a < b else (b, a), _Pair())


def contradictions(
    store: Store,
    *,
    lang: str = "en",
    include_hidden: bool = False,
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> list[Contradiction]:
    """Pairs of claims that contradict each other, asserted (``cg:contradicts`` either way, a
    ``cg:ClaimRelation`` with ``cg:relation cg:contradicts``, ``cg:denies``) or detected (same
    ``cg:aboutEvent`` and ``cg:statedProperty``, different ``cg:statedValue``), each side with
    its claimants and independent sources.  Retracted claims, and pairs where one claim
    supersedes the other, are left out unless ``include_hidden``.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> for c in contradictions(store):
    ...     print(c.kind, [s.claim.id for s in c.sides])
    asserted+detected ['cgi:claim-delegations-paused', 'cgi:claim-talks-ended']
    detected ['cgi:claim-talks-ended', 'cgi:claim-talks-paused']
    """
    pairs = _Pairs()
    _find_asserted(store, pairs)
    _find_judged(store, pairs, lang)
    _find_detected(store, pairs)
    if not pairs:
        return []
    claims = sorted({c for key in pairs for c in key})
    ix = load_index(store, claims, lang=lang)
    load_facts(
        store,
        ix.facts,
        {v for p in pairs.values() for v in (p.event, p.property) if v},
        [RDFS + "label"],
    )
    out = []
    for (a, b), pair in sorted(pairs.items()):
        infos = {c: claim_info(ix, c) for c in (a, b)}
        if not include_hidden:
            if any(i.retracted for i in infos.values()):
                continue
            if b in [r.iri for r in infos[a].supersedes + infos[a].superseded_by]:
                continue
        sides = [_side(ix, c, infos[c], standings) for c in (a, b)]
        shared = sorted(
            {ag.id for ag in (x for s in sides[0].sources for x in s.agents)}
            & {ag.id for ag in (x for s in sides[1].sources for x in s.agents)}
        )
        kind = "+".join(
            k for k, found in (("asserted", pair.asserted), ("detected", pair.detected)) if found
        )
        out.append(
            Contradiction(
                kind=kind,
                basis=sorted(set(pair.asserted)) + pair.detected,
                event=ix.facts.ref(pair.event) if pair.event else None,
                property=ix.facts.ref(pair.property) if pair.property else None,
                sides=sides,
                shared_sources=shared,
            )
        )
    return out


def _find_asserted(store: Store, pairs: _Pairs) -> None:
    """Pairs someone stated: ``cg:contradicts`` (symmetric: ingest stores both directions,
    the basis names the pair once) and ``cg:denies``."""
    for row in store.select(
        """SELECT DISTINCT ?a ?b WHERE {
                     { ?a cg:contradicts ?b } UNION { ?b cg:contradicts ?a }
                     FILTER(isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b)) }"""
    ):
        a, b = row["a"].value, row["b"].value
        pairs.of(a, b).asserted.append(f"{compact(a)} cg:contradicts {compact(b)}")
    for row in store.select(
        """SELECT DISTINCT ?a ?b WHERE { ?a cg:denies ?b
                     FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b) }"""
    ):
        a, b = row["a"].value, row["b"].value
        pairs.of(a, b).asserted.append(f"{compact(a)} denies {compact(b)}")


def _find_judged(store: Store, pairs: _Pairs, lang: str) -> None:
    """Pairs a ``cg:ClaimRelation`` judges contradictory, with who judged, how sure, when."""
    rows = list(
        store.select(
            """SELECT ?rel ?a ?b ?judge ?conf ?at WHERE {
            ?rel cg:relation cg:contradicts ; cg:fromClaim ?a ; cg:toClaim ?b .
            OPTIONAL { ?rel cg:judgedBy ?judge } OPTIONAL { ?rel cg:confidence ?conf }
            OPTIONAL { ?rel cg:judgedAt ?at } FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b) }"""
        )
    )
    judges = Facts(lang)
    load_facts(
        store,
        judges,
        {r["judge"].value for r in rows if isinstance(r["judge"], ox.NamedNode)},
        [RDFS + "label"],
    )
    for row in rows:
        a, b = row["a"].value, row["b"].value
        rel = row["rel"]
        name = compact(rel.value) if isinstance(rel, ox.NamedNode) else "a claim relation"
        parts = [f"{name}: {compact(a)} contradicts {compact(b)}"]
        if isinstance(row["judge"], ox.NamedNode):
            parts.append(f"judged by {judges.label(row['judge'].value)}")
        if row["conf"] is not None:
            parts.append(f"confidence {row['conf'].value}")
        if row["at"] is not None:
            parts.append(f"at {row['at'].value}")
        pairs.of(a, b).asserted.append(", ".join(parts))


def _find_detected(store: Store, pairs: _Pairs) -> None:
    """Pairs that give different values for the same property of the same event."""
    for row in store.select(
        f"""SELECT DISTINCT ?a ?b ?e ?p ?v ?w WHERE {{ {DIFFERENT_VALUES}
            FILTER(isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b))
        }} ORDER BY ?a ?b"""
    ):
        a, b = row["a"].value, row["b"].value
        pair = pairs.of(a, b)
        pair.event, pair.property = row["e"].value, row["p"].value
        pair.detected.append(
            f"both give {compact(row['p'].value)} of {compact(row['e'].value)}: "
            f"{stated_value_text(row['v'])} ({compact(a)}) vs "
            f"{stated_value_text(row['w'])} ({compact(b)})"
        )


def _side(ix: Index, claim: str, info: ClaimInfo, standings: Iterable[str]) -> ContradictionSide:
    """One side of a contradiction: the claim, its claimants and independent sources."""
    chains = claim_chains(ix, claim)
    corr = count_sources(ix, claim, chains, standings)
    flags = claim_flags(ix, info, chains, corr)
    return ContradictionSide(
        claim=ix.facts.ref(claim),
        text=info.text,
        stated_value=info.stated_value,
        claimants=info.claimants,
        independent_sources=corr.independent_sources,
        sources=corr.sources,
        chains=[ch.summary() for ch in chains],
        flags=sorted({fl.code for fl in flags} - {"contradicted"}),
    )
