"""Scoring the extractor against gold attributions: span precision, recall and F1, and the
accuracy of speaker, anonymity, cue and intermediary chain, overall and per pattern.

A gold folder holds article texts (``NAME.txt``) each with its annotations (``NAME.gold.yaml``)::

    text: NAME.txt
    attributions:
      - content: "the talks had ended"   # the exact words of what was said
        start: 977                       # code points into NAME.txt, end exclusive
        end: 996                         # (optional: computed from a unique content)
        speaker: Turkish Foreign Ministry
        anonymous: false
        cue: said                        # or null
        intermediaries: [TASS]           # from the speaker outward, the article's outlet left out
        pattern: reported                # one of claimgraph.extract.model.PATTERNS

A predicted span matches a gold span when they share at least half of the shorter one; each
gold attribution matches at most one prediction (the best overlap first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import UsageError
from ..offsets import locate
from .actors import normalise_name
from .engine import extract
from .model import PATTERNS, Attribution, Extraction, Span

MIN_OVERLAP = 0.5
"""The share of the shorter span two spans must have in common to match."""


@dataclass(frozen=True)
class Gold:
    """One annotated attribution."""

    content: Span
    speaker: str
    anonymous: bool
    pattern: str
    cue: str | None = None
    intermediaries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """An article text and its gold attributions."""

    name: str
    text: str
    gold: tuple[Gold, ...]


def load_document(path: str | Path) -> Document:
    """Read ``NAME.txt`` and its ``NAME.gold.yaml``; offsets missing from the gold are computed
    from its content, and offsets that do not hold the content are an error."""
    path = Path(path)
    text = path.read_text("utf-8")
    gold_path = path.with_name(path.stem + ".gold.yaml")
    if not gold_path.exists():
        raise UsageError(f"{path}: no gold annotations beside it ({gold_path.name})")
    data = yaml.safe_load(gold_path.read_text("utf-8")) or {}
    gold = tuple(
        _gold(text, entry, f"{gold_path}#{n}")
        for n, entry in enumerate(data.get("attributions") or [], 1)
    )
    return Document(path.stem, text, gold)


def _gold(text: str, entry: dict[str, Any], where: str) -> Gold:
    content = entry.get("content")
    if not isinstance(content, str):
        raise UsageError(f"{where}: an attribution needs its content")
    start, end = entry.get("start"), entry.get("end")
    if start is None or end is None:
        start, end = locate(content, text, where=where)
    if text[start:end] != content:
        raise UsageError(f"{where}: the text at [{start}, {end}) is not the content {content!r}")
    pattern = str(entry.get("pattern", "reported"))
    if pattern not in PATTERNS:
        raise UsageError(f"{where}: unknown pattern {pattern!r}; use one of {', '.join(PATTERNS)}")
    return Gold(
        content=Span(start, end, content),
        speaker=str(entry.get("speaker", "")),
        anonymous=bool(entry.get("anonymous", False)),
        pattern=pattern,
        cue=entry.get("cue"),
        intermediaries=tuple(str(x) for x in entry.get("intermediaries") or ()),
    )


def load_folder(folder: str | Path) -> list[Document]:
    """Every annotated text of a folder, by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder of NAME.txt and NAME.gold.yaml files")
    return [load_document(p) for p in sorted(folder.glob("*.txt"))]


def same_speaker(gold: str, predicted: str, *, anonymous: bool) -> bool:
    """Whether a predicted speaker name is the gold one: equal once normalised, or for named
    speakers one's words within the other's ("Peskov" and "Dmitry Peskov"), for anonymous ones
    one descriptor within the other.

    >>> same_speaker("Dmitry Peskov", "Peskov", anonymous=False)
    True
    >>> same_speaker("senior official", "a senior official, speaking on condition", anonymous=True)
    True
    """
    g, p = normalise_name(gold), normalise_name(predicted)
    if not g or not p:
        return False
    if g == p:
        return True
    if anonymous:
        return g in p or p in g
    gw, pw = set(g.split()), set(p.split())
    return gw <= pw or pw <= gw


def match(gold: Iterable[Gold], predicted: Iterable[Attribution]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of spans sharing at least half the shorter span, each
    used once, best overlap first."""
    gs, ps = list(gold), list(predicted)
    pairs = []
    for i, g in enumerate(gs):
        for j, p in enumerate(ps):
            shared = g.content.overlap(p.content)
            shorter = min(len(g.content), len(p.content)) or 1
            if shared / shorter >= MIN_OVERLAP:
                pairs.append((shared / max(len(g.content), len(p.content)), i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return sorted(out)


@dataclass
class Tally:
    """Counts for one pattern (or overall)."""

    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0
    speaker: int = 0
    anonymity: int = 0
    chain: int = 0
    cue: int = 0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        """The share of matched gold attributions whose ``name`` (speaker, anonymity, chain,
        cue) is right."""
        value: int = getattr(self, name)
        return value / self.matched_gold if self.matched_gold else 1.0


@dataclass
class Evaluation:
    """The scores of one run over a folder: overall, per pattern, and the misses."""

    overall: Tally = field(default_factory=Tally)
    patterns: dict[str, Tally] = field(default_factory=dict)
    articles: dict[str, Tally] = field(default_factory=dict)
    """The scores of each article, by name."""
    documents: int = 0
    misses: list[str] = field(default_factory=list)

    def tally(self, pattern: str) -> Tally:
        return self.patterns.setdefault(pattern, Tally())


def evaluate(
    documents: Iterable[Document], extractor: Callable[[str], Extraction] = extract
) -> Evaluation:
    """Run ``extractor`` on each document and score it against the gold.

    >>> gold = Gold(Span(1, 4, "No,"), "Peskov", False, "quote")
    >>> doc = Document("d", "“No,” Peskov said.", (gold,))
    >>> e = evaluate([doc])
    >>> e.overall.precision, e.overall.recall, e.overall.accuracy("speaker")
    (1.0, 1.0, 1.0)
    """
    result = Evaluation()
    for doc in documents:
        result.documents += 1
        article = result.articles.setdefault(doc.name, Tally())
        predicted = list(extractor(doc.text).attributions)
        pairs = match(doc.gold, predicted)
        matched_g = {i: j for i, j in pairs}
        matched_p = {j for _, j in pairs}
        for i, g in enumerate(doc.gold):
            for t in (result.overall, result.tally(g.pattern), article):
                t.gold += 1
            j = matched_g.get(i)
            if j is None:
                result.misses.append(
                    f"{doc.name}: missed [{g.pattern}] {g.speaker}: {g.content.text[:70]!r}"
                )
                continue
            p = predicted[j]
            checks = {
                "speaker": same_speaker(g.speaker, p.speaker.name, anonymous=g.anonymous),
                "anonymity": g.anonymous == p.speaker.anonymous,
                "chain": [normalise_name(x) for x in g.intermediaries]
                == [normalise_name(h.name) for h in p.intermediaries],
                "cue": normalise_name(g.cue or "") == normalise_name(p.cue or ""),
            }
            for t in (result.overall, result.tally(g.pattern), article):
                t.matched_gold += 1
                for name, ok in checks.items():
                    setattr(t, name, getattr(t, name) + int(ok))
            wrong = [n for n, ok in checks.items() if not ok and n != "cue"]
            if wrong:
                result.misses.append(
                    f"{doc.name}: wrong {'/'.join(wrong)} [{g.pattern}] gold {g.speaker} "
                    f"{list(g.intermediaries)}, got {p.speaker.name} "
                    f"{[h.name for h in p.intermediaries]}"
                )
        for j, p in enumerate(predicted):
            for t in (result.overall, result.tally(p.pattern), article):
                t.predicted += 1
                t.matched_predicted += int(j in matched_p)
            if j not in matched_p:
                result.misses.append(
                    f"{doc.name}: extra [{p.pattern}] {p.speaker.name}: {p.content.text[:70]!r}"
                )
    return result


def format_evaluation(result: Evaluation, *, misses: bool = False) -> str:
    """The scores as text tables: per article, per pattern, overall (and the misses, when
    asked).

    >>> gold = Gold(Span(1, 4, "No,"), "Peskov", False, "quote", cue="said")
    >>> print(format_evaluation(evaluate([Document("d", "“No,” Peskov said.", (gold,))])))
    ... # doctest: +NORMALIZE_WHITESPACE
    documents: 1
    article             gold  pred      P      R     F1  speaker   anon  chain    cue
    ---------------------------------------------------------------------------------
    d                      1     1   1.00   1.00   1.00     1.00   1.00   1.00   1.00
    <BLANKLINE>
    pattern             gold  pred      P      R     F1  speaker   anon  chain    cue
    ---------------------------------------------------------------------------------
    quote                  1     1   1.00   1.00   1.00     1.00   1.00   1.00   1.00
    ---------------------------------------------------------------------------------
    overall                1     1   1.00   1.00   1.00     1.00   1.00   1.00   1.00
    """

    width = max([18, *(len(name) + 2 for name in result.articles)])

    def head(first: str) -> list[str]:
        line = f"{first:<{width}}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}"
        line += f"{'speaker':>9}{'anon':>7}{'chain':>7}{'cue':>7}"
        return [line, "-" * len(line)]

    def row(name: str, t: Tally) -> str:
        return (
            f"{name:<{width}}{t.gold:>6}{t.predicted:>6}{t.precision:>7.2f}{t.recall:>7.2f}"
            f"{t.f1:>7.2f}{t.accuracy('speaker'):>9.2f}{t.accuracy('anonymity'):>7.2f}"
            f"{t.accuracy('chain'):>7.2f}{t.accuracy('cue'):>7.2f}"
        )

    lines = [f"documents: {result.documents}", *head("article")]
    lines += [row(name, t) for name, t in result.articles.items()]
    lines += ["", *head("pattern")]
    lines += [row(name, result.patterns[name]) for name in PATTERNS if name in result.patterns]
    lines += [lines[2], row("overall", result.overall)]
    if misses and result.misses:
        lines.append("")
        lines.extend(result.misses)
    return "\n".join(lines)
