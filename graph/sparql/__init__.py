"""SPARQL requests: one lexer, the canonical text every engine runs, and what a request may ask
for (no SERVICE, no LOAD, no FROM of a graph the store does not hold)."""

from __future__ import annotations

from .safety import (
    Inspection,
    checked_query,
    checked_update,
    refuse_engine_extensions,
    refuse_remote,
    safe_query,
    safe_update,
)
from .text import Token, canonical, tokens

__all__ = [
    "Inspection",
    "Token",
    "canonical",
    "checked_query",
    "checked_update",
    "refuse_engine_extensions",
    "refuse_remote",
    "safe_query",
    "safe_update",
    "tokens",
]
