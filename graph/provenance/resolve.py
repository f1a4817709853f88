"""Resolving a claim reference: the IRI of the claim a person named by its IRI, a prefixed
name, part of its id or words of its label or text."""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import Ambiguous, NotFound, UsageError
from ..rdf import CG, PREFIXES, SCHEMA, as_iri, compact, humanise, local_name, sparql_iri, term_text
from ..store import Store
from ..vocabulary import most_specific, subclasses

_LIST_HINT = "List the claims with `claimgraph claims` (over HTTP: GET /api/claims)."


def claim_classes() -> set[str]:
    """The classes whose instances are claims (a reported resource is one too)."""
    return set(subclasses(CG + "Claim")) | {SCHEMA + "Claim"}


def resolve_claim(store: Store, text: str) -> str:
    """The IRI of the claim ``text`` names: a full IRI, a prefixed name (``cgi:claim-x``), an
    unambiguous part of the IRI's local name, or words of its label or text.

    Raises :class:`~claimgraph.errors.NotFound` when nothing matches and
    :class:`~claimgraph.errors.Ambiguous` (listing the candidates) when several do.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> compact(resolve_claim(store, "unrealistic"))
    'cgi:claim-russian-demands-unrealistic'
    >>> resolve_claim(store, "paused")
    Traceback (most recent call last):
    ...
    claimgraph.errors.Ambiguous: 'paused' matches 2 claims: cgi:claim-delegations-paused ...
    """
    ref = text.strip()
    if not ref:
        raise UsageError(
            "name a claim: its IRI, cgi:claim-…, part of its id, or words of its label"
        )
    iri = as_iri(ref)
    if iri is not None:
        if find_claims(store, iri=iri):
            return iri
        types = [
            r["t"].value
            for r in store.select(
                "SELECT ?x ?t WHERE { ?x a ?t }", bindings={"x": ox.NamedNode(iri)}
            )
        ]
        if types:
            kinds = ", ".join(sorted(compact(t) for t in most_specific(types)))
            raise UsageError(f"{compact(iri)} is a {kinds}, not a claim")
        if ref.startswith(("http://", "https://", "urn:", "<")):
            raise NotFound(f"no claim {compact(iri)} in the store. {_LIST_HINT}")
    needle = ref.lower()
    local = (
        needle.split(":", 1)[1] if ":" in needle and needle.split(":", 1)[0] in PREFIXES else needle
    )
    # every tier below needs the longest word of ``local`` somewhere in the id, label or text:
    # let the store narrow the candidates to those
    claims = find_claims(store, containing=max(local.split() or [local], key=len))
    tiers: list[list[str]] = [[], [], []]
    for c, (label, claim_text) in claims.items():
        name = local_name(c).lower()
        words = f"{name.replace('-', ' ')} {label} {claim_text}".lower()
        if name in (local, f"claim-{local}") or label.lower() == needle:
            tiers[0].append(c)
        elif (
            name.startswith(local)
            or name.endswith(local)
            or name.startswith(f"claim-{local}")
            or label.lower().startswith(needle)
        ):
            tiers[1].append(c)
        elif local in name or all(w in words for w in needle.split()):
            tiers[2].append(c)
    for found in tiers:
        if len(found) == 1:
            return found[0]
        if found:
            raise _ambiguous_claim(ref, sorted(found), claims)
    raise NotFound(f"no claim matches {ref!r}. {_LIST_HINT}")


def _ambiguous_claim(ref: str, found: list[str], claims: dict[str, tuple[str, str]]) -> Ambiguous:
    """The error for several matches, with ``candidates`` (built here, not in the raising
    frame, so that no frame holds its own exception: that cycle would keep the store open
    until the garbage collector runs)."""
    shown = "; ".join(f"{compact(c)} ({claims[c][0]})" for c in found[:12])
    more = f"; and {len(found) - 12} more" if len(found) > 12 else ""
    err = Ambiguous(
        f"{ref!r} matches {len(found)} claims: {shown}{more}. Give more of the name, or the IRI"
    )
    err.candidates = found  # type: ignore[attr-defined]
    return err


def find_claims(
    store: Store, *, iri: str | None = None, containing: str | None = None
) -> dict[str, tuple[str, str]]:
    """Every claim: IRI → (label, claim text); only ``iri`` if given; only claims whose IRI,
    label or text contains ``containing`` (lower case) if given.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> sorted(compact(c) for c in find_claims(store, containing="paused"))
    ['cgi:claim-delegations-paused', 'cgi:claim-talks-paused']
    """
    classes = " ".join(sparql_iri(c) for c in sorted(claim_classes()))
    out: dict[str, tuple[str, str]] = {}
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    flt = ""
    if iri is not None:
        bindings["c"] = ox.NamedNode(iri)
    if containing:
        bindings["q"] = ox.Literal(containing)
        flt = (
            "FILTER(CONTAINS(LCASE(STR(?c)), ?q) || CONTAINS(LCASE(STR(?l)), ?q) "
            "|| CONTAINS(LCASE(STR(?x)), ?q))"
        )
    query = f"""SELECT ?c ?q (SAMPLE(?l) AS ?label) (SAMPLE(?x) AS ?text) WHERE {{
        {{ VALUES ?t {{ {classes} }} ?c a ?t }} UNION {{ ?r cg:reports ?c }}
        FILTER(isIRI(?c))
        OPTIONAL {{ ?c rdfs:label ?l }} OPTIONAL {{ ?c cg:claimText ?x }}
        {flt}
    }} GROUP BY ?c ?q"""
    for row in store.select(query, bindings=bindings or None):
        c = row["c"].value
        out[c] = (term_text(row["label"]) or humanise(c), term_text(row["text"]) or "")
    return out
