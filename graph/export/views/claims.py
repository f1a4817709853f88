"""The ``claims`` view: claims, their claimants, every carrier of a reporting chain
(speaker, intermediary, agency, outlet), the article revisions that carry them, the articles
and their publishers, and *supports* / *contradicts* / *supersedes* between claims."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ...rdf import CG, choose_text
from ...store import Store
from ..builder import GraphBuilder
from .actors import add_affiliations

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CLAIM_RELATIONS", "HOP_EDGES", "add_claim_texts", "claims_view"]

HOP_EDGES: dict[str, str] = {
    CG + "speaker": "said",
    CG + "intermediary": "relayed",
    CG + "agency": "reported",
    CG + "outlet": "published",
}
"""How a hop of a reporting chain reads as an edge from its carrier to the claim."""

CLAIM_RELATIONS: dict[str, str] = {
    CG + "supports": "supports",
    CG + "contradicts": "contradicts",
    CG + "supersedes": "supersedes",
    CG + "sameClaimAs": "same claim as",
    CG + "denies": "denies",
}


def claims_view(store: Store, lang: str) -> nx.MultiDiGraph:
    """The ``claims`` view of ``store``."""
    b = GraphBuilder(store, "claims", lang)
    b.load_types_and_labels()
    for k, term in sorted(b.terms.items()):
        if b.kind_of(k) == "claim":
            b.add_node(term)
    add_claim_texts(b)
    claimants: dict[str, set[str]] = defaultdict(set)
    terms: dict[str, ox.NamedNode | ox.BlankNode] = {}
    for row in store.select("SELECT ?c ?a WHERE { ?c cg:claimant ?a FILTER(!isLiteral(?a)) }"):
        ck, ak = b.key(row["c"]), b.key(row["a"])
        claimants[ck].add(ak)
        terms[ck], terms[ak] = row["c"], row["a"]
    # Each hop is drawn from whoever carried it (an article revision for an article
    # mention) to the claim; ``hops`` maps a report to (claim, node drawn for it).
    hops: dict[str, tuple[str, str]] = {}
    asserted: set[tuple[str, str]] = set()  # (claim, claimant) shown by a hop edge
    # one simple pattern per property, joined here: much faster on a big on-disk store than
    # one query with three OPTIONALs (measured 3.5 s against 7.8 s at 1M triples)
    carriers, hop_roles, in_article = (
        b.objects(CG + p) for p in ("carrier", "hopRole", "inArticle")
    )
    for r_term, c in b.pairs(CG + "reports"):
        rk = b.key(r_term)
        ck = b.add_node(c)
        carrier, hop, rev = carriers.get(rk), hop_roles.get(rk), in_article.get(rk)
        carrier_k = b.add_node(carrier) if carrier is not None else None
        is_claimant = carrier_k is not None and carrier_k in claimants.get(ck, ())
        if is_claimant:
            asserted.add((ck, str(carrier_k)))
        hop_k = b.key(hop) if hop is not None else None
        if rev is not None:
            source = b.add_node(rev)
            label, path = ("asserts" if is_claimant else "reports"), "^cg:inArticle/cg:reports"
        elif carrier_k is not None:
            source = carrier_k
            label = HOP_EDGES.get(hop.value if hop is not None else "", "carried")
            path = "^cg:carrier/cg:reports"
        else:
            continue
        hops[rk] = (ck, source)
        b.add_edge(
            source,
            ck,
            CG + "reports",
            label,
            key=f"cg:reports/{hop_k or 'hop'}",
            hop_role=hop_k,
            carrier=carrier_k,
            claimant=True if is_claimant else None,
            path=path,
        )
    for ck, actors in claimants.items():
        for ak in sorted(actors):
            if (ck, ak) not in asserted:
                b.add_node(terms[ck])
                b.add_edge(ck, b.add_node(terms[ak]), CG + "claimant", "claimant")
    for r_term, prev in b.pairs(CG + "derivedFrom"):
        later, earlier = hops.get(b.key(r_term)), hops.get(b.key(prev))
        if later and earlier and later[1] != earlier[1]:
            b.add_edge(
                earlier[1],
                later[1],
                CG + "derivedFrom",
                "passed on to",
                path="^cg:reports/^cg:derivedFrom/cg:reports",
                inverse=True,
            )
    values = " ".join(f"<{p}>" for p in CLAIM_RELATIONS)
    for row in store.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"):
        sk, ok = b.key(row["s"]), b.key(row["o"])
        if sk in b.graph and ok in b.graph:
            b.add_edge(sk, ok, row["p"].value, CLAIM_RELATIONS[row["p"].value])
    revisions = [k for k in b.graph if b.kind_of(k) == "article"]
    for row in store.select(
        "SELECT ?rev ?art ?pub WHERE { { ?rev cg:revisionOf ?art } UNION "
        "{ ?art cg:hasRevision ?rev } OPTIONAL { ?art cg:publisher ?pub } }"
    ):
        if b.key(row["rev"]) in revisions:
            ak = b.add_node(row["art"])
            b.add_edge(b.key(row["rev"]), ak, CG + "revisionOf", "revision of")
            if row["pub"] is not None:
                b.add_edge(ak, b.add_node(row["pub"]), CG + "publisher", "publisher")
    add_affiliations(b, [k for k in list(b.graph) if b.kind_of(k) == "actor"], depth=1)
    return b.finish()


def add_claim_texts(b: GraphBuilder, only: ox.NamedNode | None = None) -> None:
    """``text``, ``date`` and ``retracted`` on claim nodes (of every claim, or of ``only``)."""
    bind = {"c": only} if only is not None else None
    texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in b.store.select("SELECT ?c ?t WHERE { ?c cg:claimText ?t }", bindings=bind):
        k = b.key(row["c"])
        if k in b.graph:
            texts[k].append((row["t"].language or "", row["t"].value))
    for k, vals in texts.items():
        b.graph.nodes[k]["text"] = choose_text(vals, b.lang)
    for row in b.store.select("SELECT ?c ?d WHERE { ?c cg:claimDate ?d }", bindings=bind):
        k = b.key(row["c"])
        if k in b.graph:
            b.graph.nodes[k]["date"] = row["d"].value
    for row in b.store.select("SELECT ?c WHERE { ?c cg:retracted true }", bindings=bind):
        k = b.key(row["c"])
        if k in b.graph:
            b.graph.nodes[k]["retracted"] = True
