"""What claimgraph needs of a quad store: the :class:`Store` interface.

Everything claimgraph keeps lives in a store: one named graph per ingested batch, plus
:data:`~claimgraph.rdf.META_GRAPH` describing the batches.  Queries see the union of all
graphs as their default graph, so analysts need no ``GRAPH`` clause.

The interface is small on purpose so that a remote SPARQL 1.1 server can implement it over
the Query, Update and Graph Store protocols: queries and updates as text (checked by
:mod:`claimgraph.sparql.safety` before anything runs), batches and graphs written from typed
triples, graphs read as quads.  Terms are pyoxigraph terms throughout.

**Sessions.**  ``with store.reading():`` and ``with store.writing():`` group calls that must
see one state of the store: nothing another process writes shows inside a reading session,
and a writing session is the only writer while it lasts.  Calls made outside a session are
each a session of their own.  The embedded backend implements sessions with file locks
(:mod:`claimgraph.store.locking`); a remote store isolates each request on the server, and
its sessions cost nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO, Self

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from .result_kinds import QueryResult, expect_solutions, expect_triples
from .rows import Row, statement_rows_of_quads

Term = ox.NamedNode | ox.BlankNode | ox.Literal
GraphName = str | ox.DefaultGraph | None
"""Which graph to read: a named graph's IRI, ``ox.DefaultGraph()`` for the store's own
(unnamed) default graph, or None for every graph."""


class Store(ABC):
    """What claimgraph needs of a quad store."""

    #: What this backend can do beyond the basics, e.g. ``{"transactions", "substitutions"}``.
    capabilities: frozenset[str] = frozenset()

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def reading(self) -> Iterator[Self]:
        """A reading session: every call inside sees the store as it was when the session
        began, and query results may be read lazily until it ends.

        >>> from claimgraph.store import open_store
        >>> store = open_store(":memory:")
        >>> with store.reading() as same:
        ...     same is store, len(store)
        (True, 0)
        """
        yield self

    @contextmanager
    def writing(self) -> Iterator[Self]:
        """A writing session: this store is the only writer while it lasts, and reads inside
        it see its own writes.  Each write call is still its own transaction."""
        yield self

    def generation(self) -> int | None:
        """How many writing sessions have begun on this store, by any process (inside a
        writing session: counting that one); None if the backend cannot tell.  The one
        notion of "the store changed": a writer that judged data outside the lock reads it
        first and checks :meth:`unchanged_since` once it holds the lock; a cache of answers
        (the server's result cache, the claim listings) keys them by it, read before the
        answer is, and keeps nothing read while :meth:`writing_now` (the writes of one
        session share one generation).

        >>> from claimgraph.store import open_store
        >>> store = open_store(":memory:")
        >>> before = store.generation()
        >>> store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        >>> store.generation() != before
        True
        """
        return None

    def writing_now(self) -> bool:
        """Whether this thread is inside a writing session of this store.

        >>> from claimgraph.store import open_store
        >>> store = open_store(":memory:")
        >>> with store.writing():
        ...     store.writing_now()
        True
        >>> store.writing_now()
        False
        """
        return False

    def unchanged_since(self, seen: int | None) -> bool:
        """Inside a writing session: whether no other writer has begun since
        :meth:`generation` returned ``seen`` (read before the session or inside it), so what
        was read and judged since then still holds.  False when the backend cannot tell.

        >>> from claimgraph.store import open_store
        >>> store = open_store(":memory:")
        >>> seen = store.generation()
        >>> with store.writing():
        ...     store.unchanged_since(seen)
        True
        >>> with store.writing():
        ...     store.unchanged_since(seen)
        False
        """
        now = self.generation()
        return seen is not None and now is not None and now in (seen, seen + 1)

    # ------------------------------------------------------------------ queries

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        base_iri: str | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union: bool = True,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query.

        The query never reaches outside the store: ``SERVICE``, and ``FROM`` of a graph the
        store does not hold, raise :class:`~claimgraph.errors.ForbiddenQuery`
        (:mod:`claimgraph.sparql.safety`); the engine runs the canonical text that check read.
        ``default_graphs`` and ``named_graphs`` give the dataset (as the protocol's
        ``default-graph-uri`` / ``named-graph-uri`` do, replacing any ``FROM``).  Without
        ``default_graphs``, the default graph is the union of all graphs (``union``, the
        default, which also overrides ``FROM``), or else what the query's ``FROM`` says, or
        else the store's own default graph.  ``bindings`` binds variables (without ``?``) to
        RDF terms before evaluation; values are never spliced into the query text.  The
        prefixes of :data:`~claimgraph.rdf.PREFIXES` are predeclared.

        Outside a session the result has been read whole before the call returns; inside
        one it is read as it is iterated.
        """

    def _own_construct(self, sparql: str) -> ox.QueryTriples:
        """Run a CONSTRUCT query claimgraph wrote itself from fixed text and the IRIs of typed
        terms (the context of a batch, :mod:`claimgraph.validation.context`), over the union
        of the graphs.  Private to claimgraph: a backend may run it as written, without the
        safety check of :meth:`query`, whose lexing would cost more than the query (the
        embedded store does); this default checks it as any other.
        """
        return self.construct(sparql)

    def _own_select(
        self, sparql: str, *, default_graphs: Iterable[str] | None = None
    ) -> ox.QuerySolutions:
        """Run a SELECT query claimgraph wrote itself from fixed text and the IRIs of typed
        terms (the standings of :mod:`claimgraph.statements`).  Private to claimgraph, like
        :meth:`_own_construct`: this default checks it as any other."""
        return self.select(sparql, default_graphs=default_graphs)

    def select(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> ox.QuerySolutions:
        """Run a SELECT query (see :meth:`query`); its solutions.

        >>> from claimgraph.store import open_store
        >>> [s["n"].value for s in open_store(":memory:").select("SELECT (1 AS ?n) {}")]
        ['1']
        """
        result = self.query(
            sparql,
            bindings=bindings,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
        return expect_solutions(result, sparql)

    def ask(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Iterable[str] | None = None,
    ) -> bool:
        """Run an ASK query (see :meth:`query`); its answer.

        >>> from claimgraph.store import open_store
        >>> open_store(":memory:").ask("ASK { ?s ?p ?o }")
        False
        """
        result = self.query(sparql, bindings=bindings, default_graphs=default_graphs)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError(f"expected an ASK query, not: {sparql[:80]}")
        return bool(result)

    def construct(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Iterable[str] | None = None,
    ) -> ox.QueryTriples:
        """Run a CONSTRUCT or DESCRIBE query (see :meth:`query`); its triples.

        >>> from claimgraph.store import open_store
        >>> list(open_store(":memory:").construct("CONSTRUCT WHERE { ?s ?p ?o }"))
        []
        """
        return expect_triples(
            self.query(sparql, bindings=bindings, default_graphs=default_graphs), sparql
        )

    # ------------------------------------------------------------------ writes

    @abstractmethod
    def update(
        self, sparql: str, *, base_iri: str | None = None, absent_graphs: Collection[str] = ()
    ) -> None:
        """Run a SPARQL 1.1 update, all or nothing.  It is checked as :meth:`query` is
        (``LOAD``, ``SERVICE`` and ``USING`` of a graph the store does not hold raise
        :class:`~claimgraph.errors.ForbiddenQuery`), except that it may name the graphs
        ``absent_graphs`` in ``USING`` although the store lacks them: they read as empty,
        nothing is fetched (the protocol's ``using-graph-uri`` parameters)."""

    @abstractmethod
    def add_batch(
        self,
        graph: str,
        triples: Iterable[ox.Triple],
        metadata: Iterable[ox.Triple],
        *,
        graphs: Mapping[str, Iterable[ox.Triple]] | None = None,
    ) -> None:
        """Write ``triples`` into the named graph ``graph``, ``metadata`` into the batch
        metadata graph and each of ``graphs`` (the batch's statement graphs, by name) into
        its own named graph, in one transaction."""

    @abstractmethod
    def rewrite_batch(
        self,
        graph: str,
        triples: Iterable[ox.Triple],
        metadata: Iterable[ox.Triple],
        *,
        replace: bool,
    ) -> None:
        """Rewrite batch ``graph`` in one transaction: its description in the metadata
        graph becomes ``metadata``, and ``triples`` replace its triples (``replace``, a Graph
        Store PUT) or are added to them (a POST)."""

    @abstractmethod
    def drop_batch(self, graph: str) -> None:
        """Remove a batch — its graph, its statement graphs — and everything written about it
        (:func:`claimgraph.batches.forget_batch_update`), in one transaction."""

    @abstractmethod
    def write_graph(
        self, graph: str | None, triples: Iterable[ox.Triple], *, replace: bool
    ) -> None:
        """Plain Graph Store semantics, without batches: ``triples`` replace (``replace``)
        or extend the named graph ``graph`` (None: the store's own default graph), which
        exists afterwards even when they are none; one transaction."""

    # ------------------------------------------------------------------ graphs

    @abstractmethod
    def graphs(self) -> list[str]:
        """The names of all named graphs, sorted."""

    def has_graph(self, graph: str) -> bool:
        """Whether a named graph exists (it may be empty)."""
        return graph in self.graphs()

    @abstractmethod
    def quads(self, graph: GraphName = None) -> Iterator[ox.Quad]:
        """The quads of one named graph, of the store's own default graph
        (``ox.DefaultGraph()``), or of every graph (None).  Outside a session the iteration
        is a reading session of its own, until the iterator is exhausted or closed."""

    def triples(self, graph: GraphName = None) -> Iterator[ox.Triple]:
        """The triples of :meth:`quads` (of every graph: one per quad, so a triple stated in
        two graphs comes twice)."""
        for q in self.quads(graph):
            yield ox.Triple(q.subject, q.predicate, q.object)

    def statement_rows(self, graph: str, predicates: Sequence[str] | None = None) -> Iterator[Row]:
        """The statements of named graph ``graph`` as text rows (with one of ``predicates``,
        if given), in the order of :meth:`quads` when ``predicates`` is None: see
        :mod:`claimgraph.store.rows`.  For a whole graph read at scale: a backend may make
        them in native code (the embedded one does), this default makes them from
        :meth:`quads`."""
        rows = statement_rows_of_quads(self.quads(graph))
        if predicates is None:
            return rows
        wanted = set(predicates)
        return (row for row in rows if row[1] in wanted)

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads in the store."""

    def scratch_copy(self, graphs: Collection[str] | None = None) -> Store:
        """An in-memory store holding this store's default graph and the named graphs
        ``graphs`` that exist (all of them when None), empty ones included: where an update
        can be tried before it is applied.

        >>> from claimgraph.store import open_store
        >>> store = open_store(":memory:")
        >>> store.update("INSERT DATA { GRAPH <http://example.org/g> { <urn:a> <urn:b> 1 } }")
        >>> copy = store.scratch_copy(["http://example.org/g", "http://example.org/none"])
        >>> copy.graphs(), len(copy)
        (['http://example.org/g'], 1)
        """
        from .oxigraph import OxigraphStore  # the embedded backend builds on this interface

        with self.reading():
            if graphs is None:
                names = self.graphs()
                quads = list(self.quads())
            else:
                names = sorted(g for g in graphs if self.has_graph(g))
                quads = list(self.quads(ox.DefaultGraph()))
                for g in names:
                    quads.extend(self.quads(g))
        return OxigraphStore.holding(quads, graphs=names)

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Write every quad (or, for triple formats, every triple) to ``output``."""
        raise StoreError(f"{type(self).__name__} cannot dump its content")

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release the store."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
