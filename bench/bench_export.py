"""Time and peak memory of exporting each view in each format at scale, with networkx's own
writers as the peer.

Generates synthetic data in the seed's shape (``bench/synthetic.py``, with what ingest states
from the ontology), bulk-loads it into an on-disk store as one batch graph — once per size and
generator: the store is kept under ``--cache`` (default ``$TMPDIR/claimgraph-bench-cache``)
and reused by later runs — then, for each view and format, runs in a **fresh Python process**
(so that peaks do not mix and each starts as ``claimgraph export`` does):

* ours — :func:`claimgraph.export.build_graph` then :func:`claimgraph.export.write` to a file
  (what ``claimgraph export`` and ``/api/export`` do): build seconds, write seconds, and the
  process's peak resident memory (``VmHWM``);
* peer — the same build, then networkx's own writer of the same graph (``write_graphml``,
  ``write_gexf``, ``json.dumps(node_link_data)``, ``json.dumps(cytoscape_data)``); the ratio
  is the peer's write CPU time over ours (above 1: ours faster; CPU time, because on a shared
  machine the wall time is mostly waiting for a core).

    .venv/bin/python bench/bench_export.py --triples 1000000
    .venv/bin/python bench/bench_export.py --triples 100000 --views actors,provenance
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

VIEWS = ("full", "actors", "claims", "provenance")
FORMATS = ("graphml", "gexf", "json", "cyjs", "csv", "dot")
PEER_FORMATS = ("graphml", "gexf", "json", "cyjs")
"""Formats networkx writes itself (DOT is pydot's and CSV ours alone: no peer)."""
CLAIM = "cgi:claim-0-1"
"""The claim of the provenance view (synthetic data's first)."""
BATCH = "https://w3id.org/claimgraph/batch/bench"


def default_cache() -> Path:
    env = os.environ.get("CLAIMGRAPH_BENCH_CACHE")
    return Path(env) if env else Path(tempfile.gettempdir()) / "claimgraph-bench-cache"


def cached_store(triples: int, cache: Path | None = None) -> tuple[Path, int]:
    """An on-disk store of about ``triples`` synthetic triples (plus what ingest states),
    bulk-loaded as one batch graph, built once per size and version of ``synthetic.py`` and
    kept in ``cache``; its path and its number of quads."""
    import pyoxigraph as ox
    import synthetic

    from claimgraph.store import OxigraphStore

    cache = cache or default_cache()
    stamp = hashlib.sha256((HERE / "synthetic.py").read_bytes()).hexdigest()[:12]
    path = cache / f"export-{triples}-{stamp}"
    done = path / "quads"
    if done.exists():
        return path / "store", int(done.read_text())
    path.mkdir(parents=True, exist_ok=True)
    nt = path / "data.nt"
    t0 = time.perf_counter()
    synthetic.write(triples, nt, entailed=True)
    store = OxigraphStore(path / "store")
    with store.writing():  # an on-disk store's handle exists only in a session
        store.raw.bulk_load(
            path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(BATCH)
        )
    quads = len(store)
    store.close()
    nt.unlink()
    done.write_text(str(quads))
    print(f"# built a {quads:,}-quad store in {time.perf_counter() - t0:.0f} s: {path}", flush=True)
    return path / "store", quads


def peak_mib() -> float:
    """This process's peak resident memory so far (``VmHWM``), MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def networkx_write(graph: Any, format: str, path: Path) -> None:
    """networkx's own writer of ``format`` (the peer)."""
    import networkx as nx

    if format == "graphml":
        nx.write_graphml(graph, path)
    elif format == "gexf":
        nx.write_gexf(graph, path, version="1.2draft")
    elif format == "json":
        data = nx.node_link_data(graph, edges="links")
        path.write_bytes(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    elif format == "cyjs":
        path.write_bytes(json.dumps(nx.cytoscape_data(graph), ensure_ascii=False).encode())
    else:
        raise ValueError(format)


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement, in this (fresh) process: build the view, write it ours or the peer's
    way; seconds of each step, peak memory, size of the output."""
    from claimgraph.export import build_graph, write
    from claimgraph.store import OxigraphStore

    store = OxigraphStore(spec["store"])
    view, format, out = spec["view"], spec["format"], Path(spec["out"])
    started = peak_mib()
    c0, t0 = time.process_time(), time.perf_counter()
    with store.reading():  # results stream, as in a query process
        g = build_graph(store, view, claim=CLAIM if view == "provenance" else None)
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    c0, t0 = time.process_time(), time.perf_counter()
    if spec["peer"]:
        networkx_write(g, format, out)
    elif format:
        write(g, format, out)
    written, write_cpu = time.perf_counter() - t0, time.process_time() - c0
    size = out.stat().st_size if format else 0
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "build": build,
        "write": written,
        "build_cpu": build_cpu,
        "write_cpu": write_cpu,
        "peak": peak_mib(),
        "start": started,
        "size": size,
    }


def measure(
    store: Path, view: str, format: str, out: Path, *, peer: bool = False
) -> dict[str, Any]:
    """Run :func:`child` in a fresh interpreter; its figures (``error`` when it failed)."""
    spec = {"store": str(store), "view": view, "format": format, "out": str(out), "peer": peer}
    proc = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
    )
    if out.exists():
        out.unlink()
    if proc.returncode:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run(
    triples: int,
    views: list[str],
    formats: list[str],
    *,
    cache: Path | None = None,
    peer: bool = True,
) -> list[dict[str, Any]]:
    """Every view in every format at ``triples``: one row per (view, format), printed as it
    comes; ``peer_write`` and ``peer_peak`` where networkx writes the format."""
    store, quads = cached_store(triples, cache)
    rows = []
    with tempfile.TemporaryDirectory(prefix="claimgraph-bench-export-") as tmp:
        print(
            f"# {quads:,} quads; {'view':<10} {'format':<8} {'nodes':>8} {'edges':>8} "
            f"{'build s (CPU)':>14} {'write s (CPU)':>14} {'peak MiB':>9} {'MiB':>6}  "
            f"{'nx write s (CPU)':>16} {'nx peak':>8} {'ratio':>6}",
            flush=True,
        )
        for view in views:
            for fmt in formats:
                out = Path(tmp) / f"{view}.{fmt}"
                m = measure(store, view, fmt, out)
                row: dict[str, Any] = {"triples": triples, "quads": quads, "view": view}
                row.update(format=fmt, **m)
                if "error" not in m and peer and fmt in PEER_FORMATS:
                    p = measure(store, view, fmt, out, peer=True)
                    if "error" not in p:
                        row.update(
                            peer_write=p["write"],
                            peer_write_cpu=p["write_cpu"],
                            peer_peak=p["peak"],
                        )
                rows.append(row)
                print(_line(row), flush=True)
    return rows


def _line(r: dict[str, Any]) -> str:
    head = f"  {r['view']:<10} {r['format']:<8}"
    if "error" in r:
        return f"{head} failed: {r['error']}"
    text = (
        f"{head} {r['nodes']:>8} {r['edges']:>8} {r['build']:>6.2f} ({r['build_cpu']:>5.2f}) "
        f"{r['write']:>6.2f} ({r['write_cpu']:>5.2f}) "
        f"{r['peak']:>9.0f} {r['size'] / 2**20:>6.1f}"
    )
    if "peer_write" in r:
        ratio = r["peer_write_cpu"] / r["write_cpu"] if r["write_cpu"] else float("nan")
        text += (
            f"  {r['peer_write']:>8.2f} ({r['peer_write_cpu']:>5.2f}) {r['peer_peak']:>8.0f}"
            f" {ratio:>5.2f}x"
        )
    return text


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(json.loads(sys.argv[2]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", default="1000000", help="sizes, comma-separated")
    ap.add_argument("--views", default=",".join(VIEWS))
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--cache", type=Path, help="where stores are kept between runs")
    ap.add_argument("--no-peer", action="store_true", help="skip networkx's writers")
    ap.add_argument("--json", type=Path, help="write the rows here")
    args = ap.parse_args()
    rows: list[dict[str, Any]] = []
    print(f"# load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    for n in args.triples.split(","):
        rows += run(
            int(n),
            args.views.split(","),
            args.formats.split(","),
            cache=args.cache,
            peer=not args.no_peer,
        )
    print(f"# load {os.getloadavg()[0]:.1f}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
