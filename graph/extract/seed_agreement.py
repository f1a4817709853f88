"""The round trip: extract the seed article and compare with the seed's hand-made records —
which attributed passages are found, with the same speaker and the same chain, and which of
the outlet's own statements are kept as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml

from ..offsets import locate
from .actors import ActorIndex, KnownActor
from .engine import extract
from .model import Extraction, Span

SEED_TEXT = "000_6e98255791d8cd18.txt"


@dataclass
class Agreement:
    """How far the extraction agrees with the seed records."""

    attributed: int = 0
    found: int = 0
    speaker: int = 0
    chain: int = 0
    own: int = 0
    own_found: int = 0
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        """A readable summary, one line per seed chain."""
        head = [
            f"attributed chains in the seed: {self.attributed}; found {self.found}, "
            f"same speaker {self.speaker}, same chain {self.chain}",
            f"outlet statements in the seed: {self.own}; kept as the outlet's {self.own_found}",
        ]
        return "\n".join(head + self.lines)


def _seed_records() -> tuple[str, list[dict[str, Any]]]:
    """The seed article's text and the records of what it says (the article and its
    evidenced graph, with the nodes of each statement graph brought up to the top)."""
    folder = files("claimgraph.seed")
    text = folder.joinpath(SEED_TEXT).read_text("utf-8")
    records: list[dict[str, Any]] = []
    for name in ("article.yaml", "istanbul-talks.yaml"):
        for node in yaml.safe_load(folder.joinpath(name).read_text("utf-8"))["@graph"]:
            records += node.get("@graph", [node])
    return text, records


def _span(selector: dict[str, Any], text: str) -> Span:
    """The span a seed selector points at: its offsets, else where its quote stands."""
    if "start" in selector:
        return Span(selector["start"], selector["end"], selector["exact"])
    start, end = locate(
        selector["exact"],
        text,
        where=selector["exact"][:40],
        prefix=selector.get("prefix"),
        suffix=selector.get("suffix"),
    )
    return Span(start, end, selector["exact"])


def _carriers(hop: dict[str, Any]) -> tuple[str, ...]:
    carrier = hop["carrier"]
    return tuple(carrier) if isinstance(carrier, list) else (carrier,)


def seed_agreement(extraction: Extraction | None = None) -> Agreement:
    """Compare an extraction of the seed article (by default, a fresh one) with the seed."""
    text, records = _seed_records()
    x = extraction or extract(text)
    by_id: dict[str, dict[str, Any]] = {}
    for r in records:  # a node may be described in more than one place
        if "id" in r:
            by_id.setdefault(r["id"], {}).update(r)
    index = ActorIndex(KnownActor(r["id"], tuple(_names(r))) for r in records if "label" in r)
    result = Agreement()
    for r in records:
        if r.get("type") != "ArticleMention":
            continue
        evidence = r["evidence"]
        span = _span((evidence[0] if isinstance(evidence, list) else evidence)["selector"], text)
        chain = _chain(by_id, r)
        if not chain:
            result.own += 1
            hit = any(_overlaps(span, s.span) for s in x.statements)
            result.own_found += int(hit)
            continue
        result.attributed += 1
        origin, middle = chain[-1], chain[:-1]
        candidates = [a for a in x.attributions if _overlaps(span, a.frame or a.content)]
        if not candidates:
            result.lines.append(f"  missed: {r['id']}")
            continue
        result.found += 1
        best = next(
            (
                a
                for a in candidates
                if index.resolve(a.speaker.descriptor or a.speaker.name).iri in origin
            ),
            candidates[0],
        )
        same = index.resolve(best.speaker.descriptor or best.speaker.name).iri in origin
        hops = [(index.resolve(h.name).iri,) for h in best.intermediaries]
        result.speaker += int(same)
        result.chain += int(hops == list(reversed(middle)))
        result.lines.append(
            f"  {r['id']}: speaker {'=' if same else '≠'} {' + '.join(origin)} "
            f"(got {best.speaker.name}); "
            f"chain {'=' if hops == list(reversed(middle)) else '≠'} {list(reversed(middle))}"
        )
    return result


def _names(record: dict[str, Any]) -> list[str]:
    names = [record["label"]["en"]]
    for key in ("alias", "describedAs"):
        value = record.get(key)
        if isinstance(value, str):
            names.append(value)
    return names


def _chain(by_id: dict[str, dict[str, Any]], mention: dict[str, Any]) -> list[tuple[str, ...]]:
    """The carriers of each hop from the mention's previous hop back to the origin (a joint
    hop has several)."""
    out = []
    hop = by_id.get(mention.get("derivedFrom", ""))
    while hop is not None:
        out.append(_carriers(hop))
        hop = by_id.get(hop.get("derivedFrom", ""))
    return out


def _overlaps(a: Span, b: Span) -> bool:
    shorter = min(len(a), len(b)) or 1
    return a.overlap(b) / shorter >= 0.5
