"""The embedded backend: pyoxigraph's store, on disk (RocksDB) or in memory.

In memory (``path`` None) there is one pyoxigraph store and nothing to share: sessions cost
nothing and results are read as they are iterated.

On disk, the store is shared by every process that uses the directory — the query processes
of ``claimgraph serve``, a ``claimgraph ingest`` run from a shell meanwhile, a notebook — and
an :class:`OxigraphStore` keeps no read-write handle between writes:

* a **reading session** takes the directory's shared lock (:mod:`claimgraph.store.locking`)
  and reads through a read-only RocksDB handle.  Such a handle is a snapshot of the moment it
  was opened (measured: writes made later are invisible to it; opening one takes ~20 ms), so
  it is kept between sessions and reopened when a cheap signature of the store's ``CURRENT``,
  ``MANIFEST-*`` and ``*.log`` files shows that anyone has written since;
* a **writing session** takes the exclusive lock — waiting for running readers, while new
  readers wait for it — then opens the store read-write, and flushes and closes it (which
  releases RocksDB's own ``LOCK``) before letting go.  Two writers therefore queue instead of
  failing on RocksDB's lock, and a reader sees the store before or after a write, never
  during it;
* a call made **outside a session** is a session of its own.  A query's result is then read
  whole before the lock goes, so it cannot outlive the lock that protects it: solutions
  through SPARQL TSV (which carries every RDF term exactly, and iterating the parsed
  solutions costs about what iterating the engine's does), triples into an in-memory store.
  Inside a session results stream from the handle.

A process killed in the middle of a write loses that write whole: pyoxigraph commits each
transaction atomically, RocksDB recovers from its write-ahead log, and the kernel drops the
dead process's locks.  (The removal of a batch of more than
:data:`~claimgraph.store.removal.STEP` statements is the exception: it goes in steps, see
:mod:`claimgraph.store.removal`.)  Only another program that opens the directory read-write
itself (an ``oxigraph serve`` on it, say) can still make a write fail, with a
:class:`StoreError` that says so.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

import pyoxigraph as ox

from ..batches import forget_batch_update, metadata_removal_update, statement_graphs_of
from ..errors import QueryError, StoreError, syntax_message
from ..rdf import META_GRAPH, PREFIXES
from ..sparql import (
    Inspection,
    checked_query,
    checked_update,
    refuse_engine_extensions,
    refuse_remote,
)
from ..sparql.text import is_absolute_iri
from . import locking
from .interface import GraphName, Store, Term
from .locking import DirectoryLock
from .removal import remove_large_batch
from .result_kinds import QueryResult, expect_solutions, expect_triples
from .rows import Row, native_statement_rows

Signature = tuple[tuple[str, int, int], ...]

_inherited: list[tuple[ox.Store | None, ox.Store | None]] = []
"""RocksDB handles a forked process inherited: kept, never closed, never used."""

_rocksdb_started_in: int | None = None
"""The process that first opened an on-disk store: RocksDB's background threads live there.
A process forked from it can read, but a write would wait for those threads for ever."""


class OxigraphStore(Store):
    """The embedded store: pyoxigraph's ``Store``, transactional, no server.  ``path`` None
    keeps it in memory; a directory without a store gets one, unless ``read_only`` or not
    ``create`` (then :class:`~claimgraph.errors.StoreError`: a mistyped path is not taken
    for a new, empty store).

    >>> store = OxigraphStore(None)
    >>> from pyoxigraph import NamedNode, Literal, Triple
    >>> ex = NamedNode("http://example.org/a")
    >>> store.add_batch("http://example.org/g", [Triple(ex, ex, Literal("x"))], [])
    >>> [str(s["o"]) for s in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
    ['"x"']
    """

    capabilities = frozenset({"transactions", "substitutions", "dump"})

    def __init__(
        self, path: str | Path | None, *, read_only: bool = False, create: bool = True
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._memory: ox.Store | None = None
        self._lock: DirectoryLock | None = None
        self._reader: ox.Store | None = None
        self._signature: Signature = ()
        self._writer: ox.Store | None = None
        self._mode: str | None = None
        self._depth = 0
        self._thread: int | None = None
        self._registered: tuple[str, int, int] | None = None
        self._turn = threading.Condition()
        self._pid = os.getpid()
        self._generation = 0
        self._memory_writers = 0
        if self.path is None:
            self._memory = ox.Store()
            return
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(
                f"{self.path} is a file, not a store (a folder). "
                "Use --store or set CLAIMGRAPH_STORE to choose another."
            )
        if not (self.path / "CURRENT").exists() and (read_only or not create):
            raise StoreError(
                f"there is no store at {self.path} (`claimgraph ingest` makes one). "
                "Use --store or set CLAIMGRAPH_STORE to choose another."
            )
        if not read_only:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(
                    f"cannot create the store at {self.path}: {e.strerror}. "
                    "Use --store or set CLAIMGRAPH_STORE to choose another."
                ) from e
        self._lock = DirectoryLock(self.path, optional=read_only)
        if not (self.path / "CURRENT").exists():
            with self.writing():
                pass  # RocksDB creates the store when it is first opened read-write

    @classmethod
    def holding(cls, quads: Iterable[ox.Quad], *, graphs: Iterable[str] = ()) -> OxigraphStore:
        """An in-memory store holding ``quads`` and the named graphs ``graphs`` (even empty).

        >>> q = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))
        >>> len(OxigraphStore.holding([q], graphs=["urn:g"])), OxigraphStore.holding([]).graphs()
        (1, [])
        """
        store = cls(None)
        assert store._memory is not None
        store._memory.extend(quads)
        for g in graphs:
            store._memory.add_graph(ox.NamedNode(g))
        return store

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def reading(self) -> Iterator[OxigraphStore]:
        with self._session("read"):
            yield self

    @contextmanager
    def writing(self) -> Iterator[OxigraphStore]:
        with self._session("write"):
            yield self

    @contextmanager
    def _session(self, mode: str) -> Iterator[bool]:
        """Hold the store for ``mode`` (``read`` or ``write``); yields whether this call
        began the session (False when nested in one, or in memory)."""
        if self._lock is None:
            if mode != "write":
                yield False
                return
            self._generation += 1
            self._memory_writers += 1
            try:
                yield False
            finally:
                self._memory_writers -= 1
            return
        if self._pid != os.getpid():
            self._forget_parent()
        me = threading.get_ident()
        with self._turn:
            while self._thread is not None and self._thread != me:
                self._turn.wait()
            if self._thread == me:
                if mode == "write" and self._mode == "read":
                    raise StoreError(
                        "cannot write inside a reading session of the store; open the "
                        "session with writing() to read and write in it"
                    )
                self._depth += 1
                began = False
            else:
                self._thread, self._mode, self._depth = me, mode, 1
                began = True
        if not began:
            try:
                yield False
            finally:
                with self._turn:
                    self._depth -= 1
            return
        try:
            self._begin(mode)
        except BaseException:
            self._end()
            raise
        try:
            yield True
            if self._writer is not None:
                try:
                    self._writer.flush()
                except OSError as e:
                    raise StoreError(f"writing to the store at {self.path} failed: {e}") from e
        except (OSError, StoreError):
            self._reader = None  # a handle that failed is not trusted again
            raise
        finally:
            self._writer = None  # closes RocksDB (and its LOCK) before the flock goes
            self._end()

    def _forget_parent(self) -> None:
        """In a forked child: the parent's handles and session are not ours to use or end
        (closing a RocksDB handle in the child is unsafe: it is kept, unused)."""
        _inherited.append((self._reader, self._writer))
        self._reader = self._writer = None
        self._mode, self._depth, self._thread, self._registered = None, 0, None, None
        self._turn = threading.Condition()
        self._pid = os.getpid()

    def _begin(self, mode: str) -> None:
        assert self._lock is not None and self.path is not None
        self._registered = locking.enter(self.path)
        self._lock.acquire(exclusive=mode == "write")
        if mode == "write":
            self._reader = None
            self._generation = locking.next_generation(self.path)
            self._writer = self._open_read_write()
        elif self._reader is None or _signature(self.path) != self._signature:
            self._reader = None
            self._signature = _signature(self.path)
            _note_rocksdb_started()
            try:
                self._reader = ox.Store.read_only(str(self.path))
            except OSError as e:
                raise StoreError(
                    f"cannot open the store at {self.path}: {e}. "
                    "Use --store or set CLAIMGRAPH_STORE to choose another."
                ) from e

    def _open_read_write(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"the store at {self.path} was opened read-only; nothing was written")
        if _rocksdb_started_in not in (None, os.getpid()):
            raise StoreError(
                f"cannot write to the store at {self.path} from a process forked from one that "
                "had opened a store (RocksDB's background threads stay in the parent); start "
                "writing processes with multiprocessing's 'spawn' or 'forkserver'"
            )
        _note_rocksdb_started()
        try:
            return ox.Store(str(self.path))
        except OSError:
            gc.collect()  # a handle of this process not yet freed may still hold RocksDB's LOCK
        try:
            return ox.Store(str(self.path))
        except OSError as e:
            raise StoreError(
                f"cannot open the store at {self.path} for writing: {e}. If another program "
                "(not claimgraph, e.g. `oxigraph serve`) has it open, stop it; or use --store "
                "or set CLAIMGRAPH_STORE to choose another store."
            ) from e

    def _end(self) -> None:
        if self._lock is not None:
            self._lock.release()
        if self._registered is not None:
            locking.leave(self._registered)
            self._registered = None
        with self._turn:
            self._thread, self._mode, self._depth = None, None, 0
            self._turn.notify_all()

    def _handle(self) -> ox.Store:
        if self._memory is not None:
            return self._memory
        handle = self._writer if self._mode == "write" else self._reader
        if handle is None:
            raise StoreError(
                f"the store at {self.path} is reached only inside a session: "
                "`with store.reading():` or `with store.writing():`"
            )
        return handle

    def generation(self) -> int | None:
        if self._lock is None or self.writing_now():
            return self._generation
        assert self.path is not None
        return locking.generation(self.path)

    def writing_now(self) -> bool:
        if self._lock is None:
            return self._memory_writers > 0
        return self._mode == "write" and self._thread == threading.get_ident()

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store, for bulk paths that need it: always, in memory;
        on disk, inside a session only (read-only in ``reading()``, read-write in
        ``writing()``)."""
        return self._handle()

    # ------------------------------------------------------------------ queries

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
        text, found = checked_query(sparql, base=base_iri)
        refuse_engine_extensions(found)
        return self._evaluate(
            text,
            sparql,
            found,
            bindings=bindings,
            base_iri=base_iri,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            union=union,
        )

    def _own_construct(self, sparql: str) -> ox.QueryTriples:
        # claimgraph's own text runs as written: the safety check's lexing would cost more
        return expect_triples(self._evaluate(sparql, sparql, None), sparql)

    def _own_select(
        self, sparql: str, *, default_graphs: Iterable[str] | None = None
    ) -> ox.QuerySolutions:
        return expect_solutions(
            self._evaluate(sparql, sparql, None, default_graphs=default_graphs), sparql
        )

    def _evaluate(
        self,
        text: str,
        sparql: str,
        found: Inspection | None,
        *,
        bindings: Mapping[str, Term] | None = None,
        base_iri: str | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union: bool = True,
    ) -> QueryResult:
        """Run ``text`` (the canonical text of ``sparql``, as ``checked_query`` read it into
        ``found``; None for claimgraph's own text) on pyoxigraph."""
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        if default_graphs is not None:
            default = [ox.NamedNode(g) for g in default_graphs]
        named: list[ox.NamedNode | ox.BlankNode] | None = None
        if named_graphs is not None:
            named = [ox.NamedNode(g) for g in named_graphs]
        values: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (bindings or {}).items()
        }
        with self._session("read") as began:
            if found is not None:
                refuse_remote(found, self.has_graph)
            try:
                result = self._handle().query(
                    text,
                    base_iri=base_iri,
                    prefixes=PREFIXES,
                    use_default_graph_as_union=default is None and union,
                    default_graph=default,
                    named_graphs=named,
                    substitutions=values or None,
                )
                return _read_whole(result) if began else result
            except SyntaxError as e:
                raise QueryError(syntax_message("query", sparql, str(e))) from e
            except OSError as e:
                raise StoreError(f"query failed: {e}") from e
            except RuntimeError as e:
                if "projection" in str(e):
                    raise QueryError(
                        f"{e}: a SELECT query must list its parameter variables in its "
                        "projection (or use SELECT *) for their values to be bound"
                    ) from e
                raise QueryError(f"query failed: {e}") from e

    # ------------------------------------------------------------------ writes

    def update(
        self, sparql: str, *, base_iri: str | None = None, absent_graphs: Collection[str] = ()
    ) -> None:
        text, found = checked_update(sparql, base=base_iri)
        allowed = {_resolved(g, base_iri) for g in absent_graphs}
        refuse_engine_extensions(found)
        with self._session("write"):
            refuse_remote(found, lambda g: g in allowed or self.has_graph(g))
            try:
                self._handle().update(text, base_iri=base_iri, prefixes=PREFIXES)
            except SyntaxError as e:
                raise QueryError(syntax_message("update", sparql, str(e))) from e
            except OSError as e:
                raise StoreError(f"update failed: {e}") from e

    def _run(self, update: str, failure: str) -> None:
        """Run an update claimgraph wrote itself (from typed terms: nothing to check)."""
        with self._session("write"):
            try:
                self._handle().update(update)
            except OSError as e:
                raise StoreError(f"{failure}: {e}") from e

    def add_batch(
        self,
        graph: str,
        triples: Iterable[ox.Triple],
        metadata: Iterable[ox.Triple],
        *,
        graphs: Mapping[str, Iterable[ox.Triple]] | None = None,
    ) -> None:
        g, meta = ox.NamedNode(graph), ox.NamedNode(META_GRAPH)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        quads += [ox.Quad(t.subject, t.predicate, t.object, meta) for t in metadata]
        for name, part in (graphs or {}).items():
            named = ox.NamedNode(name)
            quads += [ox.Quad(t.subject, t.predicate, t.object, named) for t in part]
        with self._session("write"):
            try:
                self._handle().extend(quads)
            except OSError as e:
                raise StoreError(f"writing batch {graph} failed, nothing was written: {e}") from e

    def rewrite_batch(
        self,
        graph: str,
        triples: Iterable[ox.Triple],
        metadata: Iterable[ox.Triple],
        *,
        replace: bool,
    ) -> None:
        removal = forget_batch_update(graph) if replace else metadata_removal_update(graph)
        insert = insert_data({graph: list(triples), META_GRAPH: list(metadata)})
        self._run(f"{removal} ;\n{insert}", f"writing batch {graph} failed, nothing was written")

    def drop_batch(self, graph: str) -> None:
        with self._session("write"):
            remove_large_batch(self._handle(), graph)  # in steps when large: see removal
            update = forget_batch_update(graph, statement_graphs_of(self, graph))
            self._run(update, f"removing batch {graph} failed, nothing was removed")

    def write_graph(
        self, graph: str | None, triples: Iterable[ox.Triple], *, replace: bool
    ) -> None:
        target = None if graph is None else ox.NamedNode(graph)
        listed = list(triples)
        ops = []
        if replace:
            ops.append("CLEAR SILENT DEFAULT" if target is None else f"DROP SILENT GRAPH {target}")
        if listed:
            ops.append(insert_data({graph: listed}))
        elif target is not None:
            ops.append(f"CREATE SILENT GRAPH {target}")
        if ops:
            self._run(" ;\n".join(ops), f"writing graph {graph or 'DEFAULT'} failed")

    # ------------------------------------------------------------------ graphs

    def graphs(self) -> list[str]:
        with self._session("read"):
            names = self._handle().named_graphs()
            return sorted(g.value for g in names if isinstance(g, ox.NamedNode))

    def has_graph(self, graph: str) -> bool:
        with self._session("read"):
            return self._handle().contains_named_graph(ox.NamedNode(graph))

    def quads(self, graph: GraphName = None) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph) if isinstance(graph, str) else graph
        with self._session("read"):
            yield from self._handle().quads_for_pattern(None, None, None, name)

    def statement_rows(self, graph: str, predicates: Sequence[str] | None = None) -> Iterator[Row]:
        with self._session("read"):
            yield from native_statement_rows(self._handle(), graph, predicates)

    def __len__(self) -> int:
        with self._session("read"):
            return len(self._handle())

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        with self._session("read"):
            if format.supports_datasets:
                self._handle().dump(output, format)
            else:
                ox.serialize(self.triples(), output, format)

    def close(self) -> None:
        """Flush an in-memory store; let go of an on-disk one's handles and lock files (it
        reopens them if used again)."""
        if self._memory is not None:
            self._memory.flush()
            return
        self._reader = None
        if self._lock is not None and self._thread is None:
            self._lock.close()


def insert_data(triples: Mapping[str | None, Iterable[ox.Triple]]) -> str:
    """An ``INSERT DATA`` operation for triples per graph (``None``: the default graph).

    >>> t = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))
    >>> insert_data({None: [t], "urn:g": [t]})
    'INSERT DATA { <urn:a> <urn:b> "c" . GRAPH <urn:g> { <urn:a> <urn:b> "c" . } }'
    """
    parts = []
    for graph, listed in triples.items():
        body = " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in listed)
        parts.append(body if graph is None else f"GRAPH {ox.NamedNode(graph)} {{ {body} }}")
    return "INSERT DATA { " + " ".join(parts) + " }"


def _note_rocksdb_started() -> None:
    global _rocksdb_started_in
    if _rocksdb_started_in is None:
        _rocksdb_started_in = os.getpid()


def _signature(path: Path) -> Signature:
    """What changes when anyone writes the store: sizes and times of RocksDB's ``CURRENT``,
    ``MANIFEST-*`` and write-ahead ``*.log`` files."""
    out = []
    try:
        with os.scandir(path) as entries:
            for e in entries:
                if e.name == "CURRENT" or e.name.startswith("MANIFEST-") or e.name.endswith(".log"):
                    st = e.stat()
                    out.append((e.name, st.st_size, st.st_mtime_ns))
    except FileNotFoundError:
        return ()
    return tuple(sorted(out))


def _read_whole(result: QueryResult) -> QueryResult:
    """``result`` read to the end, detached from the store (see the module doc)."""
    if isinstance(result, ox.QuerySolutions):
        data = result.serialize(format=ox.QueryResultsFormat.TSV) or b""
        return ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
    if isinstance(result, ox.QueryTriples):
        # the in-memory store lists what was added last first: add in reverse to keep order
        listed = [ox.Quad(t.subject, t.predicate, t.object) for t in result]
        copy = ox.Store()
        copy.extend(reversed(listed))
        return copy.query("CONSTRUCT WHERE { ?s ?p ?o }")
    return result


def _resolved(iri: str, base: str | None) -> str:
    """``iri`` as the safety check reads it: resolved against ``base`` when relative."""
    return urljoin(base, iri) if base and not is_absolute_iri(iri) else iri
