"""What claimgraph knows about each kind of SPARQL server: one :class:`Server` per kind,
recognised by the ``Server`` header of its first answer.

Every fact here was measured on the server named (Oxigraph server 0.5, Virtuoso Open Source
7.2.5 from Debian) or comes from its documentation; ``docs/scale-out.md`` lists them with the
other servers (Fuseki, GraphDB, Stardog, Neptune, QLever), which get :data:`GENERIC`: the plain
protocol, with the server configured so that its default graph is the union of all graphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rdf import XSD

VIRTUOSO_DEFAULT_GRAPH = "https://w3id.org/claimgraph/graph/default"
"""The named graph that stands in for the store's own default graph on Virtuoso, which keeps
every triple in some graph."""

EMPTY_GRAPH = "https://w3id.org/claimgraph/graph/none"
"""A graph no store holds: the protocol's way to ask for an empty default graph."""

UNBOUND = "https://w3id.org/claimgraph/.well-known/unbound"
"""An IRI no store holds, standing in for "unbound" where a server mishandles unbound values
(:func:`claimgraph.store.reshape.with_bound_distinct`); in an answer, the IRI or a literal of
its text (Virtuoso turns it into a string beside strings) is read as unbound."""


@dataclass(frozen=True)
class Server:
    """How to speak to one kind of SPARQL server."""

    name: str
    union: str
    """How queries get the union of all graphs as their default graph: ``parameter``
    (Oxigraph's ``union-default-graph``) or ``native`` (the server's default graph already is
    the union)."""
    results: str = "json"
    """The SPARQL results format asked for: ``json`` or ``xml``."""
    empty_graphs: bool = False
    """The server keeps empty named graphs (``GRAPH ?g {}`` lists them)."""
    transactional: bool = True
    """A request of several update operations is applied all or nothing."""
    statements_per_insert: int | None = None
    """Most subject statements one ``INSERT DATA`` operation may hold (Virtuoso's parser runs
    out of memory at about 5,000)."""
    system_graphs: tuple[str, ...] = ()
    """Graphs of the server's own, outside the store: never listed, dropped or counted (on
    Virtuoso they must also be private to claimgraph's user, see ``docs/scale-out.md``)."""
    default_graph: str | None = None
    """The named graph standing in for the store's default graph, if the server has none."""
    stand_in_datatypes: dict[str, str] = field(default_factory=dict)
    """Datatypes the server cannot keep as written, stored under a stand-in datatype."""
    timeout_parameter: tuple[str, float] | None = None
    """The query parameter that gives the server the time limit, and its unit per second."""
    construct_by_select: bool = False
    """CONSTRUCT answers may be cut without a sign: ask for the solutions instead (a cut
    SELECT is signalled) and build the triples here."""
    dataset_overrides_from: bool = True
    """``default-graph-uri`` replaces a query's ``FROM`` (the protocol says so)."""
    graph_store_reads: bool = True
    """A Graph Store GET returns the whole graph (Virtuoso's is cut at its row limit)."""
    ask_by_select: bool = False
    """ASK answers may be wrong (Virtuoso says true of ``GRAPH <g> {…}`` for a graph it does
    not hold when the request gives a dataset): ask for one row of the SELECT instead."""
    drops_created_graphs_only: bool = False
    """``DROP GRAPH <g>`` fails unless ``<g>`` was made by ``CREATE GRAPH`` (Virtuoso)."""
    booleans_as_integers: bool = False
    """Boolean values of expressions come back as 1 and 0 (Virtuoso): they are cast."""
    group_concat_drops_language: bool = False
    """``GROUP_CONCAT`` of values in one language gives a plain string (and needs its
    separator given): rewritten to keep the tag, as the embedded store does."""
    empty_group_concat: bool = False
    """``GROUP_CONCAT`` of no value gives "" where the embedded store leaves it unbound."""
    distinct_keeps_unbound_copies: bool = False
    """``SELECT DISTINCT`` may give a row with an unbound value more than once (Virtuoso 7.2,
    measured: two of a claim's evidence spans quoting the same words, without offsets, came
    back as two equal rows): every column is projected with a stand-in for unbound."""
    bnode_labels_need_cleaning: bool = False
    """Its own blank node labels are not valid in RDF syntaxes (Virtuoso's ``nodeID://``)."""

    def dataset(self, mode: str) -> list[tuple[str, str]]:
        """The protocol parameters that give a request's default graph, by what it is:
        ``union`` (all graphs), ``own`` (the store's own default graph; updates too) or
        ``given`` (FROM, or parameters given by the caller).

        >>> OXIGRAPH.dataset("union"), VIRTUOSO.dataset("union")
        ([('union-default-graph', 'true')], [])
        >>> VIRTUOSO.dataset("own")
        [('default-graph-uri', 'https://w3id.org/claimgraph/graph/default')]
        """
        if mode == "union" and self.union == "parameter":
            return [("union-default-graph", "true")]
        if mode == "own" and self.default_graph is not None:
            return [("default-graph-uri", self.default_graph)]
        return []

    def needs_named_graphs(self, params: list[tuple[str, str]]) -> bool:
        """Whether ``named-graph-uri`` must list the graphs ``GRAPH`` may reach: whenever a
        request gives ``default-graph-uri`` (the protocol then leaves no named graphs, and
        Virtuoso answers ``GRAPH <g>`` wrongly)."""
        return any(name == "default-graph-uri" for name, _ in params)


_DURATIONS = ("duration", "dayTimeDuration", "yearMonthDuration")

OXIGRAPH = Server("Oxigraph server", union="parameter", results="json", empty_graphs=True)

VIRTUOSO = Server(
    "Virtuoso",
    union="native",
    results="xml",  # its JSON writes booleans as "1"^^xsd:boolean
    empty_graphs=False,
    transactional=False,
    statements_per_insert=4000,
    system_graphs=(
        "http://www.openlinksw.com/schemas/virtrdf#",
        "http://www.w3.org/ns/ldp#",
        "http://localuriqaserver/sparql",
        "http://localhost:8890/sparql",
        "http://www.openlinksw.com/schemas/RDF_Mapper_Ontology/1.0/",
        "urn:activitystreams-owl:map",
    ),
    default_graph=VIRTUOSO_DEFAULT_GRAPH,
    # it stores durations as a number of seconds (PT2H comes back "7200.0"), or refuses them
    stand_in_datatypes={
        XSD + d: f"https://w3id.org/claimgraph/.well-known/datatype/xsd-{d}" for d in _DURATIONS
    },
    timeout_parameter=("timeout", 1000.0),
    construct_by_select=True,
    dataset_overrides_from=False,
    graph_store_reads=False,
    ask_by_select=True,
    drops_created_graphs_only=True,
    booleans_as_integers=True,
    empty_group_concat=True,
    group_concat_drops_language=True,
    bnode_labels_need_cleaning=True,
    distinct_keeps_unbound_copies=True,
)

GENERIC = Server("SPARQL 1.1 server", union="native", results="json")


def recognise(server_header: str) -> Server:
    """The kind of server a ``Server`` response header names.

    >>> recognise("Oxigraph/0.5.13").name, recognise("Virtuoso/07.20.3229 (Linux)").name
    ('Oxigraph server', 'Virtuoso')
    >>> recognise("Apache Jena Fuseki (5.1.0)") is GENERIC
    True
    """
    low = server_header.lower()
    if low.startswith("oxigraph"):
        return OXIGRAPH
    if low.startswith("virtuoso"):
        return VIRTUOSO
    return GENERIC
