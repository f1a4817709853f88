"""What the graph browser shows for a clicked node: its facts, its roles in events, what
refers to it, and the claims it makes, carries or is about."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..errors import NotFound
from ..rdf import CGI, RDF_TYPE, as_iri, choose_text, compact
from ..store import Store
from ..vocabulary import term_label
from .kinds import CODE_NAMESPACES, main_type, node_kind
from .views.actors import ROLE_EDGES

__all__ = ["node_facts"]


def node_facts(
    store: Store,
    ref: str,
    *,
    lang: str = "en",
    limit: int = 200,
) -> dict[str, Any]:
    """What the browser shows for a clicked node: its facts (outgoing statements, with
    labels), the roles it held in events, what points at it, and the claims it makes, carries
    or is about.

    >>> from claimgraph.export import example_triples
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> f = node_facts(store, "cgi:turkey")
    >>> f["label"], [c["id"] for c in f["claims"]]
    ('Turkey', ['cgi:claim-x'])
    """
    iri = as_iri(ref, bare=CGI) or ref
    node = ox.NamedNode(iri)
    about_node = {"x": node}
    out_rows = list(
        store.select(f"SELECT ?x ?p ?o WHERE {{ ?x ?p ?o }} LIMIT {limit}", bindings=about_node)
    )
    in_rows = list(
        store.select(f"SELECT ?x ?s ?p WHERE {{ ?s ?p ?x }} LIMIT {limit}", bindings=about_node)
    )
    if not out_rows and not in_rows:
        raise NotFound(f"nothing is known about {compact(iri)}")
    neighbours = {r["o"] for r in out_rows if isinstance(r["o"], ox.NamedNode)}
    neighbours |= {r["s"] for r in in_rows if isinstance(r["s"], ox.NamedNode)}
    labels = {n.value: _rdfs_labels(store, n) for n in [node, *neighbours]}

    def describe(term: Any) -> dict[str, Any]:
        if isinstance(term, ox.Literal):
            return {
                "value": term.value,
                "language": term.language,
                "datatype": compact(term.datatype.value),
            }
        if isinstance(term, ox.NamedNode):
            text = choose_text(labels.get(term.value, ()), lang)
            fallback = (
                term_label(term.value, lang)
                if term.value.startswith(CODE_NAMESPACES)
                else compact(term.value)
            )
            return {"id": compact(term.value), "iri": term.value, "label": text or fallback}
        return {"id": str(term), "label": str(term)}

    types = [r["o"].value for r in out_rows if r["p"].value == RDF_TYPE]
    facts = [
        {
            "predicate": compact(r["p"].value),
            "predicate_label": term_label(r["p"].value, lang),
            **describe(r["o"]),
        }
        for r in out_rows
        if r["p"].value != RDF_TYPE
    ]
    incoming = [
        {
            "predicate": compact(r["p"].value),
            "predicate_label": term_label(r["p"].value, lang),
            **describe(r["s"]),
        }
        for r in in_rows
        if not isinstance(r["s"], ox.BlankNode)
    ]
    return {
        "id": compact(iri),
        "iri": iri,
        "label": choose_text(labels[iri], lang) or compact(iri),
        "type": compact(main_type(types)),
        "types": [compact(t) for t in types],
        "kind": node_kind(types),
        "facts": facts,
        "incoming": incoming,
        "roles": _roles_in_events(store, node, lang),
        "claims": _claims_of(store, node, lang),
    }


def _rdfs_labels(store: Store, term: ox.NamedNode | ox.BlankNode) -> list[tuple[str, str]]:
    """The ``rdfs:label``s of one resource as (language tag, text) pairs."""
    return [
        (r["l"].language or "", r["l"].value)
        for r in store.select("SELECT ?n ?l WHERE { ?n rdfs:label ?l }", bindings={"n": term})
    ]


def _roles_in_events(store: Store, node: ox.NamedNode, lang: str) -> list[dict[str, Any]]:
    """The roles ``node`` held in events (*mediator in* the trilateral meeting), by event."""
    roles = []
    for r in store.select(
        "SELECT ?x ?event ?role WHERE { ?event cg:hasParticipation ?p . ?p cg:agent ?x . "
        "OPTIONAL { ?p cg:role ?role } }",
        bindings={"x": node},
    ):
        role = r["role"]
        roles.append(
            {
                "role": compact(role.value) if role is not None else None,
                "role_label": ROLE_EDGES.get(role.value, term_label(role.value, lang))
                if role is not None
                else "took part in",
                "id": compact(r["event"].value),
                "iri": r["event"].value,
                "label": choose_text(_rdfs_labels(store, r["event"]), lang)
                or compact(r["event"].value),
            }
        )
    return sorted(roles, key=lambda e: (e["label"], e["role"] or ""))


def _claims_of(store: Store, node: ox.NamedNode, lang: str) -> list[dict[str, Any]]:
    """The claims ``node`` makes, carries, reports or is about (or is), each with ``how``."""
    claims: dict[str, dict[str, Any]] = {}
    for r in store.select(
        "SELECT ?x ?c ?how ?text WHERE { "
        "{ ?c cg:claimant ?x BIND('claimant' AS ?how) } UNION "
        "{ ?c cg:aboutActor|cg:aboutEvent ?x BIND('about' AS ?how) } UNION "
        "{ ?r cg:reports ?c ; cg:carrier ?x BIND('carrier' AS ?how) } UNION "
        "{ ?x cg:reports ?c BIND('reported' AS ?how) } UNION "
        "{ ?x cg:claimText ?t0 BIND(?x AS ?c) BIND('self' AS ?how) } "
        "OPTIONAL { ?c cg:claimText ?text } }",
        bindings={"x": node},
    ):
        k = compact(r["c"].value)
        entry = claims.setdefault(k, {"id": k, "iri": r["c"].value, "how": [], "texts": []})
        if r["how"].value not in entry["how"]:
            entry["how"].append(r["how"].value)
        if r["text"] is not None:
            entry["texts"].append((r["text"].language or "", r["text"].value))
    for k, entry in claims.items():
        entry["text"] = choose_text(entry.pop("texts"), lang)
        claim_labels = _rdfs_labels(store, ox.NamedNode(entry["iri"]))
        entry["label"] = choose_text(claim_labels, lang) or k
    return sorted(claims.values(), key=lambda e: e["id"])
