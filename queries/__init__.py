"""The saved queries: the ``*.rq`` files of this package (read with importlib.resources) and
the registry that reads them.

``claimgraph.queries`` is both the folder of ``.rq`` files (package data, grlc-compatible)
and the public API for them; the implementation lives in :mod:`claimgraph.saved_queries`.
One name for both keeps a wheel and an editable install alike: a module ``queries.py``
beside a package ``queries/`` would be shadowed by the package in one and not the other.
"""

from claimgraph.saved_queries import (
    MissingParameter,
    Parameter,
    SavedQuery,
    get_query,
    parse_saved_query,
    saved_queries,
)

__all__ = [
    "MissingParameter",
    "Parameter",
    "SavedQuery",
    "get_query",
    "parse_saved_query",
    "saved_queries",
]
