"""The round trip: extract the seed article and compare with the seed's hand-made records —
which attributed passages are found, with the same speaker and the same chain, and which of
the outlet's own statements are kept as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml

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
    folder = files("claimgraph.seed")
    text = folder.joinpath(SEED_TEXT).read_text("utf-8")
    records: list[dict[str, Any]] = []
    for name in ("article.yaml", "istanbul-talks.yaml"):
        records += yaml.safe_load(folder.joinpath(name).read_text("utf-8"))["@graph"]
    return text, records


def seed_agreement(extraction: Extraction | None = None) -> Agreement:
    """Compare an extraction of the seed article (by default, a fresh one) with the seed."""
    text, records = _seed_records()
    x = extraction or extract(text)
    by_id = {r["id"]: r for r in records if "id" in r}
    index = ActorIndex(KnownActor(r["id"], tuple(_names(r))) for r in records if "label" in r)
    result = Agreement()
    for r in records:
        if r.get("type") != "ArticleMention":
            continue
        sel = r["evidence"]["selector"]
        span = Span(sel["start"], sel["end"], sel["exact"])
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
                if index.resolve(a.speaker.descriptor or a.speaker.name).iri == origin
            ),
            candidates[0],
        )
        same = index.resolve(best.speaker.descriptor or best.speaker.name).iri == origin
        hops = [index.resolve(h.name).iri for h in best.intermediaries]
        result.speaker += int(same)
        result.chain += int(hops == list(reversed(middle)))
        result.lines.append(
            f"  {r['id']}: speaker {'=' if same else '≠'} {origin} (got {best.speaker.name}); "
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


def _chain(by_id: dict[str, dict[str, Any]], mention: dict[str, Any]) -> list[str]:
    """The carriers from the mention's previous hop back to the origin."""
    out = []
    hop = by_id.get(mention.get("derivedFrom", ""))
    while hop is not None:
        out.append(hop["carrier"])
        hop = by_id.get(hop.get("derivedFrom", ""))
    return out


def _overlaps(a: Span, b: Span) -> bool:
    shorter = min(len(a), len(b)) or 1
    return a.overlap(b) / shorter >= 0.5
