"""Removing a large batch: claimgraph's removal in steps (``Store.drop_batch``) against the one
SPARQL update that removes it in one pyoxigraph transaction (the peer, and the code before).

    .venv/bin/python bench/bench_removal.py [--triples 200000] [--rounds 2]

Generates ``--triples`` synthetic triples (``synthetic.py``), ingests them once through the
bulk path into a store on disk, then, for each round, copies the store and removes the batch
both ways, each in a fresh process (so each peak is its own): wall time, CPU time, and the
process's peak RSS once the store is open and counted, and after the removal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402

from claimgraph.ingest import ingest_file  # noqa: E402
from claimgraph.store import OxigraphStore  # noqa: E402

CHILD = """
import resource, sys, time
from claimgraph.batches import forget_batch_update, statement_graphs_of
from claimgraph.store import OxigraphStore
store, batch, way = OxigraphStore(sys.argv[1]), sys.argv[2], sys.argv[3]
before = len(store)
opened = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu = time.perf_counter(), time.process_time()
if way == "steps":
    store.drop_batch(batch)
else:
    with store.writing():
        store.raw.update(forget_batch_update(batch, statement_graphs_of(store, batch)))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before - len(store), round(wall, 2), round(cpu, 2), opened // 1024, peak // 1024)
"""


def remove(store: Path, batch: str, way: str) -> tuple[int, float, float, int, int]:
    """Remove ``batch`` from ``store`` in a fresh process: quads removed, wall s, CPU s, and
    the process's peak RSS in MiB once the store was opened and counted, and at the end."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), batch, way],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2]), int(out[3]), int(out[4])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimgraph-bench-removal-") as tmp:
        source = Path(tmp) / "batch.nt"
        synthetic.write(args.triples, source)
        stored = Path(tmp) / "stored"
        batch = ingest_file(OxigraphStore(stored), source).batch
        for round_ in range(1, args.rounds + 1):
            for way in ("steps", "one transaction"):
                copy = Path(tmp) / "copy"
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(stored, copy)
                quads, wall, cpu, opened, peak = remove(copy, batch, way.split()[0])
                load = os.getloadavg()[0]
                print(
                    f"round {round_}, {way}: {quads:,} quads removed in {wall:.1f} s "
                    f"(CPU {cpu:.1f} s); peak RSS {opened:,} MiB before, {peak:,} MiB after "
                    f"(load {load:.1f})"
                )


if __name__ == "__main__":
    main()
