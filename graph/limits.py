"""The limits every input is held to, in one table.

Files given to ``claimgraph ingest``, bodies sent to the server and SPARQL requests are read
under these bounds, so that no input — however it is built — makes claimgraph allocate without
bound, recurse until it crashes, or run for ever.  Each limit has a default and a
``CLAIMGRAPH_<NAME>`` variable that raises (or lowers) it; an input over a limit is refused
with :class:`LimitExceeded`, whose message names the limit and how to raise it.

>>> current().max_nesting
100
>>> current({"CLAIMGRAPH_MAX_NESTING": "7"}).max_nesting
7
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from .errors import ClaimgraphError, UsageError

__all__ = ["LIMITS", "Limit", "LimitExceeded", "Limits", "current"]


@dataclass(frozen=True)
class Limit:
    """One row of the limits table."""

    name: str
    default: int
    unit: str
    help: str

    @property
    def env(self) -> str:
        """The variable that sets it, e.g. ``CLAIMGRAPH_MAX_NESTING``."""
        return "CLAIMGRAPH_" + self.name.upper()


LIMITS: tuple[Limit, ...] = (
    Limit("max_input_bytes", 1 << 30, "bytes", "Largest file or request body read as one batch."),
    Limit(
        "max_literal_bytes",
        8 << 20,
        "bytes",
        "Longest single literal (an article's text, a quote) a batch may hold.",
    ),
    Limit(
        "max_nesting",
        100,
        "levels",
        "Deepest nesting of JSON, JSON-LD and YAML structures and of SPARQL braces, brackets "
        "and parentheses.",
    ),
    Limit(
        "max_entity_expansion_bytes",
        1 << 20,
        "bytes",
        "Most text the XML entity references of one RDF/XML document may expand to.",
    ),
    Limit(
        "max_yaml_nodes",
        1_000_000,
        "nodes",
        "Most YAML nodes a record file may hold once its aliases are expanded.",
    ),
    Limit(
        "max_query_terms",
        100_000,
        "terms",
        "Most terms (words, IRIs, literals, variables, punctuation) in one SPARQL query or update.",
    ),
)
"""Every input limit; :class:`Limits` has one field per row."""

_BY_NAME = {limit.name: limit for limit in LIMITS}


@dataclass(frozen=True)
class Limits:
    """The limits in force (see :data:`LIMITS` for what each means)."""

    max_input_bytes: int = 1 << 30
    max_literal_bytes: int = 8 << 20
    max_nesting: int = 100
    max_entity_expansion_bytes: int = 1 << 20
    max_yaml_nodes: int = 1_000_000
    max_query_terms: int = 100_000

    def refuse(self, name: str, found: str, *, source: str | None = None) -> LimitExceeded:
        """The error for an input that goes past limit ``name``; ``found`` says by what."""
        return LimitExceeded(_BY_NAME[name], getattr(self, name), found, source=source)


def current(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits in force: each ``CLAIMGRAPH_<NAME>`` variable, else the default.  A value
    that is not a positive whole number is an error naming the variable."""
    env = os.environ if environ is None else environ
    values: dict[str, int] = {}
    for f in fields(Limits):
        limit = _BY_NAME[f.name]
        text = env.get(limit.env)
        if text is None:
            continue
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            raise UsageError(f"{limit.env}={text!r} is not a positive whole number of {limit.unit}")
        values[f.name] = value
    return Limits(**values)


class LimitExceeded(ClaimgraphError):
    """An input went past one of the limits of :data:`LIMITS`; nothing was read into the
    store.  Exit code 2; HTTP 413."""

    exit_code = 2
    http_status = 413

    def __init__(self, limit: Limit, value: int, found: str, *, source: str | None = None) -> None:
        self.limit = limit
        self.value = value
        where = f"{source}: " if source else ""
        super().__init__(
            f"{where}{found}, past the {limit.name} limit of {value:,} {limit.unit} "
            f"({limit.help[:1].lower()}{limit.help[1:].rstrip('.')}). If the input is trusted "
            f"and really needs more, raise the limit: {limit.env}={value * 4}."
        )
