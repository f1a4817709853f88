"""Ingest benchmark: parse rates (pyoxigraph vs rdflib, the peer), bulk load, and the cost of a
validated 1k-triple batch on an empty store and on a large one (it should follow the batch).

    python bench/bench_ingest.py [--triples 1000000] [--batch 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402

from claimgraph.ingest import ingest_bytes  # noqa: E402
from claimgraph.store import OxigraphStore  # noqa: E402


def peak_rss_mb_of(code: str) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code + "\nimport resource;print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, int(out.stdout.split()[-1]) / 1024


def batch_bytes(n_triples: int, seed: int) -> bytes:
    lines = []
    for line in synthetic.generate(n_triples, seed=seed):
        lines.append(line)
    return "".join(lines).encode()


def time_ingest(store: OxigraphStore, repeat: int, size: int) -> list[float]:
    times = []
    for i in range(repeat):
        data = batch_bytes(size, seed=1000 + i)
        data = data.replace(b"/id/", f"/id/b{i}-".encode())  # fresh IRIs, fresh batch
        start = time.perf_counter()
        ingest_bytes(store, data, format="ntriples", source=f"batch-{i}.nt")
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "big.nt"
        n = synthetic.write(args.triples, nt)
        print(f"data: {n} synthetic triples ({nt.stat().st_size / 1e6:.0f} MB of N-Triples)")

        ox_s, ox_mb = peak_rss_mb_of(
            f"import pyoxigraph as ox; n=sum(1 for _ in ox.parse(path={str(nt)!r}, "
            "format=ox.RdfFormat.N_TRIPLES))"
        )
        rl_s, rl_mb = peak_rss_mb_of(
            f"import rdflib; g=rdflib.Graph(); g.parse({str(nt)!r}, format='nt')"
        )
        print(f"parse  pyoxigraph: {n / ox_s:>10,.0f} triples/s  peak {ox_mb:,.0f} MB")
        print(f"parse  rdflib    : {n / rl_s:>10,.0f} triples/s  peak {rl_mb:,.0f} MB")
        print(
            f"ratio  pyoxigraph/rdflib: {rl_s / ox_s:.1f}x faster, {rl_mb / ox_mb:.1f}x less memory"
        )

        empty = OxigraphStore(Path(tmp) / "empty")
        small = time_ingest(empty, args.repeat, args.batch)
        big = OxigraphStore(Path(tmp) / "big")
        start = time.perf_counter()
        with big.writing():  # an on-disk store's handle exists only in a session
            big.raw.bulk_load(
                path=str(nt),
                format=ox.RdfFormat.N_TRIPLES,
                to_graph=ox.NamedNode("https://w3id.org/claimgraph/batch/bulk"),
            )
        load_s = time.perf_counter() - start
        print(f"bulk load into the store: {n / load_s:,.0f} triples/s")
        large = time_ingest(big, args.repeat, args.batch)
        print(f"validated ingest of a {args.batch}-triple batch, median of {args.repeat}:")
        print(f"  into an empty store      : {statistics.median(small) * 1000:7.1f} ms")
        print(f"  into a {n:,}-triple store: {statistics.median(large) * 1000:7.1f} ms")
        print(f"  ratio large/empty: {statistics.median(large) / statistics.median(small):.2f}")
        print(
            f"peak RSS of this process: "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
        )


if __name__ == "__main__":
    main()
