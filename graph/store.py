"""The store interface and its embedded backend.

Everything claimgraph keeps lives in a :class:`Store`: one named graph per ingested batch, plus
:data:`~claimgraph.rdf.META_GRAPH` describing the batches.  Queries see the union of all
graphs as their default graph, so analysts need no ``GRAPH`` clause.

The interface is small on purpose (query, update, add a batch atomically, drop a batch, list
graphs, read a graph) so that a remote SPARQL 1.1 server can implement it over the Query,
Update and Graph Store protocols.  Terms are pyoxigraph terms throughout.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .errors import QueryError, StoreError, syntax_message
from .rdf import META_GRAPH, PREFIXES
from .sparql.safety import safe_query, safe_update

Term = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

STORE_ENV = "CLAIMGRAPH_STORE"
MEMORY = ":memory:"


def default_store_path() -> Path:
    """Where the store lives when neither ``--store`` nor ``CLAIMGRAPH_STORE`` says.

    ``$XDG_DATA_HOME/claimgraph/store``, falling back to ``~/.local/share/claimgraph/store``.

    >>> default_store_path().parts[-2:]
    ('claimgraph', 'store')
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "claimgraph" / "store"


class Store(ABC):
    """What claimgraph needs of a quad store."""

    #: What this backend can do beyond the basics, e.g. ``{"transactions", "substitutions"}``.
    capabilities: frozenset[str] = frozenset()

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query.

        The query never reaches outside the store: ``SERVICE``, and ``FROM`` of a graph the
        store does not hold, raise :class:`~claimgraph.errors.ForbiddenQuery`
        (:mod:`claimgraph.sparql.safety`).  The default graph is the union of all graphs
        unless ``default_graphs`` names some.
        ``bindings`` binds variables (without ``?``) to RDF terms before evaluation; values are
        never spliced into the query text.  The prefixes of
        :data:`~claimgraph.rdf.PREFIXES` are predeclared.
        """

    def select(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> ox.QuerySolutions:
        """Run a SELECT query (see :meth:`query`); its solutions.

        >>> store = OxigraphStore(None)
        >>> [s["n"].value for s in store.select("SELECT (1 AS ?n) {}")]
        ['1']
        """
        result = self.query(
            sparql, bindings=bindings, default_graphs=default_graphs, named_graphs=named_graphs
        )
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(f"expected a SELECT query, not: {sparql[:80]}")
        return result

    def ask(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Iterable[str] | None = None,
    ) -> bool:
        """Run an ASK query (see :meth:`query`); its answer."""
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
        """Run a CONSTRUCT or DESCRIBE query (see :meth:`query`); its triples."""
        result = self.query(sparql, bindings=bindings, default_graphs=default_graphs)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError(f"expected a CONSTRUCT or DESCRIBE query, not: {sparql[:80]}")
        return result

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update, all or nothing; ``LOAD`` and ``SERVICE`` raise
        :class:`~claimgraph.errors.ForbiddenQuery`."""

    @abstractmethod
    def add_batch(
        self, graph: str, triples: Iterable[ox.Triple], metadata: Iterable[ox.Triple]
    ) -> None:
        """Write ``triples`` into the named graph ``graph`` and ``metadata`` into the batch
        metadata graph, in one transaction."""

    @abstractmethod
    def drop_batch(self, graph: str) -> None:
        """Remove a batch graph and everything written about it
        (:func:`claimgraph.batches.forget_batch_update`), in one transaction."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The names of all named graphs, sorted."""

    @abstractmethod
    def triples(self, graph: str | None = None) -> Iterator[ox.Triple]:
        """The triples of one named graph, or of every graph when ``graph`` is None."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads in the store."""

    def has_graph(self, graph: str) -> bool:
        """Whether a named graph exists."""
        return graph in self.graphs()

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Write every quad (or, for triple formats, every triple) to ``output``."""
        raise StoreError(f"{type(self).__name__} cannot dump its content")

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release the store."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class OxigraphStore(Store):
    """The embedded on-disk store: pyoxigraph's ``Store(path)``, transactional, no server.

    >>> store = OxigraphStore(None)
    >>> from pyoxigraph import NamedNode, Literal, Triple
    >>> ex = NamedNode("http://example.org/a")
    >>> store.add_batch("http://example.org/g", [Triple(ex, ex, Literal("x"))], [])
    >>> [str(s["o"]) for s in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
    ['"x"']
    """

    capabilities = frozenset({"transactions", "substitutions", "dump"})

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as e:
            raise StoreError(
                f"cannot open the store at {self.path}: {e}. Is another claimgraph process "
                "using it? Use --store or set CLAIMGRAPH_STORE to choose another."
            ) from e

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store, for bulk paths that need it."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> QueryResult:
        kwargs: dict[str, object] = {"prefixes": PREFIXES}
        if default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        text = safe_query(sparql, self.has_graph)
        try:
            return self._store.query(text, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as e:
            raise QueryError(syntax_message("query", sparql, str(e))) from e
        except OSError as e:
            raise StoreError(f"query failed: {e}") from e
        except RuntimeError as e:
            if "projection" in str(e):
                raise QueryError(
                    f"{e}: a SELECT query must list its parameter variables in its projection "
                    "(or use SELECT *) for their values to be bound"
                ) from e
            raise QueryError(f"query failed: {e}") from e

    def update(self, sparql: str) -> None:
        text = safe_update(sparql, self.has_graph)
        try:
            self._store.update(text, prefixes=PREFIXES)
        except SyntaxError as e:
            raise QueryError(syntax_message("update", sparql, str(e))) from e
        except OSError as e:
            raise StoreError(f"update failed: {e}") from e

    def add_batch(
        self, graph: str, triples: Iterable[ox.Triple], metadata: Iterable[ox.Triple]
    ) -> None:
        g, meta = ox.NamedNode(graph), ox.NamedNode(META_GRAPH)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        quads += [ox.Quad(t.subject, t.predicate, t.object, meta) for t in metadata]
        try:
            self._store.extend(quads)
        except OSError as e:
            raise StoreError(f"writing batch {graph} failed, nothing was written: {e}") from e

    def drop_batch(self, graph: str) -> None:
        from .batches import forget_batch_update

        try:
            self._store.update(forget_batch_update(graph))
        except OSError as e:
            raise StoreError(f"removing batch {graph} failed, nothing was removed: {e}") from e

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def triples(self, graph: str | None = None) -> Iterator[ox.Triple]:
        g = ox.NamedNode(graph) if graph is not None else None
        for q in self._store.quads_for_pattern(None, None, None, g):
            yield ox.Triple(q.subject, q.predicate, q.object)

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        if format.supports_datasets:
            self._store.dump(output, format)
        else:
            ox.serialize(self.triples(), output, format)

    def close(self) -> None:
        self._store.flush()


def open_store(spec: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the store named by ``spec``: a directory path, ``:memory:``, or None for
    ``$CLAIMGRAPH_STORE`` or else :func:`default_store_path`.

    >>> store = open_store(":memory:")
    >>> len(store)
    0
    """
    if spec is None:
        spec = os.environ.get(STORE_ENV) or default_store_path()
    text = str(spec)
    if text == MEMORY:
        return OxigraphStore(None)
    if text.startswith(("http://", "https://")):
        from .errors import UsageError

        raise UsageError(
            f"remote SPARQL stores are not supported yet: {text}. Use a directory path."
        )
    return OxigraphStore(Path(text).expanduser(), read_only=read_only)
