"""The things a trace names, as model values built from the loaded facts: the agents who
carried or made a claim, the article revisions the reports sit in, and the claim itself."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..rdf import CG, PROV, compact, term_bool, term_int, term_text
from ..vocabulary import is_a
from .index import Index
from .model import AddedStatement, Agent, ClaimInfo, Ref, Revision


def describe_agent(ix: Index, iri: str) -> Agent:
    """The agent ``iri`` (built once per index)."""
    if iri not in ix.agents:
        ix.agents[iri] = _build_agent(ix, iri)
    return ix.agents[iri]


def _build_agent(ix: Index, iri: str) -> Agent:
    f = ix.facts
    types = f.types(iri)
    level = f.first(iri, CG + "anonymityLevel")
    return Agent(
        iri=iri,
        id=compact(iri),
        label=f.label(iri),
        types=[compact(t) for t in types],
        anonymous=is_a(types, CG + "AnonymousSource"),
        described_as=term_text(f.first(iri, CG + "describedAs")),
        affiliations=[f.ref(a) for a in f.iris(iri, CG + "affiliatedWith")],
        anonymity_level=f.label(level.value) if isinstance(level, ox.NamedNode) else None,
        is_group=term_bool(f.first(iri, CG + "isGroup")),
        possibly_same_as=[f.ref(a) for a in f.linked(iri, CG + "possiblySameAs")],
    )


def describe_revision(ix: Index, iri: str) -> Revision:
    """The article revision ``iri``, with its article and publisher (built once per index)."""
    if iri not in ix.revisions:
        ix.revisions[iri] = _build_revision(ix, iri)
    return ix.revisions[iri]


def _build_revision(ix: Index, iri: str) -> Revision:
    f = ix.facts
    articles = f.iris(iri, CG + "revisionOf") or f.inverse_iris(iri, CG + "hasRevision")
    article = articles[0] if articles else None
    publisher = None
    if article is not None:
        pubs = f.iris(article, CG + "publisher")
        publisher = f.ref(pubs[0]) if pubs else None
    previous = f.iris(iri, PROV + "wasRevisionOf")
    return Revision(
        iri=iri,
        id=compact(iri),
        label=f.label(iri),
        number=term_int(f.first(iri, CG + "revisionNumber")),
        revision_label=term_text(f.first(iri, CG + "revisionLabel")),
        published=term_text(f.first(iri, CG + "published"))
        or (term_text(f.first(article, CG + "published")) if article else None),
        article=f.ref(article) if article else None,
        publisher=publisher,
        previous=f.ref(previous[0]) if previous else None,
        text_available=term_bool(f.first(iri, CG + "textAvailable")),
    )


def claim_info(ix: Index, claim: str) -> ClaimInfo:
    """The claim itself: its text, claimants, what it is about and how it relates to other
    claims."""
    f = ix.facts
    prop = f.iris(claim, CG + "statedProperty")

    def refs(p: str) -> list[Ref]:
        return [f.ref(x) for x in f.iris(claim, p)]

    return ClaimInfo(
        iri=claim,
        id=compact(claim),
        label=f.label(claim),
        text=term_text(f.first(claim, CG + "claimText")),
        types=[compact(t) for t in f.types(claim)],
        claimants=[describe_agent(ix, a) for a in f.iris(claim, CG + "claimant")],
        date=term_text(f.first(claim, CG + "claimDate")),
        about_events=refs(CG + "aboutEvent"),
        about_actors=refs(CG + "aboutActor"),
        topics=refs(CG + "topic"),
        stated_property=f.ref(prop[0]) if prop else None,
        stated_value=stated_value_text(f.first(claim, CG + "statedValue")),
        supports=refs(CG + "supports"),
        contradicts=[f.ref(x) for x in f.linked(claim, CG + "contradicts")],
        conflicts_with=[f.ref(x) for x in ix.conflicts.get(claim, [])],
        same_claim_as=[f.ref(x) for x in f.linked(claim, CG + "sameClaimAs")],
        supersedes=refs(CG + "supersedes"),
        superseded_by=[f.ref(x) for x in f.inverse_iris(claim, CG + "supersedes")],
        retracted=bool(term_bool(f.first(claim, CG + "retracted"))),
        because=refs(CG + "because"),
        standing=ix.standing.get(claim, "evidenced"),
        added=[
            AddedStatement(
                property=compact(p),
                value=compact(v),
                standing=ix.graph_facts.get(g, ("cited", None, None))[0],
                graph=compact(g),
                by=_ref_or_none(ix, ix.graph_facts.get(g, ("cited", None, None))[1]),
                confidence=ix.graph_facts.get(g, ("cited", None, None))[2],
            )
            for p, v, g in ix.added.get(claim, [])
        ],
    )


def _ref_or_none(ix: Index, iri: str | None) -> Ref | None:
    return ix.facts.ref(iri) if iri else None


def stated_value_text(value: Any) -> str | None:
    """A stated value (``cg:statedValue``) as text: an IRI compacted, a literal's words.

    >>> stated_value_text(ox.NamedNode(CG + "paused")), stated_value_text(ox.Literal("3"))
    ('cg:paused', '3')
    """
    if isinstance(value, ox.NamedNode):
        return compact(value.value)
    return term_text(value)
