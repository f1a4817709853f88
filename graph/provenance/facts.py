"""The property values provenance reads, fetched in a few queries and held in memory.

Every computation (chains, corroboration, flags, contradictions) reads a :class:`Facts`
filled by :func:`load_facts` instead of querying the store per resource: one claim's trace
names dozens of reports, agents and revisions, a listing of every claim thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from ..rdf import (
    CG,
    RDF,
    RDFS,
    SCHEMA,
    choose_literal,
    compact,
    sparql_iri,
    term_text,
    values_blocks,
)
from ..store import Store
from ..vocabulary import most_specific, term_label
from .model import Ref

_LABELLED_BY = (RDFS + "label", CG + "headline", SCHEMA + "name")
"""Where a trace takes a resource's label from, in order.  Narrower than
:data:`claimgraph.rdf.LABEL_PROPERTIES` on purpose: an anonymous source's own words
(``cg:describedAs``) are shown beside its label, never as it."""


class Facts:
    """Property values of a set of resources, with label picking.  Values of an inverse
    property (loaded with ``inverse=``) are kept under ``"^" + property``."""

    def __init__(self, lang: str = "en") -> None:
        self.values: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = (
            defaultdict(lambda: defaultdict(list))
        )
        self.lang = lang
        self._iris: dict[tuple[str, str], list[str]] = {}
        self._refs: dict[str, Ref] = {}

    def add(self, s: str, p: str, o: Any) -> None:
        """Record that ``s`` has ``o`` as a value of ``p`` (once)."""
        vals = self.values[s][p]
        if o not in vals:
            vals.append(o)
            self._iris.pop((s, p), None)
            self._refs.pop(s, None)

    def get(self, s: str, p: str) -> list[Any]:
        """Every value of ``p`` on ``s`` (terms), in the order they were loaded."""
        return self.values.get(s, {}).get(p, [])

    def first(self, s: str, p: str) -> Any:
        """The one value of ``p`` on ``s`` to show: the literal in the best language."""
        vals = self.get(s, p)
        return choose_literal(vals, self.lang) if vals else None

    def iris(self, s: str, p: str) -> list[str]:
        """The IRIs among the values of ``p`` on ``s``, sorted."""
        found = self._iris.get((s, p))
        if found is None:
            found = sorted({v.value for v in self.get(s, p) if isinstance(v, ox.NamedNode)})
            self._iris[(s, p)] = found
        return list(found)

    def inverse_iris(self, o: str, p: str) -> list[str]:
        """The IRIs whose ``p`` is ``o``, sorted (``p`` must have been loaded as inverse)."""
        return self.iris(o, "^" + p)

    def linked(self, s: str, p: str) -> list[str]:
        """The IRIs ``p`` links ``s`` to in either direction, sorted (for symmetric
        properties such as ``cg:sameClaimAs``; ``p`` must have been loaded as inverse)."""
        return sorted(set(self.iris(s, p)) | set(self.inverse_iris(s, p)))

    def label(self, iri: str) -> str:
        """The resource's label, or the vocabulary's label or a readable form of its IRI."""
        for p in _LABELLED_BY:
            v = self.first(iri, p)
            if v is not None:
                return str(term_text(v))
        return term_label(iri, self.lang)

    def ref(self, iri: str) -> Ref:
        """The resource as a :class:`Ref`."""
        found = self._refs.get(iri)
        if found is None:
            found = self._refs[iri] = Ref(iri, compact(iri), self.label(iri))
        return found

    def types(self, iri: str) -> list[str]:
        """The resource's most specific classes."""
        return most_specific(self.iris(iri, RDF + "type"))


def load_facts(
    store: Store,
    facts: Facts,
    iris: Iterable[str],
    props: Sequence[str],
    *,
    inverse: Sequence[str] = (),
) -> None:
    """Fill ``facts`` with the ``props`` of ``iris``, and the subjects of the ``inverse``
    properties pointing at them (recorded under ``^p``).

    (The properties go in a FILTER: a second VALUES block for them makes pyoxigraph 0.5
    evaluate the triple pattern unbound, hundreds of times slower.)

    >>> from claimgraph.store import open_store
    >>> from claimgraph.ingest import ingest_seed
    >>> store = open_store(":memory:")
    >>> _ = ingest_seed(store)
    >>> from claimgraph.rdf import CGI
    >>> facts = Facts()
    >>> load_facts(store, facts, [CGI + "reuters"], [RDFS + "label", RDF + "type"])
    >>> facts.label(CGI + "reuters"), [compact(t) for t in facts.types(CGI + "reuters")]
    ('Reuters', ['cg:NewsAgency'])
    """
    iris = list(iris)
    if not iris:
        return
    wanted = f"FILTER(?p IN ({', '.join(sparql_iri(p) for p in props)}))"
    for values in values_blocks("s", iris):
        for row in store.select(f"SELECT ?s ?p ?o WHERE {{ {values} ?s ?p ?o {wanted} }}"):
            facts.add(row["s"].value, row["p"].value, row["o"])
    if inverse:
        pattern = inverse_pattern(inverse)
        for values in values_blocks("s", iris):
            for row in store.select(f"SELECT ?s ?p ?o WHERE {{ {values} {pattern} }}"):
                facts.add(row["s"].value, "^" + row["p"].value, row["o"])


def inverse_pattern(props: Sequence[str]) -> str:
    """A SPARQL pattern binding ``?o ?p ?s`` for each of ``props``: one branch of a UNION
    per property, each with its predicate written out.  (A FILTER on ``?p`` makes pyoxigraph
    read every triple whose object is ``?s``, and an agent or a revision is the object of
    thousands: many times slower.)

    >>> inverse_pattern(["urn:p"])
    '{ ?o <urn:p> ?s BIND(<urn:p> AS ?p) }'
    """
    return " UNION ".join(
        f"{{ ?o {sparql_iri(p)} ?s BIND({sparql_iri(p)} AS ?p) }}" for p in dict.fromkeys(props)
    )
