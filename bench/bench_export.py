"""Time and peak memory of exporting each view at scale.

Generates synthetic data in the seed's shape (``bench/synthetic.py``), bulk-loads it into an
on-disk store as one batch graph, then for each view builds the networkx graph and writes it in
each format, every measurement in a forked child so that peaks do not mix:

* ``build`` — :func:`claimgraph.export.build_graph` (store reads + networkx graph);
* ``FORMAT`` — :func:`claimgraph.export.write` of that graph to a file;
* peak — the child's peak resident memory (``ru_maxrss``) above what it started with
  (the parent's memory, shared after fork), and the total.

    .venv/bin/python bench/bench_export.py --triples 1000000
    .venv/bin/python bench/bench_export.py --triples 100000 --views actors,provenance
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402


def _rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _measure(task: Any) -> dict[str, Any]:
    """Run ``task()`` in a forked child; its result, seconds and peak memory."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        start_rss = _rss_mib()
        t0 = time.perf_counter()
        try:
            info = task()
            ok = ""
        except Exception as e:  # reported, not raised: the bench goes on
            info, ok = None, f"{type(e).__name__}: {e}"
        seconds = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        os.write(
            w,
            repr(
                {
                    "seconds": seconds,
                    "peak": peak,
                    "delta": peak - start_rss,
                    "info": info,
                    "error": ok,
                }
            ).encode(),
        )
        os.close(w)
        os._exit(0)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    import ast

    return dict(ast.literal_eval(b"".join(chunks).decode()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--views", default="actors,claims,provenance,full")
    ap.add_argument("--formats", default="json,graphml,gexf,cyjs,csv,dot")
    ap.add_argument("--keep", type=Path, help="Keep the store and outputs in this directory.")
    args = ap.parse_args()

    import pyoxigraph as ox

    from claimgraph.export import build_graph, write
    from claimgraph.store import OxigraphStore

    temp = None if args.keep else tempfile.TemporaryDirectory(prefix="claimgraph-bench-export-")
    work = args.keep or Path(temp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    data = work / "synthetic.nt"
    t0 = time.perf_counter()
    n = synthetic.write(args.triples, data, entailed=True)
    print(f"generated {n} triples in {time.perf_counter() - t0:.1f} s", flush=True)
    store = OxigraphStore(work / "store")
    t0 = time.perf_counter()
    with store.writing():  # an on-disk store's handle exists only in a session
        store.raw.bulk_load(
            path=str(data),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode("https://w3id.org/claimgraph/batch/bench"),
        )
    print(
        f"loaded {len(store)} quads in {time.perf_counter() - t0:.1f} s; parent RSS "
        f"{_rss_mib():.0f} MiB",
        flush=True,
    )
    claim = "cgi:claim-0-1"
    import networkx  # noqa: F401 - imported once, as a long-running server would have

    from claimgraph.vocabulary import superclasses, term_labels

    superclasses(), term_labels()  # parse the ontology once, likewise

    print(
        f"\n{'view':<11} {'step':<8} {'nodes':>8} {'edges':>8} {'seconds':>8} "
        f"{'peak MiB':>9} {'+MiB':>7} {'size MiB':>9}"
    )
    for view in args.views.split(","):

        def build(view: str = view) -> tuple[int, int]:
            with store.reading():  # results stream, as in a query process
                g = build_graph(store, view, claim=claim if view == "provenance" else None)
            return g.number_of_nodes(), g.number_of_edges()

        m = _measure(build)
        if m["error"]:
            print(f"{view:<11} build    failed: {m['error']}")
            continue
        nodes, edges = m["info"]
        print(
            f"{view:<11} {'build':<8} {nodes:>8} {edges:>8} {m['seconds']:>8.2f} "
            f"{m['peak']:>9.0f} {m['delta']:>7.0f}",
            flush=True,
        )
        for fmt in args.formats.split(","):
            out = work / f"{view}.{fmt}"

            def build_and_write(view: str = view, fmt: str = fmt, out: Path = out) -> float:
                with store.reading():
                    g = build_graph(store, view, claim=claim if view == "provenance" else None)
                t = time.perf_counter()
                write(g, fmt, out)
                return time.perf_counter() - t

            m = _measure(build_and_write)
            if m["error"]:
                print(f"{view:<11} {fmt:<8} failed: {m['error']}")
                continue
            size = out.stat().st_size / 2**20
            print(
                f"{view:<11} {fmt:<8} {'':>8} {'':>8} {m['info']:>8.2f} {m['peak']:>9.0f} "
                f"{m['delta']:>7.0f} {size:>9.1f}",
                flush=True,
            )
            if not args.keep:
                out.unlink()
    store.close()
    if temp is not None:
        temp.cleanup()
    print("\nformat rows: seconds to write only; peak and +MiB are of build and write together")


if __name__ == "__main__":
    main()
