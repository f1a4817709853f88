"""grlc 1.3.11 serves the packaged ``queries/`` folder unchanged, against a live ``claimgraph
serve``: every saved query, without its parameters and with them, returns the rows
``claimgraph query`` returns; grlc reads every header, parameter, default and page size.

grlc writes each value into the query text in place of the parameter's variable (its way,
not ours: claimgraph binds values as RDF terms), so these tests are the proof that the files
follow the convention of docs/queries.md: no parameter projected or grouped by, every
parameter optional with its default in the query, no LIMIT/OFFSET of their own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from test_queries import compares_articles

from claimgraph.cli import main
from claimgraph.queries import saved_queries
from claimgraph.rdf import expand

if TYPE_CHECKING:
    from fixtures_grlc import Grlc

pytest_plugins = ["fixtures_server", "fixtures_grlc"]

SAMPLES: dict[str, str] = {
    "actor": "cgi:turkey",
    "claim": "cgi:claim-talks-ended",
    "event": "cgi:trilateral-meeting",
    "first": "cgi:putin",
    "second": "cgi:zelensky",
    "kind": "cg:Proposal",
    "topic": "cgi:topic-state-of-talks",
    "reporter": "cgi:reuters",
    "speaker": "cgi:putin",
    "side": "cgi:russia",
    "within": "cgi:istanbul-talks",
    "minSources": "1",
    "word": "ended",
    "includeRetracted": "true",
    "includeProposed": "true",
    "includeAffiliated": "true",
    "missingOnly": "true",
    "property": "cg:duration",
    "article": "cgi:article-istanbul-2022",
}
"""A value for every parameter of the shipped queries, other than its default where it has
one (a test below checks that every parameter has a sample; the seed holds one article, so
``article`` names one it does not hold)."""

EXTRA: dict[str, list[dict[str, str]]] = {
    "claims-by-actor": [{"actor": "cgi:ukraine"}],
    "cq05-unrealistic-demands": [{"word": "threats"}],
    "cq14-kyiv-priorities": [{"word": "exchange"}, {"side": "cgi:ukraine", "word": "meeting"}],
    "participants": [{"event": "cgi:zelensky-putin-meeting", "includeProposed": "true"}],
    "cq10-reporting-chain": [{"claim": "cgi:claim-delegations-paused"}],
    "cq12-corroborated-claims": [{"minSources": "3"}],
}


def _cases() -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    for name, q in saved_queries().items():
        names = [p.name for p in q.parameters]
        out.append((name, {}))
        if names:
            out.append((name, {n: SAMPLES[n] for n in names}))
        if len(names) > 1:
            out += [(name, {n: SAMPLES[n]}) for n in names]
        out += [(name, values) for values in EXTRA.get(name, [])]
    return out


CASES = _cases()


def _normalised(bindings: list[dict[str, Any]]) -> list[str]:
    """Rows as comparable text, in a fixed order (blank node labels are per response)."""
    rows = []
    for row in bindings:
        terms = {
            var: {**term, "value": "_"} if term.get("type") == "bnode" else term
            for var, term in row.items()
        }
        rows.append(json.dumps(terms, sort_keys=True))
    return sorted(rows)


def _claimgraph(store: Path, name: str, values: dict[str, str], *extra: str) -> dict[str, Any]:
    """What ``claimgraph query NAME --include all --param ... --format json`` prints: every
    statement graph, as the endpoint grlc calls reads them."""
    args = ["--store", str(store), "query", name, "--include", "all", "--format", "json", *extra]
    for key, value in values.items():
        args += ["--param", f"{key}={value}"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _grlc(grlc: Grlc, name: str, values: dict[str, str]) -> dict[str, Any]:
    """grlc's answer: full IRIs (grlc writes ``<value>``, it knows no prefixes)."""
    params = {k: expand(v) if v.startswith(("cgi:", "cg:")) else v for k, v in values.items()}
    reply = grlc.call(name, params)
    # grlc answers 200 whatever the endpoint said: the body must be SPARQL results
    assert reply.status == 200, reply.text
    try:
        data: dict[str, Any] = json.loads(reply.body)
    except ValueError:
        pytest.fail(f"grlc passed on no SPARQL results for {name} {values}: {reply.text[:600]}")
    return data


def test_every_parameter_has_a_sample_value() -> None:
    used = {p.name for q in saved_queries().values() for p in q.parameters}
    assert used <= set(SAMPLES)


@pytest.mark.parametrize(
    "name, values",
    CASES,
    ids=[f"{n}-{'&'.join(f'{k}={v}' for k, v in vs.items()) or 'defaults'}" for n, vs in CASES],
)
def test_grlc_returns_the_rows_claimgraph_query_returns(
    grlc: Grlc, seed_store_dir: Path, name: str, values: dict[str, str]
) -> None:
    ours = _claimgraph(seed_store_dir, name, values)
    theirs = _grlc(grlc, name, values)
    assert theirs["head"]["vars"] == ours["head"]["vars"]
    assert _normalised(theirs["results"]["bindings"]) == _normalised(ours["results"]["bindings"])
    if not values and not compares_articles(name):
        assert ours["results"]["bindings"], "every saved query answers on the seed"


def test_grlc_pages_as_claimgraph_does(grlc: Grlc, seed_store_dir: Path) -> None:
    """grlc's ``page`` and claimgraph's ``--page`` are the same window of the same size
    (``#+ pagination: 100``); page 2 of the seed's claims is empty in both."""
    for page in ("1", "2"):
        theirs = _grlc(grlc, "claims", {"page": page})
        ours = _claimgraph(seed_store_dir, "claims", {}, "--page", page)
        assert theirs["results"]["bindings"] == ours["results"]["bindings"]
    assert not ours["results"]["bindings"]
    reply = grlc.call("claims", {"page": "1"})
    assert "rel=next" in (reply.header("link") or "")


def test_grlc_reads_every_header(grlc: Grlc) -> None:
    """grlc's generated API (its swagger spec) has every saved query, with its summary,
    its parameters - all optional, each with its default - and the page parameter."""
    from fixtures_server import http

    spec = json.loads(http("GET", grlc.url + "/api-local/swagger").body)
    paths = {path.strip("/"): item["get"] for path, item in spec["paths"].items()}
    for name, q in saved_queries().items():
        operation = paths[name]
        assert operation["summary"] == q.summary
        params = {p["name"]: p for p in operation["parameters"]}
        assert "page" in params
        for p in q.parameters:
            assert params[p.name]["required"] is False, (name, p.name)
            if p.default is not None:
                assert str(params[p.name]["default"]).lower() == p.default.lower()


def test_grlc_passes_csv_on(grlc: Grlc, seed_store_dir: Path) -> None:
    """grlc asks the endpoint for CSV for a call name ending in .csv (or Accept: text/csv)."""
    args = ["--store", str(seed_store_dir), "query", "cq13-sides", "--include", "all"]
    args += ["--format", "csv"]
    ours = CliRunner().invoke(main, args, catch_exceptions=False).stdout
    for reply in (grlc.call("cq13-sides.csv"), grlc.call("cq13-sides", Accept="text/csv")):
        assert reply.status == 200
        assert (reply.header("content-type") or "").startswith("text/csv")
        assert sorted(reply.text.splitlines()) == sorted(ours.splitlines())
        assert len(reply.text.splitlines()) > 5
