"""A trace as PROV-O: the claim and every report of its chains as ``prov:Entity``, carriers
and claimants as ``prov:Agent`` with qualified attributions, derivations and quotations
between the reports, the article revisions, the evidence spans as Web Annotation selectors
and the reviews as ``schema:ClaimReview`` — plus the claimgraph terms PROV-O leaves out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..rdf import CG, OA, PREFIXES, PROV, RDF, RDFS, SCHEMA, XSD, as_iri
from ..vocabulary import is_a
from .terms import REPORT_KINDS

if TYPE_CHECKING:  # the model's methods call these functions: a runtime import would be a cycle
    from .model import Agent, ClaimInfo, Evidence, Hop, ReviewInfo, Revision, Trace

TURTLE_PREFIXES = {
    p: PREFIXES[p] for p in ("rdf", "rdfs", "xsd", "prov", "schema", "oa", "cg", "cgi")
}
"""The prefixes a trace's Turtle declares."""

_REPORT_CLASSES = {kind: cls for cls, kind in REPORT_KINDS}
"""A hop's ``kind`` → the claimgraph class of its report (``cg:Report`` otherwise)."""

_Subject = ox.NamedNode | ox.BlankNode
_Object = ox.NamedNode | ox.BlankNode | ox.Literal


def trace_triples(t: Trace) -> list[ox.Triple]:
    """The trace as PROV-O (plus the claimgraph and Web Annotation terms it refines)."""
    writer = _ProvWriter()
    claim = writer.claim(t.claim)
    done_reports: set[str] = set()
    done_links: set[tuple[str, str]] = set()
    for ch in t.chains:
        for i, h in enumerate(ch.hops):
            nxt = ch.hops[i + 1] if i + 1 < len(ch.hops) else None
            target: str | None = None
            if h.link and nxt is None and ch.circular is not None and ch.circular.reports:
                target = as_iri(ch.circular.reports[-1]) or ch.circular.reports[-1]
            elif nxt is not None:
                target = nxt.report.iri
            if target is not None and (h.report.iri, target) not in done_links:
                done_links.add((h.report.iri, target))
                writer.derivation(h, target)
            if h.report.iri not in done_reports:
                done_reports.add(h.report.iri)
                writer.report(h, claim)
    for review in t.reviews:
        writer.review(review, claim)
    return writer.triples


def trace_turtle(t: Trace) -> str:
    """:func:`trace_triples` serialised as Turtle by pyoxigraph, named resources first."""
    triples = sorted(
        trace_triples(t), key=lambda x: (isinstance(x.subject, ox.BlankNode), str(x.subject))
    )
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
    return data.decode("utf-8") if data else ""


def _text_literal(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _typed_literal(value: str, datatype: str) -> ox.Literal:
    """A literal of the XSD ``datatype`` (a local name: ``integer``, ``boolean``…)."""
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _date_literal(value: str) -> ox.Literal:
    return _typed_literal(value, "dateTime" if "T" in value else "date")


class _ProvWriter:
    """Collects the triples of one trace, each agent described once."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []
        self._agents: set[str] = set()

    def add(self, s: _Subject, p: str, o: _Object) -> None:
        self.triples.append(ox.Triple(s, ox.NamedNode(p), o))

    def attribution(self, entity: ox.NamedNode, agent: ox.NamedNode) -> ox.BlankNode:
        """``entity prov:qualifiedAttribution [ a prov:Attribution ; prov:agent agent ]``."""
        att = ox.BlankNode()
        self.add(entity, PROV + "qualifiedAttribution", att)
        self.add(att, RDF + "type", ox.NamedNode(PROV + "Attribution"))
        self.add(att, PROV + "agent", agent)
        return att

    def agent(self, a: Agent) -> ox.NamedNode:
        """The agent's node, described the first time it is met."""
        node = ox.NamedNode(a.iri)
        if a.iri in self._agents:
            return node
        self._agents.add(a.iri)
        self.add(node, RDF + "type", ox.NamedNode(PROV + "Agent"))
        for ty in a.types:
            self.add(node, RDF + "type", ox.NamedNode(as_iri(ty) or ty))
        if is_a([as_iri(x) or x for x in a.types], CG + "Person"):
            self.add(node, RDF + "type", ox.NamedNode(PROV + "Person"))
        elif is_a([as_iri(x) or x for x in a.types], CG + "Organisation"):
            self.add(node, RDF + "type", ox.NamedNode(PROV + "Organization"))
        self.add(node, RDFS + "label", _text_literal(a.label, "en"))
        if a.described_as:
            self.add(node, CG + "describedAs", _text_literal(a.described_as, "en"))
        for aff in a.affiliations:
            self.add(node, PROV + "actedOnBehalfOf", ox.NamedNode(aff.iri))
            self.add(node, CG + "affiliatedWith", ox.NamedNode(aff.iri))
            self.add(ox.NamedNode(aff.iri), RDFS + "label", _text_literal(aff.label, "en"))
        for other in a.possibly_same_as:
            self.add(node, CG + "possiblySameAs", ox.NamedNode(other.iri))
        return node

    def claim(self, c: ClaimInfo) -> ox.NamedNode:
        """The claim as a ``prov:Entity`` attributed to its claimants, speaking."""
        claim = ox.NamedNode(c.iri)
        self.add(claim, RDF + "type", ox.NamedNode(PROV + "Entity"))
        for ty in c.types:
            self.add(claim, RDF + "type", ox.NamedNode(as_iri(ty) or ty))
        self.add(claim, RDFS + "label", _text_literal(c.label, "en"))
        if c.text:
            self.add(claim, CG + "claimText", _text_literal(c.text, "en"))
        if c.date:
            self.add(claim, CG + "claimDate", _date_literal(c.date))
        for a in c.claimants:
            node = self.agent(a)
            self.add(claim, PROV + "wasAttributedTo", node)
            self.add(claim, CG + "claimant", node)
            att = self.attribution(claim, node)
            self.add(att, PROV + "hadRole", ox.NamedNode(CG + "speaker"))
        return claim

    def derivation(self, h: Hop, target: str) -> None:
        """The hop's report derived (and, for ``quoted from``, quoted) from ``target``."""
        r, source = ox.NamedNode(h.report.iri), ox.NamedNode(target)
        self.add(r, PROV + "wasDerivedFrom", source)
        d = ox.BlankNode()
        self.add(r, PROV + "qualifiedDerivation", d)
        self.add(d, RDF + "type", ox.NamedNode(PROV + "Derivation"))
        self.add(d, PROV + "entity", source)
        if h.link == "quoted from":
            self.add(r, PROV + "wasQuotedFrom", source)
            q = ox.BlankNode()
            self.add(r, PROV + "qualifiedQuotation", q)
            self.add(q, RDF + "type", ox.NamedNode(PROV + "Quotation"))
            self.add(q, PROV + "entity", source)

    def report(self, h: Hop, claim: ox.NamedNode) -> None:
        """The hop's report: its carrier in its role, what it says, where and when."""
        r = ox.NamedNode(h.report.iri)
        self.add(r, RDF + "type", ox.NamedNode(PROV + "Entity"))
        self.add(r, RDF + "type", ox.NamedNode(CG + _REPORT_CLASSES.get(h.kind, "Report")))
        self.add(r, RDFS + "label", _text_literal(h.report.label, "en"))
        self.add(r, CG + "reports", claim)
        if h.carrier is not None:
            who = self.agent(h.carrier)
            self.add(r, PROV + "wasAttributedTo", who)
            self.add(r, CG + "carrier", who)
            att = self.attribution(r, who)
            if h.role:
                self.add(att, PROV + "hadRole", ox.NamedNode(CG + h.role))
                self.add(r, CG + "hopRole", ox.NamedNode(CG + h.role))
            if h.cue_verb:
                self.add(att, CG + "cueVerb", _text_literal(h.cue_verb, "en"))
            if h.channel:
                self.add(att, CG + "channel", _text_literal(h.channel, "en"))
        if h.cue_verb:
            self.add(r, CG + "cueVerb", _text_literal(h.cue_verb, "en"))
        if h.channel:
            self.add(r, CG + "channel", _text_literal(h.channel, "en"))
        if h.date:
            self.add(r, CG + "reportedAt", _date_literal(h.date))
        if h.observed is not None:
            self.add(
                r, CG + "observed", _typed_literal("true" if h.observed else "false", "boolean")
            )
        if h.verbatim:
            self.add(r, CG + "verbatim", _text_literal(h.verbatim, "en"))
        if h.occasion:
            self.add(r, CG + "occasion", ox.NamedNode(h.occasion.iri))
        if h.location:
            self.add(r, PROV + "atLocation", ox.NamedNode(h.location.iri))
        for x in h.in_reply_to:
            self.add(r, CG + "inReplyTo", ox.NamedNode(x.iri))
        if h.revision is not None:
            self.revision(r, h.revision)
        for e in h.evidence:
            self.evidence(r, e)

    def revision(self, report: ox.NamedNode, rv: Revision) -> None:
        """The article revision the report sits in, a specialisation of its article."""
        rev = ox.NamedNode(rv.iri)
        self.add(report, CG + "inArticle", rev)
        self.add(rev, RDF + "type", ox.NamedNode(PROV + "Entity"))
        self.add(rev, RDF + "type", ox.NamedNode(CG + "ArticleRevision"))
        self.add(rev, RDFS + "label", _text_literal(rv.label, "en"))
        if rv.number is not None:
            self.add(rev, CG + "revisionNumber", _typed_literal(str(rv.number), "integer"))
        if rv.article is not None:
            self.add(rev, PROV + "specializationOf", ox.NamedNode(rv.article.iri))
            self.add(
                ox.NamedNode(rv.article.iri), RDFS + "label", _text_literal(rv.article.label, "en")
            )
        if rv.publisher is not None:
            self.add(rev, PROV + "wasAttributedTo", ox.NamedNode(rv.publisher.iri))
        if rv.previous is not None:
            self.add(rev, PROV + "wasRevisionOf", ox.NamedNode(rv.previous.iri))

    def evidence(self, report: ox.NamedNode, e: Evidence) -> None:
        """An evidence span: the revision and a quote-and-position selector."""
        span, sel = ox.BlankNode(), ox.BlankNode()
        self.add(report, CG + "evidence", span)
        self.add(span, RDF + "type", ox.NamedNode(CG + "EvidenceSpan"))
        self.add(span, RDF + "type", ox.NamedNode(OA + "SpecificResource"))
        if e.revision:
            self.add(span, OA + "hasSource", ox.NamedNode(e.revision))
        self.add(span, OA + "hasSelector", sel)
        self.add(sel, RDF + "type", ox.NamedNode(OA + "TextQuoteSelector"))
        self.add(sel, RDF + "type", ox.NamedNode(OA + "TextPositionSelector"))
        if e.exact is not None:
            self.add(sel, OA + "exact", _text_literal(e.exact))
        if e.start is not None:
            self.add(sel, OA + "start", _typed_literal(str(e.start), "nonNegativeInteger"))
        if e.end is not None:
            self.add(sel, OA + "end", _typed_literal(str(e.end), "nonNegativeInteger"))

    def review(self, rv: ReviewInfo, claim: ox.NamedNode) -> None:
        """A fact-checker's review of the claim, with its rating."""
        review = ox.NamedNode(rv.iri)
        self.add(review, RDF + "type", ox.NamedNode(SCHEMA + "ClaimReview"))
        self.add(review, RDF + "type", ox.NamedNode(PROV + "Entity"))
        self.add(review, SCHEMA + "itemReviewed", claim)
        if rv.author is not None and rv.author.iri:
            author = ox.NamedNode(rv.author.iri)
            self.add(review, SCHEMA + "author", author)
            self.add(review, PROV + "wasAttributedTo", author)
            self.add(author, RDFS + "label", _text_literal(rv.author.label))
        if rv.date:
            self.add(review, SCHEMA + "datePublished", _date_literal(rv.date))
        rating = ox.BlankNode()
        self.add(review, SCHEMA + "reviewRating", rating)
        self.add(rating, RDF + "type", ox.NamedNode(SCHEMA + "Rating"))
        if rv.rating_label:
            self.add(rating, SCHEMA + "alternateName", _text_literal(rv.rating_label))
        if rv.rating_value:
            self.add(rating, SCHEMA + "ratingValue", _text_literal(rv.rating_value))
        if rv.normalized is not None:
            self.add(review, CG + "normalizedRating", ox.NamedNode(rv.normalized.iri))
        if rv.note:
            self.add(review, CG + "reviewNote", _text_literal(rv.note))
