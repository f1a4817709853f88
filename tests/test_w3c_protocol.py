"""W3C conformance: the SPARQL 1.1 Protocol tests (34) and the Graph Store Protocol tests
(direct and indirect identification) replayed against a live ``claimgraph serve``.

The W3C test data does not follow the claimgraph shapes, so this server runs with
``--unvalidated-writes`` (plain SPARQL 1.1 graph-store semantics, no shapes, no batches, the
store's own default graph) — a mode for conformance runs only; the shape-validated write
path is tested in ``test_server_live.py``.  Everything else (tokens, safety checks, the time
limit) is as in production.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import backends
import pytest
from fixtures_server import LiveServer, start_server, stop_server

sys.path.insert(0, str(Path(__file__).parent / "w3c"))
import runner  # noqa: E402

if not runner.PROTOCOL.exists():  # pragma: no cover - CI has ../shared beside the clone
    message = f"W3C manifests not found at {runner.SHARED}"
    if os.environ.get("CI"):
        raise RuntimeError(message + " (CI runs with ../shared beside the clone)")
    pytest.skip(message, allow_module_level=True)

PROTOCOL_CASES = runner.load_cases(runner.PROTOCOL)
GSP_CASES = [c for m in runner.GRAPH_STORE for c in runner.load_cases(m)]


@pytest.fixture(scope="module", params=backends.BACKENDS)
def conformance_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """``claimgraph serve`` on an empty store of each backend: a directory, or a SPARQL
    server of its own started for this module (the conformance tests empty it at will)."""
    tmp = tmp_path_factory.mktemp("w3c")
    remote: backends.Server | None = None
    store: Path | list[str] = tmp / "store"
    if request.param == "oxigraph":
        remote = backends.start_oxigraph(tmp_path_factory.mktemp("w3c-oxigraph"))
    elif request.param == "virtuoso":
        remote = backends.start_virtuoso(tmp_path_factory.mktemp("w3c-virtuoso"))
    if remote is not None:
        store = remote.cli_options
    server = start_server(
        store,
        tmp,
        "--unvalidated-writes",
        "--timeout",
        "10",
        "--workers",
        "1",
        "--query-workers",
        "2",
    )
    yield server
    stop_server(server.process)
    if remote is not None:
        remote.stop()


def test_the_manifests_hold_what_the_issue_says() -> None:
    assert len(PROTOCOL_CASES) == 34
    assert all(c.kind == "ProtocolTest" for c in PROTOCOL_CASES)
    assert len(GSP_CASES) >= 13


@pytest.mark.parametrize("case", PROTOCOL_CASES, ids=lambda c: c.id)
def test_protocol(conformance_server: LiveServer, case: runner.Case) -> None:
    outcome = runner.run_case(conformance_server.url, case, conformance_server.auth)
    assert outcome.passed, outcome.detail


@pytest.mark.parametrize("case", GSP_CASES, ids=lambda c: c.id)
def test_graph_store_protocol(conformance_server: LiveServer, case: runner.Case) -> None:
    outcome = runner.run_case(conformance_server.url, case, conformance_server.auth)
    assert outcome.passed, outcome.detail
