"""Shared fixtures: stores built through the same factories the product uses."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import backends
import hypothesis
import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from claimgraph.ingest import ingest_seed
from claimgraph.store import Store, open_store

# property-based tests (tests/test_fuzz.py): few examples in CI, many on demand
for _profile, _examples in (("ci", 40), ("long", 5000)):
    hypothesis.settings.register_profile(
        _profile,
        max_examples=_examples,
        deadline=None,
        database=None,
        suppress_health_check=[hypothesis.HealthCheck.too_slow],
    )
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
"""The read-only material beside the repository (W3C manifests, vocabularies, data)."""


# ---------------------------------------------------------------------- stores, on every backend


_BACKEND_FIXTURES = ("backend", "live_server", "conformance_server")
"""The fixtures parametrised over the backends."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the remote runs that :data:`backends.REMOTE_SUBSET` leaves out."""
    if os.environ.get("CLAIMGRAPH_TEST_ALL_BACKENDS"):
        return
    keep, drop = [], []
    for item in items:
        spec = getattr(item, "callspec", None)
        params = spec.params if spec is not None else {}
        name = next((params[f] for f in _BACKEND_FIXTURES if f in params), None)
        kept = backends.REMOTE_SUBSET.get(item.path.name)
        if name in (None, "embedded") or kept is None or name in kept:
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def embedded_seed() -> Store:
    """The seed dataset in an in-memory store, ingested once per session."""
    s = open_store(":memory:")
    ingest_seed(s)
    return s


@pytest.fixture(scope="session")
def seed_snapshot(embedded_seed: Store) -> list[tuple[str, list[ox.Triple]]]:
    """The seed's graphs and their triples, to copy onto a server."""
    return [(g, list(embedded_seed.triples(g))) for g in embedded_seed.graphs()]


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, backends.Server]]:
    """The SPARQL servers of the session, each started when a test first needs it."""
    started: dict[str, backends.Server] = {}
    yield started
    for server in started.values():
        server.stop()


_failed_to_start: dict[str, str] = {}


@pytest.fixture(params=backends.BACKENDS)
def backend(
    request: pytest.FixtureRequest,
    servers: dict[str, backends.Server],
    tmp_path_factory: pytest.TempPathFactory,
    seed_snapshot: list[tuple[str, list[ox.Triple]]],
    embedded_seed: Store,
) -> backends.Backend:
    """The backend a store-dependent test runs on: ``embedded``, ``oxigraph`` (``oxigraph
    serve``) or ``virtuoso`` (Virtuoso Open Source 7)."""
    name: str = request.param
    server = None
    if name != "embedded":
        server = servers.get(name)
        if server is None:
            if name in _failed_to_start:
                pytest.fail(f"the {name} server did not start: {_failed_to_start[name]}")
            start = backends.start_oxigraph if name == "oxigraph" else backends.start_virtuoso
            try:
                server = servers[name] = start(tmp_path_factory.mktemp(name))
            except RuntimeError as e:
                _failed_to_start[name] = str(e)
                raise
    return backends.Backend(name, server, lambda: seed_snapshot, lambda: embedded_seed)


@pytest.fixture
def store(backend: backends.Backend, tmp_path: Path) -> Iterator[Store]:
    """An empty store (in memory, on the embedded backend)."""
    s = backend.empty(tmp_path)
    yield s
    s.close()


@pytest.fixture
def seed_store(backend: backends.Backend) -> Store:
    """The seed dataset, ingested once per session (on a server: copied back in when something
    else was there). Read-only by convention: tests that write use ``fresh_seed_store``."""
    return backend.seed_store()


@pytest.fixture
def fresh_seed_store(backend: backends.Backend, tmp_path: Path) -> Iterator[Store]:
    """The seed dataset in a store of this test's own (on disk, on the embedded backend)."""
    s = backend.fresh_seed(tmp_path)
    yield s
    s.close()


@pytest.fixture
def store_args(backend: backends.Backend, tmp_path: Path) -> list[str]:
    """The global options of ``claimgraph`` naming an empty store of this test's own."""
    return backend.spec(tmp_path)


@pytest.fixture
def open_test_store(store_args: list[str]) -> Callable[[], Store]:
    """Open the store ``store_args`` names, as the command line does."""

    def open_it() -> Store:
        spec = store_args[1]
        auth = store_args[3] if len(store_args) > 3 else None
        return open_store(spec, auth=auth)

    return open_it


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A path for an on-disk store that does not exist yet."""
    return tmp_path / "store"


@pytest.fixture
def cli(store_args: list[str]) -> Callable[..., Result]:
    """Run ``claimgraph --store <the test's store> ARGS...`` in-process; returns click's
    Result."""
    from claimgraph.cli import main

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, [*store_args, *args], input=input, catch_exceptions=False)

    return run


TOKEN = "test-token-4f1c9a"
"""The write token of the apps and servers the tests build."""


def _app_settings(backend: backends.Backend) -> dict[str, object]:
    """The settings that put an app on ``backend``'s store (in memory, embedded)."""
    if backend.server is None:
        return {"store": ":memory:"}
    return {"store": backend.server.url, "store_auth": backend.server.auth}


@pytest.fixture
def make_app(backend: backends.Backend) -> Iterator[Callable[..., Flask]]:
    """Build apps with ``create_app`` on an empty store of the backend (in memory, embedded):
    ``make_app(seed=True, **settings)``; each is closed after the test."""
    from claimgraph.server import create_app

    apps: list[Flask] = []

    def make(*, seed: bool = False, **settings: object) -> Flask:
        if backend.server is not None:
            if seed:
                backend.server.hold_seed(backend.seed())
            else:
                backend.server.clear()
            backend.server.state = "dirty"
        app = create_app({**_app_settings(backend), "token": TOKEN, **settings})
        if seed and backend.server is None:
            ingest_seed(app.extensions["claimgraph"].inline_store)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["claimgraph"].close()


def app_store(app: Flask) -> Store:
    """The store an app built by ``make_app`` or ``client`` works on: its in-memory store,
    or the backend's server (a store of the test's own to read it with)."""
    engine = app.extensions["claimgraph"]
    if engine.inline_store is not None:
        return engine.inline_store  # type: ignore[no-any-return]
    assert engine.remote is not None
    return engine.remote.open()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def _seed_apps() -> Iterator[dict[str, Flask]]:
    apps: dict[str, Flask] = {}
    yield apps
    for app in apps.values():
        app.extensions["claimgraph"].close()


@pytest.fixture
def client(backend: backends.Backend, _seed_apps: dict[str, Flask]) -> FlaskClient:
    """A test client of an app serving the seed dataset (write token: ``TOKEN``), built once
    per session and backend.  Read-only by convention: tests that write build their own with
    ``make_app``."""
    from claimgraph.server import create_app

    app = _seed_apps.get(backend.name)
    if app is None:
        app = _seed_apps[backend.name] = create_app({**_app_settings(backend), "token": TOKEN})
        if backend.server is None:
            ingest_seed(app.extensions["claimgraph"].inline_store)
    if backend.server is not None:
        backend.server.hold_seed(backend.seed())
    return app.test_client()
