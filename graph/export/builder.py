"""The graph builder every view uses: it collects the nodes and edges of one view from the
store, then gives every node its ``label``, ``type``, ``types`` and ``kind``.

Node keys are compact IRIs (``cgi:turkey``), blank nodes ``_:id``; an edge's networkx key is
its compact predicate, and every edge gets a unique ``id`` (``e1``, ``e2``, …).
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..rdf import (
    LABEL_PROPERTIES,
    META_GRAPH,
    RDFS,
    Scalar,
    choose_text,
    compact,
    expand,
    language_rank,
)
from ..statements import resource_standings, triple_standings
from ..store import Store
from ..vocabulary import symmetric_properties, term_label
from .kinds import main_type, node_kind

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphBuilder", "attribute_value"]

Resource = ox.NamedNode | ox.BlankNode

_LABEL_VALUES = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
_LABELS_QUERY = (
    f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {_LABEL_VALUES} }} ?s ?p ?l FILTER(isLiteral(?l)) }}"
)
"""Label candidates (any of :data:`~claimgraph.rdf.LABEL_PROPERTIES`) of every resource, or
of the one bound to ``?s``."""


def attribute_value(values: list[tuple[str, Scalar]], lang: str) -> Scalar:
    """One node attribute from the ``(language tag, value)`` pairs of one predicate:
    language-tagged values narrowed to those in the language that fits ``lang`` best, several
    values joined with `` | ``.

    >>> attribute_value([("de", "Gespräche"), ("en", "talks")], "en")
    'talks'
    >>> attribute_value([("", "b"), ("", "a")], "en")
    'a | b'
    """
    if len(values) == 1:
        return values[0][1]
    best = min(language_rank(tag, lang) for tag, _ in values)
    kept = sorted({str(v) for tag, v in values if language_rank(tag, lang) == best})
    if len(kept) == 1:
        picked = [v for tag, v in values if str(v) == kept[0]]
        return picked[0]
    return " | ".join(kept)


class GraphBuilder:
    """Collects nodes and edges of one view, then labels and types them."""

    def __init__(self, store: Store, view: str, lang: str) -> None:
        import networkx as nx

        # claimgraph/__init__ may import this package before it has set __version__: read it
        # when a graph is built, not when the module is imported (an import cycle otherwise)
        from .. import __version__

        self.store = store
        self.lang = lang
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self.graph.graph.update(view=view, lang=lang, generator=f"claimgraph {__version__}")
        self._keys: dict[str, str] = {}
        self._edge_ids = 0
        self.types: dict[str, set[str]] = defaultdict(set)
        self.terms: dict[str, Resource] = {}
        self.labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.alt_labels: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self.partial = False
        self._loaded: set[str] = set()

    # keys ------------------------------------------------------------------------------
    def key(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        """The node key of a resource: its compact IRI, or ``_:id`` for a blank node."""
        if isinstance(term, ox.NamedNode):
            iri = term.value
            k = self._keys.get(iri)
            if k is None:
                k = self._keys[iri] = compact(iri)
            return k
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        raise TypeError(f"not a resource: {term}")

    def add_node(self, term: Resource, **attrs: Any) -> str:
        """Add a resource as a node (once), with ``attrs`` that are not None; its key."""
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
        """Add an edge ``u → v`` meaning ``predicate`` (once per key; a symmetric predicate
        once per pair), with ``attrs`` that are not None."""
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

    def set_attributes(self, k: str, values: Mapping[str, list[tuple[str, Scalar]]]) -> None:
        """Set node attributes from ``(language tag, value)`` pairs, one list per attribute
        name (see :func:`attribute_value`)."""
        node = self.graph.nodes[k]
        for name, pairs in values.items():
            node[name] = attribute_value(pairs, self.lang)

    # lookups ---------------------------------------------------------------------------
    def add_label_candidate(self, k: str, predicate: str, language: str, text: str) -> None:
        """Keep a literal (its language tag, ``""`` if none, and its text) of one of
        :data:`~claimgraph.rdf.LABEL_PROPERTIES` as a possible label of node ``k``:
        ``rdfs:label`` first, the others in their order."""
        if predicate == RDFS + "label":
            self.labels[k].append((language, text))
        else:
            rank = LABEL_PROPERTIES.index(predicate)
            self.alt_labels[k].append((rank, language, text))

    def add_label_literal(self, k: str, predicate: str, literal: ox.Literal) -> None:
        """:meth:`add_label_candidate` of a pyoxigraph literal."""
        self.add_label_candidate(k, predicate, literal.language or "", literal.value)

    def load_types_and_labels(self) -> None:
        """Types and label candidates of every resource in the data (one query each); the
        batch metadata graph (batches, ingest agents) is not part of any view."""
        for row in self.store.select(
            "SELECT ?s ?t WHERE { GRAPH ?g { ?s a ?t } "
            f"FILTER(isIRI(?t) && ?g != <{META_GRAPH}>) }}"
        ):
            k = self.key(row["s"])
            self.types[k].add(row["t"].value)
            self.terms[k] = row["s"]
        for row in self.store.select(_LABELS_QUERY):
            self.add_label_literal(self.key(row["s"]), row["p"].value, row["l"])

    def load_for(self, keys: Iterable[str]) -> None:
        """Types and label candidates of a few nodes, a small query each: for small views of
        big stores, where :meth:`load_types_and_labels` would read every resource."""
        self.partial = True
        for k in keys:
            if k in self._loaded or k.startswith("_:"):
                continue
            self._loaded.add(k)
            term = (
                ox.NamedNode(self.graph.nodes[k]["iri"])
                if k in self.graph
                else ox.NamedNode(expand(k))
            )
            for row in self.store.select(
                "SELECT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?t)) }", bindings={"s": term}
            ):
                self.types[k].add(row["t"].value)
                self.terms[k] = term
            for row in self.store.select(_LABELS_QUERY, bindings={"s": term}):
                self.add_label_literal(k, row["p"].value, row["l"])

    def pairs(self, predicate: str) -> Iterator[tuple[Any, Any]]:
        """Every (subject, object) of one predicate, objects that are resources only."""
        for row in self.store.select(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
            s, o = row["s"], row["o"]
            if not isinstance(s, ox.Triple) and not isinstance(o, (ox.Literal, ox.Triple)):
                yield s, o

    def objects(self, predicate: str) -> dict[str, Any]:
        """Subject key -> one object of ``predicate``: the first by its IRI (or blank node
        id) when there are several — a joint statement's carriers — so that every store,
        whatever order it lists triples in, gives the same picture."""
        found: dict[str, Any] = {}
        for s, o in self.pairs(predicate):
            k = self.key(s)
            if k not in found or o.value < found[k].value:
                found[k] = o
        return found

    def kind_of(self, k: str) -> str:
        """The kind of node ``k`` (see :func:`~claimgraph.export.kinds.node_kind`)."""
        return node_kind(self.types.get(k, ()))

    # finishing -------------------------------------------------------------------------
    def finish(
        self,
        derive: Callable[[str, dict[str, Any]], str | None] | None = None,
        *,
        standings: bool = True,
    ) -> nx.MultiDiGraph:
        """Give every node ``label``, ``type``, ``types`` and ``kind``, and each node and
        edge the store states its ``standing`` (unless ``standings`` is False: the view
        has set them itself); the graph."""
        g = self.graph
        if self.partial:
            self.load_for(list(g))
        typing: dict[frozenset[str], tuple[str, str, str]] = {}  # few distinct type sets
        for k, data in g.nodes(data=True):
            types = frozenset(self.types.get(k, ()))
            described = typing.get(types)
            if described is None:
                described = typing[types] = (
                    compact(main_type(types)),
                    " ".join(sorted(compact(t) for t in types)),
                    node_kind(types),
                )
            data["type"], data["types"] = described[0], described[1]
            data["kind"] = data.get("kind") or described[2]
            label = self._stated_label(k)
            if label is not None:
                data["label"] = label
        for k, data in g.nodes(data=True):
            if "label" not in data:
                made = (derive or self.derive_label)(k, data)
                data["label"] = made if made else self._last_resort_label(k)
        if standings:
            self._mark_standings()
        _make_attribute_types_uniform(g)
        return g

    def _mark_standings(self) -> None:
        """``standing`` on each node and edge the store states in a statement graph:
        ``evidenced`` (an article says it), ``cited`` or ``judged`` (added beside it). Edges
        a view derives (a path, a role collapsed into one edge) have none."""
        g = self.graph
        iris = {k: d["iri"] for k, d in g.nodes(data=True) if not k.startswith("_:")}
        for k, standing in resource_standings(self.store, iris.values()).items():
            node = compact(k)
            if node in g:
                g.nodes[node]["standing"] = standing
        stated: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for u, v, data in g.edges(data=True):
            if u in iris and v in iris and "predicate" in data and "standing" not in data:
                # an edge may be drawn against its triple's direction (``inverse``)
                stated[(iris[u], data["predicate"], iris[v])].append(data)
                stated[(iris[v], data["predicate"], iris[u])].append(data)
        for key, standing in triple_standings(self.store, stated).items():
            for data in stated[key]:
                data.setdefault("standing", standing)

    def _stated_label(self, k: str) -> str | None:
        """The best ``rdfs:label`` of node ``k`` for the reader's language, else the best
        value of the first other label property it has; None if it has none."""
        label = choose_text(self.labels.get(k, ()), self.lang)
        if label is None and k in self.alt_labels:
            alts = self.alt_labels[k]
            first = min(r for r, _, _ in alts)
            label = choose_text([(t, x) for r, t, x in alts if r == first], self.lang)
        return label

    def _last_resort_label(self, k: str) -> str:
        """A blank node is called by its type, anything else by its key."""
        if k.startswith("_:"):
            types = self.types.get(k)
            return term_label(main_type(types), self.lang) if types else k
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
        type_label = term_label(main_type(types), self.lang) if types else None
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
            return "“" + _shortened(str(exact)) + "”"
        return None


def _shortened(text: str, width: int = 60) -> str:
    """``text`` with its whitespace collapsed, cut at a word to ``width`` with ``…``
    (:func:`textwrap.shorten`, whose wrapping is skipped when the text fits).

    >>> _shortened("  a   quote ")
    'a quote'
    >>> _shortened("word " * 20)
    'word word word word word word word word word word word word…'
    """
    collapsed = " ".join(text.split())
    if len(collapsed) <= width:
        return collapsed
    return textwrap.shorten(collapsed, width, placeholder="…")


def _make_attribute_types_uniform(g: nx.MultiDiGraph) -> None:
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
