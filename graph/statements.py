"""Statement graphs: the standing of every triple — evidenced, cited or judged.

Every triple claimgraph holds sits in one named graph, and every graph has one standing:

* **evidenced** (``cg:EvidencedStatements``) — what an article says. The graph names the
  revision whose text evidences it (``cg:evidenceFrom``) and every resource it describes
  carries ``cg:evidence`` spans in that text;
* **cited** (``cg:CitedStatements``) — background knowledge, with its source (``cg:citation``)
  and who added it (``cg:addedBy``);
* **judged** (``cg:JudgedStatements``) — an inference or assessment by a named agent
  (``cg:judgedBy``), with the time (``cg:judgedAt``) and a confidence (``cg:confidence``).

A file declares its statement graphs as JSON-LD named graphs (or TriG graphs): a node with an
``id``, a ``type`` of one of the three classes, its provenance, and an ``@graph`` of
statements.  What a file states outside any declared graph lands in the batch's own graph,
cited to the file itself.  Ingest moves the declarations into the batch metadata graph (with
``cg:inBatch``), so that :func:`graphs_by_standing` can tell queries which graphs to read.

>>> STANDINGS["evidenced"] == CG + "EvidencedStatements"
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import ParseError, UsageError
from .rdf import CG, META_GRAPH, OA, RDF_TYPE, VALUES_CHUNK, sparql_iri, values_blocks
from .validation.report import ValidationResult

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "DEFAULT_STANDINGS",
    "STANDINGS",
    "FileGraphs",
    "EVIDENCE_RULE",
    "evidence_problems",
    "evidence_results",
    "graphs_by_standing",
    "parse_standings",
    "split_file_graphs",
]

STANDINGS: dict[str, str] = {
    "evidenced": CG + "EvidencedStatements",
    "cited": CG + "CitedStatements",
    "judged": CG + "JudgedStatements",
}
"""Each standing by name, with the class of its statement graphs."""

NAMES: dict[str, str] = {iri: name for name, iri in STANDINGS.items()}

DEFAULT_STANDINGS: tuple[str, ...] = ("evidenced",)
"""What saved queries and listings answer from unless asked for more."""

_EVIDENCE, _SOURCE, _FROM = CG + "evidence", OA + "hasSource", CG + "evidenceFrom"


def parse_standings(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """The standings named by ``--include`` (comma-separated, ``all``), always with
    ``evidenced``.

    >>> parse_standings("cited"), parse_standings("all"), parse_standings(None)
    (('evidenced', 'cited'), ('evidenced', 'cited', 'judged'), ('evidenced',))
    """
    if text is None:
        return DEFAULT_STANDINGS
    items = [text] if isinstance(text, str) else list(text)
    names = [n.strip().lower() for item in items for n in item.split(",") if n.strip()]
    if "all" in names:
        return tuple(STANDINGS)
    unknown = sorted(set(names) - set(STANDINGS))
    if unknown:
        raise UsageError(
            f"unknown standing(s) {', '.join(unknown)}: include any of cited, judged (or all); "
            "evidenced statements are always included"
        )
    return tuple(n for n in STANDINGS if n == "evidenced" or n in names)


@dataclass
class FileGraphs:
    """One parsed file, split by graph: what it states outside any declared graph, each
    declared statement graph, and the declarations themselves."""

    main: list[ox.Triple] = field(default_factory=list)
    graphs: dict[str, list[ox.Triple]] = field(default_factory=dict)
    declarations: list[ox.Triple] = field(default_factory=list)
    standing: dict[str, str] = field(default_factory=dict)
    """Each declared graph's standing (``evidenced``, ``cited`` or ``judged``)."""

    def all_triples(self) -> list[ox.Triple]:
        """Everything, graphs flattened (what the shapes validate)."""
        out = list(self.main) + list(self.declarations)
        for triples in self.graphs.values():
            out += triples
        return out


def split_file_graphs(quads: Sequence[ox.Quad], *, source: str) -> FileGraphs:
    """Split a file's quads into its own statements, its declared statement graphs and their
    declarations (the triples about each graph, with the blank nodes they use); raise
    :class:`~claimgraph.errors.ParseError` for a graph without an IRI or without a
    standing."""
    out = FileGraphs()
    default: list[ox.Triple] = []
    for q in quads:
        triple = ox.Triple(q.subject, q.predicate, q.object)
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph):
            default.append(triple)
        elif isinstance(g, ox.NamedNode):
            out.graphs.setdefault(g.value, []).append(triple)
        else:
            raise ParseError(
                "a statement graph has no id: give each graph (each object with an @graph "
                "inside the file's @graph) an id such as cgi:my-article-statements",
                source=source,
            )
    names = {ox.NamedNode(g) for g in out.graphs}
    declared: set[object] = set(names)
    grew = True
    while grew:  # the declarations, and the blank nodes they use (citations)
        grew = False
        for t in default:
            if t.subject in declared and isinstance(t.object, ox.BlankNode):
                if t.object not in declared:
                    declared.add(t.object)
                    grew = True
    for t in default:
        (out.declarations if t.subject in declared else out.main).append(t)
    for name in out.graphs:
        kinds = {
            t.object.value
            for t in out.declarations
            if t.subject == ox.NamedNode(name)
            and t.predicate.value == RDF_TYPE
            and isinstance(t.object, ox.NamedNode)
            and t.object.value in NAMES
        }
        if len(kinds) != 1:
            said = "two standings" if kinds else "no standing"
            raise ParseError(
                f"the statement graph <{name}> has {said}: give it exactly one type of "
                "EvidencedStatements (what the article says), CitedStatements (background, "
                "with its citation) or JudgedStatements (an agent's inference or assessment)",
                source=source,
            )
        out.standing[name] = NAMES[kinds.pop()]
    return out


EVIDENCE_RULE = "https://w3id.org/claimgraph/shapes#EvidencedStatementsRule"
"""The rule every evidenced statement graph keeps (checked in Python: it needs the graphs)."""


def evidence_results(graphs: FileGraphs) -> list[ValidationResult]:
    """:func:`evidence_problems` as validation results (violations of
    ``cgsh:EvidencedStatementsRule``), for the batch's report."""
    from rdflib import URIRef
    from rdflib.namespace import SH

    rule = URIRef(EVIDENCE_RULE)
    return [
        ValidationResult(
            focus_node=URIRef(node),
            result_path=URIRef(_EVIDENCE),
            value=None,
            source_shape=rule,
            constraint_component=rule,
            severity=SH.Violation,
            message=f"{message} (graph <{graph}>)",
        )
        for graph, node, message in evidence_problems(graphs)
    ]


def evidence_problems(graphs: FileGraphs) -> list[tuple[str, str, str]]:
    """``(graph, node, message)`` for every resource an evidenced graph describes without an
    evidence span in the text the graph is evidenced from."""
    problems: list[tuple[str, str, str]] = []
    for name, triples in graphs.graphs.items():
        if graphs.standing.get(name) != "evidenced":
            continue
        revisions = {
            t.object.value
            for t in graphs.declarations
            if t.subject == ox.NamedNode(name)
            and t.predicate.value == _FROM
            and isinstance(t.object, ox.NamedNode)
        }
        sources: dict[object, set[str]] = {}
        for t in triples:
            if t.predicate.value == _SOURCE and isinstance(t.object, ox.NamedNode):
                sources.setdefault(t.subject, set()).add(t.object.value)
        evidenced = {
            t.subject
            for t in triples
            if t.predicate.value == _EVIDENCE and sources.get(t.object, set()) & revisions
        }
        described = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
        for node in sorted(described - evidenced, key=str):
            problems.append(
                (
                    name,
                    node.value if isinstance(node, ox.NamedNode) else str(node),
                    "an evidenced statement graph says only what the article says: every "
                    "resource it describes carries cg:evidence, a span of the text of the "
                    "graph's cg:evidenceFrom revision where the article says it. Add the span, "
                    "or move these statements to a cited or judged graph",
                )
            )
    return problems


def graphs_by_standing(store: Store, standings: Iterable[str]) -> list[str]:
    """The named graphs whose standing is one of ``standings``.  A batch graph that declares
    no standing (data written before statement graphs, or through the Graph Store Protocol)
    counts as cited: it is what its source file or request says."""
    wanted = [STANDINGS[s] for s in standings]
    if not wanted:
        return []
    kinds = " ".join(sparql_iri(k) for k in wanted)
    cited = STANDINGS["cited"] in wanted
    rows = store.select(
        f"""SELECT DISTINCT ?g WHERE {{
          {{ GRAPH {sparql_iri(META_GRAPH)} {{ ?g a ?kind }} VALUES ?kind {{ {kinds} }} }}
          UNION
          {{ GRAPH ?g {{ }} FILTER(?g != {sparql_iri(META_GRAPH)} && {str(cited).lower()})
             FILTER NOT EXISTS {{ GRAPH {sparql_iri(META_GRAPH)} {{ ?g a ?any }}
               VALUES ?any {{ {" ".join(sparql_iri(k) for k in STANDINGS.values())} }} }} }}
        }}""",
        default_graphs=[],
    )
    return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))


_RANK = {"evidenced": 0, "cited": 1, "judged": 2}


def best_standing(standings: Iterable[str | None]) -> str | None:
    """The strongest of ``standings`` (evidenced, then cited, then judged); None for none.

    >>> best_standing(["judged", "cited", None])
    'cited'
    """
    known = [s for s in standings if s in _RANK]
    return min(known, key=_RANK.__getitem__) if known else None


def graph_standings(store: Store) -> dict[str, str]:
    """Every named graph's standing: the declared one, else ``cited`` (a batch graph cites
    its source; a graph written without batches cites the request that wrote it)."""
    rows = store.select(
        f"""SELECT ?g ?kind WHERE {{ GRAPH {sparql_iri(META_GRAPH)} {{ ?g a ?kind }}
            VALUES ?kind {{ {" ".join(sparql_iri(k) for k in STANDINGS.values())} }} }}""",
        default_graphs=[],
    )
    declared = {r["g"].value: NAMES[r["kind"].value] for r in rows}
    out = {g: declared.get(g, "cited") for g in store.graphs() if g != META_GRAPH}
    for g, standing in declared.items():
        out.setdefault(g, standing)
    return out


def resource_standings(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """The standing of each resource: of the graphs that state its type (the best of them:
    evidenced, then cited, then judged).  Untyped resources are left out."""
    per_graph = graph_standings(store)
    best: dict[str, str] = {}
    for values in values_blocks("x", iris):
        for row in store._own_select(  # own text of typed IRIs: no safety check's lexing
            f"SELECT DISTINCT ?x ?g WHERE {{ {values} GRAPH ?g {{ ?x a ?t }} }}",
            default_graphs=[],
        ):
            x, standing = row["x"].value, per_graph.get(row["g"].value)
            found = best_standing([best.get(x), standing])
            if found is not None:
                best[x] = found
    return best


def triple_standings(
    store: Store, triples: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], str]:
    """The standing of each stated triple ``(subject, predicate, object)`` (IRIs): of the
    graphs that state it, the best.  Triples stated nowhere (derived ones) are left out."""
    per_graph = graph_standings(store)
    items = sorted(set(triples))
    best: dict[tuple[str, str, str], str] = {}
    for i in range(0, len(items), VALUES_CHUNK):
        rows = " ".join(
            f"({sparql_iri(s)} {sparql_iri(p)} {sparql_iri(o)})"
            for s, p, o in items[i : i + VALUES_CHUNK]
        )
        for row in store._own_select(  # own text of typed IRIs: no safety check's lexing
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} "
            "GRAPH ?g { ?s ?p ?o } }",
            default_graphs=[],
        ):
            key = (row["s"].value, row["p"].value, row["o"].value)
            found = best_standing([best.get(key), per_graph.get(row["g"].value)])
            if found is not None:
                best[key] = found
    return best


def dataset(store: Store, standings: Iterable[str]) -> list[str] | None:
    """The graphs a query reads to answer from ``standings``: the graphs of those standings,
    the graphs that hold the articles and revisions evidenced graphs quote (the sources
    themselves: which article, which outlet), the graphs that only link nodes as one thing
    (``owl:sameAs``, as ``claimgraph link`` writes them: identity, honoured whatever its
    standing) and the batch metadata graph (which says each graph's standing); None for
    every graph."""
    wanted = tuple(standings)
    if set(wanted) >= set(STANDINGS):
        return None
    graphs = set(graphs_by_standing(store, wanted))
    if "evidenced" in wanted:
        rows = store.select(
            f"""SELECT DISTINCT ?g WHERE {{
                GRAPH {sparql_iri(META_GRAPH)} {{ ?statements cg:evidenceFrom ?revision }}
                GRAPH ?g {{ ?revision a cg:ArticleRevision }} }}""",
            default_graphs=[],
        )
        graphs.update(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))
    links = store.select(
        """SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a owl:sameAs ?b }
            FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o FILTER(?p != owl:sameAs) } } }""",
        default_graphs=[],
    )
    graphs.update(r["g"].value for r in links if isinstance(r["g"], ox.NamedNode))
    return [*sorted(graphs), META_GRAPH]
