"""Copying a store to another: every batch with its statement graphs and its metadata, then
the other graphs, then the counts checked.

``claimgraph migrate --from ./store --to http://host:7878/query`` moves an embedded store to a
server (or back, or between servers).  Batches are copied oldest first, each with
:meth:`~claimgraph.store.Store.add_batch` — its graph, its statement graphs (with their
standings) and its PROV-O description in one write, as ``ingest`` writes them — and as they
are: they were validated when they were ingested.  A batch whose description the target
already holds is left alone, so a migration that stopped (a server gone, Ctrl-C) is resumed
by running it again; graphs of a batch the target holds without its description (a write cut
short on a server that applies operations one by one) are written again.  At the end the
number of triples in each graph is compared, and any difference is an error naming the graphs.

>>> from claimgraph.store import open_store
>>> from claimgraph.ingest import ingest_seed
>>> source, target = open_store(":memory:"), open_store(":memory:")
>>> _ = ingest_seed(source)
>>> done = migrate(source, target)
>>> done.batches, done.skipped, len(target) == len(source)
(4, 0, True)
>>> migrate(source, target).skipped
4
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from .batches import list_batches, statement_graphs_of
from .errors import StoreError
from .rdf import CG, META_GRAPH, PROV, RDF_TYPE
from .store import Store

_AGENT_LINKS = (PROV + "wasAttributedTo", PROV + "wasAssociatedWith")


@dataclass(frozen=True)
class Migration:
    """What :func:`migrate` did."""

    batches: int
    """Batches copied."""
    skipped: int
    """Batches the target already held with their description (a resumed migration)."""
    graphs: int
    """Other named graphs copied (written through the Graph Store semantics, no batch)."""
    quads: int
    """Quads of the source, every one now in the target."""


def batch_descriptions(store: Store) -> dict[str, list[ox.Triple]]:
    """Each batch's description in the metadata graph, as
    :func:`~claimgraph.batches.metadata_removal_update` delimits it: the triples about the
    batch and its own nodes (``<batch>#…``), those pointing at it, the declarations of its
    statement graphs, and its agents'."""
    meta = list(store.triples(META_GRAPH))
    batch_type = ox.NamedNode(CG + "Batch")
    batches = {
        t.subject.value
        for t in meta
        if t.predicate.value == RDF_TYPE
        and t.object == batch_type
        and isinstance(t.subject, ox.NamedNode)
    }
    about: dict[str, list[ox.Triple]] = {b: [] for b in batches}
    agents: dict[str, set[str]] = {b: set() for b in batches}
    by_subject: dict[str, list[ox.Triple]] = {}
    for t in meta:
        by_subject.setdefault(str(t.subject), []).append(t)
    for t in meta:
        subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else ""
        owner = subject.split("#", 1)[0]
        if owner in about:
            about[owner].append(t)
            if t.predicate.value in _AGENT_LINKS and isinstance(t.object, ox.NamedNode):
                agents[owner].add(str(t.object))
        elif isinstance(t.object, ox.NamedNode) and t.object.value in about:
            about[t.object.value].append(t)
    in_batch = CG + "inBatch"
    for t in meta:  # the declarations of its statement graphs, and their blank nodes
        batch = t.object.value if isinstance(t.object, ox.NamedNode) else ""
        if t.predicate.value == in_batch and batch in about:
            declared = by_subject.get(str(t.subject), [])
            about[batch] += [d for d in declared if d is not t]
            for d in declared:
                if isinstance(d.object, ox.BlankNode):
                    about[batch] += by_subject.get(str(d.object), [])
    for b in batches:
        for agent in agents[b]:
            about[b].extend(by_subject.get(agent, []))
    return {b: list(dict.fromkeys(ts)) for b, ts in about.items()}


def _counts(store: Store) -> dict[str, int]:
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {
        row["g"].value: int(row["n"].value) for row in rows if isinstance(row["g"], ox.NamedNode)
    }


def migrate(
    source: Store,
    target: Store,
    *,
    progress: Callable[[str], None] | None = None,
) -> Migration:
    """Copy every batch of ``source`` (with its metadata) and every other graph to
    ``target``, resuming where an earlier run stopped, then check the counts; ``progress``
    is called with each graph once it is done (a batch's statement graphs right after it).  Raises
    :class:`~claimgraph.errors.StoreError` naming the graphs whose counts differ."""
    described = batch_descriptions(source)
    order = [b.batch for b in list_batches(source)]
    batches = [b for b in order if b in described] + sorted(set(described) - set(order))
    source_graphs = source.graphs()
    held = set(target.graphs())
    target_described = set(batch_descriptions(target)) if META_GRAPH in held else set()
    copied = skipped = graphs = 0
    owned: set[str] = set()
    for batch in batches:  # a batch's own graph may be empty: all it says is in its statements
        names = statement_graphs_of(source, batch)
        owned.update(names)
        if batch in target_described:  # its description is written last, or with the rest
            skipped += 1
        else:
            for graph in [batch, *names]:
                if graph in held:  # a write cut short: written again, whole
                    target.write_graph(graph, [], replace=True)
            statements = {g: list(source.triples(g)) for g in names}
            target.add_batch(
                batch, list(source.triples(batch)), described[batch], graphs=statements
            )
            copied += 1
        if progress is not None:
            for graph in [batch, *names]:
                if graph in source_graphs:
                    progress(graph)
    others = [g for g in source_graphs if g != META_GRAPH and g not in described and g not in owned]
    source_counts = _counts(source)
    target_counts = _counts(target)
    for graph in others:
        if graph not in held:
            # written as add_batch writes (its blank nodes keep their labels), no metadata
            target.add_batch(graph, list(source.triples(graph)), [])
            graphs += 1
        elif target_counts.get(graph) != source_counts.get(graph, 0):
            target.write_graph(graph, list(source.triples(graph)), replace=True)
            graphs += 1
        if progress is not None:
            progress(graph)
    own = list(source.triples(ox.DefaultGraph()))
    if own:
        target.write_graph(None, own, replace=False)
    return _checked(source, target, source_counts, copied, skipped, graphs)


def _checked(
    source: Store,
    target: Store,
    source_counts: dict[str, int],
    copied: int,
    skipped: int,
    graphs: int,
) -> Migration:
    after = _counts(target)
    wrong = [
        f"<{g}> ({n} triples, the target holds {after.get(g, 0)})"
        for g, n in sorted(source_counts.items())
        if (after.get(g, 0) < n if g == META_GRAPH else after.get(g, 0) != n)
    ]
    if wrong:
        shown = "; ".join(wrong[:10]) + (f" and {len(wrong) - 10} more" if len(wrong) > 10 else "")
        raise StoreError(
            f"the copy differs from the source in {len(wrong)} graph(s): {shown}. Run the "
            "migration again to rewrite what differs; if it persists, the target keeps those "
            "terms differently (see docs/scale-out.md)"
        )
    quads = sum(source_counts.values()) + len(list(source.triples(ox.DefaultGraph())))
    return Migration(copied, skipped, graphs, quads)
