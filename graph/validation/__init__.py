"""Validate batches and the whole store against the claimgraph shapes (``shapes/*.ttl``).

A batch is validated *before* it is written, together with a small context fetched from the
store (:func:`context_for`): the types of the nodes it references, the text of the revisions
its evidence points at, the derivation chains it extends, and the full description of any node
it adds statements to.  Only the batch's **own** nodes (the subjects it describes and its blank
nodes) are focus nodes; context nodes are data the shapes can reach, never nodes they judge.
That matters: if the context's ``rdf:type`` triples simply joined the data graph,
``sh:targetClass`` would make every referenced actor, claim and revision a focus node, and each
would fail for lack of the properties the context does not carry.

How: the shapes are compiled once to SPARQL (:mod:`~claimgraph.validation.compiler`); for each
batch an in-memory pyoxigraph store holds the batch, its context and the ontology's facts
(:mod:`~claimgraph.validation.dataset`), the batch's own nodes are marked there, and each check
is one query over all of them (:mod:`~claimgraph.validation.engine`).  Two rules are checked in
Python beside the shapes (:mod:`~claimgraph.validation.rules`): every ``cg:`` term used is
defined, every XSD literal is a value of its datatype.  pySHACL, run on exactly the same focus
nodes (``engine="pyshacl"``), is the reference: both engines give the same report.

The modules:

- :mod:`~claimgraph.validation.report`: :class:`ValidationResult`, :class:`ValidationReport`
  and how results read to a person;
- :mod:`~claimgraph.validation.report_graph`: the SHACL report graph, written and read;
- :mod:`~claimgraph.validation.shapes`: the packaged shapes and ontology, and what is derived
  from them once (the ontology's facts, the shapes' targets);
- :mod:`~claimgraph.validation.batch`: :func:`validate_batch` and its focus nodes;
- :mod:`~claimgraph.validation.compiler`,
  :mod:`~claimgraph.validation.sparql_constraints`, :mod:`~claimgraph.validation.dataset`,
  :mod:`~claimgraph.validation.engine`, :mod:`~claimgraph.validation.terms`: the compiled
  shapes (their SHACL-SPARQL constraints apart), the store they run on, running them,
  literals as SHACL reads them;
- :mod:`~claimgraph.validation.pyshacl_bridge`: the reference engine's data graph, working
  shapes and run;
- :mod:`~claimgraph.validation.rules`, :mod:`~claimgraph.validation.defined_terms`,
  :mod:`~claimgraph.validation.values`: the rules checked in Python;
- :mod:`~claimgraph.validation.context`: :func:`context_for`, the context queries;
- :mod:`~claimgraph.validation.whole_store`: :func:`validate_store`.

>>> import pyoxigraph as ox
>>> from claimgraph.records import parse_records
>>> from importlib.resources import files
>>> seed = files("claimgraph.seed")
>>> triples = []
>>> for name in ("article.yaml", "istanbul-talks.yaml"):
...     for q in parse_records(seed.joinpath(name).read_bytes(), source=name):
...         triples.append(ox.Triple(q.subject, q.predicate, q.object))
>>> report = validate_batch(triples)
>>> len(report.warnings)
5
"""

from __future__ import annotations

from .batch import ENGINES, validate_batch
from .context import context_for
from .defined_terms import DEFINED_TERMS_RULE
from .report import ValidationReport, ValidationResult
from .report_graph import with_results
from .shapes import SHAPES, load_ontology, load_shapes
from .whole_store import validate_store

__all__ = [
    "DEFINED_TERMS_RULE",
    "ENGINES",
    "SHAPES",
    "ValidationReport",
    "ValidationResult",
    "context_for",
    "load_ontology",
    "load_shapes",
    "validate_batch",
    "validate_store",
    "with_results",
]
