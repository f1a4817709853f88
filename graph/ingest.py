"""Validated ingest: parse a file, check it against the shapes, write it as one batch.

Every batch lands in its own named graph (``BATCH + sha256[:16]`` of the raw bytes) with a
PROV-O description in :data:`~claimgraph.rdf.META_GRAPH`.  Nothing is written unless
the batch conforms: parse errors raise :class:`~claimgraph.errors.ParseError`, shape
violations raise :class:`~claimgraph.errors.ValidationFailed`, and the store is left as it was.
The same bytes again are a no-op.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .batches import batch_iri, batch_metadata
from .errors import DraftRefused, ParseError, UsageError, ValidationFailed
from .limits import Limits, current
from .offsets import complete_offsets
from .rdf import CG, META_GRAPH, compact, source_base, sparql_iri
from .records import parse_records
from .statements import FileGraphs, evidence_results, split_file_graphs
from .store import Store
from .untrusted import check_literals, prepare, read_file
from .vocabulary import superclasses, superproperties, symmetric_properties

if TYPE_CHECKING:
    from .validation import ValidationReport

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
FORMATS: tuple[str, ...] = (*RDF_FORMATS, "records")
"""Input formats ``ingest`` accepts; ``records`` is claim records in YAML or JSON."""

EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
    ".yaml": "records",
    ".yml": "records",
}

MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/yaml": "records",
    "application/x-yaml": "records",
    "text/yaml": "records",
}
"""Request content types the server maps onto ingest formats."""

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class IngestResult:
    """What one ingest did.  ``created`` is False when the batch was already there."""

    batch: str
    source: str
    sha256: str
    triples: int
    created: bool
    format: str
    report: ValidationReport | None = field(default=None, compare=False)

    @property
    def warnings(self) -> int:
        return len(self.report.warnings) if self.report is not None else 0


def detect_format(path: str | Path, explicit: str | None = None) -> str:
    """The ingest format of a file: ``explicit`` if given, else from its extension.

    >>> detect_format("seed.yaml")
    'records'
    >>> detect_format("x.data", "turtle")
    'turtle'
    """
    if explicit is not None:
        if explicit not in FORMATS:
            raise UsageError(f"unknown format {explicit!r}; choose one of {', '.join(FORMATS)}")
        return explicit
    suffix = Path(str(path)).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        raise UsageError(
            f"{path}: cannot tell the format from the extension {suffix or '(none)'!r}; "
            f"pass --format ({', '.join(FORMATS)})"
        ) from None


def parse_quads(
    data: bytes, *, format: str, source: str, limits: Limits | None = None
) -> list[ox.Quad]:
    """Parse ``data`` in an ingest format into quads, keeping the statement graphs a file
    declares (JSON-LD named graphs, TriG graphs), under the input limits
    (:mod:`claimgraph.untrusted`, :mod:`claimgraph.limits`)."""
    limits = limits or current()
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    data = prepare(data, format=format, source=source, limits=limits)
    if format == "jsonld":
        _check_json_syntax(data, source)
    if format in ("records", "jsonld"):
        quads = parse_records(data, source=source, limits=limits)
    else:
        try:
            quads = list(ox.parse(data, RDF_FORMATS[format], base_iri=source_base(source)))
        except SyntaxError as e:
            line, column = e.lineno, e.offset
            if line is None and format == "rdfxml":
                line, column = _xml_error_position(data)
            raise ParseError(_strip_position(e), source=source, line=line, column=column) from e
        except MemoryError as e:  # pyoxigraph's bound on one token: "Reached the buffer …"
            raise ParseError(
                "holds a single term (a literal, an IRI or an N-Triples line) longer than the "
                "RDF parser reads at once (16 MiB); split it or keep such text out of the graph",
                source=source,
            ) from e
    check_literals(quads, source=source, limits=limits)
    return quads


def parse_bytes(
    data: bytes, *, format: str, source: str, limits: Limits | None = None
) -> list[ox.Triple]:
    """Parse ``data`` into triples, graph names dropped (what a Graph Store request writes
    into the one graph it names); see :func:`parse_quads`."""
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in parse_quads(data, format=format, source=source, limits=limits)
    ]


def _xml_error_position(data: bytes) -> tuple[int | None, int | None]:
    """Where an XML parser sees the document go wrong (pyoxigraph's RDF/XML errors carry no
    position)."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        return e.lineno, e.offset + 1
    return None, None


def _check_json_syntax(data: bytes, source: str) -> None:
    """A JSON-LD file is JSON: its syntax errors are reported with JSON's line and column."""
    try:
        json.loads(data)
    except UnicodeDecodeError as e:
        raise ParseError(f"not UTF-8 text: {e}", source=source) from e
    except json.JSONDecodeError as e:
        raise ParseError(e.msg, source=source, line=e.lineno, column=e.colno) from e


def with_entailments(triples: list[ox.Triple]) -> list[ox.Triple]:
    """``triples`` plus what the ontology says follows from them, so queries need no reasoner.

    Three RDFS/OWL rules, applied once per batch: every superclass of a stated class
    (``?x a cg:Claim`` finds quotes and proposals, ``?x a prov:Entity`` finds claims); every
    superproperty from an aligned vocabulary (``cg:claimant`` also states
    ``prov:wasAttributedTo`` and ``schema:author``), while superproperties within ``cg:``
    (``cg:reachedIn`` under ``cg:partOf``) stay as stated, so each hop keeps one edge; and the
    reverse of a symmetric property (``cg:contradicts``, ``cg:possiblySameAs`` read both ways).

    >>> s = ox.NamedNode("https://w3id.org/claimgraph/id/c")
    >>> a = ox.NamedNode(_RDF + "type")
    >>> extra = with_entailments([ox.Triple(s, a, ox.NamedNode(CG + "Quote"))])[1:]
    >>> sorted(t.object.value.split("/")[-1] for t in extra)
    ['Claim', 'ns#Claim', 'prov#Entity']
    """
    classes, properties, symmetric = superclasses(), superproperties(), symmetric_properties()
    rdf_type = ox.NamedNode(_RDF + "type")
    have = set(triples)
    extra: dict[ox.Triple, None] = {}

    def add(t: ox.Triple) -> None:
        if t not in have:
            extra[t] = None

    for t in triples:
        p = t.predicate.value
        if t.predicate == rdf_type:
            if isinstance(t.object, ox.NamedNode):
                for cls in sorted(classes.get(t.object.value, ())):
                    add(ox.Triple(t.subject, rdf_type, ox.NamedNode(cls)))
            continue
        for sup in sorted(properties.get(p, ())):
            if not sup.startswith(CG):  # the cg: hierarchy is read as stated (see docs/records.md)
                add(ox.Triple(t.subject, ox.NamedNode(sup), t.object))
        if p in symmetric and isinstance(t.object, (ox.NamedNode, ox.BlankNode)):
            add(ox.Triple(t.object, t.predicate, t.subject))
    return triples + list(extra)


def completed(
    store: Store,
    triples: list[ox.Triple],
    *,
    source: str,
    among: list[ox.Triple] | None = None,
) -> list[ox.Triple]:
    """``triples`` as a batch stores them: with the offsets of every evidence quote that
    gives only its text (:func:`claimgraph.offsets.complete_offsets`; revision texts are
    looked up in ``among``, by default ``triples``, then in ``store``) and what the ontology
    implies (:func:`with_entailments`).  The one routine by which ``ingest``, ``/update`` and
    the Graph Store complete what they write.

    >>> from claimgraph.store import open_store
    >>> s = ox.NamedNode("https://w3id.org/claimgraph/id/georgia")
    >>> stated = [ox.Triple(s, ox.NamedNode(_RDF + "type"), ox.NamedNode(CG + "State"))]
    >>> full = completed(open_store(":memory:"), stated, source="an update")
    >>> ox.Triple(s, ox.NamedNode(_RDF + "type"), ox.NamedNode(CG + "Actor")) in full
    True
    """
    texts = _revision_texts(store, triples if among is None else among)
    return _complete(triples, texts, source)


def _complete(
    triples: list[ox.Triple], texts: Callable[[str], str | None], source: str
) -> list[ox.Triple]:
    return with_entailments(complete_offsets(triples, texts, source=source))


def _strip_position(e: SyntaxError) -> str:
    msg = str(e.msg)
    if msg.startswith("Parser error") and ": " in msg:
        return msg.split(": ", 1)[1]
    return msg


def _name_keys(
    triples: Iterable[ox.Triple] | None = None,
    *,
    staged: ox.Store | None = None,
    graph: ox.NamedNode | None = None,
) -> dict[str, set[str]]:
    """The keys the batch's things are compared under (``docs/resolution.md``), from its
    ``triples`` or from the names in ``graph`` of the ``staged`` store (bulk ingest):
    imported here, as resolution links through :func:`ingest_bytes` itself."""
    from .resolution.entities import KEYED_PROPERTIES, name_keys_of

    if staged is not None:
        triples = (
            q.triple
            for p in sorted(KEYED_PROPERTIES)
            for q in staged.quads_for_pattern(None, ox.NamedNode(p), None, graph)
        )
    return name_keys_of(triples or ())


def ingest_bytes(
    store: Store,
    data: bytes,
    *,
    format: str,
    source: str,
    agent: str | None = None,
    accept_drafts: bool = False,
    engine: str = "sparql",
) -> IngestResult:
    """Validate ``data`` and, if it conforms, write it to ``store`` as one batch: the
    statements it makes outside any declared graph in the batch's own graph (cited to the
    file), each statement graph it declares in a graph of its own
    (:mod:`claimgraph.statements`).  A file whose statement graphs are marked ``draft`` is
    refused unless ``accept_drafts``.  ``engine`` is the validation engine
    (:data:`claimgraph.validation.ENGINES`: the compiled shapes, or pySHACL, the reference).

    >>> from claimgraph.store import open_store
    >>> store = open_store(":memory:")
    >>> ttl = b'<https://w3id.org/claimgraph/id/x> <http://example.org/p> "x" .'
    >>> r = ingest_bytes(store, ttl, format="turtle", source="x.ttl")
    >>> r.created, r.triples
    (True, 1)
    >>> ingest_bytes(store, ttl, format="turtle", source="x.ttl").created
    False
    """
    from .validation import context_for, validate_batch, with_results

    seen = store.generation()  # parsed and validated outside the write lock: see below
    digest = hashlib.sha256(data).hexdigest()
    graph = batch_iri(digest)
    with store.reading():  # what is read before validating, in one session
        if _is_batch(store, graph) or store.has_graph(graph):
            return IngestResult(graph, source, digest, _count(store, graph), False, format)
        parts = split_file_graphs(parse_quads(data, format=format, source=source), source=source)
        if not parts.all_triples():
            raise ParseError("holds no triples", source=source)
        _refuse_taken_graphs(store, parts, source)
        if not accept_drafts:
            _refuse_drafts(parts, source)
        texts = _revision_texts(store, parts.all_triples())
        parts.main = _complete(parts.main, texts, source)
        for name in list(parts.graphs):
            parts.graphs[name] = _complete(parts.graphs[name], texts, source)
        triples = parts.all_triples()
        context = context_for(store, triples)
    report = validate_batch(triples, context=context, engine=engine)
    report = with_results(report, evidence_results(parts))
    if not report.conforms:
        raise ValidationFailed(
            report,
            f"{source}: {len(report.violations)} violation(s) of the claimgraph shapes; "
            "nothing was written",
        )
    metadata = batch_metadata(
        graph,
        source=source,
        digest=digest,
        format=format,
        triples=len(triples),
        agent=agent,
        warnings=report,
        statement_graphs=parts.standing,
        declarations=parts.declarations,
        name_keys=_name_keys(triples),
    )
    with store.writing():
        if seen is not None and not store.unchanged_since(seen):  # a writer came between: redo
            return ingest_bytes(
                store,
                data,
                format=format,
                source=source,
                agent=agent,
                accept_drafts=accept_drafts,
                engine=engine,
            )
        store.add_batch(graph, parts.main, metadata, graphs=parts.graphs)
    return IngestResult(graph, source, digest, len(triples), True, format, report)


def _refuse_taken_graphs(store: Store, parts: FileGraphs, source: str) -> None:
    taken = sorted(g for g in parts.graphs if store.has_graph(g))
    if taken:
        raise ParseError(
            f"the statement graph(s) {', '.join(f'<{g}>' for g in taken)} are already in the "
            "store, written by another batch: a graph belongs to one batch. Retract that batch "
            "first (claimgraph batches lists them), or change every id of this file, not only "
            "the graph's: the article, its revision and each record in the graph may be the "
            "other batch's too (for a draft of `claimgraph extract`, re-run it with another "
            "--title, or against the store, which picks a free stem)",
            source=source,
        )


def _refuse_drafts(parts: FileGraphs, source: str) -> None:
    drafts = sorted(
        t.subject.value
        for t in parts.declarations
        if t.predicate.value == CG + "draft"
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.Literal)
        and t.object.value in ("true", "1")
    )
    if drafts:
        raise DraftRefused(
            f"{source}: {', '.join(compact(d) for d in drafts)} are drafts a tool wrote and no "
            "person has reviewed (draft: true). Review them, then remove `draft: true`, or "
            "accept them as they are (`claimgraph ingest --accept-drafts`; over HTTP, "
            "`POST /store?acceptDrafts=true`); nothing was written"
        )


def ingest_file(
    store: Store,
    path: str | Path,
    *,
    format: str | None = None,
    agent: str | None = None,
    progress: Callable[[int], None] | None = None,
    follow_symlinks: bool = False,
    accept_drafts: bool = False,
) -> IngestResult:
    """Ingest one file: a regular file (a symbolic link only with ``follow_symlinks``), read
    under the input limits (:func:`claimgraph.untrusted.read_file`); ``progress`` is called
    with the number of bytes read."""
    path = Path(path)
    fmt = detect_format(path, format)
    from .bulk import ingest_large, takes_bulk_path

    if takes_bulk_path(path, fmt):  # a large file: staged and validated in pyoxigraph
        return ingest_large(
            store,
            path,
            format=fmt,
            source=str(path),
            agent=agent,
            progress=progress,
            follow_symlinks=follow_symlinks,
        )
    data = read_file(path, follow_symlinks=follow_symlinks)
    if progress is not None:
        progress(len(data))
    return ingest_bytes(
        store, data, format=fmt, source=str(path), agent=agent, accept_drafts=accept_drafts
    )


SEED_FILES: tuple[str, ...] = (
    "article.yaml",
    "istanbul-talks.yaml",
    "background.yaml",
    "judgements.yaml",
)
"""The seed dataset's record files, in ingest order: the article (its text), what it says
(evidenced), the background it does not give (cited), the modellers' judgements."""


def ingest_seed(store: Store, *, agent: str | None = None) -> list[IngestResult]:
    """Ingest the packaged seed dataset (the Istanbul talks article), one batch per file."""
    return _ingest_packaged(store, "seed", SEED_FILES, "records", agent)


def ingest_ontology(store: Store, *, agent: str | None = None) -> list[IngestResult]:
    """Ingest the packaged ontology (``claimgraph.ttl``, the CAMEO code list) as batches, so
    that queries can read its labels and definitions: ``cg:mediator rdfs:label ?l``."""
    from .vocabulary import ONTOLOGY_FILES

    return _ingest_packaged(store, "ontology", ONTOLOGY_FILES, "turtle", agent)


def _ingest_packaged(
    store: Store, package: str, names: tuple[str, ...], format: str, agent: str | None
) -> list[IngestResult]:
    """Ingest files shipped in ``claimgraph.<package>``, one batch each, in order."""
    folder = files(f"claimgraph.{package}")
    return [
        ingest_bytes(
            store,
            folder.joinpath(name).read_bytes(),
            format=format,
            source=f"claimgraph:{package}/{name}",
            agent=agent,
        )
        for name in names
    ]


def _revision_texts(store: Store, triples: list[ox.Triple]) -> Callable[[str], str | None]:
    """Where evidence quotes are looked up: revision texts in the batch, else in the store."""
    here = {
        t.subject.value: t.object.value
        for t in triples
        if t.predicate.value == CG + "text"
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.Literal)
    }

    def text(revision: str) -> str | None:
        if revision in here:
            return here[revision]
        rows = store.select(
            "SELECT ?r ?t WHERE { ?r cg:text ?t }", bindings={"r": ox.NamedNode(revision)}
        )
        return next((row["t"].value for row in rows), None)

    return text


def _is_batch(store: Store, graph: str) -> bool:
    """Whether the metadata graph describes batch ``graph``."""
    return store.ask(
        f"ASK {{ GRAPH {sparql_iri(META_GRAPH)} {{ ?b a cg:Batch }} }}",
        bindings={"b": ox.NamedNode(graph)},
        default_graphs=[],
    )


def _count(store: Store, graph: str) -> int:
    """How many triples batch ``graph`` wrote, as its metadata records."""
    rows = store.select(
        f"SELECT ?b ?n WHERE {{ GRAPH {sparql_iri(META_GRAPH)} {{ ?b cg:tripleCount ?n }} }}",
        bindings={"b": ox.NamedNode(graph)},
        default_graphs=[],
    )
    return next((int(r["n"].value) for r in rows), 0)
