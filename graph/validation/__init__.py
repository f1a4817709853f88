"""Validate batches and the whole store against the claimgraph shapes (``shapes/*.ttl``).

A batch is validated *before* it is written, together with a small context fetched from the
store (:func:`context_for`): the types of the nodes it references, the text of the revisions
its evidence points at, the derivation chains it extends, and the full description of any node
it adds statements to.  Only the batch's **own** nodes (the subjects it describes and its blank
nodes) are focus nodes; context nodes are data the shapes can reach, never nodes they judge.
That matters: if the context's ``rdf:type`` triples simply joined the data graph,
``sh:targetClass`` would make every referenced actor, claim and revision a focus node, and each
would fail for lack of the properties the context does not carry.

How: the shapes are loaded once; for each batch the targets (``sh:targetClass``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``) are resolved against the batch's own nodes
only, in Python, and pySHACL runs the shapes on exactly those nodes; one rule, that every
``cg:`` term used is defined, is checked in Python beside it.

The modules:

- :mod:`~claimgraph.validation.report`: :class:`ValidationResult`, :class:`ValidationReport`
  and how results read to a person;
- :mod:`~claimgraph.validation.report_graph`: the SHACL report graph, written and read;
- :mod:`~claimgraph.validation.shapes`: the packaged shapes and ontology, and what is derived
  from them once (the ontology's facts, the shapes' targets);
- :mod:`~claimgraph.validation.batch`: :func:`validate_batch` and its focus nodes;
- :mod:`~claimgraph.validation.pyshacl_bridge`: the data graph, the working shapes and the
  pySHACL run;
- :mod:`~claimgraph.validation.defined_terms`: the defined-terms rule;
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

from .batch import validate_batch
from .context import context_for
from .defined_terms import DEFINED_TERMS_RULE
from .report import ValidationReport, ValidationResult
from .report_graph import with_results
from .shapes import SHAPES, load_ontology, load_shapes
from .whole_store import validate_store

__all__ = [
    "DEFINED_TERMS_RULE",
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
