"""Saved-query latency at scale: p50/p95 of every saved query on synthetic data of the seed's
shape, at 100k and 1M triples.

The data are copies of the seed dataset itself, so that every query finds what it looks for
(proposals, contradictions, stated durations, anonymous sources, reporting chains, utterances
with occasions...): each copy is another article of another outlet about another round of
talks, with its own events, claims, reporting chains, evidence spans and anonymous sources,
while states, people, delegations, ministries, news agencies, places and topics are shared by
all copies, as they would be in a real collection.  Copies are grouped into negotiation
processes of ``--group`` rounds (each round's talks ``cg:precedes`` the next, several rounds a
day), so paths over the event order meet realistic chains.  Copy 0 keeps the seed's IRIs, so
every query runs with its defaults.  Each copy is its own named graph, loaded with pyoxigraph's
bulk loader into a temporary on-disk store (no rdflib), and queried through
:class:`claimgraph.store.OxigraphStore` exactly as the CLI does (union default graph, prefixes,
values bound as substitutions).

    .venv/bin/python bench/bench_queries.py                  # 100k and 1M triples
    .venv/bin/python bench/bench_queries.py --sizes 100000 --runs 50
    .venv/bin/python bench/bench_queries.py --limit 100      # the first page of each
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from claimgraph.ingest import SEED_FILES, with_entailments
from claimgraph.queries import SavedQuery, saved_queries
from claimgraph.rdf import BATCH, CG, CGI
from claimgraph.records import parse_records
from claimgraph.saved_queries import Page
from claimgraph.statements import DEFAULT_STANDINGS
from claimgraph.store import OxigraphStore, Store

SHARED = {
    # states, people and their posts, delegations, a ministry, news agencies, places, topics
    "russia",
    "ukraine",
    "turkey",
    "united-states",
    "zelensky",
    "putin",
    "post-president-of-ukraine",
    "post-president-of-russia",
    "russian-delegation",
    "ukrainian-delegation",
    "turkish-foreign-ministry",
    "reuters",
    "tass",
    "istanbul",
    "albania",
    "topic-prisoner-exchange",
    "topic-leaders-meeting",
    "topic-ceasefire",
    "topic-state-of-talks",
    "topic-russian-demands",
    "topic-meeting-duration",
    "topic-russian-stance",
}
"""Seed resources every copy shares (``cgi:`` local names); everything else is per copy."""

OUTLETS = 40
"""Copies are published by this many outlets, in turn (copy 0 by the seed's outlet)."""

ROUNDS_PER_DAY = 3
SEED_DAY = date(2025, 5, 16)


def seed_triples() -> list[ox.Triple]:
    """The seed's triples as ingest stores them (with the entailed ``cg:`` superclass types)."""
    seed = files("claimgraph.seed")
    out: list[ox.Triple] = []
    for name in SEED_FILES:
        out += with_entailments(parse_records(seed.joinpath(name).read_bytes(), source=name))
    return out


Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _copy_term(term: Term, k: int, blanks: dict[str, ox.BlankNode], day: str) -> Term:
    if isinstance(term, ox.BlankNode):
        if term.value not in blanks:
            blanks[term.value] = ox.BlankNode()
        return blanks[term.value]
    if isinstance(term, ox.NamedNode):
        if k == 0 or not term.value.startswith(CGI):
            return term
        local = term.value[len(CGI) :]
        if local in SHARED:
            return term
        if local == "seed-outlet":
            return ox.NamedNode(f"{CGI}outlet-{k % OUTLETS}") if k % OUTLETS else term
        return ox.NamedNode(f"{CGI}{local}-{k}")
    if k and term.value == SEED_DAY.isoformat():
        return ox.Literal(day, datatype=term.datatype)
    return term


def copies(n: int, group: int) -> Iterator[ox.Quad]:
    """The quads of ``n`` copies of the seed, each in its own named graph."""
    template = seed_triples()
    precedes = ox.NamedNode(CG + "precedes")
    for k in range(n):
        graph = ox.NamedNode(f"{BATCH}synthetic-{k}")
        day = (SEED_DAY + timedelta(days=k // ROUNDS_PER_DAY)).isoformat()
        blanks: dict[str, ox.BlankNode] = {}
        for t in template:
            local = (
                t.subject.value[len(CGI) :]
                if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(CGI)
                else None
            )
            if k and local in SHARED or k >= OUTLETS and local == "seed-outlet":
                continue  # shared resources and outlets are described once
            yield ox.Quad(
                _copy_term(t.subject, k, blanks, day),  # type: ignore[arg-type]
                t.predicate,
                _copy_term(t.object, k, blanks, day),
                graph,
            )
        if k % group:  # this round's talks follow the previous round's
            before = f"{CGI}istanbul-talks-{k - 1}" if k > 1 else f"{CGI}istanbul-talks"
            yield ox.Quad(
                ox.NamedNode(before), precedes, ox.NamedNode(f"{CGI}istanbul-talks-{k}"), graph
            )


def build(path: Path, triples: int, group: int) -> tuple[OxigraphStore, int, float]:
    """A store at ``path`` with about ``triples`` quads; returns it, its size and load time."""
    per_copy = len(seed_triples())
    n = max(1, round(triples / per_copy))
    store = OxigraphStore(path)
    start = time.perf_counter()
    with store.writing():  # an on-disk store's handle exists only in a session
        store.raw.bulk_extend(copies(n, group))
    return store, len(store), time.perf_counter() - start


def measure(
    store: Store,
    query: SavedQuery,
    runs: int,
    page: Page | None = None,
    standings: Iterable[str] | None = DEFAULT_STANDINGS,
) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds over ``runs`` runs (after one warm-up), and the rows;
    ``page`` and ``standings`` as :meth:`SavedQuery.run` takes them."""

    def once() -> tuple[float, int]:
        start = time.perf_counter()
        result = query.run(store, page=page or Page(), standings=standings)
        count = sum(1 for _ in result) if isinstance(result, ox.QuerySolutions) else 1
        return (time.perf_counter() - start) * 1000, count

    _, rows = once()
    times = sorted(once()[0] for _ in range(runs))
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000],
        metavar="TRIPLES",
        help="store sizes to measure (default: 100000 1000000)",
    )
    ap.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    ap.add_argument(
        "--group",
        type=int,
        default=20,
        help="rounds per negotiation process, chained by cg:precedes (default 20)",
    )
    ap.add_argument("--only", nargs="*", metavar="NAME", help="measure only these queries")
    ap.add_argument(
        "--limit",
        type=int,
        metavar="ROWS",
        help="measure the first page of this many rows (LIMIT, as --page 1 asks) instead of all",
    )
    args = ap.parse_args()
    page = Page(args.limit) if args.limit else Page()
    queries = [q for name, q in saved_queries().items() if not args.only or name in args.only]
    results: dict[str, dict[int, tuple[float, float, int]]] = {q.name: {} for q in queries}
    sizes: list[int] = []
    for target in args.sizes:
        with tempfile.TemporaryDirectory(prefix="claimgraph-bench-") as tmp:
            store, size, load = build(Path(tmp) / "store", target, args.group)
            sizes.append(size)
            print(
                f"# {size:,} quads loaded in {load:.1f} s ({size / load:,.0f}/s)", file=sys.stderr
            )
            with store.reading():  # results stream, as in a query process
                for q in queries:
                    results[q.name][size] = measure(store, q, args.runs, page)
                    p50, p95, rows = results[q.name][size]
                    print(
                        f"#   {q.name:<28} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  {rows:>6} rows",
                        file=sys.stderr,
                    )
            store.close()
    head = " | ".join(f"{s:,} quads: p50 / p95 ms (rows)" for s in sizes)
    print(f"| query | {head} |")
    print("|---|" + "---:|" * len(sizes))
    for name, by_size in results.items():
        cells = " | ".join(
            f"{by_size[s][0]:.1f} / {by_size[s][1]:.1f} ({by_size[s][2]:,})" for s in sizes
        )
        print(f"| `{name}` | {cells} |")


if __name__ == "__main__":
    main()
