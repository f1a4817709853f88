"""Shared fixtures: stores built through the same factories the product uses."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import hypothesis
import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from claimgraph.ingest import ingest_seed
from claimgraph.store import OxigraphStore, Store, open_store

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


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty in-memory store."""
    s = open_store(":memory:")
    yield s
    s.close()


@pytest.fixture(scope="session")
def seed_store() -> Store:
    """The seed dataset, ingested once per session. Read-only by convention: tests that
    write use ``fresh_seed_store``."""
    s = open_store(":memory:")
    ingest_seed(s)
    return s


@pytest.fixture
def fresh_seed_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    """The seed dataset in an on-disk store of this test's own."""
    s = OxigraphStore(tmp_path / "store")
    ingest_seed(s)
    yield s
    s.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A path for an on-disk store that does not exist yet."""
    return tmp_path / "store"


@pytest.fixture
def cli(store_path: Path) -> Callable[..., Result]:
    """Run ``claimgraph --store <store_path> ARGS...`` in-process; returns click's Result."""
    from claimgraph.cli import main

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            main, ["--store", str(store_path), *args], input=input, catch_exceptions=False
        )

    return run


TOKEN = "test-token-4f1c9a"
"""The write token of the apps and servers the tests build."""


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """Build apps with ``create_app`` on in-memory stores: ``make_app(seed=True,
    **settings)``; each is closed after the test."""
    from claimgraph.server import create_app

    apps: list[Flask] = []

    def make(*, seed: bool = False, **settings: object) -> Flask:
        app = create_app({"store": ":memory:", "token": TOKEN, **settings})
        if seed:
            ingest_seed(app.extensions["claimgraph"].inline_store)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["claimgraph"].close()


@pytest.fixture(scope="session")
def client() -> Iterator[FlaskClient]:
    """A test client of an app serving the seed dataset (write token: ``TOKEN``), built once
    per session.  Read-only by convention: tests that write build their own with
    ``make_app``."""
    from claimgraph.server import create_app

    app = create_app({"store": ":memory:", "token": TOKEN})
    ingest_seed(app.extensions["claimgraph"].inline_store)
    yield app.test_client()
    app.extensions["claimgraph"].close()
