"""RDF terms on their way to a remote server and back.

**Blank nodes** are written as IRIs under :data:`GENID` (RDF 1.1 Concepts §3.5, "Replacing
Blank Nodes with IRIs") and read back as blank nodes with the same label.  A label names one
node in the embedded store too, so the store keeps the same identities; and unlike a server's
own blank nodes, these can be named in a later request (a query binding a node found by an
earlier one, a batch removed).  :func:`claimgraph.store.rewrite.with_term_tests` keeps
``isBlank``/``isIRI`` true to them.

**Canonical literals**: the embedded store keeps literals by value, as pyoxigraph does
(``"007"^^xsd:int`` is stored as ``"7"^^xsd:integer``, ``"1.50"`` as ``"1.5"``); writes to a
server go through the same canonical forms (:func:`canonical_graphs`), so that every backend
holds the same terms.

**Stand-in datatypes**: a literal of a datatype the server cannot keep as written (Virtuoso's
``xsd:duration``: ``PT2H`` comes back as ``7200.0``) is written with a stand-in datatype and
read back with its own.

>>> codec = Codec({"http://www.w3.org/2001/XMLSchema#duration": "urn:stand-in"})
>>> b = ox.BlankNode("b1")
>>> codec.encode(b)
<NamedNode value=https://w3id.org/claimgraph/.well-known/genid/b1>
>>> codec.decode(codec.encode(b)) == b
True
>>> d = ox.Literal("PT2H", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration"))
>>> codec.encode(d).datatype.value, codec.decode(codec.encode(d)) == d
('urn:stand-in', True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import groupby

import pyoxigraph as ox

from ..errors import StoreError
from ..rdf import XSD

GENID = "https://w3id.org/claimgraph/.well-known/genid/"
"""Where blank nodes live on a remote server, as IRIs (``GENID + label``)."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Codec:
    """Encodes terms for a server and decodes its answers (see the module doc)."""

    def __init__(self, stand_ins: Mapping[str, str] | None = None) -> None:
        self.stand_ins = dict(stand_ins or {})
        self.originals = {v: k for k, v in self.stand_ins.items()}

    def encode(self, term: Term) -> ox.NamedNode | ox.Literal:
        """The term as the server keeps it."""
        if isinstance(term, ox.BlankNode):
            return ox.NamedNode(GENID + term.value)
        if isinstance(term, ox.Literal) and term.datatype.value in self.stand_ins:
            return ox.Literal(
                term.value, datatype=ox.NamedNode(self.stand_ins[term.datatype.value])
            )
        if isinstance(term, ox.Triple):
            raise StoreError("RDF 1.2 triple terms cannot be stored on a remote server")
        return term

    def decode(self, term: Term) -> Term:
        """The term as claimgraph wrote it."""
        if isinstance(term, ox.NamedNode) and term.value.startswith(GENID):
            try:
                return ox.BlankNode(term.value[len(GENID) :])
            except ValueError:
                return term
        if isinstance(term, ox.Literal) and term.datatype.value in self.originals:
            return ox.Literal(
                term.value, datatype=ox.NamedNode(self.originals[term.datatype.value])
            )
        return term

    def decode_quad(self, q: ox.Quad) -> ox.Quad:
        """A quad of the server's as claimgraph wrote it."""
        s, o = self.decode(q.subject), self.decode(q.object)
        if s is q.subject and o is q.object:
            return q
        assert not isinstance(s, ox.Literal)
        return ox.Quad(s, q.predicate, o, q.graph_name)

    def is_plain(self, body: bytes) -> bool:
        """Whether an answer holds nothing to decode (so it can be used as it is)."""
        return GENID.encode() not in body and not any(d.encode() in body for d in self.originals)


def canonical_graphs(
    graphs: Mapping[str | None, Iterable[ox.Triple]],
) -> dict[str | None, list[ox.Triple]]:
    """The triples per graph as the embedded store would keep them: literals in pyoxigraph's
    canonical forms, duplicates gone.

    >>> t = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"),
    ...               ox.Literal("007", datatype=ox.NamedNode(XSD + "int")))
    >>> str(canonical_graphs({"urn:g": [t, t]})["urn:g"][0].object)
    '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    held = ox.Store()
    names: dict[str | None, ox.NamedNode | ox.DefaultGraph] = {
        g: ox.DefaultGraph() if g is None else ox.NamedNode(g) for g in graphs
    }
    for graph, triples in graphs.items():
        name = names[graph]
        held.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return {
        graph: [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in held.quads_for_pattern(None, None, None, name)
        ]
        for graph, name in names.items()
    }


def insert_operations(
    graphs: Mapping[str | None, Iterable[ox.Triple]],
    codec: Codec,
    *,
    statements: int | None = None,
) -> list[str]:
    """``INSERT DATA`` operations writing ``graphs`` (``None``: the default graph) in their
    canonical forms, each triple's terms encoded, the triples of one subject in one statement
    (``s p o ; p o``); at most ``statements`` subject statements per operation (all in one
    when None).

    >>> t = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.BlankNode("x"))
    >>> insert_operations({"urn:g": [t, t]}, Codec())[0].replace(GENID, "genid:")
    'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> <genid:x> . } }'
    """
    blocks: list[tuple[str | None, str]] = []
    for graph, triples in canonical_graphs(graphs).items():
        unique = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate)))
        for subject, group in groupby(unique, key=lambda t: t.subject):
            pairs = " ; ".join(
                f"{codec.encode(t.predicate)} {codec.encode(t.object)}" for t in group
            )
            blocks.append((graph, f"{codec.encode(subject)} {pairs} ."))
    if not blocks:
        return []
    size = statements or len(blocks)
    ops = []
    for i in range(0, len(blocks), size):
        chunk = blocks[i : i + size]
        parts = []
        for graph, stated in groupby(chunk, key=lambda b: b[0]):
            body = " ".join(s for _, s in stated)
            parts.append(body if graph is None else f"GRAPH {ox.NamedNode(graph)} {{ {body} }}")
        ops.append("INSERT DATA { " + " ".join(parts) + " }")
    return ops


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD + "string", _LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def solutions(variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> ox.QuerySolutions:
    """Query solutions holding ``rows`` (values in the order of ``variables``; None:
    unbound), as pyoxigraph's own.

    >>> s = solutions(["x"], [[ox.Literal("a")], [None]])
    >>> [str(r["x"]) for r in s]
    ['"a"', 'None']
    """
    bindings = [
        {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    data = json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}})
    result = ox.parse_query_results(data.encode("utf-8"), ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QuerySolutions)
    return result


def triples_result(triples: Iterable[ox.Triple]) -> ox.QueryTriples:
    """A CONSTRUCT result holding ``triples``, in their order.

    >>> t = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("o"))
    >>> list(triples_result([t])) == [t]
    True
    """
    # the in-memory store lists what was added last first: add in reverse to keep the order
    listed = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    copy = ox.Store()
    copy.extend(reversed(listed))
    result = copy.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def decoded_triples(codec: Codec, triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """The triples of a server's answer as claimgraph wrote them."""
    for t in triples:
        s, o = codec.decode(t.subject), codec.decode(t.object)
        assert not isinstance(s, ox.Literal)
        yield ox.Triple(s, t.predicate, o)
