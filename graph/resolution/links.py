"""Links: a person's (or ``ingest --link auto``'s) judgement that two things are one
(``owl:sameAs``) or that two anonymous sources are possibly one (``cg:possiblySameAs`` with a
scored ``cg:IdentityCandidate``).  Each link is a batch of its own whose one graph is
``JudgedStatements`` — who judged, when, how sure, why — so it never reads as what an article
says, and :func:`unlink` retracts it, restoring the store exactly as it was."""

from __future__ import annotations

import getpass
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from ..batches import retract
from ..errors import NotFound, UsageError
from ..ingest import ingest_bytes
from ..rdf import (
    CG,
    CGI,
    META_GRAPH,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    XSD,
    as_iri,
    compact,
    sparql_iri,
)
from ..store import Store

LINK_SOURCE_PREFIX = "link-"
"""How the source name of a link batch starts: what :func:`unlink` may retract."""

AUTO_AGENT = "claimgraph resolution (ingest --link auto)"
"""The agent named on links that ``ingest --link auto`` makes."""


@dataclass(frozen=True)
class LinkResult:
    """What :func:`link` did: the batch and judged graph that hold the link; ``created`` is
    False when the two were already linked (``batch`` is then the one that links them)."""

    left: str
    right: str
    kind: str
    batch: str
    graph: str | None
    created: bool


def linked_pairs(store: Store) -> dict[str, set[frozenset[str]]]:
    """The linked pairs in the store: ``same`` (``owl:sameAs``), ``possibly``
    (``cg:possiblySameAs``) and ``any``, each pair as a frozenset.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> [sorted(compact(x) for x in p) for p in linked_pairs(store)["possibly"]]
    [['cgi:anon-ua-diplomatic-source-1', 'cgi:anon-ua-diplomatic-source-2']]
    """
    out: dict[str, set[frozenset[str]]] = {"same": set(), "possibly": set()}
    for row in store.select(
        "SELECT DISTINCT ?a ?p ?b WHERE { ?a ?p ?b FILTER(?p IN (owl:sameAs, cg:possiblySameAs)"
        " && isIRI(?b) && ?a != ?b) }"
    ):
        kind = "same" if row["p"].value == OWL + "sameAs" else "possibly"
        out[kind].add(frozenset((row["a"].value, row["b"].value)))
    out["any"] = out["same"] | out["possibly"]
    return out


def link(
    store: Store,
    left: str,
    right: str,
    *,
    possibly: bool = False,
    score: float | None = None,
    because: str | None = None,
    agent: str | None = None,
    when: datetime | None = None,
) -> LinkResult:
    """Link ``left`` and ``right`` (IRIs, ``cgi:`` ids or bare ids) as one thing, or with
    ``possibly`` as possibly the same anonymous source, scored ``score`` (0–1).  The link is a
    judged batch by ``agent`` (a name, or an agent's IRI; default: the login name).

    Refused (:class:`~claimgraph.errors.UsageError`): linking a thing to itself, things of
    different kinds, an anonymous source with ``owl:sameAs`` or with a named actor, two
    events on different days (two rounds of talks stay two), things with different Wikidata
    items.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> r = link(store, "anon-ua-side-sources", "anon-ua-diplomatic-source-1", possibly=True,
    ...          score=0.6, because="same side, same day", agent="A. Checker")
    >>> r.kind, r.created
    ('possibly', True)
    >>> unlink(store, "anon-ua-side-sources", "anon-ua-diplomatic-source-1") == [r.batch]
    True
    """
    a, b = _known(store, left), _known(store, right)
    if a == b:
        raise UsageError(f"{compact(a)} is itself: give two different things to link")
    kind = "possibly" if possibly else "same"
    if score is not None and not 0 <= score <= 1:
        raise UsageError(f"--score {score} is not between 0 and 1")
    _check(store, a, b, possibly)
    existing = _link_batches(store, a, b, kind)
    if existing:
        return LinkResult(a, b, kind, existing[0], None, False)
    at = (when or datetime.now(UTC)).replace(microsecond=0)
    who, who_label = _agent(store, agent)
    digest = hashlib.sha256("\n".join([a, b, kind, who, at.isoformat()]).encode()).hexdigest()
    graph = CGI + f"link-{digest[:16]}"
    confidence = score if score is not None else (1.0 if not possibly else 0.5)
    said = "is possibly the same source as" if possibly else "is the same as"
    rationale = because or f"{who_label} judged that {compact(a)} {said} {compact(b)}"
    decl = [
        _t(graph, RDF + "type", ox.NamedNode(CG + "JudgedStatements")),
        _t(graph, RDFS + "label", ox.Literal(f"{compact(a)} {said} {compact(b)}", language="en")),
        _t(graph, CG + "judgedBy", ox.NamedNode(who)),
        _t(
            graph,
            CG + "judgedAt",
            ox.Literal(at.isoformat(), datatype=ox.NamedNode(XSD + "dateTime")),
        ),
        _t(graph, CG + "confidence", _decimal(confidence)),
        _t(graph, CG + "rationale", ox.Literal(rationale, language="en")),
    ]
    if who_label:
        decl += [
            _t(who, RDF + "type", ox.NamedNode(PROV + "Agent")),
            _t(who, RDFS + "label", ox.Literal(who_label)),
        ]
    g = ox.NamedNode(graph)
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in decl]
    if possibly:
        candidate = CGI + f"identity-{digest[:16]}"
        body = [
            _t(a, CG + "possiblySameAs", ox.NamedNode(b)),
            _t(candidate, RDF + "type", ox.NamedNode(CG + "IdentityCandidate")),
            _t(
                candidate,
                RDFS + "label",
                ox.Literal(f"{compact(a)} may be {compact(b)}", language="en"),
            ),
            _t(candidate, CG + "candidate", ox.NamedNode(a)),
            _t(candidate, CG + "candidate", ox.NamedNode(b)),
            _t(candidate, CG + "score", _decimal(confidence)),
        ]
    else:
        body = [_t(a, OWL + "sameAs", ox.NamedNode(b))]
    quads += [ox.Quad(t.subject, t.predicate, t.object, g) for t in body]
    data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES)) or b""
    result = ingest_bytes(
        store,
        data,
        format="trig",
        source=f"{LINK_SOURCE_PREFIX}{digest[:16]}.trig",
        agent=who_label or agent,
    )
    return LinkResult(a, b, kind, result.batch, graph, result.created)


def unlink(store: Store, left: str, right: str) -> list[str]:
    """Retract every link batch that links ``left`` and ``right`` (either way, ``owl:sameAs``
    or ``cg:possiblySameAs``); the batches retracted.  A link stated in a file with other
    statements is not a link batch: :class:`~claimgraph.errors.UsageError` names its batch."""
    a, b = _known(store, left), _known(store, right)
    found = _link_batches(store, a, b, None)
    others = _stating_batches(store, a, b) - set(found)
    if not found:
        if others:
            raise UsageError(
                f"{compact(a)} and {compact(b)} are linked by "
                f"{', '.join(sorted(others))}, which says more than the link: retract that "
                "batch (claimgraph retract) or write the file again without the link"
            )
        raise NotFound(f"{compact(a)} and {compact(b)} are not linked")
    for batch in found:
        retract(store, batch)
    return found


def _link_batches(store: Store, a: str, b: str, kind: str | None) -> list[str]:
    """The link batches (made by :func:`link`) that link ``a`` and ``b``."""
    x, y = sparql_iri(a), sparql_iri(b)
    props = {
        "same": "owl:sameAs",
        "possibly": "cg:possiblySameAs",
        None: "owl:sameAs|cg:possiblySameAs",
    }
    rows = store.select(
        f"""SELECT DISTINCT ?batch WHERE {{
            GRAPH ?g {{ ?a {props[kind]} ?b }}
            GRAPH {_meta()} {{ ?g cg:inBatch ?batch . ?batch cg:sourceFile ?name }}
            FILTER(STRSTARTS(?name, "{LINK_SOURCE_PREFIX}"))
            FILTER((?a = {x} && ?b = {y}) || (?a = {y} && ?b = {x})) }} ORDER BY ?batch"""
    )
    return [r["batch"].value for r in rows]


def _stating_batches(store: Store, a: str, b: str) -> set[str]:
    x, y = sparql_iri(a), sparql_iri(b)
    rows = store.select(
        f"""SELECT DISTINCT ?batch WHERE {{
            GRAPH ?g {{ ?a owl:sameAs|cg:possiblySameAs ?b }}
            OPTIONAL {{ GRAPH {_meta()} {{ ?g cg:inBatch ?owner }} }}
            BIND(COALESCE(?owner, ?g) AS ?batch)
            FILTER((?a = {x} && ?b = {y}) || (?a = {y} && ?b = {x})) }}"""
    )
    return {r["batch"].value for r in rows}


def _meta() -> str:
    return f"<{META_GRAPH}>"


def _known(store: Store, ref: str) -> str:
    """The IRI ``ref`` names, which the store must describe."""
    iri = as_iri(ref, bare=CGI)
    if iri is None:
        raise UsageError(f"{ref!r} is not an IRI, a prefixed name or an id")
    if not store.ask("ASK { ?x a ?t }", bindings={"x": ox.NamedNode(iri)}):
        raise NotFound(
            f"nothing in the store is {compact(iri)}: `claimgraph candidates` lists "
            "what may be linked"
        )
    return iri


def _types(store: Store, iri: str) -> set[str]:
    rows = store.select(f"SELECT ?t WHERE {{ {sparql_iri(iri)} a ?t }}")
    return {r["t"].value for r in rows}


def _values(store: Store, iri: str, path: str) -> set[str]:
    rows = store.select(f"SELECT ?v WHERE {{ {sparql_iri(iri)} {path} ?v }}")
    return {r["v"].value for r in rows}


def _check(store: Store, a: str, b: str, possibly: bool) -> None:
    """Refuse links that cannot hold (see :func:`link`)."""
    from .entities import KINDS

    ta, tb = _types(store, a), _types(store, b)
    anon = CG + "AnonymousSource"
    if possibly:
        if anon not in ta or anon not in tb:
            named = compact(a if anon not in ta else b)
            raise UsageError(
                f"{named} is not an anonymous source: 'possibly the same' links anonymous "
                "sources only; two named actors are linked as the same (without --possibly) "
                "or not at all"
            )
        return
    if anon in ta or anon in tb:
        raise UsageError(
            "anonymous sources are never merged: link them with --possibly --score S, which "
            "keeps both and counts them as one to two sources"
        )
    ka = next((k for k, c in KINDS if c in ta), None)
    kb = next((k for k, c in KINDS if c in tb), None)
    if ka != kb:
        raise UsageError(
            f"{compact(a)} is a {ka or 'thing of no known kind'} and {compact(b)} a "
            f"{kb or 'thing of no known kind'}: only things of one kind are linked"
        )
    wa, wb = _values(store, a, "cg:wikidata"), _values(store, b, "cg:wikidata")
    if wa and wb and not wa & wb:
        raise UsageError(
            f"{compact(a)} is Wikidata {', '.join(sorted(wa))} and {compact(b)} is "
            f"{', '.join(sorted(wb))}: different items are different things"
        )
    if ka in ("event", "claim"):
        da = {d[:10] for d in _values(store, a, "cg:startTime|cg:claimDate")}
        db = {d[:10] for d in _values(store, b, "cg:startTime|cg:claimDate")}
        if da and db and not any(x.startswith(y) or y.startswith(x) for x in da for y in db):
            raise UsageError(
                f"{compact(a)} is dated {', '.join(sorted(da))} and {compact(b)} "
                f"{', '.join(sorted(db))}: two rounds on different days stay two {ka}s"
            )


def _agent(store: Store, agent: str | None) -> tuple[str, str]:
    """The judging agent's IRI, and its name when it is to be recorded with the link."""
    name = (agent or _login()).strip() or "unknown"
    iri = as_iri(name)
    if iri is not None and store.ask("ASK { ?x a ?t }", bindings={"x": ox.NamedNode(iri)}):
        return iri, ""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unknown"
    return CGI + "agent-" + slug, name


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some containers
        return "unknown"


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


def _decimal(x: float) -> ox.Literal:
    return ox.Literal(f"{x:.2f}", datatype=ox.NamedNode(XSD + "decimal"))
