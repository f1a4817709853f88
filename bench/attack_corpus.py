"""The attack corpus, sent one by one: every hostile file to ``claimgraph ingest`` and every
hostile HTTP request (bodies, graph names, updates, request-forgery queries) to a live
``claimgraph serve`` with the write token.  Prints, per case, the answer (exit code or HTTP
status), the time, the peak memory (the ``ingest`` process's maximum RSS; the server tree's
largest RSS sampled while the request ran), whether it was what the case expects, and at the
end whether the store changed and how many connections a loopback listener saw.

    python bench/attack_corpus.py              # everything (about a minute)
    python bench/attack_corpus.py --only http  # or: files, forgery

Exit status 1 if any case was not refused as expected, the store changed or a connection was
made.  The cases are the tests' (``tests/hostile.py``, ``tests/forgery.py``); the tests assert
the same things, this prints the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from fixtures_server import LiveServer, http, start_server, stop_server  # noqa: E402
from forgery import Listener, hidden_queries, hidden_updates  # noqa: E402
from hostile import EXPECTED, files, requests  # noqa: E402

from claimgraph.ingest import ingest_seed  # noqa: E402
from claimgraph.rdf import CG, META_GRAPH  # noqa: E402
from claimgraph.store import OxigraphStore  # noqa: E402

CLAIMGRAPH = Path(sys.executable).with_name("claimgraph")


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, in MiB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(stat[1])
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in tree) / 2**20


class PeakRSS:
    """Samples a process tree's RSS every 20 ms while in use; ``peak`` in MiB."""

    def __init__(self, root: int) -> None:
        self.root, self.peak, self._stop = root, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.root))
            self._stop.wait(0.02)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def seeded_store(path: Path) -> Path:
    """An on-disk store at ``path`` holding the seed dataset."""
    seed = OxigraphStore(path)
    ingest_seed(seed)
    seed.close()
    return path


def count(server: LiveServer) -> int:
    return server.count()


def row(kind: str, name: str, answer: str, took: float, mb: float, ok: bool) -> None:
    print(
        f"{kind:8} {name:52.52} {answer:>6} {took:7.2f} s {mb:8.0f} MiB  {'ok' if ok else 'FAIL'}"
    )


def run_files(store: Path, folder: Path, listener: Listener) -> list[bool]:
    print("\n# hostile files: claimgraph ingest (expect exit 2 and the limit named)")
    results = []
    for name, (path, expect) in sorted(files(folder, listener=listener.url).items()):
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(CLAIMGRAPH), "--store", str(store), "ingest", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        with PeakRSS(proc.pid) as peak:  # sampled: ru_maxrss counts what a fork inherits
            out = proc.stdout.read() if proc.stdout else b""
            code = proc.wait()
        took = time.monotonic() - started
        text = out.decode("utf-8", "replace")
        ok = code == 2 and expect in text and "Traceback" not in text and "root:" not in text
        row("file", name, f"exit {code}", took, peak.peak, ok)
        assert expect == EXPECTED[name]
        results.append(ok)
    return results


def run_http(server: LiveServer, listener: Listener, batch: str) -> list[bool]:
    print("\n# hostile requests with the write token (expect the status and message shown)")
    results = []
    for req in requests(listener=listener.url, batch=batch):
        headers = {"Content-Type": req.content_type, **server.auth}
        with PeakRSS(server.process.pid) as peak:
            started = time.monotonic()
            r = http(req.method, server.url + req.path, req.body or None, headers, timeout=300)
            took = time.monotonic() - started
        text = r.body.decode("utf-8", "replace")
        ok = r.status == req.status and req.mentions in text and "Traceback" not in text
        row("http", req.name, str(r.status), took, peak.peak, ok)
        results.append(ok)
    return results


def run_forgery(server: LiveServer, listener: Listener) -> list[bool]:
    print("\n# request forgery: SERVICE, LOAD and remote FROM, hidden (expect 400/403)")
    results = []
    for name, text in hidden_queries(listener.url).items():
        for how in ("GET", "POST"):
            started = time.monotonic()
            if how == "GET":
                r = http("GET", server.url + "/sparql?" + urlencode({"query": text}))
            else:
                r = server.query(text)
            ok = r.status in (400, 403)
            row("query", f"{how} {name}", str(r.status), time.monotonic() - started, 0, ok)
            results.append(ok)
    for name, text in hidden_updates(listener.url).items():
        started = time.monotonic()
        r = server.update(text)
        ok = r.status in (400, 403)
        row("update", name, str(r.status), time.monotonic() - started, 0, ok)
        results.append(ok)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["files", "http", "forgery"])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="claimgraph-attack-"))
    results: list[bool] = []
    try:
        store = seeded_store(tmp / "store")
        with Listener() as listener:
            server = start_server(
                store, tmp, "--workers", "2", "--max-request-bytes", str(12 * 1024 * 1024)
            )
            try:
                before = count(server)
                r = server.query(
                    f"SELECT ?b WHERE {{ GRAPH <{META_GRAPH}> {{ ?b a <{CG}Batch> }} }} LIMIT 1"
                )
                batch = json.loads(r.body)["results"]["bindings"][0]["b"]["value"]
                print(f"server RSS at start: {tree_rss_mb(server.process.pid):.0f} MiB")
                if args.only in (None, "http"):
                    results += run_http(server, listener, batch)
                if args.only in (None, "forgery"):
                    results += run_forgery(server, listener)
                after = count(server)
                probe = server.get("/store", {"graph": "urn:claimgraph-probe:hostile"}).status
                print(f"server RSS at end: {tree_rss_mb(server.process.pid):.0f} MiB")
            finally:
                stop_server(server.process)
            if args.only in (None, "files"):
                folder = tmp / "files"
                folder.mkdir()
                results += run_files(store, folder, listener)
            print(
                f"\nstore: {before} quads before, {after} after; probe graph: {probe}; "
                f"listener connections: {listener.connections}"
            )
            failed = results.count(False)
            print(f"{len(results)} cases, {failed} not as expected")
            sys.exit(1 if failed or before != after or listener.connections else 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
