"""Reporting chains: every path from a report at the article end, through the reports it was
derived or quoted from, to the origin — each hop with its carrier, wording, revision and
evidence."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..rdf import CG, compact, local_name, term_bool, term_text
from ..vocabulary import is_a
from .circular import citation_loop, derivation_cycle
from .describe import describe_agent, describe_revision
from .index import Index
from .model import Chain, Circularity, Hop
from .terms import REPORT_KINDS

MAX_CHAINS = 500
"""Chains enumerated per claim at most (diamond-shaped derivations multiply paths)."""

_Path = tuple[list[str], list[str] | None]
"""The reports of a chain, article end first, and the cycle that stopped it (its reports,
the first one repeated at the end) or None."""


def claim_chains(ix: Index, claim: str) -> list[Chain]:
    """Every reporting chain of ``claim``, numbered from 1, with its origin: the carrier of
    its last hop, or (for an untraced chain of a claim with one claimant) that claimant."""
    claimants = set(ix.facts.iris(claim, CG + "claimant"))
    found: list[Chain] = []
    for n, (path, cycle) in enumerate(_paths(ix, claim), 1):
        hops = []
        for i, r in enumerate(path):
            link = None
            nxt = path[i + 1] if i + 1 < len(path) else (cycle[-1] if cycle else None)
            if nxt is not None:
                link = (
                    "quoted from" if nxt in ix.facts.iris(r, CG + "quotedFrom") else "derived from"
                )
            hops.append(_hop(ix, r, i + 1, link))
        circular: Circularity | None
        if cycle is not None:
            circular = derivation_cycle(
                [compact(r) for r in cycle],
                [compact(c) for r in cycle for c in ix.facts.iris(r, CG + "carrier")[:1]],
                consequence="the chain never reaches an original speaker",
            )
        else:
            circular = citation_loop(hops)
        last = hops[-1]
        origin = None if cycle is not None else last.carrier
        traced = (
            cycle is None
            and origin is not None
            and (last.role == "speaker" or origin.iri in claimants)
        )
        inferred = False
        if cycle is None and not traced and len(claimants) == 1:
            origin, inferred = describe_agent(ix, next(iter(claimants))), True
        found.append(Chain(n, hops, origin, traced, circular, inferred))
    return found


def _paths(ix: Index, claim: str) -> list[_Path]:
    """Every path from a head report of ``claim`` (one no other report of it was derived
    from; observed ones first) to an end, at most :data:`MAX_CHAINS`."""
    reports = ix.reports_of.get(claim, [])
    carrying = [r for r in reports if claim in ix.facts.iris(r, CG + "reports")]
    fed = {d for r in carrying for d in ix.derived(r)}
    heads = [r for r in carrying if r not in fed]
    f = ix.facts
    heads.sort(key=lambda r: (not term_bool(f.first(r, CG + "observed")), r))
    out: list[_Path] = []
    visited: set[str] = set()

    def walk(path: list[str]) -> None:
        if len(out) >= MAX_CHAINS:
            return
        visited.add(path[-1])
        nexts = ix.derived(path[-1])
        if not nexts:
            out.append((path, None))
        for n in nexts:
            if n in path:
                out.append((path, path[path.index(n) :] + [n]))
            else:
                walk(path + [n])

    for h in heads:
        walk([h])
    for r in carrying:  # reports only reachable through a loop
        if r not in visited:
            walk([r])
    return out


def _hop(ix: Index, report: str, position: int, link: str | None) -> Hop:
    f = ix.facts
    types = f.types(report)
    kind = next((name for cls, name in REPORT_KINDS if is_a(types, CG + cls)), "report")
    role = f.first(report, CG + "hopRole")
    carriers = f.iris(report, CG + "carrier")
    revisions = f.iris(report, CG + "inArticle")
    occasion = f.iris(report, CG + "occasion")
    location = f.iris(report, CG + "location")
    return Hop(
        position=position,
        report=f.ref(report),
        kind=kind,
        role=local_name(role.value) if isinstance(role, ox.NamedNode) else None,
        carrier=describe_agent(ix, carriers[0]) if carriers else None,
        carriers=[describe_agent(ix, c) for c in carriers],
        cue_verb=term_text(f.first(report, CG + "cueVerb")),
        channel=term_text(f.first(report, CG + "channel")),
        date=term_text(f.first(report, CG + "reportedAt")),
        observed=term_bool(f.first(report, CG + "observed")),
        certainty=_code_name(f.first(report, CG + "certainty")),
        polarity=_code_name(f.first(report, CG + "polarity")),
        verbatim=term_text(f.first(report, CG + "verbatim")),
        occasion=f.ref(occasion[0]) if occasion else None,
        location=f.ref(location[0]) if location else None,
        in_reply_to=[f.ref(x) for x in f.iris(report, CG + "inReplyTo")],
        after=[f.ref(x) for x in f.iris(report, CG + "after")],
        revision=describe_revision(ix, revisions[0]) if revisions else None,
        evidence=list(ix.evidence.get(report, [])),
        link=link,
        standing=ix.standing.get(report, "evidenced"),
    )


def _code_name(term: Any) -> str | None:
    """A code-list value by its local name (``cg:probable`` → ``probable``)."""
    if isinstance(term, ox.NamedNode):
        return local_name(term.value)
    return term_text(term)
