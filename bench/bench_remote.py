"""Embedded store vs Oxigraph server vs Virtuoso, on the same data, through claimgraph: the
write path (batches landing), a validated ingest into the loaded store, and every saved query.

Data: the copies of the seed that ``bench_queries.py`` builds (every saved query finds its
kind of answer at every size), one named graph per copy.  Each backend gets them the way
``claimgraph migrate`` and ``ingest`` write: one :meth:`Store.add_batch` per copy (about 900
triples; on the servers one SPARQL update each, on the embedded store one transaction on
disk).  Then fresh 1k-triple batches from ``synthetic.py`` are ingested with validation
(parse, entailment, context fetched from the store, SHACL, write) and every saved query runs
(one warm-up — Virtuoso compiles a query the first time it sees it — then p50/p95), reading
every standing (the copies are batches without statement-graph declarations, so the union of
all graphs is what they answer from); with ``--compare`` the rows of every saved query are
compared with the first backend's, row by row.  Each figure is printed on stderr as it is
measured.  The
servers are started here on 127.0.0.1 as the tests start them (``tests/backends.py``);
ratios are to the embedded store measured in the same run.

    .venv/bin/python bench/bench_remote.py --sizes 100000            # a few minutes
    .venv/bin/python bench/bench_remote.py --sizes 1000000 --runs 5  # the 1M run, by hand
    .venv/bin/python bench/bench_remote.py --sizes 100000 --runs 1 --compare  # same answers?
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import backends  # noqa: E402
import bench_ingest  # noqa: E402
import bench_queries  # noqa: E402

from claimgraph.ingest import ingest_bytes  # noqa: E402
from claimgraph.queries import SavedQuery, saved_queries  # noqa: E402
from claimgraph.saved_queries import Page  # noqa: E402
from claimgraph.statements import STANDINGS  # noqa: E402
from claimgraph.store import OxigraphStore, Store  # noqa: E402

BACKENDS = ["embedded", "oxigraph", "virtuoso"]


def batches(n_triples: int, group: int) -> Iterator[tuple[str, list[ox.Triple]]]:
    """The copies of the seed, as (graph, triples) batches of about 900 triples."""
    per_copy = len(bench_queries.seed_triples())
    n = max(1, round(n_triples / per_copy))
    quads = bench_queries.copies(n, group)
    for graph, qs in groupby(quads, key=lambda q: q.graph_name):
        assert isinstance(graph, ox.NamedNode)
        yield graph.value, [ox.Triple(q.subject, q.predicate, q.object) for q in qs]


def open_backend(name: str, tmp: Path) -> tuple[Store, Callable[[], None]]:
    """An empty store of ``name`` and how to stop what was started for it."""
    if name == "embedded":
        store = OxigraphStore(tmp / "store")
        return store, store.close
    start = backends.start_oxigraph if name == "oxigraph" else backends.start_virtuoso
    kwargs = {} if name == "oxigraph" else {"max_rows": 1_000_000}
    (tmp / name).mkdir()
    server = start(tmp / name, **kwargs)  # type: ignore[operator]
    store = server.open(timeout=600)
    return store, server.stop


def load(store: Store, data: list[tuple[str, list[ox.Triple]]]) -> float:
    """Seconds to write every batch (its graph, no metadata) with add_batch."""
    start = time.perf_counter()
    for graph, triples in data:
        store.add_batch(graph, triples, [])
    return time.perf_counter() - start


def ingest_times(store: Store, repeat: int, size: int) -> list[float]:
    """Seconds of each validated ingest of a fresh ``size``-triple batch."""
    times = []
    for i in range(repeat):
        data = bench_ingest.batch_bytes(size, seed=2000 + i)
        data = data.replace(b"/id/", f"/id/r{i}-".encode())
        start = time.perf_counter()
        ingest_bytes(store, data, format="ntriples", source=f"remote-batch-{i}.nt")
        times.append(time.perf_counter() - start)
    return times


def progress(backend: str, what: str, shown: str) -> None:
    """One figure on stderr as soon as it is measured (a long run can be read part way)."""
    print(f"# {time.strftime('%H:%M:%S')} {backend}: {what}: {shown}", file=sys.stderr, flush=True)


def rows_of(store: Store, query: SavedQuery) -> Counter[tuple[str, ...]]:
    """A saved query's rows over every standing, with how often each comes (as
    :func:`backends.comparable` writes them)."""
    result = query.run(store, page=Page(), standings=STANDINGS)
    assert isinstance(result, ox.QuerySolutions)
    return Counter(tuple(backends.comparable(row[v]) for v in result.variables) for row in result)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000], metavar="TRIPLES")
    ap.add_argument("--runs", type=int, default=10, help="timed runs per query (default 10)")
    ap.add_argument("--repeat", type=int, default=5, help="validated ingests (default 5)")
    ap.add_argument("--batch", type=int, default=1000, help="triples per ingested batch")
    ap.add_argument("--only", nargs="*", metavar="NAME", help="measure only these queries")
    ap.add_argument("--backends", nargs="*", default=BACKENDS, choices=BACKENDS)
    ap.add_argument(
        "--compare",
        action="store_true",
        help="also compare every saved query's rows with the first backend's, row by row",
    )
    args = ap.parse_args()
    queries = [q for n, q in saved_queries().items() if not args.only or n in args.only]
    for size in args.sizes:
        data = list(batches(size, 20))
        quads = sum(len(t) for _, t in data)
        print(f"\n## {quads:,} quads in {len(data)} batches\n")
        rows: dict[str, dict[str, str]] = {}
        answers: dict[str, dict[str, Counter[tuple[str, ...]]]] = {}
        base: dict[str, float] = {}
        for name in args.backends:
            with tempfile.TemporaryDirectory(prefix=f"claimgraph-remote-{name}-") as tmp:
                store, stop = open_backend(name, Path(tmp))
                try:
                    seconds = load(store, data)
                    ingest = statistics.median(ingest_times(store, args.repeat, args.batch))
                    figures = {
                        "load (add_batch per copy)": (seconds, f"{quads / seconds:,.0f} triples/s"),
                        f"validated ingest of a {args.batch}-triple batch (median)": (
                            ingest,
                            f"{ingest * 1000:,.0f} ms",
                        ),
                    }
                    for what, (_, shown) in figures.items():
                        progress(name, what, shown)
                    reader: Store = store
                    if isinstance(store, OxigraphStore):
                        store.close()
                        reader = OxigraphStore(Path(tmp) / "store")
                    for q in queries:
                        p50, p95, n = bench_queries.measure(
                            reader, q, args.runs, standings=STANDINGS
                        )
                        figures[q.name] = (p50, f"{p50:,.1f} / {p95:,.1f} ms ({n})")
                        progress(name, q.name, figures[q.name][1])
                        if args.compare:
                            answers.setdefault(q.name, {})[name] = rows_of(reader, q)
                    print(f"# {name}: done", file=sys.stderr)
                finally:
                    stop()
            for what, (value, shown) in figures.items():
                if name == "embedded":
                    base[what] = value
                ratio = f" ×{value / base[what]:.1f}" if what in base and base[what] else ""
                rows.setdefault(what, {})[name] = shown + (ratio if name != "embedded" else "")
        for query, by in answers.items():
            for name, got in by.items():
                if got != by[args.backends[0]]:
                    print(
                        f"answers differ: {query} on {name} ({sum(got.values())} rows) and "
                        f"{args.backends[0]} ({sum(by[args.backends[0]].values())})"
                    )
        print("| figure | " + " | ".join(args.backends) + " |")
        print("|---|" + "---:|" * len(args.backends))
        for what, by in rows.items():
            print(f"| {what} | " + " | ".join(by.get(b, "") for b in args.backends) + " |")


if __name__ == "__main__":
    main()
