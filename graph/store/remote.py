"""The remote backend: a SPARQL 1.1 server, over the Query and Update protocols (and the Graph
Store protocol, to read whole graphs, where the server has it).

``open_store("http://127.0.0.1:7878/query")`` gives a :class:`RemoteStore`; the update and
Graph Store endpoints are found from the query endpoint for the servers claimgraph knows
(:mod:`claimgraph.store.servers`), or given (``update_url``, ``gsp_url``).

**Every request is checked as on the embedded store**, on the canonical text
(:mod:`claimgraph.sparql`): no ``SERVICE``, ``LOAD`` or ``FROM`` of a graph the store does not
hold — with a remote server it is the server that would fetch, so this matters more — and
nothing but standard SPARQL 1.1: the text must parse with pyoxigraph's parser, and IRIs a
server would run as its own functions (Virtuoso's ``bif:``, ``sql:``) are refused.  The text
sent is that canonical text, with the server's pragmas and claimgraph's prefixes in front and
the changes :mod:`claimgraph.store.rewrite` lists.

**Writes** are SPARQL updates claimgraph writes itself from typed terms: a batch is one
request (``INSERT DATA`` for its graph and its metadata together), so on a server that applies
a request all or nothing (Oxigraph server: measured, a failing second operation undoes the
first) a batch lands whole or not at all.  Virtuoso applies the operations of a request one
by one; there a batch is one operation when it fits (4,000 subjects; a crash during it
loses it whole, see ``docs/scale-out.md``), its metadata always last, and a failed write is
removed again.

**Answers** are read whole and checked before they are used: a cut, partial or cancelled
answer is a :class:`~claimgraph.errors.StoreError` (:mod:`claimgraph.store.client`,
:mod:`claimgraph.store.answers`, which also gives them the embedded store's shape).  Sessions
cost nothing: each request is isolated on the server.

>>> store = RemoteStore("http://user:secret@127.0.0.1:9/sparql")
>>> store
RemoteStore('http://127.0.0.1:9/sparql')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import IO
from urllib.parse import urlencode, urljoin

import httpx
import pyoxigraph as ox

from ..batches import forget_batch_update, metadata_removal_update, statement_graphs_of
from ..errors import QueryError, StoreError, UsageError
from ..rdf import META_GRAPH, PREFIXES
from ..sparql import checked_query, checked_update, refuse_engine_extensions, refuse_remote
from ..sparql.text import is_absolute_iri
from . import reshape, rewrite
from .answers import (
    RESULT_FORMATS,
    boolean,
    construct,
    graph_store_quads,
    parse_update,
    parsed_form,
    solutions_of,
    triples_of,
)
from .client import Client, Credentials, split_credentials
from .interface import GraphName, Store, Term
from .result_kinds import QueryResult
from .servers import EMPTY_GRAPH, GENERIC, OXIGRAPH, UNBOUND, VIRTUOSO, Server, recognise
from .terms import GENID, Codec, decoded_triples, insert_operations, triples_result

DEFAULT_TIMEOUT = 60.0
"""Seconds a request to the server may take in all, unless told otherwise."""

SERVER_SHARE = 0.75
"""The share of the time limit a server that takes one per query is given (Virtuoso), so
that its answer to a query it stopped arrives before the client stops waiting."""


def is_remote(spec: str) -> bool:
    """Whether a store spec names a SPARQL server.

    >>> is_remote("https://example.org/sparql"), is_remote("./store")
    (True, False)
    """
    return spec.startswith(("http://", "https://"))


class RemoteStore(Store):
    """A store on a SPARQL 1.1 server (see the module doc).

    ``url`` is the query endpoint (credentials in it are taken out and used);
    ``update_url`` and ``gsp_url`` default to the server's own; ``timeout`` bounds each
    request in all (``write_timeout`` each write, if longer); ``mounts`` route origins
    through other httpx transports.
    """

    capabilities = frozenset({"remote", "dump"})

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        write_timeout: float | None = None,
        mounts: Mapping[str, httpx.BaseTransport] | None = None,
        server: Server | None = None,
    ) -> None:
        for name, value in (("--store", url), ("--update-url", update_url), ("--gsp-url", gsp_url)):
            if value is not None and not is_remote(value):
                raise UsageError(f"{name} must be an http:// or https:// URL, not {value!r}")
        for limit in (timeout, write_timeout or timeout):
            if not 0 < limit <= 24 * 3600:
                raise UsageError("the store's time limit must be between 0 and 86400 seconds")
        self.url, in_url = split_credentials(url)
        self._update_url = split_credentials(update_url)[0] if update_url else None
        self._gsp_url = split_credentials(gsp_url)[0] if gsp_url else None
        self.timeout = timeout
        self.write_timeout = max(timeout, write_timeout or timeout)
        urls = [self.url, self._update_url or "", self._gsp_url or ""]
        self.client = Client(
            timeout=timeout,
            credentials=credentials or in_url,
            mounts=mounts,
            tls=any(u.startswith("https:") for u in urls),
        )
        self._server = server
        self._codec = Codec(server.stand_in_datatypes) if server else None

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # ------------------------------------------------------------------ the server

    @property
    def server(self) -> Server:
        """The kind of server, recognised from its first answer."""
        if self._server is None:
            reply = self.client.request(
                "GET",
                self.url,
                what="probe sent before the request to recognise the server (ASK {})",
                params={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
                retry=True,
            )
            self._server = recognise(reply.headers.get("Server", ""))
            self._codec = Codec(self._server.stand_in_datatypes)
        return self._server

    @property
    def codec(self) -> Codec:
        """How terms are written to this server and read back."""
        if self._codec is None:
            _ = self.server
        assert self._codec is not None
        return self._codec

    @property
    def update_url(self) -> str:
        """Where updates go: as given, else the server's own update endpoint."""
        if self._update_url is not None:
            return self._update_url
        if self.server is OXIGRAPH and self.url.rstrip("/").endswith("/query"):
            return self.url.rstrip("/")[: -len("query")] + "update"
        return self.url

    @property
    def gsp_url(self) -> str | None:
        """The Graph Store endpoint: as given, else the server's own, if claimgraph knows
        it."""
        if self._gsp_url is not None:
            return self._gsp_url
        if self.server is OXIGRAPH and self.url.rstrip("/").endswith("/query"):
            return self.url.rstrip("/")[: -len("query")] + "store"
        if self.server is VIRTUOSO:
            for end in ("/sparql-auth", "/sparql"):
                if self.url.rstrip("/").endswith(end):
                    return self.url.rstrip("/")[: -len(end)] + end.replace(
                        "sparql", "sparql-graph-crud"
                    )
        return None

    # ------------------------------------------------------------------ queries

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        base_iri: str | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        union: bool = True,
    ) -> QueryResult:
        # what reaches a server is always checked, claimgraph's own text too (the check is
        # also what makes the text standard SPARQL for it): no ``_own_construct`` here
        text, found = checked_query(sparql, base=base_iri)
        refuse_remote(found, self.has_graph)
        refuse_engine_extensions(found)
        form = parsed_form(text, sparql, base_iri)
        server, codec = self.server, self.codec
        if bindings:
            values = {}
            for name, term in bindings.items():
                if isinstance(term, ox.Triple):
                    raise QueryError(f"?{name}: a triple term cannot be bound on a remote store")
                values[name] = str(codec.encode(term))
            text = rewrite.with_values(text, values)
        concatenated = reshape.group_concat_variables(text)
        text = self._adapted(text, "query", base_iri)
        languages: dict[str, tuple[str, str]] = {}
        if server.group_concat_drops_language:
            text, languages = reshape.with_group_concat_languages(text)
        renamed: dict[str, str] = {}
        if server.distinct_keeps_unbound_copies and form == "SELECT":
            text, renamed = reshape.with_bound_distinct(text, UNBOUND)
        reads_default = rewrite.uses_default_graph(text, "query")
        params: list[tuple[str, str]] = []
        named: list[str] | None = None if named_graphs is None else list(named_graphs)
        if default_graphs is not None or named is not None:
            if default_graphs is None:
                raise StoreError(
                    "a remote store takes named_graphs only with default_graphs (the protocol's "
                    "default-graph-uri and named-graph-uri go together)"
                )
            defaults = list(default_graphs)
            if not server.dataset_overrides_from:
                text = rewrite.without_from(text)
            if not defaults and named is None and not reads_default:
                mode = "plain"  # only GRAPH patterns: every named graph, nothing else
            else:
                params += [("default-graph-uri", g) for g in defaults or [EMPTY_GRAPH]]
                mode = "given"
        elif union:
            if server.union != "parameter" and found.from_graphs:
                text = rewrite.without_from(text)  # the union, not FROM, as on the embedded store
            mode = "union"
        elif found.from_graphs:
            mode = "given"
        else:
            mode = "own" if reads_default else "plain"
        params = [*server.dataset(mode), *params]
        if named is not None:
            params += [("named-graph-uri", g) for g in named or [EMPTY_GRAPH]]
        elif server.needs_named_graphs(params):
            params += [("named-graph-uri", g) for g in self.graphs() or [EMPTY_GRAPH]]
        return self._run_query(
            text,
            form,
            params=params,
            base_iri=base_iri,
            concatenated=concatenated,
            languages=languages,
            renamed=renamed,
        )

    def _adapted(self, text: str, kind: str, base_iri: str | None) -> str:
        """``text`` changed as this server needs (see :mod:`claimgraph.store.rewrite`)."""
        server = self.server
        if kind == "update":
            text = rewrite.with_data_bnodes(text, GENID)
        text = rewrite.with_term_tests(text, kind, GENID)
        text = rewrite.with_stand_in_datatypes(text, kind, server.stand_in_datatypes, base_iri)
        if not server.empty_graphs:
            text = rewrite.without_empty_graph_patterns(text, kind)
        if server.booleans_as_integers:
            text = reshape.with_boolean_casts(text, kind)
        return text

    def _run_query(
        self,
        text: str,
        form: str,
        *,
        params: list[tuple[str, str]] | None = None,
        base_iri: str | None = None,
        concatenated: set[str] | None = None,
        languages: dict[str, tuple[str, str]] | None = None,
        renamed: dict[str, str] | None = None,
    ) -> QueryResult:
        """Send a query (already checked and adapted) and read its answer whole;
        ``concatenated`` names the variables bound to a ``GROUP_CONCAT``, ``languages`` the
        columns that give their language (:func:`reshape.with_group_concat_languages`),
        ``renamed`` the columns :func:`reshape.with_bound_distinct` renamed."""
        server = self.server
        template: str | None = None
        if form == "CONSTRUCT" and server.construct_by_select:
            text, template = reshape.construct_as_select(text)
            form = "SELECT"
        asked = form == "ASK" and server.ask_by_select
        if asked:
            text, form = reshape.ask_as_select(text), "SELECT"
        head = rewrite.prologue(base=base_iri, prefixes=PREFIXES)
        data = [("query", head + text), *(params or [])]
        if server.timeout_parameter is not None:
            # three quarters of the time: the server's own answer (cut, or an error) must
            # arrive before the client gives up, to say what happened
            name, unit = server.timeout_parameter
            data.append((name, str(int(self.timeout * SERVER_SHARE * unit))))
        if form in ("SELECT", "ASK"):
            results, accept = RESULT_FORMATS[server.results]
        else:
            accept = "application/n-triples, text/turtle;q=0.5"
        unbound_if_empty = (concatenated or set()) if server.empty_group_concat else set()
        reply = self.client.request(
            "POST",
            self.url,
            what="query",
            content=urlencode(data).encode("ascii"),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            retry=True,
        )
        if form in ("SELECT", "ASK"):
            result = solutions_of(
                reply,
                results,
                form,
                server=server,
                codec=self.codec,
                url=self.url,
                unbound_if_empty=unbound_if_empty,
                languages=languages,
                renamed=renamed,
            )
            if asked:
                assert isinstance(result, ox.QuerySolutions)
                return boolean(any(True for _ in result))
            if template is None:
                return result
            assert isinstance(result, ox.QuerySolutions)
            return construct(template, result, self.codec, base_iri)
        return triples_result(decoded_triples(self.codec, triples_of(reply, self.url, "query")))

    def _select(self, text: str, *, mode: str = "plain") -> list[list[Term | None]]:
        """Rows of a SELECT claimgraph wrote itself (no checks, no rewriting): ``mode`` says
        which default graph it reads (see :meth:`Server.dataset`)."""
        params = self.server.dataset(mode)
        if self.server.needs_named_graphs(params):
            params += [("named-graph-uri", g) for g in self.graphs() or [EMPTY_GRAPH]]
        result = self._run_query(text, "SELECT", params=params)
        assert isinstance(result, ox.QuerySolutions)
        variables = result.variables
        return [[row[v] for v in variables] for row in result]

    def _ask(self, text: str) -> bool:
        """A boolean claimgraph asks itself, of named graphs only."""
        return bool(self._run_query(text, "ASK"))

    # ------------------------------------------------------------------ writes

    def update(
        self, sparql: str, *, base_iri: str | None = None, absent_graphs: Collection[str] = ()
    ) -> None:
        text, found = checked_update(sparql, base=base_iri)
        allowed = {_resolved(g, base_iri) for g in absent_graphs}
        refuse_remote(found, lambda g: g in allowed or self.has_graph(g))
        refuse_engine_extensions(found)
        parse_update(text, sparql, base_iri)
        text = self._adapted(text, "update", base_iri)
        if self.server.system_graphs:
            text = rewrite.with_graphs_listed(text, self.graphs() if found.graphs is None else [])
        if self.server.drops_created_graphs_only:
            text = rewrite.with_silent_drops(text, self.has_graph)
        default = rewrite.uses_default_graph(text, "update")
        self._send_update(
            text, what="update", base_iri=base_iri, names=found.graphs, default=default
        )

    def _send_update(
        self,
        text: str,
        *,
        what: str,
        default: bool,
        base_iri: str | None = None,
        names: set[str] | None = None,
    ) -> None:
        """Send an update; one that reads or writes the ``default`` graph gets the server's
        dataset for it (with ``names``, the IRIs it names, among its named graphs)."""
        head = rewrite.prologue(base=base_iri, prefixes=PREFIXES)
        params = self.server.dataset("own") if default else []
        if self.server.needs_named_graphs(params):
            graphs = set(self.graphs()) | (names or set())
            params += [("named-graph-uri", g) for g in sorted(graphs) or [EMPTY_GRAPH]]
        form = [("update", head + text), *params]
        self.client.request(
            "POST",
            self.update_url,
            what=what,
            timeout=self.write_timeout,
            content=urlencode(form).encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def _write(
        self,
        operations: list[str],
        *,
        what: str,
        undo: str | None = None,
        default: bool = False,
    ) -> None:
        """Send operations claimgraph wrote itself as one request (``default``: some write the
        default graph).  On a server that does not apply a request all or nothing, ``undo``
        is sent if it fails."""
        if not operations:
            return
        try:
            self._send_update(" ;\n".join(operations), what=what, default=default)
        except (StoreError, QueryError) as e:
            if self.server.transactional:
                raise StoreError(
                    f"{what} failed: {e}. A server that applies a request whole "
                    "has written nothing of it (unless it answered too late, "
                    "after the time limit: check with `claimgraph batches`)"
                ) from e
            if undo is None:
                raise StoreError(
                    f"{what} failed part way: {e}. {self.server.name} applies the operations "
                    "of a request one by one; run the same command again to finish it"
                ) from e
            try:
                self._send_update(undo, what=f"undoing the failed {what}", default=False)
            except (StoreError, QueryError) as again:
                raise StoreError(
                    f"{what} failed: {e}; and removing what had been written failed too "
                    f"({again}): retract it with `claimgraph retract`"
                ) from e
            raise StoreError(f"{what} failed: {e}; what had been written was removed") from e

    def _inserts(self, graphs: Mapping[str | None, Iterable[ox.Triple]]) -> list[str]:
        return insert_operations(graphs, self.codec, statements=self.server.statements_per_insert)

    def add_batch(
        self,
        graph: str,
        triples: Iterable[ox.Triple],
        metadata: Iterable[ox.Triple],
        *,
        graphs: Mapping[str, Iterable[ox.Triple]] | None = None,
    ) -> None:
        parts: dict[str | None, Iterable[ox.Triple]] = {graph: triples}
        for name, part in (graphs or {}).items():
            parts[name] = part
        parts[META_GRAPH] = metadata  # last: on Virtuoso, a batch without it is unfinished
        self._write(
            self._inserts(parts),
            what=f"writing batch {graph}",
            undo=forget_batch_update(graph, list(graphs or {})),
        )

    def rewrite_batch(
        self,
        graph: str,
        triples: Iterable[ox.Triple],
        metadata: Iterable[ox.Triple],
        *,
        replace: bool,
    ) -> None:
        removal = forget_batch_update(graph) if replace else metadata_removal_update(graph)
        self._write(
            [removal, *self._inserts({graph: list(triples), META_GRAPH: list(metadata)})],
            what=f"writing batch {graph}",
        )

    def drop_batch(self, graph: str) -> None:
        update = forget_batch_update(graph, statement_graphs_of(self, graph))
        self._write([update], what=f"removing batch {graph}")

    def write_graph(
        self, graph: str | None, triples: Iterable[ox.Triple], *, replace: bool
    ) -> None:
        if graph is None and self.server is GENERIC:
            raise StoreError(
                f"{self.url} is not a server whose own default graph claimgraph can tell from "
                "the union of its graphs; write to a named graph"
            )
        target = None if graph is None else ox.NamedNode(graph)
        ops = []
        if replace:
            ops.append("CLEAR SILENT DEFAULT" if target is None else f"DROP SILENT GRAPH {target}")
        inserts = self._inserts({graph: list(triples)})
        if inserts:
            ops += inserts
        elif target is not None and self.server.empty_graphs:
            ops.append(f"CREATE SILENT GRAPH {target}")
        self._write(ops, what=f"writing graph {graph or 'DEFAULT'}", default=graph is None)

    # ------------------------------------------------------------------ graphs

    def graphs(self) -> list[str]:
        if self.server.empty_graphs:
            text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
        else:
            # GROUP BY: Virtuoso takes a minute for DISTINCT ?g over 170,000 quads, 20 ms so
            text = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        rows = self._select(text)
        hidden = {*self.server.system_graphs, self.server.default_graph}
        return sorted(
            r[0].value for r in rows if isinstance(r[0], ox.NamedNode) and r[0].value not in hidden
        )

    def has_graph(self, graph: str) -> bool:
        g = ox.NamedNode(graph)
        if graph in self.server.system_graphs or graph == self.server.default_graph:
            return False
        if self.server.empty_graphs:
            return self._ask(f"ASK {{ GRAPH {g} {{ }} }}")
        return self._ask(f"ASK {{ GRAPH {g} {{ ?s ?p ?o }} }}")

    def quads(self, graph: GraphName = None) -> Iterator[ox.Quad]:
        if graph is None:
            yield from self._all_quads()
            return
        if isinstance(graph, ox.DefaultGraph):
            if self.server is GENERIC:
                return  # claimgraph writes only named graphs there
            name: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
            params = {"default": ""}
            stand_in = self.server.default_graph
        else:
            name = ox.NamedNode(graph)
            params = {"graph": graph}
            stand_in = graph
        if self.server.graph_store_reads and self.gsp_url is not None:
            yield from self._read_graph_store(params, name)
            return
        if stand_in is None:
            text, mode = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "own"
        else:
            text = f"SELECT ?s ?p ?o WHERE {{ GRAPH {ox.NamedNode(stand_in)} {{ ?s ?p ?o }} }}"
            mode = "plain"
        for s, p, o in self._select(text, mode=mode):
            assert isinstance(p, ox.NamedNode) and s is not None and o is not None
            assert not isinstance(s, ox.Literal)
            yield ox.Quad(s, p, o, name)

    def _all_quads(self) -> Iterator[ox.Quad]:
        if self.server.graph_store_reads and self.gsp_url is not None:
            yield from self._read_graph_store({}, None)
            return
        yield from self.quads(ox.DefaultGraph())
        for g in self.graphs():
            yield from self.quads(g)

    def _read_graph_store(
        self, params: dict[str, str], name: ox.NamedNode | ox.DefaultGraph | None
    ) -> Iterator[ox.Quad]:
        """A graph (``name``), or the whole dataset (None), streamed from the Graph Store."""
        assert self.gsp_url is not None
        accept = "application/n-quads" if name is None else "application/n-triples"
        stream = self.client.stream(
            "GET",
            self.gsp_url,
            what="read of the store" if name is None else f"read of graph {name}",
            params=params,
            headers={"Accept": accept},
            ok=frozenset({404}),
            retry=True,
        )
        yield from graph_store_quads(stream, self.gsp_url, name, self.codec)

    def __len__(self) -> int:
        if self.server is GENERIC:
            rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        elif self.server.default_graph is not None:  # the default graph is a named graph there
            hidden = ", ".join(str(ox.NamedNode(g)) for g in self.server.system_graphs)
            rows = self._select(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(?g NOT IN ({hidden})) }}"
            )
        else:
            text = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            rows = self._select(text, mode="own")
        n = rows[0][0] if rows and rows[0] else None
        return int(n.value) if isinstance(n, ox.Literal) else 0

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        if format.supports_datasets:
            ox.serialize(self.quads(), output, format)
        else:
            ox.serialize(self.triples(), output, format)

    def close(self) -> None:
        """Close the pooled connections (they reopen if the store is used again)."""
        self.client.close()


def _resolved(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and not is_absolute_iri(iri) else iri
