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

The package, by what each part owns:

- :mod:`~claimgraph.export.kinds`: a node's kind and the one type shown for it;
- :mod:`~claimgraph.export.builder`: the graph builder every view uses (nodes, edges, labels);
- :mod:`~claimgraph.export.views`: :func:`build_graph` and one module per view;
- :mod:`~claimgraph.export.measures`: centrality, source diversity, counts;
- :mod:`~claimgraph.export.facts`: what the graph browser shows for one node;
- :mod:`~claimgraph.export.formats`: writing and reading files (a networkx graph in or out,
  never a store);
- :mod:`~claimgraph.export.streamed`: GraphML, GEXF and the JSON formats written element by
  element (networkx's bytes, without its whole document in memory);
- :mod:`~claimgraph.export.drawing`: DOT styling and pictures drawn by Graphviz;
- :mod:`~claimgraph.export.examples`: the tiny dataset of the examples.

>>> from claimgraph.export import build_graph, example_triples
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

from typing import TYPE_CHECKING

from ..store import Store
from .drawing import render
from .examples import example_triples
from .facts import node_facts
from .formats import FORMATS, ExportFormat, Output, export_format, read, to_bytes, write
from .measures import ActorCentrality, GraphMeasures, SourceDiversity, graph_measures
from .views import VIEWS, build_graph

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMATS",
    "VIEWS",
    "ActorCentrality",
    "ExportFormat",
    "GraphMeasures",
    "Output",
    "SourceDiversity",
    "build_graph",
    "example_triples",
    "export",
    "graph_measures",
    "node_facts",
    "read",
    "render",
    "to_bytes",
    "write",
]


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
    """Build a view and write it; returns the graph.

    >>> import io
    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> store.add_batch("urn:x:g", example_triples(), [])
    >>> export(store, "actors", "json", io.BytesIO()).number_of_nodes()
    2
    """
    export_format(format)  # an unknown format is refused before the view is built
    graph = build_graph(store, view, claim=claim, lang=lang)
    write(graph, format, output, layout=layout)
    return graph
