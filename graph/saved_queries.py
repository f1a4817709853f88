"""Saved queries: ``.rq`` files with grlc-style headers, loaded into a small registry.

A saved query's header is a block of ``#+ key: value`` comment lines, read as YAML exactly as
grlc reads them (grlc's decorators: ``summary``, ``description``, ``tags``, ``defaults``,
``pagination``, ...).  Parameters follow grlc's convention, so the ``queries/`` folder also
works unchanged as a grlc API: ``?_name`` is required, ``?__name`` optional; the name is
letters and digits (no underscore) and a suffix gives the type:

``?_name_iri``
    an IRI (here prefixed names such as ``cgi:russia``, and bare ids such as ``russia``, are
    expanded too);
``?_name_integer``, ``?_name_number``, ``?_name_literal``
    an ``xsd:integer``, a number (integer, decimal or double by its form), a plain string;
``?_name_xsd_date`` (any ``_prefix_localname``)
    a literal of that datatype (``xsd:date``, ``xsd:boolean``, ...);
``?_name_en`` (any language tag)
    a language-tagged string;
``?_name``
    a plain string.

A query is written as grlc needs it: a parameter is never projected nor grouped by (grlc
replaces the variable's text with the value everywhere), and a default the query must apply
without the parameter is in the query itself, ``COALESCE(?__claim_iri, cgi:claim-x)``.

Values are **bound as RDF terms** through the store's substitutions (pyoxigraph's
``substitutions``), never spliced into the query text.  pyoxigraph binds only variables a
SELECT projects, and a sub-select has its own variables, so before running a query claimgraph
adds each bound parameter to the projection (and the ``GROUP BY``) of every SELECT that uses
it - a change of the query's structure made on its tokens, with no value in it - and takes
the added columns out of the result again.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .errors import NotFound, QueryError, UsageError
from .query_parameters import (
    RESERVED,
    XSD_SHORTHANDS,
    MissingParameter,
    Parameter,
    split_type,
)
from .rdf import compact, local_name
from .results import KeptRows, without_columns
from .sparql import tokens
from .sparql.rewrite import paged, project_parameters
from .statements import DEFAULT_STANDINGS, dataset
from .store import QueryResult, Store, Term
from .store.kept import keeps, kept

__all__ = [
    "RESERVED",
    "XSD_SHORTHANDS",
    "MissingParameter",
    "Page",
    "Parameter",
    "SavedQuery",
    "get_query",
    "parse_saved_query",
    "saved_queries",
]


KEPT_ANSWER_BYTES = 16 * 1024 * 1024
"""A saved query's whole answer is kept until the store changes (every page of it then read
from memory) when its rows take at most this many bytes (as SPARQL TSV): at 905k quads the
largest saved answer, ``evidence-coverage``'s 11,890 rows, takes 4.4 MB.  A query process
keeps at most :data:`claimgraph.store.kept.KEPT_BYTES` (128 MiB) of them per store object,
the least recently used dropped first (the answers of the saved queries at 1M triples: ~12 MB
in all)."""

_KEPT = "saved query answer"
"""The key under which :func:`claimgraph.store.kept.kept` keeps a saved query's answers."""


@dataclass(frozen=True)
class Page:
    """A window on a query's rows: at most ``limit`` rows (None: all) after ``offset``.

    >>> Page.of(page=3, size=100)
    Page(limit=100, offset=200)
    >>> Page.of(limit=10, offset=5)
    Page(limit=10, offset=5)
    """

    limit: int | None = None
    offset: int = 0

    @classmethod
    def of(
        cls,
        *,
        limit: int | None = None,
        offset: int | None = None,
        page: int | None = None,
        size: int | None = None,
    ) -> Page:
        """The window of ``limit``/``offset``, or of page ``page`` (from 1) of ``size`` rows,
        as grlc pages (``LIMIT size OFFSET (page - 1) * size``); UsageError on nonsense."""
        for name, value in (("limit", limit), ("offset", offset), ("page", page)):
            if value is not None and value < (1 if name == "page" else 0):
                least = "1" if name == "page" else "0"
                raise UsageError(f"{name} must be a whole number of at least {least}, not {value}")
        if page is not None:
            if offset is not None:
                raise UsageError("give page or offset, not both")
            size = limit if limit is not None else size
            if size is None:
                raise UsageError("page needs a page size: give limit too")
            return cls(size, (page - 1) * size)
        return cls(limit, offset or 0)

    @property
    def whole(self) -> bool:
        """Whether this window is every row."""
        return self.limit is None and self.offset == 0

    def more(self, extra: int) -> Page:
        """The same window with ``extra`` more rows (to learn whether a next page exists)."""
        return Page(None if self.limit is None else self.limit + extra, self.offset)

    def capped(self, rows: int) -> Page:
        """The window, at most ``rows`` long."""
        return Page(rows if self.limit is None else min(self.limit, rows), self.offset)


@dataclass(frozen=True)
class SavedQuery:
    """A saved query and what its header says about it."""

    name: str
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    decorators: Mapping[str, object] = field(default_factory=dict)
    pagination: int | None = None
    """Rows per page (grlc's ``#+ pagination:``), when the query is paged by ``page``."""

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; UsageError if there is none."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise UsageError(
            f"query {self.name!r} has no parameter {name!r}; "
            f"its parameters: {', '.join(p.name for p in self.parameters) or 'none'}"
        )

    def bindings(self, values: Mapping[str, str]) -> dict[str, Term]:
        """The variable bindings for ``values`` (name → text), with defaults applied.

        Unknown names raise UsageError naming them; a missing required parameter raises
        :class:`MissingParameter`.

        >>> q = parse_saved_query("x", "SELECT ?c WHERE { ?c cg:claimant ?_actor_iri }")
        >>> q.bindings({"actor": "cgi:russia"})
        {'_actor_iri': <NamedNode value=https://w3id.org/claimgraph/id/russia>}
        >>> q.bindings({})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        claimgraph.query_parameters.MissingParameter: query 'x' needs parameter 'actor' ...
        """
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise UsageError(
                f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"its parameters: {', '.join(known) or 'none'}"
            )
        out: dict[str, Term] = {}
        for p in self.parameters:
            value = values.get(p.name)
            if value is None or value == "":
                value = p.default
            if value is None:
                if p.required:
                    raise MissingParameter(self.name, p.name)
                continue
            out[p.variable] = p.to_term(value)
        return out

    def prepared(self, bound: Collection[str], page: Page = Page()) -> tuple[str, frozenset[str]]:
        """The text to run with the variables ``bound`` substituted, and which of them were
        added to the result's columns (to be taken out again).

        Each bound variable is added to the projection (and ``GROUP BY``) of every SELECT
        that uses it, so that pyoxigraph binds it there; ``page`` adds ``LIMIT``/``OFFSET``.

        >>> q = parse_saved_query("x", "SELECT ?c WHERE { ?c cg:claimant ?__who_iri }")
        >>> q.prepared({"__who_iri"}, Page(10, 20))
        ('SELECT ?__who_iri ?c WHERE { ?c cg:claimant ?__who_iri }\\nLIMIT 10 OFFSET 20', \
frozenset({'__who_iri'}))
        """
        return _prepared(self.text, frozenset(bound), page)

    def run(
        self,
        store: Store,
        values: Mapping[str, str] | None = None,
        *,
        standings: Iterable[str] | None = DEFAULT_STANDINGS,
        page: Page = Page(),
        union: bool = True,
    ) -> QueryResult:
        """Run the query on ``store`` with ``values`` bound (as RDF terms, never spliced),
        the rows of ``page`` only, reading the statement graphs of ``standings`` (by default
        what the articles say; :mod:`claimgraph.statements`) — or, with ``standings`` None,
        the union of every graph (``union``) or the store's default graph.  The result has
        the query's own columns.  On a store that can tell its generation, the whole answer
        (up to :data:`KEPT_ANSWER_BYTES`) is read once and kept until the store changes
        (:mod:`claimgraph.store.kept`), and every page is a window on it.

        >>> from claimgraph.store import open_store
        >>> q = get_query("cq13-sides")
        >>> [v.value for v in q.run(open_store(":memory:")).variables][:2]
        ['actor', 'actorLabel']
        """
        bindings = self.bindings(values or {})
        if keeps(store):
            counted = None if standings is None else tuple(sorted(set(standings)))
            key = (_KEPT, self.text, tuple(sorted((k, str(v)) for k, v in bindings.items())))
            rows = kept(
                store,
                (*key, counted, union),
                lambda: self._whole(store, bindings, counted, union),
                lambda rows: rows.size if rows is not None else 0,
            )
            if rows is not None:
                return rows.window(page.offset, page.limit)
        return self._evaluate(store, bindings, standings, page, union)

    def _whole(
        self,
        store: Store,
        bindings: Mapping[str, Term],
        standings: Iterable[str] | None,
        union: bool,
    ) -> KeptRows | None:
        """Every row of the answer, to keep until the store changes; None for an answer
        that is not rows or is larger than :data:`KEPT_ANSWER_BYTES`."""
        result = self._evaluate(store, bindings, standings, Page(), union, columns=False)
        if not isinstance(result, ox.QuerySolutions):
            return None
        added = self.prepared(bindings)[1]
        return KeptRows.read(result, hide=added, most=KEPT_ANSWER_BYTES)

    def _evaluate(
        self,
        store: Store,
        bindings: Mapping[str, Term],
        standings: Iterable[str] | None,
        page: Page,
        union: bool,
        *,
        columns: bool = True,
    ) -> QueryResult:
        """The query evaluated on ``store`` (``columns``: without the parameters' columns)."""
        text, added = self.prepared(bindings, page)
        graphs = dataset(store, standings) if standings is not None else None
        try:
            result = store.query(
                text, bindings=bindings, default_graphs=graphs, named_graphs=graphs, union=union
            )
        except QueryError as e:
            if "projection" in str(e):
                raise QueryError(
                    f"query {self.name!r}: a SELECT * query uses a parameter only in an "
                    "expression, where pyoxigraph cannot bind it; list the variables the "
                    "query returns instead of *"
                ) from e
            raise
        if columns and added and isinstance(result, ox.QuerySolutions):
            return without_columns(result, added)
        return result

    def unknown_iris(self, store: Store, values: Mapping[str, str]) -> dict[str, list[str]]:
        """The IRI parameters among ``values`` whose IRI occurs nowhere in ``store``, each with
        up to three IRIs of the store that look alike (compact), for a "did you mean".

        >>> from claimgraph.store import open_store
        >>> from claimgraph.ingest import ingest_seed
        >>> store = open_store(":memory:")
        >>> _ = ingest_seed(store)
        >>> get_query("claims-by-actor").unknown_iris(store, {"actor": "zelenksy"})
        {'actor': ['cgi:zelensky']}
        """
        out: dict[str, list[str]] = {}
        for name, value in values.items():
            p = self.parameter(name)
            if p.kind != "iri" or not value.strip():
                continue
            term = p.to_term(value)
            if store.ask("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": term}):
                continue
            namespace = term.value[: len(term.value) - len(local_name(term.value))]
            known = [
                row["s"].value
                for row in store.select(
                    "SELECT DISTINCT ?s ?ns WHERE { ?s ?p ?o FILTER (STRSTARTS(STR(?s), ?ns)) }",
                    bindings={"ns": ox.Literal(namespace)},
                )
            ]
            by_local = {local_name(iri): iri for iri in known}
            near = difflib.get_close_matches(local_name(term.value), list(by_local), n=3)
            out[name] = [compact(by_local[n]) for n in near]
        return out

    def describe(self) -> dict[str, Any]:
        """What a client needs to list the query and build a form for it (JSON-ready).

        >>> q = parse_saved_query("x", "#+ summary: Claims\\nSELECT ?c WHERE { ?c ?p ?_actor_iri }")
        >>> q.describe()["parameters"][0]["name"], q.describe()["parameters"][0]["type"]
        ('actor', 'iri')
        """
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "pagination": self.pagination,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": p.default,
                    "variable": p.variable,
                }
                for p in self.parameters
            ],
        }


def parse_saved_query(name: str, text: str) -> SavedQuery:
    """Read a saved query's header and parameters.

    >>> q = parse_saved_query("x", "#+ summary: Claims by an actor\\n"
    ...     "SELECT ?c WHERE { ?c cg:claimant ?__actor_iri }")
    >>> q.summary, [(p.name, p.required) for p in q.parameters]
    ('Claims by an actor', [('actor', False)])
    """
    # As grlc does: every line starting with "#+" belongs to the YAML header, with the "#+"
    # (and only that) taken off, so indentation inside the header is kept.
    header = "\n".join(line.lstrip("#+") for line in text.splitlines() if line.startswith("#+"))
    try:
        decorators = yaml.safe_load(header) or {}
    except yaml.YAMLError as e:
        raise UsageError(f"query {name!r}: malformed #+ header: {e}") from e
    if not isinstance(decorators, dict):
        raise UsageError(f"query {name!r}: the #+ header must be 'key: value' lines")
    defaults = _defaults(name, decorators.get("defaults"))
    try:
        variables = [t.text[1:] for t in tokens(text) if t.kind == "var"]
    except QueryError as e:
        raise UsageError(f"query {name!r}: {e}") from e
    params: dict[str, Parameter] = {}
    for variable in variables:
        if not variable.startswith("_") or any(p.variable == variable for p in params.values()):
            continue
        underscores = "__" if variable.startswith("__") else "_"
        pname, kind = split_type(name, variable[len(underscores) :])
        if pname in params:
            raise UsageError(
                f"query {name!r}: parameter {pname!r} is written two ways "
                f"(?{params[pname].variable} and ?{variable})"
            )
        if pname in RESERVED:
            raise UsageError(
                f"query {name!r}: a parameter cannot be called {pname!r}, which the API and "
                f"grlc use for {'paging' if pname in ('limit', 'offset', 'page') else 'itself'}"
            )
        params[pname] = Parameter(
            pname,
            variable,
            kind,
            required=underscores == "_",
            default=defaults.get(pname),
        )
    tags = decorators.get("tags") or []
    pagination = decorators.get("pagination")
    if pagination is not None and (not isinstance(pagination, int) or pagination < 1):
        raise UsageError(f"query {name!r}: '#+ pagination:' must be a whole number of rows")
    return SavedQuery(
        name=name,
        text=text,
        summary=str(decorators.get("summary", "") or "").strip(),
        description=str(decorators.get("description", "") or "").strip(),
        tags=tuple(str(t) for t in (tags if isinstance(tags, list) else [tags])),
        parameters=tuple(params.values()),
        decorators=decorators,
        pagination=pagination,
    )


def _defaults(query: str, raw: object) -> dict[str, str]:
    """grlc writes defaults as a list of one-key mappings; a plain mapping is accepted too."""
    items = raw if isinstance(raw, list) else [raw] if raw else []
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise UsageError(f"query {query!r}: '#+ defaults:' items must be 'name: value'")
        for k, v in item.items():
            out[str(k)] = str(v).lower() if isinstance(v, bool) else str(v)
    return out


# ----------------------------------------------------------------- the text that is run


@lru_cache(maxsize=256)
def _prepared(text: str, bound: frozenset[str], page: Page) -> tuple[str, frozenset[str]]:
    projected, added = project_parameters(text, bound)
    return (projected if page.whole else paged(projected, page.limit, page.offset)), added


# ----------------------------------------------------------------------------- registry


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped in ``claimgraph.queries``, by name (file stem), sorted.

    >>> "cq01-prisoner-exchange" in saved_queries()
    True
    """
    folder = files("claimgraph.queries")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_saved_query(name, entry.read_text("utf-8"))
    return out


def get_query(name_or_path: str) -> SavedQuery:
    """A saved query by name, or a ``.rq`` file by path.

    >>> get_query("cq13-sides").summary
    'CQ13: Which actors are affiliated with which side?'
    """
    registry = saved_queries()
    if name_or_path in registry:
        return registry[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        return parse_saved_query(path.stem, path.read_text("utf-8"))
    raise NotFound(
        f"no saved query or .rq file {name_or_path!r}; list them with `claimgraph query --list`"
    )
