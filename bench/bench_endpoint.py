"""Throughput and latency of ``claimgraph serve`` vs ``oxigraph serve-read-only`` on the same
data and the same queries, in one run.

Both servers get a copy of one store (synthetic data in the seed's shape, one batch graph,
bulk-loaded), listen on loopback, and answer the same SPARQL queries from the same client:
``--concurrency`` threads with keep-alive connections, a bounded number of requests per query
and a time cap per phase.  Prints requests/s, p50 and p99 per query and server, and the ratio.

    python bench/bench_endpoint.py --triples 100000 --requests 400 --concurrency 8
"""

from __future__ import annotations

import argparse
import gc
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402
import synthetic  # noqa: E402

GRAPH = "https://w3id.org/claimgraph/batch/bench000000000000"
PREFIX = """PREFIX cg: <https://w3id.org/claimgraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
QUERIES: dict[str, str] = {
    "ask": PREFIX + "ASK { ?s a cg:State }",
    "lookup": PREFIX + "SELECT ?label WHERE { <https://w3id.org/claimgraph/id/state-3> "
    "rdfs:label ?label }",
    "by-type-100": PREFIX + "SELECT ?s ?label WHERE { ?s a cg:NewsAgency ; rdfs:label ?label } "
    "LIMIT 100",
    "count-by-class": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "join-1000": PREFIX + "SELECT ?s ?p ?o ?label WHERE { ?s ?p ?o . ?o rdfs:label ?label } "
    "LIMIT 1000",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_store(path: Path, triples: int) -> int:
    """Bulk-load synthetic data into one batch graph of an on-disk store."""
    nt = path.parent / "data.nt"
    synthetic.write(triples, nt)
    store = ox.Store(str(path))
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
    store.flush()
    n = len(store)
    del store
    gc.collect()
    return n


def wait_up(port: int, path: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start:\n{log.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def hammer(
    port: int, path: str, query: str, requests: int, concurrency: int, cap: float
) -> tuple[float, list[float], int]:
    """Send ``requests`` GETs from ``concurrency`` keep-alive clients; stop at ``cap`` s.
    Returns (elapsed seconds, latencies of successful requests, failures)."""
    target = f"{path}?{urlencode({'query': query})}"
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = [0]
    deadline = time.monotonic() + cap

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if counter[0] >= requests:
                    return
                counter[0] += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            dt = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(dt)
                else:
                    failures[0] += 1
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, failures[0]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=400, help="requests per query and server")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--cap", type=float, default=60.0, help="seconds per phase at most")
    ap.add_argument("--workers", type=int, default=2, help="claimgraph serve --workers")
    ap.add_argument("--query-workers", type=int, default=3)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="claimgraph-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        ours_dir, peer_dir = tmp / "ours", tmp / "peer"
        t0 = time.perf_counter()
        quads = build_store(ours_dir, args.triples)
        shutil.copytree(ours_dir, peer_dir)
        print(
            f"data: {quads} quads in one batch graph, loaded in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )

        bindir = Path(sys.executable).parent
        p_ours, p_peer = free_port(), free_port()
        log_ours, log_peer = tmp / "ours.log", tmp / "peer.log"
        with log_ours.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    [
                        str(bindir / "claimgraph"),
                        "--store",
                        str(ours_dir),
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(p_ours),
                        "--workers",
                        str(args.workers),
                        "--query-workers",
                        str(args.query_workers),
                        "--max-rows",
                        "100000",
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        with log_peer.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    [
                        str(bindir / "oxigraph"),
                        "serve-read-only",
                        "--location",
                        str(peer_dir),
                        "--bind",
                        f"127.0.0.1:{p_peer}",
                        "--union-default-graph",
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        wait_up(p_ours, "/health", procs[0], log_ours)
        wait_up(p_peer, "/query?query=ASK%7B%7D", procs[1], log_peer)

        servers = [("claimgraph", p_ours, "/sparql"), ("oxigraph", p_peer, "/query")]
        print(
            f"{args.requests} requests per query and server, {args.concurrency} clients, "
            f"claimgraph: {args.workers} workers x {args.query_workers} query processes\n"
        )
        print(f"{'query':16} {'server':11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'fail':>5}")
        ratios: list[float] = []
        for name, query in QUERIES.items():
            rates = {}
            for label, port, path in servers:
                hammer(port, path, query, min(20, args.requests), args.concurrency, 10)  # warm
                elapsed, lat, failed = hammer(
                    port, path, query, args.requests, args.concurrency, args.cap
                )
                rate = len(lat) / elapsed if elapsed else 0.0
                rates[label] = rate
                print(
                    f"{name:16} {label:11} {rate:8.0f} {pct(lat, 0.5) * 1000:8.1f} "
                    f"{pct(lat, 0.99) * 1000:8.1f} {failed:5d}",
                    flush=True,
                )
            ratio = rates["claimgraph"] / rates["oxigraph"] if rates["oxigraph"] else 0.0
            ratios.append(ratio)
            print(
                f"{'':16} {'ratio':11} {ratio:8.2f}  (claimgraph / oxigraph throughput)\n",
                flush=True,
            )
        if all(r > 0 for r in ratios):
            print(
                f"geometric mean of the throughput ratios: {statistics.geometric_mean(ratios):.2f}"
            )
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
