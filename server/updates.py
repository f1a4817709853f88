"""Write tasks: SPARQL Update and Graph Store Protocol writes, validated and landed as batches.

These run in a query process like reads (so a runaway ``INSERT … WHERE`` is killed at the
deadline, and a kill loses the write whole).  A write is *judged* — parsed, the store read
for what it depends on, validated — outside the store's write lock, so readers never wait on
a write's validation; only the write itself takes the exclusive lock
(:mod:`claimgraph.store.locking`).  Under the lock, the store's generation says whether
another writer came in between; if one did, the write is judged again under the lock
(:func:`judged_then_written`), so what lands is always what was validated.

**Validated mode** (the default, ``validate_writes``):

* ``/update``: the update's canonical text (:mod:`claimgraph.sparql.text`: what the safety
  check read is exactly what runs) is first applied to a scratch in-memory copy of what it can
  reach (the default graph and every graph whose IRI appears in it — the whole store for
  ``GRAPH ?g``, ``DROP ALL`` and the like), and the difference (quads added and removed,
  graphs created and dropped) is computed.  An update that touches the batch metadata graph
  is refused (403), one that touches an existing batch graph too (409: batches are written
  whole — retract and re-ingest), and so is a graph name with an unwanted scheme (422).
  Triples it adds to the default graph form one new batch (named by the sha256 of their
  sorted N-Triples; if that batch is already there, the update is a no-op, as the same
  content again is for ``ingest``); triples added to a new named graph make that graph a
  batch.  Every such batch is completed (:func:`claimgraph.ingest.completed`: what the
  ontology implies, evidence offsets) and validated against the shapes, as ``ingest`` does;
  any violation refuses the whole update (422) and nothing is written.  If it conforms, the
  same update is applied to the real store together with ``MOVE DEFAULT TO <batch>``, the
  implied triples and the batch metadata, in one transaction.
* ``/store``: a POST without a graph (or to ``?default``) is ``ingest``: a new batch named
  by its content hash, 201 with its IRI in ``Location`` (200 if that content is already
  there). PUT/POST to ``?graph=G`` complete and validate the body as a batch and
  replace/extend ``G`` with its batch metadata, in one transaction (not for a graph of the
  batch namespace, which is named by its content: 409).  DELETE retracts a graph and its
  metadata.  PUT and DELETE of ``?default`` are refused (405): the default graph is the union
  of all batches.  Any write to the metadata graph is refused (403).

**Unvalidated mode** (``validate_writes`` off; for protocol conformance runs only): updates and
Graph Store writes apply as plain SPARQL 1.1 semantics, without shapes or metadata (graph
names are still checked, and the metadata graph is still refused to the Graph Store).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from claimgraph.batches import batch_iri, batch_metadata, owning_batch
from claimgraph.errors import QueryError, StoreError, ValidationFailed, syntax_message
from claimgraph.ingest import completed
from claimgraph.rdf import BATCH, META_GRAPH, PREFIXES
from claimgraph.sparql import checked_update, tokens
from claimgraph.sparql.text import is_absolute_iri
from claimgraph.store import OxigraphStore, Store, insert_data
from claimgraph.untrusted import check_literals

from .errors import HTTPProblem
from .messages import TaskContext

if TYPE_CHECKING:
    from claimgraph.validation import ValidationReport

# ----------------------------------------------------------------------- update text

_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
"""What may stand between ``<`` and ``>`` (SPARQL's ``IRIREF``)."""


def inject_using(text: str, using: list[str], using_named: list[str]) -> str:
    """Add protocol ``using-graph-uri``/``using-named-graph-uri`` to every ``INSERT/DELETE …
    WHERE`` operation, as ``USING``/``USING NAMED`` clauses before its ``WHERE``.  A graph
    name that could not stand in ``<…>`` is refused: it must not add to the update.

    >>> inject_using("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", ["http://g"], [])
    'INSERT { ?s ?p 1 } USING <http://g> WHERE { ?s ?p ?o }'
    >>> inject_using("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", ["http://g> WHERE {}"], [])
    Traceback (most recent call last):
    claimgraph.errors.QueryError: using-graph-uri 'http://g> WHERE {}' is not an IRI
    """
    for name, graphs in (("using-graph-uri", using), ("using-named-graph-uri", using_named)):
        for g in graphs:
            if not _IRI.fullmatch(g):
                raise QueryError(f"{name} {g!r} is not an IRI")
    clauses = (
        " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
        + " "
    )
    depth = 0
    previous = ""
    points: list[int] = []
    for tok in tokens(text, kind="update"):
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif tok.kind == "word" and depth == 0:
            if tok.upper == "WHERE" and previous != "DELETE":
                points.append(tok.start)
            previous = tok.upper
    for p in reversed(points):
        text = text[:p] + clauses + text[p:]
    return text


def append_operations(text: str, more: str) -> str:
    """``text`` followed by the operations ``more``, with exactly one ``;`` between."""
    code = [t for t in tokens(text, kind="update") if t.kind not in ("ws", "comment")]
    sep = "\n" if code and code[-1].text == ";" else "\n;\n"
    return text + sep + more


# ----------------------------------------------------------------------- validation


def _validate(store: Store, triples: list[ox.Triple], what: str) -> ValidationReport:
    from claimgraph.validation import context_for, validate_batch  # pySHACL: heavy

    report = validate_batch(triples, context=context_for(store, triples))
    if not report.conforms:
        raise ValidationFailed(
            report,
            f"{what}: {len(report.violations)} violation(s) of the claimgraph shapes; "
            "nothing was written",
        )
    return report


def _digest(triples: list[ox.Triple]) -> str:
    lines = sorted(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _metadata(
    graph: str,
    triples: list[ox.Triple],
    *,
    source: str,
    format: str,
    agent: str | None,
    report: ValidationReport,
    digest: str | None = None,
) -> list[ox.Triple]:
    out: list[ox.Triple] = batch_metadata(
        graph,
        source=source,
        digest=digest or _digest(triples),
        format=format,
        triples=len(triples),
        agent=agent,
        warnings=report,
    )
    return out


def _warnings(report: ValidationReport | None) -> list[str]:
    return [w.message for w in report.warnings] if report is not None else []


# ----------------------------------------------------------------------- judge, then write

R = TypeVar("R")


def judged_then_written(store: Store, judge: Callable[[Store], Callable[[Store], R]]) -> R:
    """``judge(store)`` — parse, read what the write depends on, validate — runs outside the
    store's write lock (readers never wait on it); the write it returns then runs inside the
    lock.  If another writer began in between (:meth:`Store.unchanged_since`), what was
    judged may no longer hold: it is judged again under the lock, then written."""
    seen = store.generation()
    write = judge(store)
    with store.writing():
        if not store.unchanged_since(seen):
            write = judge(store)
        return write(store)


# ----------------------------------------------------------------------- protected graphs

HOW_TO_CHANGE_A_BATCH = (
    "Batches are written whole: to change one, retract it (DELETE /store?graph=<batch>, or "
    "`claimgraph retract`) and ingest the corrected data as a new batch (POST /store, or "
    "`claimgraph ingest`)."
)


def refuse_statement_graph(store: Store, graph: str, method: str) -> None:
    """A statement graph (what an article says, a citation's background, a judgement) is
    part of the batch that declared it, with its standing: it changes only with that batch
    (409)."""
    batch = owning_batch(store, graph)
    if batch is not None:
        raise HTTPProblem(
            409,
            f"<{graph}> is a statement graph of batch <{batch}>, which declared its standing; "
            f"{method} would change it without its batch. {HOW_TO_CHANGE_A_BATCH}",
        )


def check_graph_name(graph: str, what: str = "graph", *, writing: bool = True) -> None:
    """Refuse a graph name that is not an absolute IRI (400) or, for a write, has a scheme
    claimgraph never wants (422, :data:`~claimgraph.validation.values.UNWANTED_SCHEMES`).

    >>> check_graph_name("not an IRI")
    Traceback (most recent call last):
    claimgraph.server.errors.HTTPProblem: the graph name 'not an IRI' is not an absolute IRI ...
    """
    from claimgraph.validation.values import UNWANTED_SCHEMES, unwanted_scheme

    shown = graph if len(graph) <= 80 else graph[:80] + "…"
    if not _IRI.fullmatch(graph) or not is_absolute_iri(graph):
        raise HTTPProblem(
            400,
            f"the {what} name {shown!r} is not an absolute IRI (a scheme such as https: and "
            "no spaces, quotes or angle brackets); percent-encode it in the URL",
        )
    scheme = unwanted_scheme(graph)
    if writing and scheme is not None:
        raise HTTPProblem(
            422,
            f"the {what} name <{shown}> is a {scheme}: IRI; claimgraph refuses IRIs of the "
            f"schemes {', '.join(sorted(UNWANTED_SCHEMES))} (name graphs with https: or urn:)",
        )


def refuse_metadata_graph(method: str) -> HTTPProblem:
    """The 403 for any write to the batch metadata graph."""
    return HTTPProblem(
        403,
        f"{method} of the batch metadata graph <{META_GRAPH}> is refused: it is written only "
        "as batches are added and removed. Add a batch with POST /store (or `claimgraph "
        "ingest`); remove one, with everything recorded about it, with DELETE "
        "/store?graph=<batch> (or `claimgraph retract`).",
    )


def _is_batch(store: Store, graph: str) -> bool:
    """Whether ``graph`` is a batch: named by content (under ``cgb:``) or described in the
    metadata graph."""
    return graph.startswith(BATCH) or _has_metadata(store, graph)


def _has_metadata(store: Store, graph: str) -> bool:
    described: bool = store.ask(
        "ASK { GRAPH ?meta { ?batch ?p ?o } }",
        bindings={"meta": ox.NamedNode(META_GRAPH), "batch": ox.NamedNode(graph)},
    )
    return described


# ----------------------------------------------------------------------- /update


def run_update(
    ctx: TaskContext,
    *,
    update: str,
    base_iri: str | None = None,
    using: list[str] | None = None,
    using_named: list[str] | None = None,
    validate: bool = True,
    agent: str | None = None,
) -> dict[str, Any]:
    """Apply a SPARQL 1.1 update (see the module doc for the validated path).  The scratch
    copy, the validation and the store all run the update's canonical text, the one the
    safety check read."""
    update, inspection = checked_update(update, base=base_iri)
    if (using or using_named) and inspection.with_or_using:
        raise QueryError(
            "the request gives using-graph-uri/using-named-graph-uri and the update has USING "
            "or WITH: use one or the other"
        )
    protocol_graphs = set(using or []) | set(using_named or [])
    if protocol_graphs:
        # protocol parameters name graphs of the store (one it lacks is empty, never fetched)
        update = inject_using(update, using or [], using_named or [])
        update = checked_update(update, base=base_iri)[0]  # canonical again, as it will run
    if not validate:
        with ctx.store.writing() as store:
            inspection.refuse_remote(store.has_graph)
            _apply(store, update, base_iri, protocol_graphs)
            return {"validated": False}
    graphs = inspection.graphs
    if graphs is not None:
        graphs = graphs | protocol_graphs

    def judge(store: Store) -> Callable[[Store], dict[str, Any]]:
        inspection.refuse_remote(store.has_graph)
        scratch = store.scratch_copy(graphs)
        names_before, before = set(scratch.graphs()), set(scratch.quads())
        _apply_canonical(scratch, update, base_iri)
        names_after, after = set(scratch.graphs()), set(scratch.quads())
        added, removed = after - before, before - after
        touched = names_before ^ names_after
        touched |= {iri for q in added | removed if (iri := _graph_iri(q)) is not None}
        by_graph: dict[str | None, list[ox.Triple]] = {}
        for q in added:
            by_graph.setdefault(_graph_iri(q), []).append(
                ox.Triple(q.subject, q.predicate, q.object)
            )
        _refuse_protected(store, touched, names_before)
        check_literals((t for triples in by_graph.values() for t in triples), source="the update")
        batches: list[dict[str, Any]] = []
        metadata: list[ox.Triple] = []
        more: list[str] = []
        placed: list[ox.Quad] = []  # the added quads where they land: the default's in a batch
        stated = [t for triples in by_graph.values() for t in triples]
        for graph, triples in sorted(by_graph.items(), key=lambda kv: kv[0] or ""):
            digest: str | None = None
            target = graph
            if target is None:
                digest = _digest(triples)
                target = batch_iri(digest)
                if store.has_graph(target):  # the same content again: a no-op, as for ingest
                    more.append("CLEAR SILENT DEFAULT")
                    batches.append({"graph": target, "added": 0, "created": False, "warnings": []})
                    continue
                more.append(f"MOVE SILENT DEFAULT TO <{target}>")
            what = f"update ({graph or 'default graph'})"
            full = completed(store, triples, source=what, among=stated)
            report = _validate(store, full, what)
            if len(full) > len(triples):  # the update states the rest; add what it implies
                more.append(insert_data({target: full[len(triples) :]}))
            metadata += _metadata(
                target,
                full,
                source="SPARQL Update (/update)",
                format="sparql-update",
                agent=agent,
                report=report,
                digest=digest,
            )
            batches.append(
                {
                    "graph": target,
                    "added": len(full),
                    "created": True,
                    "warnings": _warnings(report),
                }
            )
            g = ox.NamedNode(target)
            placed += [ox.Quad(t.subject, t.predicate, t.object, g) for t in full]
        answer = {
            "validated": True,
            "batches": batches,
            "added": sum(b["added"] for b in batches),
            "removed": len(removed),
        }
        if not removed and names_before <= names_after and isinstance(store, OxigraphStore):
            # only additions: land exactly the difference that was validated, as data in one
            # transaction (pyoxigraph's MOVE of 120,000 quads alone takes ~18 s under the lock)
            placed += [ox.Quad(t.subject, t.predicate, t.object, _META) for t in metadata]
            landed = {iri for q in placed if (iri := _graph_iri(q)) is not None}
            empty = sorted(names_after - names_before - landed)

            def add(store: Store) -> dict[str, Any]:
                _add_quads(store, placed, empty)
                return answer

            return add
        if metadata:
            more.append(insert_data({META_GRAPH: metadata}))
        final = append_operations(update, " ;\n".join(more)) if more else update
        # what the store will run, checked here, outside the lock (lexing megabytes of
        # INSERT DATA takes seconds: readers must not wait on it)
        final, found = checked_update(final, base=base_iri)
        found.refuse_remote(lambda g: g in protocol_graphs or store.has_graph(g))

        def write(store: Store) -> dict[str, Any]:
            _apply_canonical(store, final, base_iri)
            return answer

        return write

    return judged_then_written(ctx.store, judge)


def _graph_iri(q: ox.Quad) -> str | None:
    """The IRI of the named graph ``q`` is in, None in the default graph."""
    return q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None


_META = ox.NamedNode(META_GRAPH)


def _add_quads(store: Store, quads: list[ox.Quad], empty_graphs: list[str]) -> None:
    """Add ``quads`` in one transaction, and create the graphs ``empty_graphs``."""
    assert isinstance(store, OxigraphStore)
    try:
        with store.writing():
            store.raw.extend(quads)
            for g in empty_graphs:
                store.raw.add_graph(ox.NamedNode(g))
    except OSError as e:
        raise HTTPProblem(503, f"the store refused the update: {e}") from e


def _refuse_protected(store: Store, touched: set[str], existing: set[str]) -> None:
    """Refuse an update that writes the metadata graph (403) or a batch graph (409), or
    names a graph with an unwanted scheme (422)."""
    if META_GRAPH in touched:
        raise refuse_metadata_graph("an update")
    for graph in sorted(touched):
        check_graph_name(graph)
        if graph.startswith(BATCH) and graph not in existing:
            raise HTTPProblem(
                403,
                f"<{graph}> is in the batch namespace, where graphs are named by the content "
                "of their batch; write to the default graph (the update becomes a new batch) "
                "or to a graph of your own name",
            )
        if graph in existing and _is_batch(store, graph):
            raise HTTPProblem(
                409,
                f"the update writes to batch <{graph}>, which only the batch machinery "
                f"changes. {HOW_TO_CHANGE_A_BATCH}",
            )


def _apply_canonical(store: Store, text: str, base_iri: str | None) -> None:
    """Run ``text``, the canonical text of an update already checked (``checked_update`` and
    ``refuse_remote``), without lexing it again: straight on the engine where the store is
    the embedded one (inside a writing session for a real store)."""
    if not isinstance(store, OxigraphStore):
        _apply(store, text, base_iri, set())
        return
    try:
        with store.writing():
            store.raw.update(text, base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as e:
        raise QueryError(syntax_message("update", text, str(e))) from e
    except OSError as e:
        raise HTTPProblem(503, f"the store refused the update: {e}") from e
    except RuntimeError as e:  # the update itself fails: DROP of a graph that does not exist
        raise QueryError(
            f"the update cannot be applied: {e} (SILENT, as in DROP SILENT GRAPH, lets an "
            "operation on a graph that does not exist do nothing)"
        ) from e


def _apply(store: Store, update: str, base_iri: str | None, protocol_graphs: set[str]) -> None:
    try:
        store.update(update, base_iri=base_iri, absent_graphs=protocol_graphs)
    except StoreError as e:
        raise HTTPProblem(503, f"the store refused the update: {e.__cause__ or e}") from e


# ----------------------------------------------------------------------- /store writes


def _parse_parts(parts: list[tuple[bytes, str]], source: str) -> list[ox.Triple]:
    from claimgraph.ingest import parse_bytes

    triples: list[ox.Triple] = []
    for data, fmt in parts:
        triples.extend(parse_bytes(data, format=fmt, source=source))
    return triples


def write_graph(
    ctx: TaskContext,
    *,
    method: str,
    graph: str | None,
    parts: list[tuple[bytes, str]],
    new_graph: bool = False,
    validate: bool = True,
    union: bool = True,
    agent: str | None = None,
    source: str = "Graph Store Protocol (/store)",
    accept_drafts: bool = False,
) -> dict[str, Any]:
    """PUT, POST or DELETE one graph (``graph`` None: the default graph; ``new_graph``: a POST
    that creates a new graph named by its content; ``accept_drafts``: a new batch may hold
    statement graphs marked ``draft``).  Returns ``{"status": …, "graph": …}``.
    The body is parsed and validated outside the store's write lock
    (:func:`judged_then_written`)."""
    from claimgraph.ingest import ingest_bytes

    if graph is not None:
        check_graph_name(graph)
        if graph == META_GRAPH:
            raise refuse_metadata_graph(method)
    store = ctx.store
    if validate and graph is not None:
        refuse_statement_graph(store, graph, method)
    if method == "DELETE":
        with store.writing():
            return _delete(store, graph, validate=validate, union=union)

    if validate and graph is None and method == "POST":  # POST /store or ?default
        # a new batch, exactly as `claimgraph ingest` writes it (validated outside the lock)
        if len(parts) == 1:
            data, fmt = parts[0]
        else:
            triples = _parse_parts(parts, source)
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            fmt = "ntriples"
        result = ingest_bytes(
            store, data, format=fmt, source=source, agent=agent, accept_drafts=accept_drafts
        )
        return {
            "status": 201 if result.created else 200,
            "graph": result.batch,
            "created": result.created,
            "triples": result.triples,
            "warnings": _warnings(result.report),
        }
    if validate and graph is None:
        raise HTTPProblem(
            405,
            "the default graph is the union of all batches and cannot be "
            "replaced; POST adds a batch, PUT ?graph=<iri> writes one graph",
            headers={"Allow": "GET, HEAD, POST"},
        )
    if validate and graph is not None and graph.startswith(BATCH):
        raise HTTPProblem(
            409,
            f"<{graph}> is named by the content of its batch; {method} would make the name "
            f"lie. {HOW_TO_CHANGE_A_BATCH}",
        )

    parsed = _parse_parts(parts, source)
    target = batch_iri(_digest(parsed)) if new_graph else graph
    if not validate:
        with store.writing():
            existed = target is None or store.has_graph(target)
            store.write_graph(target, parsed, replace=method == "PUT")
        return {"status": 204 if existed else 201, "graph": target, "created": not existed}
    assert target is not None

    def judge(store: Store) -> Callable[[Store], dict[str, Any]]:
        existed = store.has_graph(target)
        triples = completed(store, parsed, source=source)
        report = _validate(store, triples, f"<{target}>")
        total = triples
        if method == "POST" and existed:
            total = list(store.triples(target)) + triples
        metadata = _metadata(
            target, total, source=source, format="graph-store", agent=agent, report=report
        )

        def write(store: Store) -> dict[str, Any]:
            store.rewrite_batch(target, triples, metadata, replace=method == "PUT")
            if new_graph:
                return {"status": 201, "graph": target, "created": not existed}
            return {"status": 204 if existed else 201, "graph": target, "created": not existed}

        return write

    return judged_then_written(store, judge)


def _delete(store: Store, graph: str | None, *, validate: bool, union: bool) -> dict[str, Any]:
    if graph is None:
        if validate or union:
            raise HTTPProblem(
                405,
                "the default graph is the union of all batches and cannot be deleted; "
                "DELETE ?graph=<batch> retracts one batch",
                headers={"Allow": "GET, HEAD, POST"},
            )
        _apply(store, "CLEAR DEFAULT", None, set())
        return {"status": 204, "graph": None}
    if not store.has_graph(graph):
        raise HTTPProblem(404, f"no graph <{graph}> in the store")
    if validate:
        store.drop_batch(graph)
    else:
        _apply(store, f"DROP GRAPH {ox.NamedNode(graph)}", None, set())
    return {"status": 204, "graph": graph}
