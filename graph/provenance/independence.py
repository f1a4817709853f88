"""Independence: how many independent sources stand behind a claim, and why.

Each chain is followed to its origin, the carrier of its last hop.  Chains that meet at a
shared report (two outlets repeating one wire story, one agency citing another) share that
report's origin and count once; chains whose origins are the same agent count once;
anonymous sources linked by ``cg:possiblySameAs`` count once.  A chain that loops has no
origin and is not counted.  Every merge is explained in :attr:`Corroboration.reasoning`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..rdf import CG, compact
from ..statements import DEFAULT_STANDINGS, STANDINGS
from ..store import Store
from .chains import claim_chains
from .describe import describe_agent
from .facts import Facts
from .index import Index, load_index
from .model import Agent, Chain, Corroboration, Ref, SourceGroup
from .resolve import resolve_claim


def corroboration(
    store: Store,
    claim: str,
    *,
    lang: str = "en",
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> Corroboration:
    """How many independent sources stand behind ``claim``, with the reasoning.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> c = corroboration(store, "cgi:claim-delegations-paused")
    >>> [s.label for s in c.sources]
    ['TASS', 'Sources from the Ukrainian side']
    """
    iri = resolve_claim(store, claim)
    ix = load_index(store, [iri], lang=lang, detail=False)
    return count_sources(ix, iri, claim_chains(ix, iri), standings)


def corroborations(
    store: Store,
    *,
    lang: str = "en",
    claims: Sequence[str] | None = None,
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> dict[str, Corroboration]:
    """:func:`corroboration` of every claim (or of those given, as IRIs), by claim IRI, read
    in one pass — what every listing and measure that shows an independent-source count
    uses.  Listing every claim, only those whose own standing is one of ``standings``."""
    ix = load_index(store, list(claims) if claims is not None else None, lang=lang, detail=False)
    wanted = set(standings)
    return {
        c: count_sources(ix, c, claim_chains(ix, c), standings)
        for c in sorted(ix.claims)
        if claims is not None or ix.standing.get(c, "evidenced") in wanted
    }


class _UnionFind:
    """Groups of agents counted as one source; a group is named by its smallest IRI."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        """The group ``x`` is in (a group of its own the first time)."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> bool:
        """Merge the groups of ``a`` and ``b``; False if they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def count_sources(
    ix: Index,
    claim: str,
    chains: list[Chain],
    standings: Iterable[str] = DEFAULT_STANDINGS,
) -> Corroboration:
    """The independent sources behind ``claim`` given its ``chains``, with the reasoning:
    the one rule every count of independent sources goes through.  A chain counts only if
    every hop of it has one of ``standings`` (by default: the article says it)."""
    f = ix.facts
    reasoning = _chain_notes(chains)
    wanted = set(standings)
    outside = [c for c in chains if any(h.standing not in wanted for h in c.hops)]
    for c in outside:
        added = sorted({h.standing for h in c.hops if h.standing not in wanted})
        reasoning.append(
            f"chain {c.number} rests on {' and '.join(added)} statements, not on what an "
            f"article says: not counted (include {', '.join(added)} to count it)"
        )
    counted = [c for c in chains if c.origin is not None and c not in outside]
    groups = _UnionFind()
    agents: dict[str, Agent] = {}
    chain_agent: dict[int, str] = {}
    for c in counted:
        assert c.origin is not None
        agents[c.origin.iri] = c.origin
        chain_agent[c.number] = c.origin.iri
        groups.find(c.origin.iri)
    if not counted and not chains:
        claimants = f.iris(claim, CG + "claimant")
        for a in claimants:
            agents[a] = describe_agent(ix, a)
            groups.find(a)
        if claimants:
            reasoning.append(
                "no reporting chain is recorded: the claimants named on the claim "
                "are counted as its sources"
            )
    joint = _joint_speakers(counted, agents, groups, reasoning)
    met = _merge_meeting_chains(counted, chain_agent, groups, reasoning)
    reasoning += _same_origin_notes(counted, chain_agent, agents, met)
    _merge_possibly_same(ix, agents, groups, reasoning)
    sources = _source_groups(counted, chain_agent, agents, groups, joint)
    reasoning += _same_side_notes(f, sources)
    for equivalent in f.linked(claim, CG + "sameClaimAs"):
        reasoning.append(
            f"{compact(equivalent)} states the same proposition (cg:sameClaimAs); its "
            "chains are its own and are not counted here: trace it too"
        )
    for a in f.iris(claim, CG + "claimant"):
        if a not in agents:
            reasoning.append(
                f"{f.label(a)} is named as claimant but no recorded chain reaches them"
            )
    n = len(sources)
    names = "; ".join(s.label for s in sources)
    reasoning.append(f"independent sources: {n}" + (f" ({names})" if names else ""))
    return Corroboration(
        f.ref(claim), n, len(chains), sources, reasoning, [s for s in STANDINGS if s in wanted]
    )


def _joint_speakers(
    counted: list[Chain], agents: dict[str, Agent], groups: _UnionFind, reasoning: list[str]
) -> dict[str, list[int]]:
    """A chain that ends in a joint statement (one utterance, several speakers, as the
    article says it) has each speaker as a source: the others than its origin, with the
    chains that reach them."""
    joint: dict[str, list[int]] = defaultdict(list)
    for c in counted:
        speakers = c.hops[-1].carriers
        if not c.traced or len(speakers) < 2:
            continue
        for a in speakers:
            if c.origin is not None and a.iri != c.origin.iri:
                agents.setdefault(a.iri, a)
                groups.find(a.iri)
                joint[a.iri].append(c.number)
        names = " and ".join(a.label for a in speakers)
        reasoning.append(
            f"chain {c.number} ends in a joint statement of {names}: each of them is a source"
        )
    return joint


def _chain_notes(chains: list[Chain]) -> list[str]:
    """Each chain with its origin; then the chains that loop, stop early or cite back."""
    notes = []
    for c in chains:
        origin = c.origin.label if c.origin else "no origin"
        notes.append(f"chain {c.number}: {c.summary()} (origin: {origin})")
    for c in chains:
        if c.origin is None and c.circular is not None:
            notes.append(
                f"chain {c.number} loops ({' → '.join(c.circular.reports)}): it "
                "has no origin and is not counted"
            )
        elif c.origin is not None and not c.traced:
            last = c.hops[-1]
            ends = (
                f"chain {c.number} ends at the {last.role or 'report'} hop "
                f"({last.report.id}) that names no speaker"
            )
            if c.origin_inferred:
                notes.append(
                    f"{ends}: the claim's only claimant, {c.origin.label}, is taken as its origin"
                )
            else:
                notes.append(f"{ends}: {c.origin.label} is counted as its source")
        if c.circular is not None and c.circular.kind == "citation-loop":
            notes.append(f"chain {c.number}: {c.circular.message}")
    return notes


def _merge_meeting_chains(
    counted: list[Chain], chain_agent: dict[int, str], groups: _UnionFind, reasoning: list[str]
) -> set[tuple[int, int]]:
    """Chains that meet at a shared report share its origin: merge their origins' groups,
    say so, and return the pairs of chain numbers that met."""
    met: set[tuple[int, int]] = set()
    for i, ca in enumerate(counted):
        for cb in counted[i + 1 :]:
            shared = [
                h.report.iri for h in ca.hops if any(h.report.iri == x.report.iri for x in cb.hops)
            ]
            if shared and (ca.number, cb.number) not in met:
                met.add((ca.number, cb.number))
                first = shared[0]
                carrier = next(
                    (h.carrier.label for h in ca.hops if h.report.iri == first and h.carrier), "?"
                )
                groups.union(chain_agent[ca.number], chain_agent[cb.number])
                reasoning.append(
                    f"chains {ca.number} and {cb.number} meet at {compact(first)} ({carrier}) "
                    "and share its origin: they count once"
                )
    return met


def _same_origin_notes(
    counted: list[Chain],
    chain_agent: dict[int, str],
    agents: dict[str, Agent],
    met: set[tuple[int, int]],
) -> list[str]:
    """Chains that reach the same origin agent through separate reports: one source."""
    by_agent: dict[str, list[int]] = defaultdict(list)
    for c in counted:
        by_agent[chain_agent[c.number]].append(c.number)
    notes = []
    for a, nums in sorted(by_agent.items()):
        if len(nums) > 1:
            pairs_met = all((x, y) in met for i, x in enumerate(nums) for y in nums[i + 1 :])
            if not pairs_met:
                notes.append(
                    f"chains {', '.join(map(str, nums))} all originate with "
                    f"{agents[a].label}: one source"
                )
    return notes


def _merge_possibly_same(
    ix: Index, agents: dict[str, Agent], groups: _UnionFind, reasoning: list[str]
) -> None:
    """Sources that may be the same agent (``cg:possiblySameAs``) count once: merge, say so."""
    for a in sorted(agents):
        for other in agents[a].possibly_same_as:
            if other.iri in agents and a < other.iri and groups.union(a, other.iri):
                score = ix.same_as_scores.get(frozenset((a, other.iri)))
                scored = f", score {score}" if score else ""
                reasoning.append(
                    f"{agents[a].label} and {agents[other.iri].label} are possibly the same "
                    f"source (cg:possiblySameAs{scored}): counted once"
                )


def _source_groups(
    counted: list[Chain],
    chain_agent: dict[int, str],
    agents: dict[str, Agent],
    groups: _UnionFind,
    joint: dict[str, list[int]],
) -> list[SourceGroup]:
    """One :class:`SourceGroup` per group of agents, in the order of their first chain."""
    members_of: dict[str, list[str]] = defaultdict(list)
    for a in sorted(agents):
        members_of[groups.find(a)].append(a)

    def chains_of(root: str) -> list[int]:
        members = members_of[root]
        nums = {n for n, a in chain_agent.items() if a in members}
        nums.update(n for a in members for n in joint.get(a, ()))
        return sorted(nums)

    def first_chain(root: str) -> tuple[int, str]:
        nums = chains_of(root)
        return (min(nums) if nums else 10**9, root)

    sources = []
    for root in sorted(members_of, key=first_chain):
        members = [agents[a] for a in members_of[root]]
        nums = chains_of(root)
        origin_reports = sorted({c.hops[-1].report.id for c in counted if c.number in nums})
        affs: dict[str, Ref] = {}
        for m in members:
            for r in m.affiliations:
                affs.setdefault(r.iri, r)
        sources.append(
            SourceGroup(
                label=" / ".join(m.label for m in members),
                agents=members,
                chains=nums,
                origin_reports=origin_reports,
                anonymous=all(m.anonymous for m in members),
                affiliations=[affs[k] for k in sorted(affs)],
            )
        )
    return sources


def _same_side_notes(f: Facts, sources: list[SourceGroup]) -> list[str]:
    """Independent sources that are nevertheless affiliated with the same side."""
    notes = []
    for i, sa in enumerate(sources):
        for sb in sources[i + 1 :]:
            common = {r.iri for r in sa.affiliations} & {r.iri for r in sb.affiliations}
            if common:
                names = ", ".join(f.label(x) for x in sorted(common))
                notes.append(
                    f"{sa.label} and {sb.label} are independent reports but both "
                    f"are affiliated with {names}"
                )
    return notes
