"""What the graph browser shows for a clicked node: its facts, its roles in events, what
refers to it, and the claims it makes, carries or is about."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..errors import NotFound
from ..rdf import CGI, RDF_TYPE, as_iri, choose_text, compact
from ..statements import best_standing, graph_standings
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
    or is about.  Each fact, reference and role has its ``standing``: evidenced (an article
    says it), cited or judged (added beside the articles).

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
    per_graph = graph_standings(store)
    said_out = _standings(
        store,
        f"SELECT ?x ?p ?o ?g WHERE {{ GRAPH ?g {{ ?x ?p ?o }} }} LIMIT {4 * limit}",
        about_node,
        "o",
        per_graph,
    )
    said_in = _standings(
        store,
        f"SELECT ?x ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p ?x }} }} LIMIT {4 * limit}",
        about_node,
        "s",
        per_graph,
    )

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
            "standing": said_out.get((r["p"], r["o"])),
        }
        for r in out_rows
        if r["p"].value != RDF_TYPE
    ]
    incoming = [
        {
            "predicate": compact(r["p"].value),
            "predicate_label": term_label(r["p"].value, lang),
            **describe(r["s"]),
            "standing": said_in.get((r["p"], r["s"])),
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
        "roles": _roles_in_events(store, node, lang, per_graph),
        "claims": _claims_of(store, node, lang),
    }


def _standings(
    store: Store,
    query: str,
    bindings: dict[str, ox.NamedNode],
    other: str,
    per_graph: dict[str, str],
) -> dict[tuple[Any, Any], str]:
    """The best standing of each (predicate, other end) the query finds in some graph."""
    found: dict[tuple[Any, Any], list[str | None]] = {}
    for r in store.select(query, bindings=bindings, default_graphs=[]):
        found.setdefault((r["p"], r[other]), []).append(per_graph.get(r["g"].value))
    return {k: s for k, v in found.items() if (s := best_standing(v)) is not None}


def _rdfs_labels(store: Store, term: ox.NamedNode | ox.BlankNode) -> list[tuple[str, str]]:
    """The ``rdfs:label``s of one resource as (language tag, text) pairs."""
    return [
        (r["l"].language or "", r["l"].value)
        for r in store.select("SELECT ?n ?l WHERE { ?n rdfs:label ?l }", bindings={"n": term})
    ]


def _roles_in_events(
    store: Store, node: ox.NamedNode, lang: str, per_graph: dict[str, str]
) -> list[dict[str, Any]]:
    """The roles ``node`` held in events (*mediator in* the bilateral meeting), by event,
    each with the standing of the statement that gives the role."""
    roles = []
    standings: dict[tuple[str, str | None], list[str | None]] = {}
    rows = list(
        store.select(
            "SELECT ?x ?event ?role ?g WHERE { ?event cg:hasParticipation ?p . ?p cg:agent ?x . "
            "OPTIONAL { ?p cg:role ?role OPTIONAL { GRAPH ?g { ?p cg:role ?role } } } }",
            bindings={"x": node},
        )
    )
    for r in rows:
        key = (r["event"].value, r["role"].value if r["role"] is not None else None)
        standings.setdefault(key, []).append(
            per_graph.get(r["g"].value) if r["g"] is not None else None
        )
    seen = set()
    for r in rows:
        role = r["role"]
        key = (r["event"].value, role.value if role is not None else None)
        if key in seen:
            continue
        seen.add(key)
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
                "standing": best_standing(standings[key]),
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
