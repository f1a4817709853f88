"""Views of the graph as networkx graphs, and the files people load them into.

A **view** is a networkx :class:`~networkx.MultiDiGraph` built from the store:

``full``
    every resource of the data (not the batch metadata graph); literals and code-list values
    (``cg:mediator``, ``cg:certain``, CAMEO codes) are node attributes, not nodes.
``actors``
    actors and events; a role held in an event (``cg:Participation``) is collapsed into one
    labelled edge, so Turkey —*mediator in*→ the trilateral meeting; plus *represents*,
    *affiliated with*, *head of*, *member of*, *sub-organisation of*, *part of*, *precedes*.
``claims``
    claims, their claimants, every carrier of a reporting chain (speaker, intermediary,
    agency, outlet), the article revisions that carry them, the articles and their publishers,
    and *supports* / *contradicts* / *supersedes* between claims.
``provenance``
    the DAG of one claim's trace: every hop (utterance, wire report, article mention) with
    its carrier, date, cue verb, channel and evidence span, the article revision, the article,
    its publisher, and the affiliations of the speakers.

Every node carries ``iri``, ``label`` (in the chosen language, falling back to an untagged or
any label, then to a label made from the node's facts, then to its compact IRI), ``type``
(the most specific class, compact: ``cg:Delegation``), ``types`` (all classes, space
separated) and ``kind`` (actor, event, claim, report, article, place, topic, ...). Every edge
carries ``predicate`` (an IRI), ``label`` and a unique ``id``; the networkx key of an edge
is its compact predicate, so ``G["cgi:turkey"]["cgi:trilateral-meeting"]["cg:mediator"]``.
Node keys are compact IRIs (``cgi:turkey``), blank nodes ``_:id``.

:func:`write` writes a view as GraphML, GEXF (Gephi), node-link JSON (D3), Cytoscape.js JSON,
DOT, a CSV edge list, or a PNG/SVG picture drawn by Graphviz; :func:`read` loads any of the
data formats back into networkx.

>>> from claimgraph.store import open_store
>>> store = open_store(":memory:")
>>> store.add_batch("urn:x:g", example_triples(), [])
>>> g = build_graph(store, "actors")
>>> g.nodes["cgi:turkey"]["label"], g.nodes["cgi:turkey"]["type"]
('Turkey', 'cg:State')
>>> [d["label"] for _, _, d in g.edges("cgi:turkey", data=True)]
['mediator in']
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
import subprocess
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

import pyoxigraph as ox

from .errors import NotFound, UsageError
from .rdf import (
    CAMEO,
    CG,
    CGI,
    FOAF,
    LABEL_PROPERTIES,
    META_GRAPH,
    OA,
    ORG,
    PROV,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    Scalar,
    as_iri,
    choose_text,
    compact,
    expand,
    language_rank,
    literal_value,
)
from .store import Store
from .vocabulary import ancestors, superproperties, symmetric_properties, term_label

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMATS",
    "VIEWS",
    "ActorCentrality",
    "ExportFormat",
    "GraphMeasures",
    "SourceDiversity",
    "build_graph",
    "export",
    "graph_measures",
    "node_facts",
    "read",
    "render",
    "to_bytes",
    "write",
]


VIEWS: tuple[str, ...] = ("full", "actors", "claims", "provenance")
"""The views :func:`build_graph` builds."""


@dataclass(frozen=True)
class ExportFormat:
    """One output format: its name, media type, file extension and what reads it."""

    name: str
    media_type: str
    extension: str
    description: str
    picture: bool = False


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in [
        ExportFormat(
            "graphml",
            "application/graphml+xml",
            "graphml",
            "GraphML (networkx, yEd, Gephi, igraph), typed attribute keys",
        ),
        ExportFormat(
            "gexf",
            "application/gexf+xml",
            "gexf",
            "GEXF 1.2 for Gephi: typed attributes, node colours by kind",
        ),
        ExportFormat(
            "json",
            "application/json",
            "json",
            "node-link JSON (D3 force layouts; networkx.node_link_graph(edges='links'))",
        ),
        ExportFormat(
            "cyjs",
            "application/json",
            "cyjs",
            "Cytoscape.js / Cytoscape elements JSON (networkx.cytoscape_graph)",
        ),
        ExportFormat(
            "dot", "text/vnd.graphviz; charset=utf-8", "dot", "Graphviz DOT, styled by kind (pydot)"
        ),
        ExportFormat(
            "csv",
            "text/csv; charset=utf-8",
            "csv",
            "edge list with the labels and types of both ends",
        ),
        ExportFormat("svg", "image/svg+xml", "svg", "a picture drawn by Graphviz", picture=True),
        ExportFormat("png", "image/png", "png", "a picture drawn by Graphviz", picture=True),
    ]
}
"""Every format :func:`write` can produce, by name."""


CODE_NAMESPACES: tuple[str, ...] = (CG, CAMEO)
"""Objects in these namespaces are code-list values (roles, certainty, CAMEO codes): the
``full`` view keeps them as attribute values instead of making hub nodes of them."""

GRAPH_TYPES = (RDF_TYPE,)

# ----------------------------------------------------------------------------- vocabulary


KINDS: tuple[tuple[str, str], ...] = (
    ("actor", CG + "Actor"),
    ("actor", PROV + "Agent"),
    ("actor", FOAF + "Agent"),
    ("event", CG + "Event"),
    ("claim", CG + "Claim"),
    ("report", CG + "Report"),
    ("article", CG + "Article"),
    ("article", CG + "ArticleRevision"),
    ("place", CG + "Place"),
    ("topic", CG + "Topic"),
    ("participation", CG + "Participation"),
    ("evidence", CG + "EvidenceSpan"),
    ("evidence", OA + "TextQuoteSelector"),
    ("evidence", OA + "TextPositionSelector"),
    ("review", CG + "Review"),
    ("review", SCHEMA + "Rating"),
    ("relation", CG + "ClaimRelation"),
    ("relation", CG + "IdentityCandidate"),
    ("post", ORG + "Post"),
)
"""Broad kinds of node, for colours and filters: the first root class a node's type is under."""


def _kind(types: Iterable[str]) -> str:
    above: set[str] = set()
    for t in types:
        above |= ancestors(t)
    for kind, root in KINDS:
        if root in above:
            return kind
    return "other"


def _main_type(types: Iterable[str]) -> str:
    """The most specific of ``types``, preferring claimgraph's own classes."""
    ts = set(types)
    if not ts:
        return RDFS + "Resource"
    leaves = [t for t in ts if not any(t != o and t in ancestors(o) for o in ts)]
    return sorted(leaves, key=lambda t: (not t.startswith(CG), t))[0]


# ----------------------------------------------------------------------------- literals


def _attr_value(values: list[tuple[str, Scalar]], lang: str) -> Scalar:
    """One attribute from the values of one predicate: language-tagged ones narrowed to the
    best language, several values joined with `` | ``."""
    if len(values) == 1:
        return values[0][1]
    best = min(language_rank(tag, lang) for tag, _ in values)
    kept = sorted({str(v) for tag, v in values if language_rank(tag, lang) == best})
    if len(kept) == 1:
        picked = [v for tag, v in values if str(v) == kept[0]]
        return picked[0]
    return " | ".join(kept)


# ----------------------------------------------------------------------------- building


class _Builder:
    """Collects nodes and edges of one view, then labels and types them."""

    def __init__(self, store: Store, view: str, lang: str) -> None:
        import networkx as nx

        from . import __version__

        self.store = store
        self.lang = lang
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self.graph.graph.update(view=view, lang=lang, generator=f"claimgraph {__version__}")
        self._keys: dict[str, str] = {}
        self._edge_ids = 0
        self.types: dict[str, set[str]] = defaultdict(set)
        self.terms: dict[str, ox.NamedNode | ox.BlankNode] = {}
        self.labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.alt_labels: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self.partial = False
        self._loaded: set[str] = set()

    # keys ------------------------------------------------------------------------------
    def key(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        if isinstance(term, ox.NamedNode):
            iri = term.value
            k = self._keys.get(iri)
            if k is None:
                k = self._keys[iri] = compact(iri)
            return k
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        raise TypeError(f"not a resource: {term}")

    def add_node(self, term: ox.NamedNode | ox.BlankNode, **attrs: Any) -> str:
        k = self.key(term)
        if k not in self.graph:
            iri = term.value if isinstance(term, ox.NamedNode) else k
            self.graph.add_node(k, iri=iri)
        if attrs:
            self.graph.nodes[k].update((a, v) for a, v in attrs.items() if v is not None)
        return k

    def add_edge(
        self, u: str, v: str, predicate: str, label: str, *, key: str | None = None, **attrs: Any
    ) -> None:
        k = key or self._keys.get(predicate)
        if k is None:
            k = self._keys[predicate] = compact(predicate)
        if predicate in symmetric_properties() and v < u:
            u, v = v, u  # ingest stores both directions of a symmetric relation: draw it once
        if self.graph.has_edge(u, v, k):
            return
        self._edge_ids += 1
        data = {"id": f"e{self._edge_ids}", "predicate": predicate, "label": label}
        data.update((a, val) for a, val in attrs.items() if val is not None)
        self.graph.add_edge(u, v, key=k, **data)

    # lookups ---------------------------------------------------------------------------
    def load_types_and_labels(self) -> None:
        """Types and label candidates of every resource in the data (one query each); the
        batch metadata graph (batches, ingest agents) is not part of any view."""
        for row in self._select(
            "SELECT ?s ?t WHERE { GRAPH ?g { ?s a ?t } "
            f"FILTER(isIRI(?t) && ?g != <{META_GRAPH}>) }}"
        ):
            k = self.key(row[0])
            self.types[k].add(row[1].value)
            self.terms[k] = row[0]
        values = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        for row in self._select(
            f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?l FILTER(isLiteral(?l)) }}"
        ):
            k = self.key(row[0])
            lit = row[2]
            if row[1].value == RDFS + "label":
                self.labels[k].append((lit.language or "", lit.value))
            else:
                rank = LABEL_PROPERTIES.index(row[1].value)
                self.alt_labels[k].append((rank, lit.language or "", lit.value))

    def pairs(self, predicate: str) -> Iterator[tuple[Any, Any]]:
        """Every (subject, object) of one predicate, objects that are resources only."""
        for row in self._select(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
            s, o = row["s"], row["o"]
            if not isinstance(s, ox.Triple) and not isinstance(o, (ox.Literal, ox.Triple)):
                yield s, o

    def objects(self, predicate: str) -> dict[str, Any]:
        """Subject key -> one object of ``predicate`` (the first one met)."""
        found: dict[str, Any] = {}
        for s, o in self.pairs(predicate):
            found.setdefault(self.key(s), o)
        return found

    def load_for(self, keys: Iterable[str]) -> None:
        """Types and label candidates of a few nodes, a small query each: for small views of
        big stores, where :meth:`load_types_and_labels` would read every resource."""
        self.partial = True
        values = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        for k in keys:
            if k in self._loaded or k.startswith("_:"):
                continue
            self._loaded.add(k)
            term = (
                ox.NamedNode(self.graph.nodes[k]["iri"])
                if k in self.graph
                else ox.NamedNode(expand(k))
            )
            for row in self._select("SELECT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?t)) }", s=term):
                self.types[k].add(row["t"].value)
                self.terms[k] = term
            for row in self._select(
                f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?l "
                "FILTER(isLiteral(?l)) }",
                s=term,
            ):
                lit = row["l"]
                if row["p"].value == RDFS + "label":
                    self.labels[k].append((lit.language or "", lit.value))
                else:
                    rank = LABEL_PROPERTIES.index(row["p"].value)
                    self.alt_labels[k].append((rank, lit.language or "", lit.value))

    def _select(self, sparql: str, **bindings: Any) -> Iterator[ox.QuerySolution]:
        result = self.store.query(sparql, bindings=bindings or None)
        assert isinstance(result, ox.QuerySolutions)
        yield from result

    def kind_of(self, k: str) -> str:
        return _kind(self.types.get(k, ()))

    # finishing -------------------------------------------------------------------------
    def finish(
        self,
        derive: Callable[[str, dict[str, Any]], str | None] | None = None,
    ) -> nx.MultiDiGraph:
        """Give every node ``label``, ``type``, ``types`` and ``kind``."""
        g = self.graph
        if self.partial:
            self.load_for(list(g))
        lang = self.lang
        typing: dict[frozenset[str], tuple[str, str, str]] = {}  # few distinct type sets
        for k, data in g.nodes(data=True):
            types = frozenset(self.types.get(k, ()))
            described = typing.get(types)
            if described is None:
                described = typing[types] = (
                    compact(_main_type(types)),
                    " ".join(sorted(compact(t) for t in types)),
                    _kind(types),
                )
            data["type"], data["types"] = described[0], described[1]
            data["kind"] = data.get("kind") or described[2]
            label = choose_text(self.labels.get(k, ()), lang)
            if label is None and k in self.alt_labels:
                alts = self.alt_labels[k]
                first = min(r for r, _, _ in alts)
                label = choose_text([(t, x) for r, t, x in alts if r == first], lang)
            if label is not None:
                data["label"] = label
        for k, data in g.nodes(data=True):
            if "label" not in data:
                made = (derive or self.derive_label)(k, data)
                data["label"] = made if made else self._fallback_label(k, data)
        _uniform_attribute_types(g)
        return g

    def _fallback_label(self, k: str, data: dict[str, Any]) -> str:
        if k.startswith("_:"):
            types = self.types.get(k)
            return term_label(_main_type(types), self.lang) if types else k
        return k

    def node_label(self, k: str) -> str:
        """The label a node has or will have (for labels made from neighbours)."""
        data = self.graph.nodes.get(k, {})
        if "label" in data:
            return str(data["label"])
        text = choose_text(self.labels.get(k, ()), self.lang)
        return text if text is not None else k

    def derive_label(self, k: str, data: dict[str, Any]) -> str | None:
        """A label for an unlabelled node, made from its facts (reports, participations,
        evidence spans)."""
        g = self.graph
        kind = data.get("kind")
        types = self.types.get(k, set())
        type_label = term_label(_main_type(types), self.lang) if types else None
        out = {key: v for _, v, key in g.out_edges(k, keys=True)}
        if kind == "report" or "cg:carrier" in out:
            carrier = out.get("cg:carrier") or data.get("carrier")
            if carrier:
                return f"{type_label or 'Report'} by {self.node_label(str(carrier))}"
        if kind == "participation" and "cg:agent" in out:
            role = data.get("cg:role")
            role_text = term_label(expand(str(role)), self.lang) if role else "participant"
            return f"{self.node_label(out['cg:agent'])} as {role_text}"
        exact = data.get("oa:exact")
        if exact is None and "oa:hasSelector" in out:
            exact = g.nodes[out["oa:hasSelector"]].get("oa:exact")
        if exact is not None:
            return "“" + textwrap.shorten(str(exact), 60, placeholder="…") + "”"
        return None


def _uniform_attribute_types(g: nx.MultiDiGraph) -> None:
    """GraphML and GEXF declare one type per attribute: where one attribute holds values of
    several types across nodes (or edges), turn them all into strings."""
    for items in (g.nodes.values(), (d for _, _, d in g.edges(data=True))):
        seen: dict[str, type] = {}
        mixed: set[str] = set()
        items = list(items)
        for data in items:
            for a, v in data.items():
                t = type(v)
                if seen.setdefault(a, t) is not t:
                    mixed.add(a)
        if mixed:
            for data in items:
                for a in mixed & data.keys():
                    data[a] = str(data[a])


def build_graph(
    store: Store,
    view: str,
    *,
    claim: str | None = None,
    lang: str = "en",
) -> nx.MultiDiGraph:
    """Build one view of ``store`` as a networkx MultiDiGraph (see the module's doc).

    ``claim`` (an IRI, ``cgi:…`` or bare id) is required for the ``provenance`` view.
    ``lang`` picks the language of labels and texts.

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> g = build_graph(store, "full")
    >>> g.nodes["cgi:turkey"]["rdfs:comment"]
    'A state.'
    >>> build_graph(store, "provenance")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    claimgraph.errors.UsageError: the provenance view needs a claim: ...
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")
    if view == "provenance":
        if not claim:
            raise UsageError(
                "the provenance view needs a claim: give --claim (or ?claim=) with a claim's "
                "IRI, e.g. cgi:claim-…"
            )
        return _provenance_view(store, claim, lang)
    builder = {"full": _full_view, "actors": _actors_view, "claims": _claims_view}[view]
    return builder(store, lang)


# --- full ---------------------------------------------------------------------------------


def _full_view(store: Store, lang: str) -> nx.MultiDiGraph:
    b = _Builder(store, "full", lang)
    g = b.graph
    literal_attrs: dict[str, dict[str, list[tuple[str, Scalar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    preds: dict[str, tuple[str, str, str]] = {}
    label_p = RDFS + "label"
    below = _aligned_subproperties()
    symmetric = symmetric_properties()
    for graph_name in store.graphs():
        if graph_name == META_GRAPH:
            continue
        for t in _stated(store, graph_name, below):
            s = t.subject
            if isinstance(s, ox.Triple):
                continue
            sk = b.add_node(s)
            p = t.predicate.value
            o = t.object
            if p == RDF_TYPE:
                if isinstance(o, ox.NamedNode):
                    b.types[sk].add(o.value)
                continue
            info = preds.get(p)
            if info is None:
                info = preds[p] = (compact(p), term_label(p, lang), p)
            if isinstance(o, ox.Literal):
                if p == label_p:
                    b.labels[sk].append((o.language or "", o.value))
                    continue
                if p in LABEL_PROPERTIES:
                    b.alt_labels[sk].append((LABEL_PROPERTIES.index(p), o.language or "", o.value))
                literal_attrs[sk][info[0]].append((o.language or "", literal_value(o)))
            elif isinstance(o, ox.NamedNode) and o.value.startswith(CODE_NAMESPACES):
                literal_attrs[sk][info[0]].append(("", b.key(o)))
            elif isinstance(o, (ox.NamedNode, ox.BlankNode)):
                ok = b.add_node(o)
                if p in symmetric and ok < sk:
                    continue  # drawn once, from the smaller key (both directions are stored)
                if not g.has_edge(sk, ok, info[0]):
                    b._edge_ids += 1
                    g.add_edge(
                        sk, ok, key=info[0], id=f"e{b._edge_ids}", predicate=info[2], label=info[1]
                    )
    for sk, attrs in literal_attrs.items():
        node = g.nodes[sk]
        for name, values in attrs.items():
            node[name] = _attr_value(values, lang)
    return b.finish()


@functools.cache
def _aligned_subproperties() -> dict[str, frozenset[str]]:
    """Each superproperty ingest adds from an aligned vocabulary (``prov:wasAttributedTo``)
    with the ``cg:`` properties that imply it (``cg:claimant``, ``cg:carrier``...)."""
    below: dict[str, set[str]] = defaultdict(set)
    for p, supers in superproperties().items():
        for sup in supers:
            if not sup.startswith(CG):
                below[sup].add(p)
    return {sup: frozenset(ps) for sup, ps in below.items()}


def _stated(store: Store, graph: str, below: dict[str, frozenset[str]]) -> Iterator[Any]:
    """The statements of ``graph`` without those ingest added for an aligned superproperty:
    ``s prov:wasAttributedTo o`` is left out when ``s cg:claimant o`` is there too, so the
    full view draws each stated relation once.  Two reads of the graph; between them, a set
    of hashes of the statements that imply others (not the statements themselves)."""
    implying = {sub for subs in below.values() for sub in subs}
    seen = {
        hash((t.subject, t.predicate.value, t.object))
        for t in _triples(store, graph)
        if t.predicate.value in implying
    }
    for t in _triples(store, graph):
        subs = below.get(t.predicate.value)
        if subs and any(hash((t.subject, sub, t.object)) in seen for sub in subs):
            continue
        yield t


def _triples(store: Store, graph: str) -> Iterable[ox.Triple | ox.Quad]:
    """The statements of one graph: straight from pyoxigraph's quads when the store has them
    (no Triple copies), else through the store interface."""
    raw = getattr(store, "raw", None)
    if isinstance(raw, ox.Store):
        return raw.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    return store.triples(graph)


# --- actors -------------------------------------------------------------------------------

ROLE_EDGES: dict[str, str] = {
    CG + "party": "party to",
    CG + "mediator": "mediator in",
    CG + "host": "host of",
    CG + "headOfDelegation": "head of delegation in",
    CG + "participant": "participant in",
}
"""How a role held in an event reads as an edge from the actor to the event."""

ACTOR_RELATIONS: dict[str, tuple[str, bool]] = {
    CG + "represents": ("represents", False),
    CG + "affiliatedWith": ("affiliated with", False),
    CG + "head": ("head of", True),
    ORG + "hasMember": ("member of", True),
    ORG + "memberOf": ("member of", False),
    ORG + "headOf": ("head of", False),
    ORG + "subOrganizationOf": ("sub-organisation of", False),
    CG + "possiblySameAs": ("possibly same as", False),
    CG + "partOf": ("part of", False),
    CG + "reachedIn": ("reached in", False),
    CG + "precedes": ("precedes", False),
    CG + "proposedBy": ("proposed by", False),
}
"""Direct relations between actors and events in the ``actors`` view: label, and whether the
edge runs against the triple (``cg:head``: the person is *head of* the delegation)."""


def _actors_view(store: Store, lang: str, b: _Builder | None = None) -> nx.MultiDiGraph:
    if b is None:
        b = _Builder(store, "actors", lang)
        b.load_types_and_labels()
    wanted = {"actor", "event"}
    for k, term in sorted(b.terms.items()):
        if b.kind_of(k) in wanted:
            b.add_node(term)
    agents, roles, behalves = (b.objects(CG + p) for p in ("agent", "role", "onBehalfOf"))
    for event, part in b.pairs(CG + "hasParticipation"):
        pk = b.key(part)
        agent, role, behalf = agents.get(pk), roles.get(pk), behalves.get(pk)
        if agent is None:
            continue
        ek, ak = b.add_node(event), b.add_node(agent)
        if isinstance(role, ox.NamedNode):
            label = ROLE_EDGES.get(role.value) or f"{term_label(role.value, lang)} in"
            predicate = role.value
        else:
            label, predicate = "took part in", CG + "hasParticipation"
        b.add_edge(
            ak,
            ek,
            predicate,
            label,
            role=b.key(role) if role else None,
            on_behalf_of=b.key(behalf) if behalf is not None else None,
            path="^cg:agent/^cg:hasParticipation",
        )
    values = " ".join(f"<{p}>" for p in ACTOR_RELATIONS)
    represented: set[tuple[str, str]] = set()  # pairs a stronger relation already links
    later: list[tuple[str, str]] = []
    for row in b._select(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER(!isLiteral(?o)) }}"
    ):
        sk, ok = b.key(row[0]), b.key(row[2])
        if sk not in b.graph or ok not in b.graph:
            continue
        p = row[1].value
        label, inverse = ACTOR_RELATIONS[p]
        u, v = (ok, sk) if inverse else (sk, ok)
        if p == CG + "affiliatedWith":
            later.append((u, v))
            continue
        if p in (CG + "represents", ORG + "subOrganizationOf"):
            represented.add((u, v))
        b.add_edge(u, v, p, label, inverse=True if inverse else None)
    for u, v in later:  # represents / sub-organisation of imply affiliated with: draw those
        if (u, v) not in represented:
            b.add_edge(u, v, CG + "affiliatedWith", "affiliated with")
    return b.finish()


# --- claims -------------------------------------------------------------------------------

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


def _claims_view(store: Store, lang: str) -> nx.MultiDiGraph:
    b = _Builder(store, "claims", lang)
    b.load_types_and_labels()
    for k, term in sorted(b.terms.items()):
        if b.kind_of(k) == "claim":
            b.add_node(term)
    _claim_texts(b)
    claimants: dict[str, set[str]] = defaultdict(set)
    terms: dict[str, ox.NamedNode | ox.BlankNode] = {}
    for row in b._select("SELECT ?c ?a WHERE { ?c cg:claimant ?a FILTER(!isLiteral(?a)) }"):
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
    for row in b._select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"):
        sk, ok = b.key(row[0]), b.key(row[2])
        if sk in b.graph and ok in b.graph:
            b.add_edge(sk, ok, row[1].value, CLAIM_RELATIONS[row[1].value])
    revisions = [k for k in b.graph if b.kind_of(k) == "article"]
    for row in b._select(
        "SELECT ?rev ?art ?pub WHERE { { ?rev cg:revisionOf ?art } UNION "
        "{ ?art cg:hasRevision ?rev } OPTIONAL { ?art cg:publisher ?pub } }"
    ):
        if b.key(row[0]) in revisions:
            ak = b.add_node(row[1])
            b.add_edge(b.key(row[0]), ak, CG + "revisionOf", "revision of")
            if row[2] is not None:
                b.add_edge(ak, b.add_node(row[2]), CG + "publisher", "publisher")
    _affiliations(b, [k for k in list(b.graph) if b.kind_of(k) == "actor"], depth=1)
    return b.finish()


def _claim_texts(b: _Builder, only: ox.NamedNode | None = None) -> None:
    """``text``, ``date`` and ``retracted`` on claim nodes (of every claim, or of ``only``)."""
    bind = {"c": only} if only is not None else {}
    texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in b._select("SELECT ?c ?t WHERE { ?c cg:claimText ?t }", **bind):
        k = b.key(row["c"])
        if k in b.graph:
            texts[k].append((row["t"].language or "", row["t"].value))
    for k, vals in texts.items():
        b.graph.nodes[k]["text"] = choose_text(vals, b.lang)
    for row in b._select("SELECT ?c ?d WHERE { ?c cg:claimDate ?d }", **bind):
        k = b.key(row["c"])
        if k in b.graph:
            b.graph.nodes[k]["date"] = row["d"].value
    for row in b._select("SELECT ?c WHERE { ?c cg:retracted true }", **bind):
        k = b.key(row["c"])
        if k in b.graph:
            b.graph.nodes[k]["retracted"] = True


def _affiliations(b: _Builder, actors: list[str], *, depth: int) -> None:
    """Add ``affiliated with`` / ``represents`` / ``sub-organisation of`` edges from
    ``actors``, following them ``depth`` hops.  A view of the whole store reads these links in
    one query; a small view (provenance) asks for each node's own."""
    q = (
        "SELECT ?s ?p ?o WHERE { VALUES ?p { cg:affiliatedWith cg:represents "
        "org:subOrganizationOf } ?s ?p ?o FILTER(isIRI(?o)) }"
    )
    links: dict[str, list[tuple[str, ox.NamedNode]]] | None = None
    if not b.partial:
        links = defaultdict(list)
        for row in b._select(q):
            if not isinstance(row["s"], ox.Triple):
                links[b.key(row["s"])].append((row["p"].value, row["o"]))
    frontier = set(actors)
    done: set[str] = set()
    for _ in range(depth):
        nxt: set[str] = set()
        for k in sorted(frontier - done):
            done.add(k)
            if links is not None:
                out = links.get(k, [])
            elif k.startswith("_:"):
                continue
            else:
                out = [
                    (r["p"].value, r["o"])
                    for r in b._select(q, s=ox.NamedNode(b.graph.nodes[k]["iri"]))
                ]
            stronger = {o.value for p, o in out if p != CG + "affiliatedWith"}
            for p, o in out:
                if p == CG + "affiliatedWith" and o.value in stronger:
                    continue
                ok = b.add_node(o)
                b.add_edge(k, ok, p, ACTOR_RELATIONS[p][0])
                nxt.add(ok)
        frontier = nxt


# --- provenance ---------------------------------------------------------------------------


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


def _provenance_view(store: Store, claim: str, lang: str) -> nx.MultiDiGraph:
    from .provenance import resolve_claim

    b = _Builder(store, "provenance", lang)
    iri = resolve_claim(store, claim)
    c = ox.NamedNode(iri)
    b.graph.graph["claim"] = iri
    claim_types = [r[1].value for r in b._select("SELECT ?c ?t WHERE { ?c a ?t }", c=c)]
    if not claim_types:
        raise NotFound(
            f"no claim {compact(iri)} in the store: list claims with "
            "`claimgraph query --sparql 'SELECT ?c WHERE { ?c a cg:Claim }'` or export the "
            "claims view"
        )
    if _kind(claim_types) != "claim":
        raise UsageError(f"{compact(iri)} is a {compact(_main_type(claim_types))}, not a claim")
    ck = b.add_node(c, kind="claim")
    b.partial = True  # a few nodes of a possibly big store: look each one up
    _claim_texts(b, only=c)
    chain = "?r0 cg:reports ?c . ?r0 (cg:derivedFrom|cg:quotedFrom)* ?r ."
    report_attrs: dict[str, dict[str, list[tuple[str, Scalar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    links: list[tuple[str, str, ox.NamedNode | ox.BlankNode]] = []
    for row in b._select(f"SELECT DISTINCT ?c ?r ?p ?o WHERE {{ {chain} ?r ?p ?o }}", c=c):
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
        for name, values in attrs.items():
            b.graph.nodes[rk][name] = _attr_value(values, lang)
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
    for row in b._select(
        f"SELECT DISTINCT ?c ?r ?exact ?start ?end WHERE {{ {chain} ?r cg:evidence ?e . "
        "?e oa:hasSelector ?sel . OPTIONAL { ?sel oa:exact ?exact } "
        "OPTIONAL { ?sel oa:start ?start } OPTIONAL { ?sel oa:end ?end } }",
        c=c,
    ):
        node = b.graph.nodes[b.key(row["r"])]
        if row["exact"] is not None:
            node["evidence"] = row["exact"].value
        if row["start"] is not None and row["end"] is not None:
            node["evidence_start"] = int(row["start"].value)
            node["evidence_end"] = int(row["end"].value)
    for row in b._select(
        f"SELECT DISTINCT ?c ?rev ?art ?pub ?older WHERE {{ {chain} ?r cg:inArticle ?rev . "
        "OPTIONAL { { ?rev cg:revisionOf ?art } UNION { ?art cg:hasRevision ?rev } "
        "OPTIONAL { ?art cg:publisher ?pub } } OPTIONAL { ?rev prov:wasRevisionOf ?older } }",
        c=c,
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
    for row in b._select("SELECT ?c ?a WHERE { ?c cg:claimant ?a FILTER(!isLiteral(?a)) }", c=c):
        b.add_edge(ck, b.add_node(row["a"]), CG + "claimant", "claimant")
    b.load_for(list(b.graph))
    speakers = [k for k in b.graph if b.kind_of(k) == "actor"]
    _affiliations(b, speakers, depth=2)
    return b.finish()


# ----------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class ActorCentrality:
    """How central one actor is in the ``actors`` view (events included as nodes)."""

    id: str
    label: str
    type: str
    degree: int
    degree_centrality: float
    betweenness: float


@dataclass(frozen=True)
class SourceDiversity:
    """How many independent sources carry one claim.

    ``independent_sources``, ``sources`` (their labels) and ``anonymous_only`` are those of
    :func:`claimgraph.provenance.corroboration` (two outlets repeating one wire story are one
    source); ``carriers`` counts every distinct carrier at any hop; ``sides`` the distinct
    affiliations of the independent sources (a state speaking for itself is its own side).
    """

    id: str
    label: str
    independent_sources: int
    carriers: int
    sides: int
    anonymous_only: bool
    sources: list[str]


@dataclass(frozen=True)
class GraphMeasures:
    """Actor centrality, source diversity per claim, and counts by kind and by type."""

    actors: list[ActorCentrality]
    claims: list[SourceDiversity]
    by_kind: dict[str, int]
    by_type: dict[str, int]
    betweenness_sample: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "actors": [asdict(a) for a in self.actors],
            "claims": [asdict(c) for c in self.claims],
            "by_kind": self.by_kind,
            "by_type": self.by_type,
            "betweenness_sample": self.betweenness_sample,
        }


EXACT_BETWEENNESS_LIMIT = 2000
"""Above this many nodes in the actors view, betweenness is estimated from a sample of
pivots (networkx's ``k``) instead of computed exactly."""


def graph_measures(store: Store, *, lang: str = "en") -> GraphMeasures:
    """What people ask for first: actor degree and betweenness centrality (in the ``actors``
    view, as an undirected simple graph), source diversity per claim, counts by kind and type.

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> m = graph_measures(store)
    >>> [(a.id, a.degree) for a in m.actors]
    [('cgi:turkey', 1)]
    >>> m.by_kind["actor"], m.by_kind["event"]
    (1, 1)
    """
    import networkx as nx

    b = _Builder(store, "actors", lang)
    b.load_types_and_labels()
    view = _actors_view(store, lang, b)
    simple = nx.Graph(view.to_undirected(as_view=True))
    n = simple.number_of_nodes()
    sample = None
    if n > EXACT_BETWEENNESS_LIMIT:
        sample = min(500, n)
        between = nx.betweenness_centrality(simple, k=sample, seed=0)
    else:
        between = nx.betweenness_centrality(simple) if n else {}
    degree = nx.degree_centrality(simple) if n > 1 else {k: 0.0 for k in simple}
    actors = [
        ActorCentrality(
            k,
            str(d["label"]),
            str(d["type"]),
            simple.degree(k),
            round(degree[k], 6),
            round(between.get(k, 0.0), 6),
        )
        for k, d in view.nodes(data=True)
        if d.get("kind") == "actor"
    ]
    actors.sort(key=lambda a: (-a.betweenness, -a.degree, a.id))
    by_kind: dict[str, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    for types in b.types.values():
        by_kind[_kind(types)] += 1
        by_type[compact(_main_type(types))] += 1
    return GraphMeasures(
        actors=actors,
        claims=_source_diversity(b),
        by_kind=dict(sorted(by_kind.items())),
        by_type=dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        betweenness_sample=sample,
    )


def _source_diversity(b: _Builder) -> list[SourceDiversity]:
    """Per claim: the independent sources exactly as :func:`claimgraph.provenance.corroboration`
    counts them, plus how many carriers appear at any hop."""
    from .provenance import corroborations

    carriers: dict[str, set[str]] = defaultdict(set)
    for row in b._select("SELECT ?c ?carrier WHERE { ?r cg:reports ?c ; cg:carrier ?carrier }"):
        carriers[b.key(row[0])].add(b.key(row[1]))
    out = []
    for c in corroborations(b.store, lang=b.lang).values():
        sides = {a.id for g in c.sources for a in g.affiliations} | {
            agent.id for g in c.sources for agent in g.agents if CG + "State" in agent.types
        }
        out.append(
            SourceDiversity(
                c.claim.id,
                c.claim.label,
                c.independent_sources,
                len(carriers.get(c.claim.id, ())),
                len(sides),
                c.anonymous_only,
                [g.label for g in c.sources],
            )
        )
    out.sort(key=lambda s: (s.independent_sources, s.id))
    return out


# ----------------------------------------------------------------------------- node facts


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

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> f = node_facts(store, "cgi:turkey")
    >>> f["label"], [c["id"] for c in f["claims"]]
    ('Turkey', ['cgi:claim-x'])
    """
    iri = as_iri(ref, bare=CGI) or ref
    node = ox.NamedNode(iri)
    b = _Builder(store, "facts", lang)

    def rows(q: str) -> list[ox.QuerySolution]:
        return list(b._select(q, x=node))

    out_rows = rows(f"SELECT ?x ?p ?o WHERE {{ ?x ?p ?o }} LIMIT {limit}")
    in_rows = rows(f"SELECT ?x ?s ?p WHERE {{ ?s ?p ?x }} LIMIT {limit}")
    if not out_rows and not in_rows:
        raise NotFound(f"nothing is known about {compact(iri)}")
    neighbours = {r["o"] for r in out_rows if isinstance(r["o"], ox.NamedNode)}
    neighbours |= {r["s"] for r in in_rows if isinstance(r["s"], ox.NamedNode)}
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n in [node, *neighbours]:
        for r in b._select("SELECT ?n ?l WHERE { ?n rdfs:label ?l }", n=n):
            labels[n.value].append((r["l"].language or "", r["l"].value))

    def show(term: Any) -> dict[str, Any]:
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
            **show(r["o"]),
        }
        for r in out_rows
        if r["p"].value != RDF_TYPE
    ]
    incoming = [
        {
            "predicate": compact(r["p"].value),
            "predicate_label": term_label(r["p"].value, lang),
            **show(r["s"]),
        }
        for r in in_rows
        if not isinstance(r["s"], ox.BlankNode)
    ]
    roles = []
    for r in rows(
        "SELECT ?x ?event ?role WHERE { ?event cg:hasParticipation ?p . ?p cg:agent ?x . "
        "OPTIONAL { ?p cg:role ?role } }"
    ):
        role = r["role"]
        event_labels = [
            (e["l"].language or "", e["l"].value)
            for e in b._select("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", e=r["event"])
        ]
        roles.append(
            {
                "role": compact(role.value) if role is not None else None,
                "role_label": ROLE_EDGES.get(role.value, term_label(role.value, lang))
                if role is not None
                else "took part in",
                "id": compact(r["event"].value),
                "iri": r["event"].value,
                "label": choose_text(event_labels, lang) or compact(r["event"].value),
            }
        )
    claims: dict[str, dict[str, Any]] = {}
    for r in rows(
        "SELECT ?x ?c ?how ?text WHERE { "
        "{ ?c cg:claimant ?x BIND('claimant' AS ?how) } UNION "
        "{ ?c cg:aboutActor|cg:aboutEvent ?x BIND('about' AS ?how) } UNION "
        "{ ?r cg:reports ?c ; cg:carrier ?x BIND('carrier' AS ?how) } UNION "
        "{ ?x cg:reports ?c BIND('reported' AS ?how) } UNION "
        "{ ?x cg:claimText ?t0 BIND(?x AS ?c) BIND('self' AS ?how) } "
        "OPTIONAL { ?c cg:claimText ?text } }"
    ):
        k = compact(r["c"].value)
        entry = claims.setdefault(k, {"id": k, "iri": r["c"].value, "how": [], "texts": []})
        if r["how"].value not in entry["how"]:
            entry["how"].append(r["how"].value)
        if r["text"] is not None:
            entry["texts"].append((r["text"].language or "", r["text"].value))
    for k, entry in claims.items():
        entry["text"] = choose_text(entry.pop("texts"), lang)
        claim_labels = [
            (r["l"].language or "", r["l"].value)
            for r in b._select(
                "SELECT ?c ?l WHERE { ?c rdfs:label ?l }", c=ox.NamedNode(entry["iri"])
            )
        ]
        entry["label"] = choose_text(claim_labels, lang) or k
    label = choose_text(labels.get(iri, ()), lang)
    return {
        "id": compact(iri),
        "iri": iri,
        "label": label or compact(iri),
        "type": compact(_main_type(types)),
        "types": [compact(t) for t in types],
        "kind": _kind(types),
        "facts": facts,
        "incoming": incoming,
        "roles": sorted(roles, key=lambda e: (e["label"], e["role"] or "")),
        "claims": sorted(claims.values(), key=lambda e: e["id"]),
    }


# ----------------------------------------------------------------------------- writing

Output = Union[str, "os.PathLike[str]", IO[bytes]]

KIND_STYLE: dict[str, dict[str, str]] = {
    "actor": {"shape": "box", "style": "rounded,filled", "fillcolor": "#cfe2f3"},
    "event": {"shape": "ellipse", "style": "filled", "fillcolor": "#fce5cd"},
    "claim": {"shape": "note", "style": "filled", "fillcolor": "#fff2cc"},
    "report": {"shape": "box", "style": "filled", "fillcolor": "#eeeeee"},
    "article": {"shape": "folder", "style": "filled", "fillcolor": "#d9ead3"},
    "place": {"shape": "house", "style": "filled", "fillcolor": "#ead1dc"},
    "topic": {"shape": "tab", "style": "filled", "fillcolor": "#d0e0e3"},
    "participation": {"shape": "point"},
    "evidence": {"shape": "box", "style": "dashed"},
}
"""How each kind of node is drawn (Graphviz attributes); GEXF colours follow the fills."""

EDGE_COLOURS: dict[str, str] = {
    CG + "mediator": "#cc0000",
    CG + "host": "#38761d",
    CG + "party": "#1c4587",
    CG + "contradicts": "#cc0000",
    CG + "supports": "#38761d",
    CG + "denies": "#cc0000",
}

LAYOUTS: dict[str, str] = {
    "provenance": "dot",
    "actors": "neato",
    "claims": "neato",
    "full": "sfdp",
}
"""The Graphviz program that lays out each view by default."""


def _open_output(output: Output) -> tuple[IO[bytes], bool]:
    if hasattr(output, "write"):
        return output, False  # type: ignore[return-value]
    return open(output, "wb"), True  # noqa: SIM115 - closed by the caller


def write(
    graph: nx.MultiDiGraph, format: str, output: Output, *, layout: str | None = None
) -> None:
    """Write ``graph`` (from :func:`build_graph`) in ``format`` (a key of :data:`FORMATS`) to
    a path or a binary file.

    >>> import io
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> buf = io.BytesIO()
    >>> write(build_graph(store, "actors"), "csv", buf)
    >>> buf.getvalue().decode().splitlines()[1]
    'cgi:turkey,cgi:meeting,cg:mediator,mediator in,Turkey,cg:State,A meeting,cg:Meeting,e1'
    """
    fmt = FORMATS.get(format)
    if fmt is None:
        raise UsageError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    if fmt.picture:
        data = render(graph, format, layout=layout)
        f, close = _open_output(output)
        try:
            f.write(data)
        finally:
            if close:
                f.close()
        return
    f, close = _open_output(output)
    try:
        WRITERS[format](graph, f)
    finally:
        if close:
            f.close()


def to_bytes(graph: nx.MultiDiGraph, format: str, *, layout: str | None = None) -> bytes:
    """:func:`write` into memory."""
    buf = io.BytesIO()
    write(graph, format, buf, layout=layout)
    return buf.getvalue()


def export(
    store: Store,
    view: str,
    format: str,
    output: Output,
    *,
    claim: str | None = None,
    lang: str = "en",
    layout: str | None = None,
) -> nx.MultiDiGraph:
    """Build a view and write it; returns the graph."""
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    graph = build_graph(store, view, claim=claim, lang=lang)
    write(graph, format, output, layout=layout)
    return graph


def _write_graphml(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    import networkx as nx

    nx.write_graphml(g, f, edge_id_from_attribute="id", named_key_ids=True)


def _rgb(hex_colour: str) -> dict[str, float]:
    h = hex_colour.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1.0}


def _write_gexf(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    import networkx as nx

    # Gephi reads node colours and sizes from viz:color / viz:size.  They are put on the
    # nodes only while writing (GraphML and JSON cannot hold these nested values).
    degrees = dict(g.degree())
    try:
        for k, data in g.nodes(data=True):
            fill = KIND_STYLE.get(str(data.get("kind")), {}).get("fillcolor", "#ffffff")
            data["viz"] = {"color": _rgb(fill), "size": 10.0 + 2.0 * min(degrees[k], 20)}
        nx.write_gexf(g, f, version="1.2draft")
    finally:
        for _, data in g.nodes(data=True):
            data.pop("viz", None)


def _write_json(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    import networkx as nx

    data = nx.node_link_data(g, edges="links")
    f.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def _write_cyjs(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    import networkx as nx

    data = nx.cytoscape_data(g)
    data["data"] = dict(g.graph)  # Cytoscape.js reads an object here, not a list of pairs
    for node in data["elements"]["nodes"]:
        node["data"]["name"] = node["data"].get("label", node["data"]["name"])
        node["classes"] = str(node["data"].get("kind", ""))
    f.write(json.dumps(data, ensure_ascii=False).encode("utf-8"))


CSV_COLUMNS = (
    "source",
    "target",
    "predicate",
    "label",
    "source_label",
    "source_type",
    "target_label",
    "target_type",
    "id",
)


class _Utf8:
    """A text sink over a binary file, for csv.writer (which only needs ``write``)."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f

    def write(self, text: str) -> int:
        self.f.write(text.encode("utf-8"))
        return len(text)


def _write_csv(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    w = csv.writer(_Utf8(f), lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    nodes = g.nodes
    for u, v, key, d in g.edges(keys=True, data=True):
        w.writerow(
            (
                u,
                v,
                compact(str(d.get("predicate", key))),
                d.get("label", ""),
                nodes[u].get("label", ""),
                nodes[u].get("type", ""),
                nodes[v].get("label", ""),
                nodes[v].get("type", ""),
                d.get("id", ""),
            )
        )


def _wrap(text: str, width: int = 24) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _pydot(g: nx.MultiDiGraph, *, data: bool) -> Any:
    """A styled pydot graph.  With ``data``, every attribute is kept (the DOT export);
    without, only what Graphviz draws (pictures)."""
    try:
        import pydot
    except ImportError as e:  # pragma: no cover - pydot is a dependency
        raise UsageError("DOT output needs pydot: pip install pydot") from e

    def q(s: object) -> str:
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'

    view = str(g.graph.get("view", ""))
    big = g.number_of_nodes() > 120
    dot = pydot.Dot(graph_type="digraph", strict=False)
    dot.set("charset", "UTF-8")
    dot.set("fontname", "DejaVu Sans")
    if view == "provenance":
        dot.set("rankdir", "RL")
        dot.set("nodesep", "0.3")
    else:
        dot.set("overlap", "prism")
        dot.set("overlap_scaling", "-6" if big else "-3")
        dot.set("sep", "+8")
        dot.set("splines", "true")
        dot.set("K", "1.2")
    dot.set("outputorder", "edgesfirst")
    dot.set("pad", "0.3")
    title = {
        "actors": "Actors and events",
        "claims": "Claims and their sources",
        "full": "The whole graph",
        "provenance": "Provenance of ",
    }.get(view, view)
    if view == "provenance":
        claim = g.graph.get("claim")
        if claim:
            title += g.nodes.get(compact(str(claim)), {}).get("label", compact(str(claim)))
    dot.set("label", q(title))
    dot.set("labelloc", "t")
    dot.set("fontsize", "18")
    dot.set_node_defaults(
        fontname="DejaVu Sans", fontsize="10" if big else "11", margin="0.08,0.04"
    )
    dot.set_edge_defaults(
        fontname="DejaVu Sans",
        fontsize="8" if big else "9",
        color="#777777",
        fontcolor="#444444",
        arrowsize="0.6",
    )
    for k, d in g.nodes(data=True):
        attrs: dict[str, Any] = dict(KIND_STYLE.get(str(d.get("kind")), {}))
        text = str(d.get("label", k))  # wrapped for pictures, exact in the DOT export
        attrs["label"] = q(text if data else _wrap(text, 22 if not big else 18))
        attrs["tooltip"] = q(f"{d.get('type', '')} {d.get('iri', k)}")
        if d.get("type") == "cg:AnonymousSource":
            attrs["style"] = "rounded,filled,dashed"
        if data:
            for a, v in d.items():
                if a != "label":
                    attrs[q(a) if not a.isidentifier() else a] = q(v)
        dot.add_node(pydot.Node(q(k), **attrs))
    show_edge_labels = g.number_of_edges() <= 160
    for u, v, key, d in g.edges(keys=True, data=True):
        attrs = {}
        colour = EDGE_COLOURS.get(str(d.get("predicate")))
        if colour:
            attrs.update(color=colour, fontcolor=colour, penwidth="1.6")
        if show_edge_labels:
            attrs["label"] = q(str(d.get("label", key)))
        if d.get("predicate") == CG + "contradicts":
            attrs["style"] = "dashed"
        if data:
            attrs["key"] = q(key)
            for a, val in d.items():
                if a != "label":
                    attrs[q(a) if not a.isidentifier() else a] = q(val)
            attrs.setdefault("label", q(str(d.get("label", key))))
        dot.add_edge(pydot.Edge(q(u), q(v), **attrs))
    return dot


def _write_dot(g: nx.MultiDiGraph, f: IO[bytes]) -> None:
    f.write(_pydot(g, data=True).to_string().encode("utf-8"))


WRITERS: dict[str, Callable[[nx.MultiDiGraph, IO[bytes]], None]] = {
    "graphml": _write_graphml,
    "gexf": _write_gexf,
    "json": _write_json,
    "cyjs": _write_cyjs,
    "dot": _write_dot,
    "csv": _write_csv,
}

GRAPHVIZ_TIMEOUT = 120


def render(graph: nx.MultiDiGraph, format: str = "svg", *, layout: str | None = None) -> bytes:
    """Draw ``graph`` as SVG or PNG with Graphviz (the ``dot``/``neato``/``sfdp`` programs,
    Debian's ``graphviz`` package).  ``layout`` picks the program; by default ``dot`` for a
    provenance DAG, ``neato`` for actors and claims, ``sfdp`` for the full graph."""
    if format not in ("svg", "png"):
        raise UsageError(f"cannot draw {format!r}: choose svg or png")
    prog = layout or LAYOUTS.get(str(graph.graph.get("view")), "sfdp")
    exe = shutil.which(prog)
    if exe is None:
        raise UsageError(
            f"drawing needs Graphviz's {prog!r} program, which is not installed: "
            "apt-get install graphviz (scripts/run test installs it), or export --format dot"
        )
    source = _pydot(graph, data=False).to_string().encode("utf-8")
    args = [exe, f"-T{format}"]
    if format == "png":
        args.append("-Gdpi=110")
    try:
        proc = subprocess.run(
            args, input=source, capture_output=True, timeout=GRAPHVIZ_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise UsageError(
            f"Graphviz took more than {GRAPHVIZ_TIMEOUT} s to draw {graph.number_of_nodes()} "
            "nodes: draw a smaller view, or export GEXF for Gephi"
        ) from e
    if proc.returncode != 0 or not proc.stdout:
        raise UsageError(f"Graphviz failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return bytes(proc.stdout)


# ----------------------------------------------------------------------------- reading


def read(source: str | os.PathLike[str] | IO[bytes], format: str) -> nx.MultiDiGraph:
    """Load a file written by :func:`write` back into a networkx MultiDiGraph, with node
    ``label`` and ``type`` and edge ``predicate`` and ``label`` as they were.

    GraphML, GEXF, JSON and Cytoscape JSON are read with networkx's own readers; DOT with
    pydot (and its quoting undone); the CSV edge list with the csv module (nodes without
    edges are not in an edge list).

    >>> import io
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> data = to_bytes(build_graph(store, "actors"), "gexf")
    >>> read(io.BytesIO(data), "gexf").nodes["cgi:turkey"]["type"]
    'cg:State'
    """
    import networkx as nx

    if isinstance(source, (str, os.PathLike)):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
    g: nx.MultiDiGraph
    if format == "graphml":
        g = nx.read_graphml(io.BytesIO(raw), force_multigraph=True)
    elif format == "gexf":
        g = nx.read_gexf(io.BytesIO(raw), version="1.2draft")
        if not g.is_multigraph():
            g = nx.MultiDiGraph(g)
    elif format == "json":
        g = nx.node_link_graph(json.loads(raw), edges="links")
    elif format == "cyjs":
        g = nx.cytoscape_graph(json.loads(raw))
    elif format == "dot":
        g = _read_dot(raw.decode("utf-8"))
    elif format == "csv":
        g = _read_csv(raw.decode("utf-8"))
    else:
        raise UsageError(
            f"cannot read {format!r}: choose one of "
            f"{', '.join(f for f in FORMATS if not FORMATS[f].picture)}"
        )
    return g


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
        return re.sub(r'\\(["\\])', r"\1", value)
    return value


def _read_dot(text: str) -> nx.MultiDiGraph:
    import networkx as nx
    import pydot

    parsed = pydot.graph_from_dot_data(text)
    if not parsed:
        raise UsageError("not a DOT graph")
    raw = nx.nx_pydot.from_pydot(parsed[0])
    g = nx.MultiDiGraph()
    g.graph.update({k: _unquote(str(v)) for k, v in raw.graph.get("graph", {}).items()})
    for n, d in raw.nodes(data=True):
        if n in ("node", "graph", "edge"):
            continue
        g.add_node(_unquote(n), **{_unquote(k): _unquote(str(v)) for k, v in d.items()})
    for u, v, k, d in raw.edges(keys=True, data=True):
        g.add_edge(
            _unquote(u),
            _unquote(v),
            key=_unquote(str(k)),
            **{_unquote(a): _unquote(str(val)) for a, val in d.items()},
        )
    return g


def _read_csv(text: str) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph()
    for row in csv.DictReader(io.StringIO(text)):
        for end in ("source", "target"):
            g.add_node(row[end], label=row[f"{end}_label"], type=row[f"{end}_type"])
        g.add_edge(
            row["source"],
            row["target"],
            key=row["predicate"],
            predicate=expand(row["predicate"]),
            label=row["label"],
            id=row["id"],
        )
    return g


# ----------------------------------------------------------------------------- examples


def example_triples() -> list[ox.Triple]:
    """A tiny dataset for the examples: Turkey mediates a meeting; a claim by Turkey.

    >>> len(example_triples()) > 5
    True
    """

    def n(x: str) -> ox.NamedNode:
        return ox.NamedNode(expand(x))

    part = ox.BlankNode("p1")
    lab = n("rdfs:label")
    return [
        ox.Triple(n("cgi:turkey"), n("rdf:type"), n("cg:State")),
        ox.Triple(n("cgi:turkey"), lab, ox.Literal("Turkey", language="en")),
        ox.Triple(n("cgi:turkey"), n("rdfs:comment"), ox.Literal("A state.", language="en")),
        ox.Triple(n("cgi:meeting"), n("rdf:type"), n("cg:Meeting")),
        ox.Triple(n("cgi:meeting"), lab, ox.Literal("A meeting", language="en")),
        ox.Triple(n("cgi:meeting"), n("cg:hasParticipation"), part),
        ox.Triple(part, n("rdf:type"), n("cg:Participation")),
        ox.Triple(part, n("cg:agent"), n("cgi:turkey")),
        ox.Triple(part, n("cg:role"), n("cg:mediator")),
        ox.Triple(n("cgi:claim-x"), n("rdf:type"), n("cg:Statement")),
        ox.Triple(n("cgi:claim-x"), n("cg:claimant"), n("cgi:turkey")),
        ox.Triple(n("cgi:claim-x"), n("cg:claimText"), ox.Literal("We mediate.", language="en")),
    ]
