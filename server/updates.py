"""Write tasks: SPARQL Update and Graph Store Protocol writes, validated and landed as batches.

These run in a query process like reads (so a runaway ``INSERT … WHERE`` is killed at the
deadline, and a kill loses the write whole), in a writing session of the store: it holds the
store's exclusive lock (:mod:`claimgraph.store.locking`), so no other process reads or writes
in between.

**Validated mode** (the default, ``validate_writes``):

* ``/update``: the update's canonical text (:mod:`claimgraph.sparql.text`: what the safety
  check read is exactly what runs) is first applied to a scratch in-memory copy of what it can
  reach (the default graph and every graph whose IRI appears in it — the whole store for
  ``GRAPH ?g``, ``DROP ALL`` and the like), and the difference (quads added, quads removed) is
  computed.  Triples it adds to the default graph
  form one new batch (named by the sha256 of their sorted N-Triples); triples added to a named
  graph are checked as a batch of that graph.  Every such batch is validated against the
  shapes with the same function as ``ingest`` (the batch plus the store context it
  references); any violation refuses the whole update (422) and nothing is written.  If it
  conforms, the same update is applied to the real store together with
  ``MOVE DEFAULT TO <batch>`` and the batch metadata, in one transaction: the store cannot
  change in between (the writing session lasts throughout), so the real result equals the
  validated one.  Deletions are not validated (retracting is always allowed; run
  ``claimgraph validate`` for a full check).
* ``/store``: a POST without a graph (or to ``?default``) is ``ingest``: a new batch named by
  its content hash, 201 with its IRI in ``Location`` (200 if that content is already there).
  PUT/POST to ``?graph=G`` validate the body as a batch and replace/extend ``G`` with its
  batch metadata, in one transaction.  DELETE retracts a graph and its metadata.  PUT and
  DELETE of ``?default`` are refused (405): the default graph is the union of all batches.

**Unvalidated mode** (``validate_writes`` off; for protocol conformance runs only): updates and
Graph Store writes apply as plain SPARQL 1.1 semantics, without shapes or metadata.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from claimgraph.batches import batch_iri, batch_metadata, forget_batch_update
from claimgraph.errors import ForbiddenQuery, ParseError, QueryError, StoreError, ValidationFailed
from claimgraph.rdf import META_GRAPH
from claimgraph.sparql import checked_update, tokens
from claimgraph.store import Store, insert_data

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
    with ctx.store.writing() as store:
        inspection.refuse_remote(store.has_graph)
        if not validate:
            _apply(store, update, base_iri, protocol_graphs)
            return {"validated": False}
        graphs = inspection.graphs
        if graphs is not None:
            graphs = graphs | protocol_graphs
        scratch = store.scratch_copy(graphs)
        before = set(scratch.quads())
        _apply(scratch, update, base_iri, protocol_graphs)
        after = set(scratch.quads())
        added, removed = after - before, before - after
        left = {q.graph_name for q in after}
        emptied = sorted(
            {q.graph_name.value for q in removed if isinstance(q.graph_name, ox.NamedNode)}
            - {g.value for g in left if isinstance(g, ox.NamedNode)}
        )
        by_graph: dict[str | None, list[ox.Triple]] = {}
        for q in added:
            key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            by_graph.setdefault(key, []).append(ox.Triple(q.subject, q.predicate, q.object))
        if META_GRAPH in by_graph or any(q.graph_name == ox.NamedNode(META_GRAPH) for q in removed):
            raise ForbiddenQuery(
                f"the batch metadata graph <{META_GRAPH}> is written only by the server"
            )
        batches: list[dict[str, Any]] = []
        metadata: list[ox.Triple] = []
        more: list[str] = []
        for graph, triples in sorted(by_graph.items(), key=lambda kv: kv[0] or ""):
            report = _validate(store, triples, f"update ({graph or 'default graph'})")
            if graph is None:
                digest = _digest(triples)
                target = batch_iri(digest)
                more.append(f"MOVE SILENT DEFAULT TO <{target}>")
                metadata += _metadata(
                    target,
                    triples,
                    source="SPARQL Update (/update)",
                    format="sparql-update",
                    agent=agent,
                    report=report,
                    digest=digest,
                )
            else:
                target = graph
                if not store.has_graph(graph) or not _has_metadata(store, graph):
                    metadata += _metadata(
                        target,
                        triples,
                        source="SPARQL Update (/update)",
                        format="sparql-update",
                        agent=agent,
                        report=report,
                    )
            batches.append({"graph": target, "added": len(triples), "warnings": _warnings(report)})
        # a batch the update empties is retracted: its graph and everything said about it go
        retracted = [g for g in emptied if _has_metadata(store, g)]
        more += [forget_batch_update(g) for g in retracted]
        if metadata:
            more.append(insert_data({META_GRAPH: metadata}))
        final = append_operations(update, " ;\n".join(more)) if more else update
        _apply(store, final, base_iri, protocol_graphs)
        return {
            "validated": True,
            "batches": batches,
            "retracted": retracted,
            "added": len(added),
            "removed": len(removed),
        }


def _has_metadata(store: Store, graph: str) -> bool:
    described: bool = store.ask(
        "ASK { GRAPH ?meta { ?batch ?p ?o } }",
        bindings={"meta": ox.NamedNode(META_GRAPH), "batch": ox.NamedNode(graph)},
    )
    return described


def _apply(store: Store, update: str, base_iri: str | None, protocol_graphs: set[str]) -> None:
    try:
        store.update(update, base_iri=base_iri, absent_graphs=protocol_graphs)
    except StoreError as e:
        raise HTTPProblem(503, f"the store refused the update: {e.__cause__ or e}") from e


# ----------------------------------------------------------------------- /store writes


def _parse_parts(parts: list[tuple[bytes, str]], source: str) -> list[ox.Triple]:
    from claimgraph.ingest import parse_bytes, with_entailments

    triples: list[ox.Triple] = []
    for data, fmt in parts:
        triples.extend(parse_bytes(data, format=fmt, source=source))
    completed: list[ox.Triple] = with_entailments(triples)
    return completed


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
) -> dict[str, Any]:
    """PUT, POST or DELETE one graph (``graph`` None: the default graph; ``new_graph``: a POST
    that creates a new graph named by its content).  Returns ``{"status": …, "graph": …}``."""
    from claimgraph.ingest import ingest_bytes

    with ctx.store.writing() as store:
        if method == "DELETE":
            if graph is None:
                if validate or union:
                    raise HTTPProblem(
                        405,
                        "the default graph is the union of all batches and "
                        "cannot be deleted; DELETE ?graph=<batch> retracts one "
                        "batch",
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

        if validate and graph is None and method == "POST":  # POST /store or ?default
            # a new batch, exactly as `claimgraph ingest` writes it
            if len(parts) == 1:
                data, fmt = parts[0]
            else:
                triples = _parse_parts(parts, source)
                data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
                fmt = "ntriples"
            try:
                result = ingest_bytes(store, data, format=fmt, source=source, agent=agent)
            except ParseError as e:
                raise HTTPProblem(400, str(e)) from e
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

        try:
            triples = _parse_parts(parts, source)
        except ParseError as e:
            raise HTTPProblem(400, str(e)) from e
        target = batch_iri(_digest(triples)) if new_graph else graph
        if target == META_GRAPH:
            raise ForbiddenQuery(f"<{META_GRAPH}> is written only by the server")
        existed = target is None or store.has_graph(target)
        if validate:
            assert target is not None
            report = _validate(store, triples, f"<{target}>")
            total = triples
            if method == "POST" and existed:
                total = list(store.triples(target)) + triples
            metadata = _metadata(
                target, total, source=source, format="graph-store", agent=agent, report=report
            )
            store.rewrite_batch(target, triples, metadata, replace=method == "PUT")
        else:
            store.write_graph(target, triples, replace=method == "PUT")
        if new_graph:
            return {"status": 201, "graph": target, "created": not existed}
        return {"status": 204 if existed else 201, "graph": target, "created": not existed}
