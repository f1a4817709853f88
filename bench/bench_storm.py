"""Fair sharing under load, on a live ``claimgraph serve`` (the seed store, default settings:
2 worker processes x 3 query processes + 1 reserved each, 5 requests per client, 30 s limit).

1. **Runaway storm.**  Six runaway cross-products from two clients; once they hold the
   regular query processes, another client sends cheap ASKs, one every 0.25 s.  Prints the
   ASKs' p50/p95/max latency, with the short lane (``reserved_query_workers=1``) and, in the
   same run, without it (``0``: the issue's setting) — and the ratio.
2. **A big write and the readers.**  A ~9.5 MB ``INSERT DATA`` (the issue's case) while
   another client reads every 0.1 s: the write's time, and the longest a read waited (the
   write is parsed and validated outside the store's write lock, so only its commit can
   hold a read up).
3. **Load.**  ``--clients`` keep-alive clients (each its own loopback address) for
   ``--seconds``, mixing saved queries, SELECT and CONSTRUCT.  Prints requests, errors, p50,
   p99 and the server tree's RSS at the start and the end.

Clients are told apart by their source address (127.0.1.x): loopback only.

    python bench/bench_storm.py                      # all three parts, about 3 minutes
    python bench/bench_storm.py --part load --clients 50 --seconds 60
"""

from __future__ import annotations

import argparse
import http.client as httpclient
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from attack_corpus import seeded_store, tree_rss_mb  # noqa: E402
from fixtures_server import LiveServer, http, start_server, stop_server  # noqa: E402

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
SPARQL = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def storm(server: LiveServer, probes: int) -> tuple[list[float], list[int]]:
    """Latencies (s) of cheap ASKs from a third client while six runaways run."""
    waits: list[float] = []
    statuses: list[int] = []
    with ThreadPoolExecutor(6) as pool:
        runaways = [
            pool.submit(
                http, "POST", server.url + "/sparql", CROSS, SPARQL, 120, f"127.0.1.{1 + i % 2}"
            )
            for i in range(6)
        ]
        time.sleep(3)
        for _ in range(probes):
            started = time.monotonic()
            r = http("POST", server.url + "/sparql", "ASK { ?s ?p ?o }", SPARQL, 60, "127.0.1.9")
            waits.append(time.monotonic() - started)
            statuses.append(r.status)
            time.sleep(0.25)
        for f in runaways:
            f.result()
    return waits, statuses


def part_storm(store: Path, tmp: Path, probes: int) -> None:
    print("# runaway storm: 6 cross-products from 2 clients; ASKs from a third client")
    results = {}
    for reserved in (1, 0):
        server = start_server(
            store, tmp, "--reserved-query-workers", str(reserved), "--timeout", "30"
        )
        try:
            waits, statuses = storm(server, probes)
        finally:
            stop_server(server.process)
        ok = statuses.count(200)
        results[reserved] = max(waits)
        slow = sum(1 for w in waits if w > 1)
        print(
            f"reserved_query_workers={reserved}: {ok}/{len(waits)} answered 200; "
            f"p50 {statistics.median(waits) * 1000:.0f} ms, mean "
            f"{statistics.mean(waits) * 1000:.0f} ms, p95 {pct(waits, 0.95) * 1000:.0f} ms, "
            f"max {max(waits) * 1000:.0f} ms; {slow} waited more than 1 s"
        )
    print(f"longest wait without the short lane / with it: {results[0] / results[1]:.0f}x")


def part_write(store: Path, tmp: Path) -> None:
    print("\n# a ~9.5 MB INSERT DATA (max_query_terms raised) while another client reads")
    lines = [
        f'<urn:bench:s{i}> <urn:bench:p> "value number {i} of the big write, padded" .'
        for i in range(120_000)
    ]
    body = ("INSERT DATA {\n" + "\n".join(lines) + "\n}").encode()
    # 120,000 triples are ~600,000 terms: past max_query_terms (100,000), which refuses such
    # an update up front; raised here to measure what the issue measured
    server = start_server(store, tmp, env={"CLAIMGRAPH_MAX_QUERY_TERMS": "2000000"})
    waits: list[float] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            started = time.monotonic()
            http("POST", server.url + "/sparql", "ASK { ?s ?p ?o }", SPARQL, 120, "127.0.3.2")
            waits.append(time.monotonic() - started)
            time.sleep(0.1)

    try:
        thread = threading.Thread(target=reader)
        thread.start()
        started = time.monotonic()
        headers = {"Content-Type": "application/sparql-update", **server.auth}
        r = http("POST", server.url + "/update", body, headers, 600, "127.0.3.1")
        took = time.monotonic() - started
        done.set()
        thread.join()
    finally:
        stop_server(server.process)
    print(
        f"write of {len(body) / 2**20:.1f} MiB: {r.status} {r.text[:80]!r} in {took:.1f} s; "
        f"{len(waits)} reads "
        f"meanwhile, p50 {statistics.median(waits) * 1000:.0f} ms, longest wait "
        f"{max(waits) * 1000:.0f} ms"
    )


RESULTS = "application/sparql-results+json"
LOAD_QUERIES = [
    ("GET", "/api/queries/claims-by-actor?" + urlencode({"actor": "cgi:russia"}), RESULTS),
    ("POST", "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s LIMIT 50", RESULTS),
    ("POST", "CONSTRUCT { ?c ?p ?o } WHERE { ?c a cg:Claim ; ?p ?o } LIMIT 200", "text/turtle"),
    ("POST", "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", RESULTS),
]


def part_load(store: Path, tmp: Path, clients: int, seconds: float) -> None:
    print(f"\n# load: {clients} keep-alive clients x {seconds:g} s, saved queries/SELECT/CONSTRUCT")
    server = start_server(store, tmp, "--threads", str(max(8, clients // 2 + 4)))
    latencies: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    try:
        rss_start = tree_rss_mb(server.process.pid)
        port = int(server.url.rsplit(":", 1)[1])

        def client(i: int) -> None:
            conn = httpclient.HTTPConnection(
                "127.0.0.1", port, timeout=60, source_address=(f"127.0.2.{1 + i % 250}", 0)
            )
            n = i
            while time.monotonic() < stop:
                method, what, accept = LOAD_QUERIES[n % len(LOAD_QUERIES)]
                n += 1
                started = time.monotonic()
                try:
                    if method == "GET":
                        conn.request("GET", what, headers={"Accept": accept})
                    else:
                        conn.request("POST", "/sparql", what, {**SPARQL, "Accept": accept})
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                except (OSError, httpclient.HTTPException):
                    conn.close()
                    status = 0
                took = time.monotonic() - started
                with lock:
                    if status == 200:
                        latencies.append(took)
                    else:
                        errors[status] = errors.get(status, 0) + 1
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rss_end = tree_rss_mb(server.process.pid)
    finally:
        stop_server(server.process)
    total = len(latencies) + sum(errors.values())
    print(
        f"{total} requests, {sum(errors.values())} errors {json.dumps(errors) if errors else ''}; "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 "
        f"{pct(latencies, 0.99) * 1000:.0f} ms; server RSS {rss_start:.0f} -> {rss_end:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["storm", "write", "load"])
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="claimgraph-storm-"))
    try:
        store = seeded_store(tmp / "store")
        if args.part in (None, "storm"):
            part_storm(store, tmp, args.probes)
        if args.part in (None, "write"):
            part_write(store, tmp)
        if args.part in (None, "load"):
            part_load(store, tmp, args.clients, args.seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
