"""Bulk ingest: a large N-Triples or Turtle file validated and written as one batch without
holding it in Python.

:func:`ingest_large` is what :func:`~claimgraph.ingest.ingest_file` calls for a file of
:data:`BULK_FROM_BYTES` or more.  The file is parsed by pyoxigraph straight into an in-memory
pyoxigraph store (no rdflib graph, no Python object per triple), reporting the bytes read as
it goes; everything ingest does to a batch is done there as SPARQL (the superclasses,
aligned superproperties and symmetric links it states, the evidence offsets it computes, the
literal limit), the context is fetched from the store by the batch's IRIs, and the compiled
shapes (:mod:`claimgraph.validation.engine`) validate it.  Only then is anything written.

**A file is one transaction, at any size.**  What that means for a file of 10 million
triples:

- *Nothing is written unless the whole file conforms.*  The file is staged and validated in
  memory first (about 0.4 GB per million triples, with what ingest states beside them); a
  parse error, a literal over the limit or one violation anywhere refuses the file, and the
  store is left as it was.
- *Readers see the store before or after, never in between.*  The batch is written under
  the store's exclusive lock (:mod:`claimgraph.store.locking`): claimgraph's readers, the
  server's query processes among them, wait for the write (a minute or two at 10 million
  triples) instead of reading half a batch.
- *The write is pyoxigraph's bulk loader, not one RocksDB transaction* (a transaction holds
  every change in memory: 2.4 GB for 1 million quads, measured, so 10 million would not fit).
  The batch's description goes into the batch metadata graph last, in a transaction of its
  own (the name keys of its things are bulk loaded before it).  A process killed during the
  write leaves a batch graph (and keys) with no description: ingesting the same file again
  removes it and loads it anew (``claimgraph retract`` removes it too).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

import pyoxigraph as ox

from .batches import batch_iri, batch_metadata, name_key_count, name_key_ntriples
from .errors import ParseError, ValidationFailed
from .ingest import IngestResult, _count, _name_keys, _revision_texts, _strip_position
from .limits import Limits, current
from .offsets import complete_offsets
from .rdf import CG, META_GRAPH, OA, RDF_TYPE, source_base
from .store import OxigraphStore, Store
from .untrusted import BOM, open_file
from .validation import ValidationReport
from .validation.dataset import BATCH_GRAPH
from .vocabulary import superclasses, superproperties, symmetric_properties

BULK_FROM_BYTES = 16 << 20
"""Files of this size or more take the bulk path (smaller ones are read whole)."""

BULK_FORMATS: dict[str, ox.RdfFormat] = {
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE,
}
"""The formats the bulk path reads: the triple formats large files come in.  Quad formats
keep their graphs (statement graphs), and JSON-LD, RDF/XML and records need checks that read
the whole document: they take the ordinary path."""

_STAGED = BATCH_GRAPH
_READ_CHUNK = 1 << 20


def takes_bulk_path(path: Path, format: str) -> bool:
    """Whether :func:`~claimgraph.ingest.ingest_file` hands ``path`` to :func:`ingest_large`.

    >>> takes_bulk_path(Path("small.nt"), "ntriples")
    False
    """
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return format in BULK_FORMATS and size >= BULK_FROM_BYTES


def ingest_large(
    store: Store,
    path: Path,
    *,
    format: str,
    source: str,
    agent: str | None = None,
    progress: Callable[[int], None] | None = None,
    follow_symlinks: bool = False,
    limits: Limits | None = None,
) -> IngestResult:
    """Validate a large file and, if it conforms, write it to ``store`` as one batch (see the
    module doc for what one transaction means at this size).  ``progress`` is called with
    the bytes read, as they are parsed.

    >>> from claimgraph.store import open_store
    >>> import tempfile, pathlib
    >>> store = open_store(":memory:")
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.nt"
    >>> _ = f.write_text('<https://w3id.org/claimgraph/id/x> <http://example.org/p> "x" .\\n')
    >>> ingest_large(store, f, format="ntriples", source=str(f)).triples
    1
    """
    limits = limits or current()
    _checked_size(path, limits, follow_symlinks)
    digest = _sha256(path, follow_symlinks)
    graph = batch_iri(digest)
    if store.has_graph(graph):
        if _described(store, graph):
            return IngestResult(graph, source, digest, _count(store, graph), False, format)
        store.drop_batch(graph)  # a write that did not finish: load it anew
    seen = store.generation()  # staged and validated outside the write lock: see _write
    staged = ox.Store()
    _parse(staged, path, format, source, progress, follow_symlinks)
    _check_literals(staged, source, limits)
    _complete_offsets(staged, store, source)
    _entail(staged)
    triples = len(staged)
    if triples == 0:
        raise ParseError("holds no triples", source=source)
    with tempfile.TemporaryDirectory(prefix="claimgraph-bulk-") as tmp:
        dump = Path(tmp) / "batch.nt"  # the batch as it will be written, before validation
        with dump.open("wb") as out:  # writes canonical literals beside it
            staged.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=BATCH_GRAPH)
        report = _validate(staged, store)
        if not report.conforms:
            raise ValidationFailed(
                report,
                f"{source}: {len(report.violations)} violation(s) of the claimgraph shapes; "
                "nothing was written",
            )
        keys = _name_keys(staged=staged, graph=BATCH_GRAPH)
        del staged
        description = batch_metadata(
            graph,
            source=source,
            digest=digest,
            format=format,
            triples=triples,
            agent=agent,
            warnings=report,
        )
        description.append(name_key_count(graph, keys))
        key_text = name_key_ntriples(graph, keys)
        # a writer came between: redo
        if not _write(store, dump, graph, (key_text, description), seen):
            return ingest_large(
                store,
                path,
                format=format,
                source=source,
                agent=agent,
                progress=progress,
                follow_symlinks=follow_symlinks,
                limits=limits,
            )
    return IngestResult(graph, source, digest, triples, True, format, report)


# ---------------------------------------------------------------- reading


def _checked_size(path: Path, limits: Limits, follow_symlinks: bool) -> None:
    """Refuse what is not a regular file, or is over ``max_input_bytes``."""
    with open_file(path, follow_symlinks=follow_symlinks) as f:
        size = os.fstat(f.fileno()).st_size
    if size > limits.max_input_bytes:
        raise limits.refuse("max_input_bytes", f"the file holds {size:,} bytes", source=str(path))


def _sha256(path: Path, follow_symlinks: bool) -> str:
    digest = hashlib.sha256()
    with open_file(path, follow_symlinks=follow_symlinks) as f:
        while chunk := f.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Counting:
    """A file read through, its byte-order mark dropped, each read reported."""

    def __init__(self, raw: BinaryIO, progress: Callable[[int], None] | None) -> None:
        self.raw = raw
        self.progress = progress
        self.first = True

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        if self.progress is not None and data:
            self.progress(len(data))
        if self.first:
            self.first = False
            data = data.removeprefix(BOM)
        return data


def _parse(
    staged: ox.Store,
    path: Path,
    format: str,
    source: str,
    progress: Callable[[int], None] | None,
    follow_symlinks: bool,
) -> None:
    """Parse the file into the staging store's batch graph (pyoxigraph end to end)."""
    with open_file(path, follow_symlinks=follow_symlinks) as f:
        reader: IO[bytes] = _Counting(f, progress)  # type: ignore[assignment]
        try:
            staged.bulk_load(
                reader,
                BULK_FORMATS[format],
                base_iri=source_base(source),
                to_graph=_STAGED,
            )
        except SyntaxError as e:
            raise ParseError(
                _strip_position(e), source=source, line=e.lineno, column=e.offset
            ) from e
        except MemoryError as e:
            raise ParseError(
                "holds a single term longer than the RDF parser reads at once (16 MiB); split "
                "it or keep such text out of the graph",
                source=source,
            ) from e
        except OSError as e:
            raise ParseError(f"cannot read: {e}", source=source) from e


def _check_literals(staged: ox.Store, source: str, limits: Limits) -> None:
    """Refuse a literal longer than ``max_literal_bytes`` (the ordinary path's check, run as
    a query)."""
    most = limits.max_literal_bytes
    rows = staged.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {_STAGED} {{ ?s ?p ?o }} "
        f"FILTER(isLiteral(?o) && STRLEN(?o) > {most // 4}) }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        value = row["o"].value
        if len(value.encode()) > most:
            raise limits.refuse(
                "max_literal_bytes",
                f"the value of {row['p']} on {row['s']} is {len(value.encode()):,} bytes long",
                source=source,
            )


# ---------------------------------------------------------------- what ingest states


def _complete_offsets(staged: ox.Store, store: Store, source: str) -> None:
    """Offsets for selectors that give only their quote, as the ordinary path computes them
    (:func:`claimgraph.offsets.complete_offsets` on the few triples it needs)."""
    rows = staged.query(
        f"SELECT DISTINCT ?selector WHERE {{ GRAPH {_STAGED} {{ ?selector <{OA}exact> ?q "
        f"FILTER NOT EXISTS {{ ?selector <{OA}start> ?s }} "
        f"FILTER NOT EXISTS {{ ?selector <{OA}end> ?e }} }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    selectors = [row["selector"] for row in rows]
    if not selectors:
        return
    needed: dict[ox.Triple, None] = {}
    revisions: set[str] = set()
    for selector in selectors:
        for q in staged.quads_for_pattern(
            None, ox.NamedNode(OA + "hasSelector"), selector, _STAGED
        ):
            for span in staged.quads_for_pattern(q.subject, None, None, _STAGED):
                needed[ox.Triple(span.subject, span.predicate, span.object)] = None
                if span.predicate.value == OA + "hasSource" and isinstance(
                    span.object, ox.NamedNode
                ):
                    revisions.add(span.object.value)
        for q in staged.quads_for_pattern(selector, None, None, _STAGED):
            needed[ox.Triple(q.subject, q.predicate, q.object)] = None
    for revision in revisions:
        for q in staged.quads_for_pattern(
            ox.NamedNode(revision), ox.NamedNode(CG + "text"), None, _STAGED
        ):
            needed[ox.Triple(q.subject, q.predicate, q.object)] = None
    text = _revision_texts(store, list(needed))

    before = list(needed)
    added = complete_offsets(before, text, source=source)[len(before) :]
    staged.extend(ox.Quad(t.subject, t.predicate, t.object, _STAGED) for t in added)


def _entail(staged: ox.Store) -> None:
    """State what :func:`claimgraph.ingest.with_entailments` states, with SPARQL updates on
    the staged batch: every superclass of a stated class, every superproperty from an aligned
    vocabulary, the reverse of a symmetric link; computed from the stated triples only."""
    classes = " ".join(
        f"(<{c}> <{sup}>)" for c, sups in sorted(superclasses().items()) for sup in sorted(sups)
    )
    properties = " ".join(
        f"(<{p}> <{sup}>)"
        for p, sups in sorted(superproperties().items())
        if p != RDF_TYPE
        for sup in sorted(sups)
        if not sup.startswith(CG)
    )
    symmetric = " ".join(f"<{p}>" for p in sorted(symmetric_properties()) if p != RDF_TYPE)
    branches = [
        f"{{ GRAPH {_STAGED} {{ ?s <{RDF_TYPE}> ?class }} VALUES (?class ?o) {{ {classes} }} "
        f"BIND(<{RDF_TYPE}> AS ?q) }}"
    ]
    if properties:
        branches.append(f"{{ GRAPH {_STAGED} {{ ?s ?p ?o }} VALUES (?p ?q) {{ {properties} }} }}")
    if symmetric:
        branches.append(
            f"{{ GRAPH {_STAGED} {{ ?o ?q ?s }} VALUES ?q {{ {symmetric} }} "
            "FILTER(!isLiteral(?s)) }"
        )
    # one pass: the WHERE is read whole before anything is inserted, so what is stated comes
    # from the stated triples only (no graph of entailments to fill, copy and drop)
    staged.update(
        f"INSERT {{ GRAPH {_STAGED} {{ ?s ?q ?o }} }} WHERE {{ {' UNION '.join(branches)} }}"
    )


# ---------------------------------------------------------------- validating and writing


def _validate(staged: ox.Store, store: Store) -> ValidationReport:
    from .validation.context import context_of
    from .validation.dataset import ValidationData
    from .validation.engine import validate_data

    context: list[ox.Triple] = []
    if len(store):
        context = context_of(store, _iris(staged, "?s"), _iris(staged, "?o"))
    return validate_data(ValidationData.staged(staged, context))


def _iris(staged: ox.Store, position: str) -> set[ox.NamedNode]:
    """The distinct IRIs in one position (``?s`` or ``?o``) of the staged batch."""
    rows = staged.query(
        f"SELECT DISTINCT {position} WHERE {{ GRAPH {_STAGED} {{ ?s ?p ?o }} "
        f"FILTER(isIRI({position})) }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {row[0] for row in rows}


def _write(
    store: Store,
    dump: Path,
    graph: str,
    metadata: tuple[bytes, list[ox.Triple]],
    seen: int | None,
) -> bool:
    """Write the batch (dumped as N-Triples) into ``graph`` with pyoxigraph's bulk loader,
    under the store's exclusive lock, then its description in one transaction; False (and
    nothing written) when another writer came since the store's generation was ``seen``
    (the context the batch was validated with may have changed).

    ``metadata`` is the description in two parts: the name keys of the batch's things
    (N-Triples text, :func:`claimgraph.batches.name_key_ntriples`) and the rest.  The keys
    are bulk loaded with the batch, before the description's transaction (a transaction of
    100k triples costs 2–4x their bulk load; loaded as text, 1.4 s CPU at 200k against 1.9 s
    for a bulk_extend of their quads): a write that did not finish leaves them under the
    batch's IRI, with no description, and removing the batch removes them
    (:func:`claimgraph.batches.metadata_removal_update`)."""
    keys, description = metadata
    with store.writing():
        if seen is not None and not store.unchanged_since(seen):
            return False
        if isinstance(store, OxigraphStore):
            store.raw.bulk_load(
                path=str(dump), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph)
            )
            store.raw.bulk_load(
                keys, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(META_GRAPH)
            )
            store.add_batch(graph, [], description)
        else:
            key_triples = (q.triple for q in ox.parse(keys, format=ox.RdfFormat.N_TRIPLES))
            store.add_batch(graph, _triples(dump), [*description, *key_triples])
    return True


def _triples(dump: Path) -> Iterator[ox.Triple]:
    for q in ox.parse(path=str(dump), format=ox.RdfFormat.N_TRIPLES):
        yield ox.Triple(q.subject, q.predicate, q.object)


def _described(store: Store, graph: str) -> bool:
    """Whether a batch graph has its description (a bulk write that did not finish has
    none)."""
    return store.ask(f"ASK {{ GRAPH <{META_GRAPH}> {{ <{graph}> a cg:Batch }} }}")
