"""Benchmark: validating batches against the shapes, and what the context costs.

    .venv/bin/python bench/bench_validation.py [--repeat 5] [--filler 200000]

Prints the median wall-clock and CPU time of each step (CPU time is steadier on a shared
machine).  The batches:

- ``seed``: the whole seed dataset (both record files, ~1.1k triples) as one batch, no store;
- ``seed claims``: the seed's claim file (~1k triples) against a store holding its article
  file: the ingest path (context_for, then validate_batch);
- ``synthetic 1k``: ~1k triples of claims, each with a speaker utterance, a wire report, an
  article mention, evidence and selector, all pointing at actors, events and a revision that
  only the store describes;
- the same two context queries again after adding unrelated triples to the store, to show
  the cost follows the batch, not the store.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from claimgraph.rdf import CG, CGI
from claimgraph.records import parse_records
from claimgraph.store import Store, open_store
from claimgraph.validation import context_for, validate_batch, validate_store

BASE = Path(__file__).resolve().parents[1] / "tests" / "data" / "shapes" / "base.ttl"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OA = "http://www.w3.org/ns/oa#"


def median(fn: Callable[[], Any], repeat: int) -> tuple[tuple[float, float], Any]:
    """Median wall-clock and CPU seconds of ``repeat`` calls, and the last value."""
    wall, cpu, value = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        value = fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return (statistics.median(wall), statistics.median(cpu)), value


def synthetic(claims: int) -> list[ox.Triple]:
    """``claims`` claims of ~30 triples each, referencing the base world's stored nodes."""
    n, lit = ox.NamedNode, ox.Literal
    date = lit("2025-05-16", datatype=n(XSD + "date"))
    out = []
    for i in range(claims):
        c, u, w, m, e, s = (
            n(f"{CGI}bench-{i}-{part}")
            for part in ("claim", "utterance", "wire", "mention", "evidence", "selector")
        )

        def add(subject: ox.NamedNode, predicate: str, obj: Any) -> None:
            out.append(ox.Triple(subject, n(predicate), obj))

        add(c, RDF_TYPE, n(CG + "Statement"))
        add(c, CG + "claimText", lit(f"Claim number {i}.", language="en"))
        add(c, CG + "claimant", n(CGI + ("anon-official" if i % 3 == 0 else "ruritania")))
        add(c, CG + "claimDate", date)
        add(c, CG + "aboutEvent", n(CGI + "talks"))
        for hop, kind, carrier, role, previous in (
            (u, "Utterance", "ruritania", "speaker", None),
            (w, "WireReport", "agency", "agency", u),
            (m, "ArticleMention", "outlet", "outlet", w),
        ):
            add(hop, RDF_TYPE, n(CG + kind))
            add(hop, CG + "reports", c)
            add(hop, CG + "carrier", n(CGI + carrier))
            add(hop, CG + "hopRole", n(CG + role))
            observed = "true" if hop == m else "false"
            add(hop, CG + "observed", lit(observed, datatype=n(XSD + "boolean")))
            add(hop, CG + "reportedAt", date)
            if previous is not None:
                add(hop, CG + "derivedFrom", previous)
        add(m, CG + "inArticle", n(CGI + "rev1"))
        add(m, CG + "evidence", e)
        add(e, RDF_TYPE, n(CG + "EvidenceSpan"))
        add(e, OA + "hasSource", n(CGI + "rev1"))
        add(e, OA + "hasSelector", s)
        add(s, RDF_TYPE, n(OA + "TextQuoteSelector"))
        add(s, RDF_TYPE, n(OA + "TextPositionSelector"))
        add(s, OA + "exact", lit("Ruritania said the ceasefire holds"))
        add(s, OA + "start", lit("35", datatype=n(XSD + "integer")))
        add(s, OA + "end", lit("69", datatype=n(XSD + "integer")))
    return out


def fill(store: Store, triples: int) -> None:
    n = ox.NamedNode
    filler = [
        ox.Triple(
            n(f"{CGI}filler-{i // 2}"),
            n(RDF_TYPE if i % 2 == 0 else CG + "claimant"),
            n(CG + "Topic") if i % 2 == 0 else n(CGI + "ruritania"),
        )
        for i in range(triples)
    ]
    store.add_batch("https://w3id.org/claimgraph/batch/filler", filler, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--filler", type=int, default=200_000)
    args = parser.parse_args()
    seed = files("claimgraph.seed")
    article = parse_records(seed.joinpath("article.yaml").read_bytes(), source="article.yaml")
    claims = parse_records(seed.joinpath("istanbul-talks.yaml").read_bytes(), source="talks")
    validate_batch(article)  # load and cache the shapes and the ontology

    rows: list[tuple[str, int, tuple[float, float], str]] = []
    t, report = median(lambda: validate_batch(article + claims), args.repeat)
    rows.append(("seed, one batch, no store", len(article) + len(claims), t, report.summary()))

    store = open_store(":memory:")
    store.add_batch("https://w3id.org/claimgraph/batch/article", article, [])
    t_ctx, context = median(lambda: context_for(store, claims), args.repeat)
    t, report = median(lambda: validate_batch(claims, context=context), args.repeat)
    rows.append((f"seed claims: context_for ({len(context)} triples)", len(claims), t_ctx, ""))
    rows.append(("seed claims: validate_batch", len(claims), t, report.summary()))

    world = open_store(":memory:")
    world.add_batch(
        "https://w3id.org/claimgraph/batch/base",
        list(ox.parse(path=str(BASE), format=ox.RdfFormat.TURTLE)),
        [],
    )
    batch = synthetic(34)
    t_ctx, context = median(lambda: context_for(world, batch), args.repeat)
    t, report = median(lambda: validate_batch(batch, context=context), args.repeat)
    rows.append((f"synthetic 1k: context_for ({len(context)} triples)", len(batch), t_ctx, ""))
    rows.append(("synthetic 1k: validate_batch", len(batch), t, report.summary()))

    fill(world, args.filler)
    t_ctx, context2 = median(lambda: context_for(world, batch), args.repeat)
    rows.append(
        (
            f"synthetic 1k: context_for, store +{args.filler:,} triples ({len(context2)} triples)",
            len(batch),
            t_ctx,
            "",
        )
    )

    full = open_store(":memory:")
    full.add_batch("https://w3id.org/claimgraph/batch/article", article, [])
    full.add_batch("https://w3id.org/claimgraph/batch/claims", claims, [])
    t, report = median(lambda: validate_store(full), args.repeat)
    rows.append(
        ("validate_store, seed (2 batches)", len(article) + len(claims), t, report.summary())
    )

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'triples':>7}  {'wall':>7}  {'cpu':>7}  result")
    for name, n, (wall, cpu), summary in rows:
        print(f"{name:<{width}}  {n:>7}  {wall * 1000:>5.0f}ms  {cpu * 1000:>5.0f}ms  {summary}")


if __name__ == "__main__":
    main()
