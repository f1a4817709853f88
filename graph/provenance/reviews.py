"""Reviews: a fact-checker's verdict on a claim, recorded as a ``schema:ClaimReview`` in its
own validated batch, and read back for a trace."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime

import pyoxigraph as ox

from ..errors import NotFound, UsageError
from ..ingest import ingest_bytes
from ..rdf import (
    CG,
    CGI,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    XSD,
    as_iri,
    compact,
    term_bool,
    term_text,
)
from ..store import Store
from .facts import Facts, load_facts
from .model import Ref, ReviewInfo, ReviewResult
from .ratings import NORMALIZED_RATINGS, RATING_VALUES, normalize_rating, rating_notation
from .resolve import resolve_claim


def record_review(
    store: Store,
    claim: str,
    *,
    rating: str,
    author: str,
    note: str | None = None,
    review_date: str | date | datetime | None = None,
    normalized: str | None = None,
    agent: str | None = None,
) -> ReviewResult:
    """Record a fact-checker's verdict on ``claim`` as a ``schema:ClaimReview`` (``cg:Review``)
    in its own validated batch.

    ``rating`` is the fact-checker's own label, kept verbatim (``schema:alternateName`` of the
    ``schema:Rating``); ``normalized`` (``true``, ``mostly-true``, ``mixture``,
    ``mostly-false``, ``false``, ``unproven``) puts it on claimgraph's scale and may be left out
    when the label is a known one (:func:`normalize_rating`).  ``author`` is an agent's IRI or
    ``cgi:`` id, or a name (a new ``prov:Agent`` is recorded for it).  ``review_date`` defaults
    to today (UTC).  The same review again is a no-op.

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> r = record_review(store, "unrealistic", rating="Unproven", author="Example Check",
    ...                   review_date="2025-05-20")
    >>> r.normalized, r.created
    ('unproven', True)
    >>> from claimgraph.provenance import trace
    >>> [x.rating_label for x in trace(store, "unrealistic").reviews]
    ['Unproven']
    """
    iri = resolve_claim(store, claim)
    label = rating.strip()
    if not label:
        raise UsageError("give the fact-checker's rating label with --rating, e.g. 'False'")
    if normalized is not None:
        key = rating_notation(normalized)
    else:
        found = normalize_rating(label)
        if found is None:
            raise UsageError(
                f"cannot tell where {label!r} sits on claimgraph's scale: give "
                f'the normalized rating too (--normalized, or "normalized" '
                f"over HTTP), one of {', '.join(NORMALIZED_RATINGS)}"
            )
        key = found
    when = _review_date(review_date)
    who, author_triples = _review_author(store, author)
    digest = hashlib.sha256(
        "\n".join([iri, who.value, when.value, label, key, note or ""]).encode("utf-8")
    ).hexdigest()
    review = ox.NamedNode(CGI + "review-" + digest[:16])
    rating_node = ox.NamedNode(review.value + "-rating")

    def triple(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        triple(review, RDF + "type", ox.NamedNode(CG + "Review")),
        triple(review, RDF + "type", ox.NamedNode(SCHEMA + "ClaimReview")),
        triple(
            review, RDFS + "label", ox.Literal(f"Review of {compact(iri)}: {label}", language="en")
        ),
        triple(review, SCHEMA + "itemReviewed", ox.NamedNode(iri)),
        triple(review, SCHEMA + "author", who),
        triple(review, PROV + "wasAttributedTo", who),
        triple(review, SCHEMA + "datePublished", when),
        triple(review, SCHEMA + "reviewRating", rating_node),
        triple(review, CG + "normalizedRating", ox.NamedNode(NORMALIZED_RATINGS[key])),
        triple(rating_node, RDF + "type", ox.NamedNode(SCHEMA + "Rating")),
        triple(rating_node, SCHEMA + "alternateName", ox.Literal(label)),
    ]
    if key in RATING_VALUES:
        integer = ox.NamedNode(XSD + "integer")
        triples += [
            triple(
                rating_node,
                SCHEMA + "ratingValue",
                ox.Literal(str(RATING_VALUES[key]), datatype=integer),
            ),
            triple(rating_node, SCHEMA + "bestRating", ox.Literal("5", datatype=integer)),
            triple(rating_node, SCHEMA + "worstRating", ox.Literal("1", datatype=integer)),
        ]
    if note:
        triples.append(triple(review, CG + "reviewNote", ox.Literal(note)))
    triples += author_triples
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b""
    result = ingest_bytes(
        store, data, format="turtle", source=f"review-{digest[:16]}.ttl", agent=agent
    )
    return ReviewResult(review.value, result.batch, result.created, key, label)


def _review_date(value: str | date | datetime | None) -> ox.Literal:
    """The review's date as an ``xsd:date`` or ``xsd:dateTime`` literal (today if None)."""
    if value is None:
        return ox.Literal(datetime.now(UTC).date().isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    text = value.strip()
    try:
        if "T" in text:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "dateTime"))
        date.fromisoformat(text)
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    except ValueError:
        raise UsageError(
            f"date {value!r} is not YYYY-MM-DD or an ISO date-time (2025-05-17T10:00:00Z)"
        ) from None


def _review_author(store: Store, author: str) -> tuple[ox.NamedNode, list[ox.Triple]]:
    """The author's node: an agent the store holds (by IRI or ``cgi:`` id), or a new
    fact-checker named ``author``, with the triples that record it."""
    name = author.strip()
    if not name:
        raise UsageError("a review needs its author: give --author with a name or an IRI")
    iri = as_iri(name)
    if iri is None and re.fullmatch(r"[A-Za-z0-9._-]+", name):
        candidate = CGI + name
        if _has_type(store, candidate):
            iri = candidate
    if iri is not None:
        node = ox.NamedNode(iri)
        if _has_type(store, iri):
            return node, []
        if name.startswith(("http", "urn:", "<")) or ":" in name:
            raise NotFound(
                f"no agent {compact(iri)} in the store: give an existing agent's "
                "IRI, or the author's name to record a new fact-checker"
            )
    slug = (
        re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        or hashlib.sha256(name.encode()).hexdigest()[:12]
    )
    node = ox.NamedNode(CGI + "factchecker-" + slug)
    return node, [
        ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(PROV + "Agent")),
        ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(name)),
    ]


def _has_type(store: Store, iri: str) -> bool:
    """The store holds a type for ``iri``: it names something known."""
    return store.ask("ASK { ?x a ?t }", bindings={"x": ox.NamedNode(iri)})


def read_reviews(store: Store, claim: str, f: Facts) -> list[ReviewInfo]:
    """The fact-checkers' reviews of ``claim``, oldest first, each with the batch it came
    in; their authors' labels are loaded into ``f``."""
    rows = store.select(
        """SELECT ?c ?rev ?author ?date ?label ?value ?norm ?note ?retracted ?g
        WHERE {
          GRAPH ?g { ?rev schema:itemReviewed ?c }
          OPTIONAL { ?rev schema:author ?author }
          OPTIONAL { ?rev schema:datePublished ?date }
          OPTIONAL { ?rev schema:reviewRating ?rating .
                     OPTIONAL { ?rating schema:alternateName ?label }
                     OPTIONAL { ?rating schema:ratingValue ?value } }
          OPTIONAL { ?rev cg:normalizedRating ?norm }
          OPTIONAL { ?rev cg:reviewNote|schema:reviewBody ?note }
          OPTIONAL { ?rev cg:retracted ?retracted }
        } ORDER BY ?date ?rev""",
        bindings={"c": ox.NamedNode(claim)},
    )
    found: dict[str, ReviewInfo] = {}
    authors = set()
    raw = list(rows)
    for row in raw:
        if isinstance(row["author"], ox.NamedNode):
            authors.add(row["author"].value)
    load_facts(store, f, authors - set(f.values), [RDFS + "label", SCHEMA + "name"])
    for row in raw:
        iri = row["rev"].value if isinstance(row["rev"], ox.NamedNode) else str(row["rev"])
        if iri in found:
            continue
        author = row["author"]
        norm = row["norm"]
        found[iri] = ReviewInfo(
            iri=iri,
            id=compact(iri),
            author=(
                f.ref(author.value)
                if isinstance(author, ox.NamedNode)
                else Ref("", "", str(term_text(author)))
                if author is not None
                else None
            ),
            date=term_text(row["date"]),
            rating_label=term_text(row["label"]),
            rating_value=term_text(row["value"]),
            normalized=f.ref(norm.value) if isinstance(norm, ox.NamedNode) else None,
            note=term_text(row["note"]),
            retracted=bool(term_bool(row["retracted"])),
            batch=term_text(row["g"]),
        )
    return list(found.values())
