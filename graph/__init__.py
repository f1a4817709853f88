"""claimgraph: a knowledge graph of actors, sources and claims in news about negotiations."""

from __future__ import annotations

from .errors import (
    Ambiguous,
    ClaimgraphError,
    ForbiddenQuery,
    NotFound,
    ParseError,
    QueryError,
    StoreError,
    UsageError,
    ValidationFailed,
)
from .store import OxigraphStore, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Ambiguous",
    "ClaimgraphError",
    "ForbiddenQuery",
    "NotFound",
    "OxigraphStore",
    "ParseError",
    "QueryError",
    "Store",
    "StoreError",
    "UsageError",
    "ValidationFailed",
    "__version__",
    "open_store",
]
