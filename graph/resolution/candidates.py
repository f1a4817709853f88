"""Candidates: pairs of things that may be one, each with a score (0–1) and the reasons.

Named actors, places and events are compared by name (labels and aliases, transliterated, titles
left out; :mod:`.names`), by Wikidata identifier (the same item is the same thing, different
items are different things), by side (two actors affiliated with different sides are not
compared) and, for events, by date and place: two rounds of talks on different days are never
candidates, however alike their names.  Claims are compared by their words and the event they
are about.  Anonymous sources are compared only with anonymous sources, and only as *possibly*
the same: same stated side, alike descriptions, the same channel (an agency that carried
both), the same claim, the same day.

Only things from different batches are compared (one file's two "Russian delegation"s are two
on purpose), and pairs already linked are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz

from ..provenance.model import Ref
from ..rdf import compact
from ..store import Store
from .entities import Entity, load_entities
from .links import linked_pairs
from .names import best_match, block_keys, normalise

CANDIDATE_THRESHOLD = 0.75
"""The lowest score a candidate is listed with (``candidates --min-score``)."""

AUTO_LINK_THRESHOLD = 0.95
"""The score from which ``ingest --link auto`` links a named thing to an existing one by
itself: the same name after transliteration and titles, or the same Wikidata item, and nothing
against.  Anonymous sources are never linked automatically."""

MAX_BLOCK = 50
"""A name key shared by more things than this ("outlet", "ministry") is too common to say
anything and is not compared on (it would make the comparisons grow with the square of the
store); the other keys of those things still are."""

ANONYMOUS_THRESHOLD = 0.5
"""The lowest score an anonymous-source candidate is listed with: the same side and one more
thing in common."""


Side = Ref
"""One side of a candidate: the thing's IRI, compact id and label (a provenance
:class:`~claimgraph.provenance.model.Ref`)."""


@dataclass(frozen=True)
class Candidate:
    """Two things that may be one.  ``link`` is ``same`` (``claimgraph link A B``) or
    ``possibly`` (anonymous sources: ``claimgraph link --possibly``)."""

    left: Side
    right: Side
    kind: str
    score: float
    reasons: list[str] = field(default_factory=list)
    link: str = "same"

    @property
    def command(self) -> str:
        """The command that links the two."""
        possibly = f"--possibly --score {self.score:.2f} " if self.link == "possibly" else ""
        return f"claimgraph link {possibly}{self.left.id} {self.right.id}"

    def as_dict(self) -> dict[str, object]:
        """The candidate as JSON."""
        return {
            "left": vars(self.left),
            "right": vars(self.right),
            "kind": self.kind,
            "score": self.score,
            "reasons": list(self.reasons),
            "link": self.link,
            "command": self.command,
        }


def candidates(
    store: Store,
    *,
    kinds: Iterable[str] | None = None,
    among: Iterable[str] | None = None,
    min_score: float | None = None,
    entities: dict[str, Entity] | None = None,
    crowded: Collection[tuple[str, str]] = (),
) -> list[Candidate]:
    """Pairs of things that may be one, highest score first.  ``kinds`` limits the kinds
    (``person``, ``organisation``, ``state``, ``place``, ``event``, ``claim``,
    ``anonymous``); ``among`` keeps the pairs with at least one side among these IRIs (a new
    batch's things); ``min_score`` defaults to :data:`CANDIDATE_THRESHOLD`
    (:data:`ANONYMOUS_THRESHOLD` for anonymous sources); ``entities`` are the things to
    compare, when not all of them (:func:`.incoming.neighbourhood`; changed in place), and
    ``crowded`` the blocks (kind, key) known to hold more than :data:`MAX_BLOCK` things in
    the whole store, of which they hold fewer.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed, ingest_bytes
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> ttl = b'''@prefix cg: <https://w3id.org/claimgraph/ns#> .
    ... <https://w3id.org/claimgraph/id/x-zelenskyy> a cg:Person ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "President Volodymyr Zelenskyy"@en .'''
    >>> _ = ingest_bytes(store, ttl, format="turtle", source="x.ttl")
    >>> c = candidates(store, kinds=["person"])[0]
    >>> c.left.id, c.right.id, c.score
    ('cgi:x-zelenskyy', 'cgi:zelensky', 0.97)
    >>> c.reasons
    ["names alike: 'volodymyr zelenskyy' and 'volodymyr zelensky' (0.97)"]
    """
    wanted = set(kinds) if kinds is not None else None
    if entities is None:  # every kind: sides and events are compared by name too
        entities = load_entities(store)
    focus = set(among) if among is not None else None
    linked = linked_pairs(store)
    same = _closure(linked["same"])
    for e in entities.values():  # what things point at, by one name per linked group
        for name in ("affiliations", "events", "places", "channels", "claims"):
            values = e.get(name)
            if values:
                setattr(e, name, {min(same.get(v, {v})) for v in values})
    for group in {frozenset(g) for g in same.values()}:  # a group has the dates of its members
        days = {d for x in group if x in entities for d in entities[x].get("dates")}
        for x in group:
            if x in entities and days:
                entities[x].dates = set(days)
    found: list[Candidate] = []
    for a, b in _pairs(entities, focus, set(crowded)):
        if wanted is not None and a.kind not in wanted:
            continue
        if frozenset((a.iri, b.iri)) in linked["any"] or same.get(a.iri, {a.iri}) & {b.iri}:
            continue
        if a.get("batches") and a.get("batches") == b.get("batches"):
            continue
        scored = _score(a, b, entities, same)
        if scored is None:
            continue
        score, reasons = scored
        floor = ANONYMOUS_THRESHOLD if a.kind == "anonymous" else CANDIDATE_THRESHOLD
        if score < (min_score if min_score is not None else floor):
            continue
        left, right = (a, b) if focus is None or a.iri in focus else (b, a)
        found.append(
            Candidate(
                _side(left),
                _side(right),
                a.kind,
                round(score, 2),
                reasons,
                "possibly" if a.kind == "anonymous" else "same",
            )
        )
    found.sort(key=lambda c: (-c.score, c.left.id, c.right.id))
    return found


def _side(e: Entity) -> Side:
    return Side(e.iri, compact(e.iri), e.label or compact(e.iri))


def _pairs(
    entities: dict[str, Entity], focus: set[str] | None, crowded: set[tuple[str, str]]
) -> Iterable[tuple[Entity, Entity]]:
    """The pairs worth scoring: same kind, sharing a name key or a Wikidata item (anonymous
    sources: sharing a side); with one side in ``focus`` when given."""
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in entities.values():
        for key in blocks_of(e):
            blocks[(e.kind, key)].append(e.iri)
    seen: set[tuple[str, str]] = set()
    for block, members in blocks.items():
        if len(members) > MAX_BLOCK or block in crowded:
            continue
        if focus is not None:
            inside = [m for m in members if m in focus]
            pairs: Iterable[tuple[str, str]] = ((x, y) for x in inside for y in members if x != y)
        else:
            pairs = combinations(members, 2)
        for x, y in pairs:
            pair = (x, y) if x < y else (y, x)
            if pair not in seen:
                seen.add(pair)
                yield entities[pair[0]], entities[pair[1]]


def blocks_of(e: Entity) -> set[str]:
    """The blocks ``e`` is compared in (with things of its kind): ``wd:`` its Wikidata items;
    for an anonymous source ``side:``, ``day:`` and ``via:`` (its sides, with its days and
    channels); for a claim ``event:`` and ``key:`` (its words' :func:`.names.block_keys`);
    for anything else ``key:`` (its names')."""
    keys = {f"wd:{w}" for w in e.get("wikidata")}
    if e.kind == "anonymous":
        keys |= {f"side:{s}" for s in e.get("affiliations")}
        keys |= {f"day:{s} {d}" for s in e.get("affiliations") for d in e.get("dates")}
        keys |= {f"via:{s} {c}" for s in e.get("affiliations") for c in e.get("channels")}
    elif e.kind == "claim":
        keys |= {f"event:{v}" for v in e.get("events")}
        keys |= {f"key:{k}" for k in block_keys(normalise(e.text))}
    else:
        keys |= {f"key:{k}" for n in e.get("names") for k in block_keys(n)}
    return keys


def link_groups(store: Store) -> dict[str, set[str]]:
    """Each thing linked as the same (``owl:sameAs``) → everything it is one with."""
    return _closure(linked_pairs(store)["same"])


def _closure(pairs: set[frozenset[str]]) -> dict[str, set[str]]:
    """Each linked thing with everything linked to it, directly or through others."""
    groups: dict[str, set[str]] = {}
    for pair in pairs:
        merged = set(pair)
        for x in pair:
            merged |= groups.get(x, set())
        for x in merged:
            groups[x] = merged
    return groups


def _score(
    a: Entity, b: Entity, entities: dict[str, Entity], same: dict[str, set[str]]
) -> tuple[float, list[str]] | None:
    """The score and reasons for ``a`` and ``b`` (of one kind), or None when they cannot be
    one thing."""

    def resolved(values: set[str]) -> set[str]:
        out = set(values)
        for v in values:
            out |= same.get(v, set())
        return out

    if a.kind == "anonymous":
        return _score_anonymous(a, b, entities, resolved)
    reasons: list[str] = []
    wa, wb = a.get("wikidata"), b.get("wikidata")
    if wa and wb:
        if not wa & wb:
            return None
        reasons.append(f"same Wikidata item: {', '.join(sorted(wa & wb))}")
    sa, sb = resolved(a.get("affiliations")), resolved(b.get("affiliations"))
    if sa and sb and not sa & sb:
        named = _names_of(sa, entities) & _names_of(sb, entities)
        if not named:
            return None
        reasons.append(f"sides of one name, not yet linked: {min(named)}")
    if a.kind in ("event", "claim"):
        da, db = a.get("dates"), b.get("dates")
        if da and db and not _same_days(da, db):
            return None
        if da and db:
            reasons.append(f"same date: {min(da & db or da)}")
    if a.kind == "claim":
        ratio = fuzz.token_sort_ratio(normalise(a.text), normalise(b.text)) / 100
        score = 0.6 * ratio
        reasons.append(f"words alike ({ratio:.2f})")
        ea, eb = resolved(a.get("events")), resolved(b.get("events"))
        if ea and eb and not ea & eb:
            return None
        if ea & eb:
            score += 0.35
            reasons.append(f"about the same event: {compact(min(ea & eb))}")
        return score, reasons
    m = best_match(a.get("names"), b.get("names"), person=a.kind == "person")
    score = 1.0 if wa & wb else m.score
    if m.score > 0:
        reasons.append(m.reason)
    if sa & sb:
        reasons.append(f"same side: {compact(min(sa & sb))}")
    if a.kind == "event":
        pa, pb = resolved(a.get("places")), resolved(b.get("places"))
        if pa and pb and not pa & pb:
            return None
        if pa & pb:
            reasons.append(f"same place: {compact(min(pa & pb))}")
        if not (a.get("dates") and b.get("dates")):
            score = min(score, 0.9)
            reasons.append("no date on one of them: which round is left to a person")
    return score, reasons


def _names_of(iris: set[str], entities: dict[str, Entity]) -> set[str]:
    """The names of the things ``iris`` name (those loaded)."""
    return {n for x in iris if x in entities for n in entities[x].get("names")}


def _same_days(a: set[str], b: set[str]) -> bool:
    """Whether two sets of dates (days or years) have one in common, a year matching any day
    of that year."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _score_anonymous(
    a: Entity,
    b: Entity,
    entities: dict[str, Entity],
    resolved: Callable[[set[str]], set[str]],
) -> tuple[float, list[str]] | None:
    """Two anonymous sources: possibly one person when they are on the same side; more so
    with alike descriptions, the same channel, the same claim, the same day."""
    sides = a.get("affiliations") & b.get("affiliations")
    if not sides:
        return None
    reasons = [f"same stated side: {', '.join(compact(x) for x in sorted(sides))}"]
    score = 0.4
    ratio = fuzz.token_sort_ratio(normalise(a.text), normalise(b.text)) / 100
    score += 0.2 * ratio
    reasons.append(f"described alike: {a.text!r} and {b.text!r} ({ratio:.2f})")
    channels = a.get("channels") & b.get("channels")
    if channels:
        score += 0.2
        names = ", ".join(
            entities[c].label if c in entities else compact(c) for c in sorted(channels)
        )
        reasons.append(f"same channel: {names}")
    claims = resolved(a.get("claims")) & resolved(b.get("claims"))
    if claims:
        score += 0.1
        reasons.append(f"same claim: {', '.join(compact(c) for c in sorted(claims))}")
    days = a.get("dates") & b.get("dates")
    if days:
        score += 0.1
        reasons.append(f"same day: {min(days)}")
    if a.get("articles") and a.get("articles") == b.get("articles"):
        reasons.append("in the same article")
    return min(score, 0.95), reasons
