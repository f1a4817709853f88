"""The ``provenance`` view: the DAG of one claim's trace — every hop (utterance, wire report,
article mention) with its carrier, date, cue verb, channel and evidence span, the article
revision, the article, its publisher, the claimants and the affiliations of the speakers."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ...errors import NotFound, UsageError
from ...provenance import resolve_claim
from ...rdf import CG, PROV, Scalar, compact, literal_value
from ...store import Store
from ...vocabulary import term_label
from ..builder import GraphBuilder
from ..kinds import main_type, node_kind
from .actors import add_affiliations
from .claims import add_claim_texts

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["REPORT_ATTRIBUTES", "provenance_view"]

REPORT_ATTRIBUTES: dict[str, str] = {
    CG + "cueVerb": "cue_verb",
    CG + "channel": "channel",
    CG + "reportedAt": "reported_at",
    CG + "observed": "observed",
    CG + "verbatim": "verbatim",
    CG + "hopRole": "hop_role",
    CG + "certainty": "certainty",
    CG + "polarity": "polarity",
}


def provenance_view(store: Store, claim: str, lang: str) -> nx.MultiDiGraph:
    """The ``provenance`` view of one claim (an IRI, ``cgi:…`` or bare id) of ``store``."""
    b = GraphBuilder(store, "provenance", lang)
    iri = resolve_claim(store, claim)
    c = ox.NamedNode(iri)
    b.graph.graph["claim"] = iri
    about_claim = {"c": c}
    claim_types = [
        r["t"].value for r in store.select("SELECT ?c ?t WHERE { ?c a ?t }", bindings=about_claim)
    ]
    if not claim_types:
        raise NotFound(
            f"no claim {compact(iri)} in the store: list claims with "
            "`claimgraph query --sparql 'SELECT ?c WHERE { ?c a cg:Claim }'` or export the "
            "claims view"
        )
    if node_kind(claim_types) != "claim":
        raise UsageError(f"{compact(iri)} is a {compact(main_type(claim_types))}, not a claim")
    ck = b.add_node(c, kind="claim")
    b.partial = True  # a few nodes of a possibly big store: look each one up
    add_claim_texts(b, only=c)
    chain = "?r0 cg:reports ?c . ?r0 (cg:derivedFrom|cg:quotedFrom)* ?r ."
    report_attrs: dict[str, dict[str, list[tuple[str, Scalar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    links: list[tuple[str, str, ox.NamedNode | ox.BlankNode]] = []
    for row in store.select(
        f"SELECT DISTINCT ?c ?r ?p ?o WHERE {{ {chain} ?r ?p ?o }}", bindings=about_claim
    ):
        rk = b.add_node(row["r"], kind="report")
        p, o = row["p"].value, row["o"]
        if p in REPORT_ATTRIBUTES:
            value: Scalar = (
                b.key(o)
                if isinstance(o, ox.NamedNode)
                else (literal_value(o) if isinstance(o, ox.Literal) else str(o))
            )
            lang_tag = o.language or "" if isinstance(o, ox.Literal) else ""
            report_attrs[rk][REPORT_ATTRIBUTES[p]].append((lang_tag, value))
        elif not isinstance(o, ox.Literal) and not isinstance(o, ox.Triple):
            links.append((rk, p, o))
    for rk, attrs in report_attrs.items():
        b.set_attributes(rk, attrs)
    quoted = {(rk, b.key(o)) for rk, p, o in links if p == CG + "quotedFrom"}
    for rk, p, o in links:
        if p == CG + "reports":
            if b.key(o) == ck:
                b.add_edge(rk, ck, p, "reports")
        elif p == CG + "derivedFrom" or (
            p == CG + "quotedFrom"
            and not any(x == rk and q == CG + "derivedFrom" for x, q, _ in links)
        ):
            ok = b.add_node(o)
            b.add_edge(
                rk,
                ok,
                CG + "derivedFrom",
                "quoted from" if (rk, ok) in quoted else "derived from",
                quoted=True if (rk, ok) in quoted else None,
            )
        elif p == CG + "carrier":
            b.graph.nodes[rk]["carrier"] = b.key(o)
            b.add_edge(rk, b.add_node(o), p, "carrier")
        elif p == CG + "inArticle":
            b.add_edge(rk, b.add_node(o), p, "in article")
        elif p in (CG + "occasion", CG + "after", CG + "inReplyTo"):
            b.add_edge(rk, b.add_node(o), p, term_label(p, lang))
    for row in store.select(
        f"SELECT DISTINCT ?c ?r ?exact ?start ?end WHERE {{ {chain} ?r cg:evidence ?e . "
        "?e oa:hasSelector ?sel . OPTIONAL { ?sel oa:exact ?exact } "
        "OPTIONAL { ?sel oa:start ?start } OPTIONAL { ?sel oa:end ?end } }",
        bindings=about_claim,
    ):
        node = b.graph.nodes[b.key(row["r"])]
        if row["exact"] is not None:
            node["evidence"] = row["exact"].value
        if row["start"] is not None and row["end"] is not None:
            node["evidence_start"] = int(row["start"].value)
            node["evidence_end"] = int(row["end"].value)
    for row in store.select(
        f"SELECT DISTINCT ?c ?rev ?art ?pub ?older WHERE {{ {chain} ?r cg:inArticle ?rev . "
        "OPTIONAL { { ?rev cg:revisionOf ?art } UNION { ?art cg:hasRevision ?rev } "
        "OPTIONAL { ?art cg:publisher ?pub } } OPTIONAL { ?rev prov:wasRevisionOf ?older } }",
        bindings=about_claim,
    ):
        revk = b.key(row["rev"])
        if row["art"] is not None:
            ak = b.add_node(row["art"])
            b.add_edge(revk, ak, CG + "revisionOf", "revision of")
            if row["pub"] is not None:
                b.add_edge(ak, b.add_node(row["pub"]), CG + "publisher", "publisher")
        if row["older"] is not None:
            b.add_edge(
                revk, b.add_node(row["older"]), PROV + "wasRevisionOf", "revision of earlier"
            )
    for row in store.select(
        "SELECT ?c ?a WHERE { ?c cg:claimant ?a FILTER(!isLiteral(?a)) }", bindings=about_claim
    ):
        b.add_edge(ck, b.add_node(row["a"]), CG + "claimant", "claimant")
    b.load_for(list(b.graph))
    speakers = [k for k in b.graph if b.kind_of(k) == "actor"]
    add_affiliations(b, speakers, depth=2)
    return b.finish()
