"""A query's answer checked for its kind: the SELECT solutions, or the CONSTRUCT triples, a
caller expects (else the :class:`~claimgraph.errors.QueryError` saying what came instead)."""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import QueryError

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def expect_solutions(result: QueryResult, sparql: str) -> ox.QuerySolutions:
    """``result`` if it is a SELECT's solutions, else the :class:`QueryError` saying so."""
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"expected a SELECT query, not: {sparql[:80]}")
    return result


def expect_triples(result: QueryResult, sparql: str) -> ox.QueryTriples:
    """``result`` if it is a CONSTRUCT's or DESCRIBE's triples, else the :class:`QueryError`."""
    if not isinstance(result, ox.QueryTriples):
        raise QueryError(f"expected a CONSTRUCT or DESCRIBE query, not: {sparql[:80]}")
    return result
