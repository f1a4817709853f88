"""One benchmark for the whole product: every figure of issue 17 with its peer, in one run.

    .venv/bin/python bench/run.py --quick          # under 10 minutes on 2 cores
    .venv/bin/python bench/run.py --full           # adds 1M-triple validation and 10M triples
    .venv/bin/python bench/run.py --quick --only endpoint endpoint-1M   # the endpoint at 1M too

Prints one line per figure, ``name: value unit  peer: value  ratio``, and writes every figure
(with the machine's load while it ran) as JSON (``--json``).  Peers run in the same run, on the
same data: pyoxigraph's bare bulk load for validated ingest, plain ``pyshacl.validate`` for
full validation, the whole listing for a page of it, ``oxigraph serve-read-only`` for the
endpoint (driven by ``wrk`` when it is installed, else by Python threads).  A ratio above 1 is
claimgraph ahead: ``peer / ours`` for times, ``ours / peer`` for rates.

The existing benches are the parts: ``synthetic.py`` (data), ``bench_queries.py`` (a store of
seed copies), ``bench_endpoint.py`` (servers and the client), ``bench_export.py`` (every
view in every format, networkx's writers as the peer).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_endpoint  # noqa: E402
import bench_export  # noqa: E402
import bench_queries  # noqa: E402
import pyoxigraph as ox  # noqa: E402
import synthetic  # noqa: E402

from claimgraph.store import OxigraphStore  # noqa: E402

FIGURES: list[dict[str, Any]] = []


def figure(
    name: str,
    value: float,
    unit: str,
    peer: float | None = None,
    *,
    higher_is_better: bool = False,
    note: str = "",
) -> None:
    """Print and record one figure (and its peer, measured in this run)."""
    ratio = None
    if peer:
        ratio = value / peer if higher_is_better else peer / value if value else None
    line = f"{name}: {_number(value)} {unit}"
    if peer is not None:
        line += f"  peer: {_number(peer)}"
    if ratio is not None:
        line += f"  {ratio:.2f}x"
    if note:
        line += f"  ({note})"
    print(line, flush=True)
    FIGURES.append(
        {"name": name, "value": value, "unit": unit, "peer": peer, "ratio": ratio, "note": note}
    )


def _number(x: float) -> str:
    return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.1f}"


CHILD_CPU: list[float] = [0.0]
"""The CPU seconds (every thread) of the last :func:`in_child` task."""


def in_child(task: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``task`` in a forked child: its value, seconds, and peak memory (MiB); its CPU
    seconds in :data:`CHILD_CPU`."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        c0, t0 = time.process_time(), time.perf_counter()
        try:
            out: Any = task()
        except BaseException as e:  # reported in the parent
            out = f"error: {type(e).__name__}: {e}"
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        os.write(w, json.dumps([out, seconds, peak, cpu]).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 1 << 16):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    out, seconds, peak, CHILD_CPU[0] = json.loads(data)
    if isinstance(out, str) and out.startswith("error:"):
        raise RuntimeError(out)
    return out, seconds, peak


def filled_store(tmp: Path, triples: int, name: str) -> tuple[Path, int]:
    """An on-disk store holding about ``triples`` synthetic triples as ingest stores them
    (with what it states), bulk-loaded as one batch graph; its path and size."""
    nt = tmp / f"{name}.nt"
    synthetic.write(triples, nt, entailed=True)
    path = tmp / name
    store = OxigraphStore(path)
    with store.writing():
        store.raw.bulk_load(
            path=str(nt),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(f"https://w3id.org/claimgraph/batch/{name}"),
        )
    size = len(store)
    store.close()
    nt.unlink()
    return path, size


# ---------------------------------------------------------------- ingest


def part_ingest(tmp: Path, triples: int, label: str) -> None:
    """Validated bulk ingest of a synthetic file vs pyoxigraph's bare bulk load of it."""
    nt = tmp / f"ingest-{label}.nt"
    n = synthetic.write(triples, nt)

    def ours() -> int:
        from claimgraph.ingest import ingest_file

        return ingest_file(OxigraphStore(tmp / f"ours-{label}"), nt).triples

    def bare() -> int:
        store = ox.Store(str(tmp / f"bare-{label}"))
        store.bulk_load(
            path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:x:g")
        )
        store.flush()
        return len(store)

    _, peer_s, _ = in_child(bare)
    peer_cpu = CHILD_CPU[0]
    stored, ours_s, peak = in_child(ours)
    ours_cpu = CHILD_CPU[0]
    figure(
        f"ingest.validated_bulk_{label}",
        n / ours_s,
        "triples/s",
        n / peer_s,
        higher_is_better=True,
        note=f"{n:,} triples in the file, {stored:,} stored, {ours_s:.1f} s (CPU {ours_cpu:.1f} s,"
        f" peer's {peer_cpu:.1f} s), peak {peak:,.0f} MiB;"
        " peer: pyoxigraph bulk_load, no validation",
    )
    shutil.rmtree(tmp / f"ours-{label}", ignore_errors=True)
    shutil.rmtree(tmp / f"bare-{label}", ignore_errors=True)


def part_batches(tmp: Path, sizes: list[int], repeat: int) -> None:
    """A 1k-triple batch validated and committed, into stores of each size; the peer is the
    same batch written without validation (``Store.add_batch``), the floor of the write."""
    from claimgraph.ingest import ingest_bytes, parse_bytes, with_entailments

    for size in sizes:
        if size:
            path, _ = filled_store(tmp, size, f"batches-{size}")
        else:
            path = tmp / "batches-0"
        store = OxigraphStore(path)
        ours, bare, ours_cpu, bare_cpu = [], [], [], []
        for i in range(repeat + 1):
            text = "".join(synthetic.generate(1000, seed=5000 + i))
            data = text.replace("/id/", f"/id/b{size}x{i}-").replace("_:", f"_:b{i}").encode()
            c0, t0 = time.process_time(), time.perf_counter()
            ingest_bytes(store, data, format="ntriples", source=f"batch-{i}.nt")
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            triples = with_entailments(parse_bytes(data, format="ntriples", source="x.nt"))
            c0, t0 = time.process_time(), time.perf_counter()
            store.add_batch(f"urn:x:bare-{size}-{i}", triples, [])
            bt, bc = time.perf_counter() - t0, time.process_time() - c0
            if i:  # the first warms the shapes and the store
                ours.append(dt)
                bare.append(bt)
                ours_cpu.append(dc)
                bare_cpu.append(bc)
        # CPU time (every thread of this process) beside the wall time: on a loaded machine
        # the wall time is mostly waiting for a core, the CPU time is what the work costs
        cpu, bare_c = statistics.median(ours_cpu) * 1000, statistics.median(bare_cpu) * 1000
        figure(
            f"ingest.batch_1k_into_{_short(size)}",
            statistics.median(ours) * 1000,
            "ms",
            statistics.median(bare) * 1000,
            note=f"median of {repeat}; CPU {cpu:.0f} ms, peer's {bare_c:.0f} ms; target < 200 ms;"
            " peer: the same batch written unvalidated",
        )
        store.close()
        shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- validation


def part_validation(tmp: Path, triples: int, *, peer: bool) -> None:
    """``claimgraph validate`` on a store vs ``pyshacl.validate`` on the same graph (plain
    pySHACL evaluates each SHACL-SPARQL rule once per focus node with rdflib's engine: at a
    million triples it runs for hours, so the peer runs at the smaller sizes only)."""
    path, size = filled_store(tmp, triples, f"validate-{triples}")
    nt = tmp / f"validate-{triples}-peer.nt"
    with nt.open("wb") as out:
        OxigraphStore(path).dump(out, format=ox.RdfFormat.N_TRIPLES)

    def ours() -> list[list[str]]:
        from claimgraph.validation import validate_store

        report = validate_store(OxigraphStore(path))
        return sorted(
            _key(r.focus_node, r.source_shape, r.constraint_component) for r in report.results
        )

    def plain() -> list[list[str]]:
        import pyshacl
        import rdflib
        from rdflib.namespace import SH

        from claimgraph.validation import load_shapes
        from claimgraph.validation.shapes import ontology_facts

        graph = rdflib.Graph()
        graph.parse(str(nt), format="nt")
        facts = ontology_facts()
        for t in list(facts.subclass_triples) + [
            t for ts in facts.individual_types.values() for t in ts
        ]:
            graph.add(
                (
                    rdflib.URIRef(t.subject.value),
                    rdflib.URIRef(t.predicate.value),
                    rdflib.URIRef(t.object.value),
                )
            )
        _, report, _ = pyshacl.validate(
            graph,
            shacl_graph=load_shapes(),
            inference="none",
            allow_infos=True,
            allow_warnings=True,
        )
        assert isinstance(report, rdflib.Graph)
        return sorted(
            _key(
                report.value(r, SH.focusNode),
                report.value(r, SH.sourceShape),
                report.value(r, SH.sourceConstraintComponent),
            )
            for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
        )

    mine, ours_s, ours_peak = in_child(ours)
    if not peer:
        figure(
            f"validate.whole_store_{_short(triples)}",
            ours_s,
            "s",
            note=f"{size:,} quads, {len(mine)} results, peak {ours_peak:,.0f} MiB; "
            "plain pySHACL not run at this size (hours)",
        )
        shutil.rmtree(path, ignore_errors=True)
        return
    theirs, peer_s, peer_peak = in_child(plain)
    same = "same results" if mine == theirs else f"DIFFERENT results ({len(mine)} vs {len(theirs)})"
    figure(
        f"validate.whole_store_{_short(triples)}",
        ours_s,
        "s",
        peer_s,
        note=f"{size:,} quads, {len(mine)} results, {same}; peak {ours_peak:,.0f} MiB vs "
        f"{peer_peak:,.0f} MiB; peer: pyshacl.validate on the same graph; target >= 5x",
    )
    shutil.rmtree(path, ignore_errors=True)


def _key(*terms: object) -> list[str]:
    """Terms as text, blank nodes as ``_`` (each run names them its own way)."""
    import rdflib

    return ["_" if isinstance(t, rdflib.BNode) else str(t) for t in terms]


# ---------------------------------------------------------------- listings


ALL = ("evidenced", "cited", "judged")
"""Every standing."""


def part_listings(tmp: Path, triples: int, runs: int) -> None:
    """The first page (100 claims) of ``claims`` and ``flags`` vs the whole listing, counting
    every standing (the store's copies of the seed are batch graphs: cited statements)."""
    path = tmp / "listing"
    store, size, _ = bench_queries.build(path, triples, 20)
    store.close()

    def first(warnings_only: bool) -> tuple[float, float]:
        from claimgraph.provenance import claim_page

        s = OxigraphStore(path)
        c0, t0 = time.process_time(), time.perf_counter()
        claim_page(s, limit=100, warnings_only=warnings_only, standings=ALL)
        return time.perf_counter() - t0, time.process_time() - c0

    def warm() -> list[float]:
        from claimgraph.provenance import claim_page

        s = OxigraphStore(path)
        claim_page(s, limit=100, standings=ALL)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            claim_page(s, limit=100, standings=ALL)
            times.append(time.perf_counter() - t0)
        return times

    def whole() -> int:
        from claimgraph.provenance import claim_summaries

        return len(claim_summaries(OxigraphStore(path), standings=ALL))

    (cold, cold_cpu), _, _ = in_child(lambda: first(False))
    (flagged, flagged_cpu), _, _ = in_child(lambda: first(True))
    load = os.getloadavg()[0]  # as the cold pages ran
    kept, _, _ = in_child(warm)
    claims, whole_s, _ = in_child(whole)
    figure(
        f"listing.claims_first_page_cold_{_short(size)}",
        cold * 1000,
        "ms",
        whole_s * 1000,
        note=f"CPU {cold_cpu * 1000:,.0f} ms; {claims:,} claims, {size:,} quads; "
        f"peer: the whole listing; load {load:.1f}",
    )
    figure(
        f"listing.claims_first_page_kept_{_short(size)}",
        statistics.median(kept) * 1000,
        "ms",
        whole_s * 1000,
        note=f"p50 of {runs}, same store generation; target < 50 ms",
    )
    figure(
        f"listing.flags_first_page_cold_{_short(size)}",
        flagged * 1000,
        "ms",
        whole_s * 1000,
        note=f"CPU {flagged_cpu * 1000:,.0f} ms; claims with a warning flag, read in order "
        "until 100 are found",
    )
    part_saved_queries(path, size, runs=5)
    shutil.rmtree(path, ignore_errors=True)


def part_saved_queries(path: Path, size: int, runs: int) -> None:
    """The first page (100 rows) of every saved query, reading every graph, as
    :meth:`SavedQuery.run` gives it: cold (the whole answer read and kept for the store's
    generation) and kept (p50 of ``runs``), against the query paged with ``LIMIT 100`` (how a
    page was computed before answers were kept), with the CPU time of each."""

    def measure() -> dict[str, list[float]]:
        from claimgraph.queries import saved_queries
        from claimgraph.saved_queries import Page

        s = OxigraphStore(path)
        out: dict[str, list[float]] = {}
        with s.reading():
            for name, q in saved_queries().items():
                try:
                    q.bindings({})
                except Exception:  # a parameter without a default: not a listing
                    continue

                def once(q: Any = q, keep: bool = True) -> tuple[float, float]:
                    c0, t0 = time.process_time(), time.perf_counter()
                    if keep:
                        result = q.run(s, page=Page(100), standings=None)
                    else:  # the query paged with LIMIT 100, as run() did before
                        values = q.bindings({})
                        text, _ = q.prepared(values, Page(100))
                        result = s.query(text, bindings=values)
                    if isinstance(result, ox.QuerySolutions):
                        sum(1 for _ in result)
                    return time.perf_counter() - t0, time.process_time() - c0

                paged = once(keep=False)
                cold = once()
                kept = sorted(once() for _ in range(runs))
                out[name] = [*cold, *kept[len(kept) // 2], *paged]
        return out

    found, _, _ = in_child(measure)
    for name, (cold, cold_cpu, kept, kept_cpu, paged, paged_cpu) in sorted(found.items()):
        figure(
            f"listing.query_{name}_first_page_cold_{_short(size)}",
            cold * 1000,
            "ms",
            paged * 1000,
            note=f"CPU {cold_cpu * 1000:,.0f} ms; peer: LIMIT 100, CPU {paged_cpu * 1000:,.0f} ms",
        )
        figure(
            f"listing.query_{name}_first_page_kept_{_short(size)}",
            kept * 1000,
            "ms",
            paged * 1000,
            note=f"p50 of {runs}, CPU {kept_cpu * 1000:,.1f} ms",
        )
    for which, column in (("cold", 0), ("kept", 2), ("limit100", 4)):
        figure(
            f"listing.queries_first_page_under_50ms_{which}_{_short(size)}",
            sum(1 for v in found.values() if v[column] < 0.05),
            "queries",
            note=f"of {len(found)} saved queries (target: all)",
        )


# ---------------------------------------------------------------- the endpoint


LIGHT = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?label WHERE { <https://w3id.org/claimgraph/id/zelensky> rdfs:label ?label }"
)
HEAVY = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)"


def part_endpoint(tmp: Path, heavy_triples: int, seconds: int, connections: int) -> None:
    """claimgraph serve vs oxigraph serve-read-only: a light selective query on the seed and
    a heavy one on synthetic data, with the result cache on and off."""
    from claimgraph.ingest import ingest_seed

    seed = tmp / "seed-store"
    s = OxigraphStore(seed)
    ingest_seed(s)
    s.close()
    heavy = tmp / "heavy-store"
    bench_endpoint.build_store(heavy, heavy_triples)
    _endpoint_cases(
        tmp,
        [
            (seed, LIGHT, "light_seed", ">= 0.3x"),
            (heavy, HEAVY, f"heavy_{_short(heavy_triples)}", ">= 0.8x"),
        ],
        seconds,
        connections,
    )


def part_endpoint_large(tmp: Path, triples: int, seconds: int, connections: int) -> None:
    """The light selective query (``lookup``, one row) on a large synthetic store."""
    store = tmp / "large-store"
    quads = bench_endpoint.build_store(store, triples)
    print(f"#   {quads:,} quads", flush=True)
    case = (store, bench_endpoint.QUERIES["lookup"], f"light_{_short(triples)}", ">= 0.3x")
    _endpoint_cases(tmp, [case], seconds, connections)


def _endpoint_cases(
    tmp: Path, cases: list[tuple[Path, str, str, str]], seconds: int, connections: int
) -> None:
    """Each (store, query, name, target): the peer, then claimgraph with the result cache on
    and off, in the same run."""
    for store, query, name, target in cases:
        peer_dir = tmp / f"peer-{name}"
        shutil.copytree(store, peer_dir)
        peer = _oxigraph(peer_dir, tmp)
        try:
            peer_rate, peer_cpu = _load_cpu(peer, "/query", query, seconds, connections)
            for cache in (64, 0):
                ours = _claimgraph(store, tmp, cache)
                try:
                    rate, cpu = _load_cpu(ours, "/sparql", query, seconds, connections)
                finally:
                    bench_endpoint.stop(ours[0])
                label = f"endpoint.{name}_c{connections}_{'cache' if cache else 'nocache'}"
                figure(
                    label,
                    rate,
                    "req/s",
                    peer_rate,
                    higher_is_better=True,
                    note=f"{'result cache on' if cache else 'result cache off'}; target "
                    f"{target}; load {os.getloadavg()[0]:.1f}; "
                    f"client: {'wrk' if shutil.which('wrk') else 'Python threads'}",
                )
                figure(
                    f"{label}_cpu",
                    cpu,
                    "us CPU/request",
                    peer_cpu,
                    note="the server's processes, user + system; steadier than req/s on a "
                    "loaded machine",
                )
        finally:
            bench_endpoint.stop(peer[0])
        shutil.rmtree(peer_dir, ignore_errors=True)


def _cpu_seconds(session: int) -> float:
    """CPU seconds (user + system, with waited-for children) of the processes of a session
    (a server started with ``start_new_session``: its process id), from /proc."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            ticks += sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def _load_cpu(
    server: tuple[subprocess.Popen[bytes], int],
    path: str,
    query: str,
    seconds: int,
    connections: int,
) -> tuple[float, float]:
    """:func:`_load` and the server's CPU microseconds per request meanwhile."""
    before = _cpu_seconds(server[0].pid)
    started = time.perf_counter()
    rate = _load(server[1], path, query, seconds, connections)
    elapsed = time.perf_counter() - started
    used = _cpu_seconds(server[0].pid) - before
    return rate, used / max(rate * min(elapsed, seconds), 1) * 1e6


def _claimgraph(store: Path, tmp: Path, cache_mb: int) -> tuple[subprocess.Popen[bytes], int]:
    return _serve(
        tmp,
        lambda port: (
            ["claimgraph", "--store", str(store), "serve", "--host", "127.0.0.1"]
            + ["--port", str(port), "--result-cache-mb", str(cache_mb)]
            # one load generator is one client: it gets every connection (other limits on)
            + ["--max-queries-per-client", "64"]
        ),
        "/health",
    )


def _oxigraph(store: Path, tmp: Path) -> tuple[subprocess.Popen[bytes], int]:
    return _serve(
        tmp,
        lambda port: (
            ["oxigraph", "serve-read-only", "--location", str(store)]
            + ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        ),
        "/query?query=ASK%7B%7D",
    )


def _serve(
    tmp: Path, command: Callable[[int], list[str]], health: str
) -> tuple[subprocess.Popen[bytes], int]:
    """Start a server of this environment (``command(port)``, its program in the venv's
    bin) on a free port and wait until ``health`` answers; the process and the port."""
    port = bench_endpoint.free_port()
    args = command(port)
    log = tmp / f"{args[0]}-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / args[0]), *args[1:]],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    bench_endpoint.wait_up(port, health, proc, log)
    return proc, port


def _load(port: int, path: str, query: str, seconds: int, connections: int) -> float:
    """Requests per second that succeed, with ``connections`` keep-alive connections."""
    from urllib.parse import urlencode

    url = f"http://127.0.0.1:{port}{path}?{urlencode({'query': query})}"
    wrk = shutil.which("wrk")
    bench_endpoint.hammer(port, path, query, 50, 4, 10)  # warm up
    if wrk is None:
        elapsed, ok, _ = bench_endpoint.hammer(port, path, query, 10**9, connections, seconds)
        return len(ok) / elapsed
    out = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-H",
            "Accept: application/sparql-results+json",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(
        next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec"))
    )
    bad = next((line for line in out.splitlines() if "Non-2xx" in line), "")
    if bad:
        raise RuntimeError(f"{url}: {bad.strip()}")
    return rate


# ---------------------------------------------------------------- 10M triples


def part_scale(tmp: Path, triples: int) -> None:
    """10M triples ingested (validated, bulk), queried and exported, with peak memory."""
    nt = tmp / "ten.nt"
    n = synthetic.write(triples, nt)
    path = tmp / "ten-store"
    os.environ["CLAIMGRAPH_MAX_INPUT_BYTES"] = str(4 << 30)

    def ingest() -> int:
        from claimgraph.ingest import ingest_file

        return ingest_file(OxigraphStore(path), nt).triples

    stored, seconds, peak = in_child(ingest)
    figure(
        f"scale.ingest_validated_{_short(n)}",
        n / seconds,
        "triples/s",
        note=f"{stored:,} stored in {seconds:,.0f} s, peak {peak:,.0f} MiB (target < 24 GiB)",
    )

    def query() -> int:
        s = OxigraphStore(path)
        rows = s.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cg:Claim }")
        return int(next(iter(rows))["n"].value)

    claims, seconds, peak = in_child(query)
    figure(
        f"scale.query_count_claims_{_short(n)}",
        seconds,
        "s",
        note=f"{claims:,} claims, peak {peak:,.0f} MiB",
    )

    for fmt in ("graphml", "gexf", "json", "csv"):  # exported as bench_export measures it
        r = bench_export.measure(path, "full", fmt, tmp / f"ten.{fmt}")
        figure(
            f"scale.export_full_{fmt}_{_short(n)}",
            r.get("build", float("nan")) + r.get("write", 0.0),
            "s",
            note=r["error"][:200]
            if "error" in r
            else f"{r['edges']:,} edges, peak {r['peak']:,.0f} MiB (build CPU "
            f"{r['build_cpu']:.0f} s, write CPU {r['write_cpu']:.0f} s)",
        )
    shutil.rmtree(path, ignore_errors=True)


def part_export(sizes: list[int], views: list[str] | None = None) -> None:
    """Every view in every format (``bench_export.py``, each in a fresh process, the store
    built once per size and kept in its cache): build and write time, peak memory, and
    networkx's own writer of the same graph as the peer."""
    for triples in sizes:
        rows = bench_export.run(
            triples,
            views or list(bench_export.VIEWS),
            list(bench_export.FORMATS),
        )
        for r in rows:
            name = f"export.{r['view']}_{r['format']}_{_short(triples)}"
            if "error" in r:
                figure(name, float("nan"), "s", note=str(r["error"])[:200])
                continue
            total = r["build"] + r["write"]
            note = (
                f"{r['nodes']:,} nodes, {r['edges']:,} edges, {r['quads']:,} quads; build "
                f"{r['build']:.1f} s (CPU {r['build_cpu']:.1f}), write {r['write']:.1f} s (CPU "
                f"{r['write_cpu']:.1f}), peak {r['peak']:,.0f} MiB, {r['size'] / 2**20:,.0f} MiB"
            )
            peer = None
            if "peer_write_cpu" in r:
                peer = r["peer_write_cpu"]
                note += (
                    f"; peer: networkx's writer, write CPU {peer:.1f} s, peak "
                    f"{r['peer_peak']:,.0f} MiB (ratio of write CPU)"
                )
            if r["view"] == "full":
                note += "; target < 20 s and < 1 GiB at 1M"
            figure(name, total, "s", note=note)
            if peer is not None:
                figure(f"{name}_write_cpu", r["write_cpu"], "s", peer)


# ---------------------------------------------------------------- main


def _short(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 < 100_000:
        return f"{round(n / 1_000_000)}M"
    if n >= 1000:
        return f"{round(n / 1000)}k"
    return str(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_true", help="every figure at its smaller size")
    mode.add_argument("--full", action="store_true", help="larger sizes, and 10M triples")
    ap.add_argument("--json", type=Path, help="where to write the figures (default: stdout only)")
    ap.add_argument(
        "--only",
        nargs="*",
        help="run only these parts: ingest, batches, validation, listings, endpoint, endpoint-1M, "
        "export, scale",
    )
    args = ap.parse_args()
    full = bool(args.full)
    parts: dict[str, Callable[[Path], None]] = {
        "ingest": lambda t: part_ingest(
            t, 1_000_000 if full else 200_000, "1M" if full else "200k"
        ),
        "batches": lambda t: part_batches(t, [0, 100_000, 1_000_000], 5),
        "validation": lambda t: part_validation(t, 100_000 if full else 10_000, peer=True),
        "validation-1M": lambda t: part_validation(t, 1_000_000, peer=False) if full else None,
        "listings": lambda t: part_listings(t, 1_000_000, 20),
        "endpoint": lambda t: part_endpoint(t, 100_000, 10, 16),
        "endpoint-1M": lambda t: (
            part_endpoint_large(t, 1_000_000, 10, 16) if full or args.only else None
        ),
        "export": lambda t: part_export([1_000_000] if full else [100_000]),
        "scale": lambda t: part_scale(t, 10_000_000) if full else None,
    }
    started = time.time()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="claimgraph-run-") as tmp:
        for name, part in parts.items():
            if args.only and name not in args.only:
                continue
            t0 = time.perf_counter()
            print(f"# {name}", flush=True)
            part(Path(tmp))
            print(f"#   ({time.perf_counter() - t0:,.0f} s)", flush=True)
    summary = {
        "mode": "full" if full else "quick",
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "seconds": time.time() - started,
        "cpus": os.cpu_count(),
        "load_before": load,
        "load_after": os.getloadavg(),
        "figures": FIGURES,
    }
    after = os.getloadavg()[0]
    print(
        f"# {len(FIGURES)} figures in {summary['seconds']:,.0f} s; "
        f"load {load[0]:.1f} -> {after:.1f}"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
