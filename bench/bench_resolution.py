"""Resolution at growing sizes: finding candidates, linking, and what query-time links cost
provenance.

Generates synthetic data in the seed's shape (``bench/synthetic.py``), bulk-loads it as one
batch, then adds a second batch of ``--variants`` people and organisations whose names are
spelling variants or titled forms of names in the first (so there is something to find), and
measures, at each size:

* ``candidates``: every candidate pair in the store (load, block, score);
* ``link``: one ``claimgraph link`` (a judged batch, validated and written);
* ``corroboration``: the independent sources of ``--claims`` claims, with no links in the
  store and again with one link per variant (query-time expansion; ratio given);
* ``incoming``: an article-sized third batch of ``--incoming`` titled names of people in the
  first: its likely duplicates (``ingest --link warn``) compared with the whole store, and
  again reading only the things that share a name key with it (the keys every batch would
  have written at ingest; ratio given, answers checked equal), and what computing the third
  batch's keys costs.

    python bench/bench_resolution.py --sizes 10000,100000,1000000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402

FIRST = ["Olena", "Rustem", "Vladimir", "Hakan", "Marco", "Anna", "Dmytro", "Sergei"]
LAST = ["Kovalenko", "Umerov", "Medinsky", "Fidan", "Rubio", "Petrova", "Kuleba", "Lavrov"]


def people(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """``n`` distinct people: (id, name)."""
    out = []
    for i in range(n):
        out.append((f"bench-person-{i}", f"{rng.choice(FIRST)} {rng.choice(LAST)}enko{i}"))
    return out


def variant(name: str, rng: random.Random) -> str:
    """A spelling variant or titled form of ``name``."""
    kind = rng.randrange(3)
    if kind == 0:
        return "Minister " + name
    if kind == 1:
        return name + "y"
    return name.replace("o", "a", 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--variants", type=int, default=500)
    ap.add_argument("--claims", type=int, default=50)
    ap.add_argument("--incoming", type=int, default=20)
    args = ap.parse_args()

    import pyoxigraph as ox

    from claimgraph.batches import name_key_triples
    from claimgraph.provenance import corroborations
    from claimgraph.provenance.resolve import find_claims
    from claimgraph.rdf import CG, CGI, META_GRAPH, RDF, RDFS
    from claimgraph.resolution import candidates, link
    from claimgraph.resolution.entities import name_keys_of
    from claimgraph.resolution.incoming import all_keyed, batch_things, neighbourhood
    from claimgraph.store import OxigraphStore

    print(
        "size (triples) | candidates s | pairs found | link s | corroboration s (no links) "
        "| with links | ratio | incoming, whole store s | incoming, keyed s | ratio | keys s"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        rng = random.Random(7)
        with tempfile.TemporaryDirectory(prefix="claimgraph-bench-resolution-") as tmp:
            data = Path(tmp) / "synthetic.nt"
            synthetic.write(size, data, entailed=True)
            store = OxigraphStore(Path(tmp) / "store")
            first = ox.NamedNode("https://w3id.org/claimgraph/batch/bench-a")
            second = ox.NamedNode("https://w3id.org/claimgraph/batch/bench-b")
            with store.writing():
                store.raw.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=first)
                quads = []
                for (pid, name), (vid, vname) in (
                    ((p, n), (p + "-v", variant(n, rng))) for p, n in people(args.variants, rng)
                ):
                    for g, x, label in ((first, pid, name), (second, vid, vname)):
                        node = ox.NamedNode(CGI + x)
                        quads += [
                            ox.Quad(
                                node, ox.NamedNode(RDF + "type"), ox.NamedNode(CG + "Person"), g
                            ),
                            ox.Quad(
                                node, ox.NamedNode(RDF + "type"), ox.NamedNode(CG + "Actor"), g
                            ),
                            ox.Quad(
                                node,
                                ox.NamedNode(RDFS + "label"),
                                ox.Literal(label, language="en"),
                                g,
                            ),
                        ]
                store.raw.extend(quads)
            total = len(store)
            claims = sorted(find_claims(store))[: args.claims]

            t0 = time.perf_counter()
            found = candidates(store)
            t_cand = time.perf_counter() - t0

            t0 = time.perf_counter()
            corroborations(store, claims=claims)
            t_plain = time.perf_counter() - t0

            t0 = time.perf_counter()
            link(store, found[0].left.iri, found[0].right.iri, agent="bench")
            t_link = time.perf_counter() - t0
            with store.writing():
                store.raw.extend(
                    ox.Quad(
                        ox.NamedNode(c.left.iri),
                        ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                        ox.NamedNode(c.right.iri),
                        second,
                    )
                    for c in found[1:]
                )
            t0 = time.perf_counter()
            corroborations(store, claims=claims)
            t_linked = time.perf_counter() - t0
            third = ox.NamedNode("https://w3id.org/claimgraph/batch/bench-c")
            with store.writing():
                store.raw.extend(
                    q
                    for (pid, name) in people(args.variants, random.Random(7))[: args.incoming]
                    for q in (
                        ox.Quad(
                            ox.NamedNode(CGI + pid + "-w"),
                            ox.NamedNode(RDF + "type"),
                            ox.NamedNode(CG + "Person"),
                            third,
                        ),
                        ox.Quad(
                            ox.NamedNode(CGI + pid + "-w"),
                            ox.NamedNode(RDFS + "label"),
                            ox.Literal("Minister " + name, language="en"),
                            third,
                        ),
                    )
                )
            things = batch_things(store, third.value)
            t0 = time.perf_counter()
            whole = candidates(store, among=things)
            t_whole = time.perf_counter() - t0
            t0 = time.perf_counter()
            keys = name_keys_of(store.triples(third.value))
            t_keys = time.perf_counter() - t0
            meta = ox.NamedNode(META_GRAPH)
            with store.writing():
                for g in (first, second, third):  # the link batch wrote its own
                    found_keys = keys if g == third else name_keys_of(store.triples(g.value))
                    store.raw.extend(
                        ox.Quad(t.subject, t.predicate, t.object, meta)
                        for t in name_key_triples(g.value, found_keys)
                    )
            assert all_keyed(store)
            t0 = time.perf_counter()
            hood = neighbourhood(store, things)
            near = candidates(store, among=things, entities=hood.entities, crowded=hood.crowded)
            t_keyed = time.perf_counter() - t0
            assert [c.as_dict() for c in near] == [c.as_dict() for c in whole]
            print(
                f"{total:>14,} | {t_cand:>12.2f} | {len(found):>11} | {t_link:>6.2f} | "
                f"{t_plain:>26.2f} | {t_linked:>10.2f} | {t_linked / t_plain:>5.2f} | "
                f"{t_whole:>23.2f} | {t_keyed:>17.2f} | {t_keyed / t_whole:>5.2f} | "
                f"{t_keys:>6.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
