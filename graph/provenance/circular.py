"""Circular reporting: reports that derive from each other in a loop (a derivation cycle),
and a source cited back to itself through others (a citation loop) — on one chain, or
anywhere in the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..rdf import RDFS, compact
from ..store import Store
from ..store.kept import kept
from .facts import Facts, load_facts
from .model import Circularity, Hop
from .terms import DERIVATION_PATH

_LONGEST_CITATION_PATH = 50
"""Reports on a path the store-wide search for citation loops follows at most."""


def derivation_cycle(
    reports: list[str], carriers: list[str], *, consequence: str = ""
) -> Circularity:
    """The circularity of ``reports`` (compact ids, the first repeated at the end) that
    derive from each other in a loop; ``consequence`` is added to the message.

    >>> derivation_cycle(["cgi:a", "cgi:b", "cgi:a"], []).message
    'circular reporting: the reports derive from each other in a loop (cgi:a → cgi:b → cgi:a)'
    """
    message = (
        f"circular reporting: the reports derive from each other in a loop ({' → '.join(reports)})"
    )
    if consequence:
        message += f"; {consequence}"
    return Circularity("derivation-cycle", reports, carriers, message)


def _cites_back(carriers: Sequence[str | None]) -> bool:
    """The first carrier is the last, and someone else stands between: a citation loop."""
    first = carriers[0]
    return (
        first is not None
        and carriers[-1] == first
        and any(c not in (first, None) for c in carriers[1:-1])
    )


def citation_loop(hops: list[Hop]) -> Circularity | None:
    """The first citation loop on a chain: a carrier whose report is derived, through
    another carrier's, from an earlier report of its own; None if there is none."""
    carriers = [h.carrier.iri if h.carrier else None for h in hops]
    for i in range(len(carriers)):
        for k in range(i + 2, len(carriers)):
            if _cites_back(carriers[i : k + 1]):
                seg = hops[i : k + 1]
                names = [h.carrier.label if h.carrier else "?" for h in seg]
                return Circularity(
                    "citation-loop",
                    [h.report.id for h in seg],
                    [h.carrier.id if h.carrier else "?" for h in seg],
                    f"circular reporting: {' cites '.join(names)} — {names[0]} is cited back "
                    "to itself, so the intermediaries do not confirm it independently",
                )
    return None


def circular_reporting(store: Store) -> list[Circularity]:
    """Every loop of circular reporting in the store, whether or not a claim's chain reaches
    it: derivation cycles among reports (``cg:derivedFrom``/``cg:quotedFrom``) and citation
    loops (A's report derived, through B's, from an earlier report of A's).

    Data that went through ``ingest`` cannot hold a derivation cycle (a shape refuses it), but
    data written by other means can; this finds both kinds.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> circular_reporting(store)
    []

    The loops are kept with the store object until the next write
    (:func:`claimgraph.store.kept.kept`): every page of ``flags`` shows them.
    """
    return list(kept(store, "circular reporting", lambda: _circular_reporting(store)))


def _circular_reporting(store: Store) -> list[Circularity]:
    edges: dict[str, list[str]] = defaultdict(list)
    carrier: dict[str, str] = {}
    for row in store.select(
        f"""SELECT DISTINCT ?a ?b WHERE {{ ?a {DERIVATION_PATH} ?b
                             FILTER(isIRI(?a) && isIRI(?b)) }}"""
    ):
        edges[row["a"].value].append(row["b"].value)
    for row in store.select("SELECT ?r ?c WHERE { ?r cg:carrier ?c FILTER(isIRI(?r)) }"):
        carrier.setdefault(row["r"].value, row["c"].value)
    labels = Facts()
    load_facts(store, labels, set(carrier.values()), [RDFS + "label"])
    cycles = _derivation_cycles(edges)
    out = [
        derivation_cycle(
            [compact(r) for r in loop], [compact(carrier[r]) for r in loop if r in carrier]
        )
        for loop in cycles
    ]
    in_cycle = {r for loop in cycles for r in loop}
    for path in _citation_paths(edges, carrier, in_cycle):
        names = [labels.label(carrier[r]) if r in carrier else "?" for r in path]
        out.append(
            Circularity(
                "citation-loop",
                [compact(r) for r in path],
                [compact(carrier[r]) for r in path if r in carrier],
                f"circular reporting: {' cites '.join(names)}",
            )
        )
    return out


def _derivation_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle of the derivation graph once, from its smallest report round to it again."""
    import networkx as nx  # heavy, and only needed here

    g = nx.DiGraph()
    for a, bs in edges.items():
        for b in bs:
            g.add_edge(a, b)
    seen: set[frozenset[str]] = set()
    loops: list[list[str]] = []
    for cycle in nx.simple_cycles(g):
        key = frozenset(cycle)
        if key in seen:
            continue
        seen.add(key)
        first = cycle.index(min(cycle))
        loops.append(cycle[first:] + cycle[:first] + [cycle[first]])
    return loops


def _citation_paths(
    edges: dict[str, list[str]], carrier: dict[str, str], in_cycle: set[str]
) -> list[list[str]]:
    """Every derivation path r1 → … → rk (off the cycles) whose carriers go A, B…, A."""
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for start in sorted(edges):
        if start not in carrier or start in in_cycle:
            continue
        stack: list[list[str]] = [[start]]
        while stack:
            path = stack.pop()
            for n in edges.get(path[-1], []):
                if n in path or n in in_cycle:
                    continue
                new = path + [n]
                if _cites_back([carrier.get(r) for r in new]):
                    if tuple(new) not in seen:
                        seen.add(tuple(new))
                        found.append(new)
                elif len(new) < _LONGEST_CITATION_PATH:
                    stack.append(new)
    return found
