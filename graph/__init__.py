"""claimgraph: a knowledge graph of actors, sources and claims in news about negotiations.

``import claimgraph`` is the documented API: open a store, ingest files into it as validated
batches, query it, trace a claim to whoever first said it, count its independent sources,
find contradictions, export views of the graph, and draft claim records from article text.
Functions named like their package are reached through it (``claimgraph.export.export``,
``claimgraph.extract.extract``, ``claimgraph.saved_queries.saved_queries``), so that a
package is never hidden behind a function of the same name.

>>> import claimgraph
>>> store = claimgraph.open_store(":memory:")
>>> [r.created for r in claimgraph.ingest_seed(store)]
[True, True]
>>> claimgraph.corroboration(store, "unrealistic").independent_sources
1
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import export, extract, saved_queries
from .batches import BatchInfo, list_batches, retract
from .errors import (
    Ambiguous,
    ClaimgraphError,
    DependentBatches,
    ForbiddenQuery,
    NotFound,
    ParseError,
    QueryError,
    RefusedInput,
    StoreError,
    UsageError,
    ValidationFailed,
)
from .export import build_graph, graph_measures, node_facts, read, write
from .extract import draft_article
from .ingest import IngestResult, ingest_bytes, ingest_file, ingest_ontology, ingest_seed
from .limits import LimitExceeded, Limits
from .provenance import (
    Corroboration,
    Trace,
    circular_reporting,
    claim_summaries,
    contradictions,
    corroboration,
    corroborations,
    record_review,
    resolve_claim,
    trace,
)
from .saved_queries import SavedQuery, get_query
from .store import OxigraphStore, Store, open_store
from .validation import ValidationReport, validate_batch, validate_store

__all__ = [
    "Ambiguous",
    "BatchInfo",
    "ClaimgraphError",
    "Corroboration",
    "DependentBatches",
    "ForbiddenQuery",
    "IngestResult",
    "LimitExceeded",
    "Limits",
    "NotFound",
    "OxigraphStore",
    "ParseError",
    "QueryError",
    "RefusedInput",
    "SavedQuery",
    "Store",
    "StoreError",
    "Trace",
    "UsageError",
    "ValidationFailed",
    "ValidationReport",
    "__version__",
    "build_graph",
    "circular_reporting",
    "claim_summaries",
    "contradictions",
    "corroboration",
    "corroborations",
    "draft_article",
    "export",
    "extract",
    "get_query",
    "graph_measures",
    "ingest_bytes",
    "ingest_file",
    "ingest_ontology",
    "ingest_seed",
    "list_batches",
    "node_facts",
    "open_store",
    "read",
    "record_review",
    "resolve_claim",
    "retract",
    "saved_queries",
    "trace",
    "validate_batch",
    "validate_store",
    "write",
]
