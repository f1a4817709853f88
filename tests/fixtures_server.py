"""Fixtures for the server tests: a real ``claimgraph serve`` (gunicorn) in a subprocess on a
free loopback port, and a tiny HTTP client.  Test modules import the
fixtures they use by name (``from fixtures_server import live_server, ...``)."""

from __future__ import annotations

import http.client as httpclient
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import backends
import pyoxigraph as ox
import pytest
from conftest import TOKEN

from claimgraph.ingest import ingest_seed
from claimgraph.store import OxigraphStore

CLAIMGRAPH = Path(sys.executable).with_name("claimgraph")


@dataclass
class Reply:
    """An HTTP response, read whole."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def http(
    method: str,
    url: str,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
    source: str | None = None,
) -> Reply:
    """One request on a fresh connection (from the loopback address ``source``, e.g.
    127.0.0.2, to be another client)."""
    parts = urlsplit(url)
    conn = httpclient.HTTPConnection(
        parts.hostname, parts.port, timeout=timeout, source_address=(source, 0) if source else None
    )
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    data = body.encode("utf-8") if isinstance(body, str) else body
    try:
        conn.request(method, path or "/", body=data, headers=headers or {})
        resp = conn.getresponse()
        payload = resp.read()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload)
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A running ``claimgraph serve``."""

    url: str
    store: Path | str
    process: subprocess.Popen[bytes]
    log: Path
    token: str = TOKEN
    auth: dict[str, str] = field(default_factory=lambda: {"Authorization": f"Bearer {TOKEN}"})

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Any request to a path of this server."""
        return http(method, self.url + path, body, headers)

    def get(
        self,
        path: str,
        params: dict[str, str] | list[tuple[str, str]] | None = None,
        **headers: str,
    ) -> Reply:
        query = f"?{urlencode(params)}" if params else ""
        return http("GET", self.url + path + query, headers=_headers(headers))

    def post(self, path: str, body: bytes | str, content_type: str, **headers: str) -> Reply:
        h = {"Content-Type": content_type, **_headers(headers)}
        return http("POST", self.url + path, body, h)

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> Reply:
        return self.post("/sparql", sparql, "application/sparql-query", Accept=accept)

    def update(self, sparql: str, *, token: str | None = TOKEN) -> Reply:
        h = {"Authorization": f"Bearer {token}"} if token else {}
        return http(
            "POST", self.url + "/update", sparql, {"Content-Type": "application/sparql-update", **h}
        )

    def count(self) -> int:
        r = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        import json

        return int(json.loads(r.body)["results"]["bindings"][0]["n"]["value"])


def _headers(h: dict[str, str]) -> dict[str, str]:
    return {k.replace("_", "-"): v for k, v in h.items()}


def start_server(
    store: Path | list[str], tmp: Path, *args: str, env: dict[str, str] | None = None
) -> LiveServer:
    """Start ``claimgraph --store STORE serve`` and wait until /health answers; ``store``
    is a directory, or the global options that name a store (``--store URL --auth …``)."""
    port = free_port()
    token_file = tmp / "token"
    token_file.write_text(TOKEN + "\n")
    log = tmp / f"server-{port}.log"
    store_args = store if isinstance(store, list) else ["--store", str(store)]
    cmd = [
        str(CLAIMGRAPH),
        *store_args,
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--token-file",
        str(token_file),
        *args,
    ]
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CLAIMGRAPH_TOKEN", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=full_env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"claimgraph serve exited: {log.read_text()}")
            try:
                if http("GET", url + "/health", timeout=5).status == 200:
                    return LiveServer(url, store_args[1], proc, log)
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"claimgraph serve did not come up: {log.read_text()}")
    except BaseException:
        stop_server(proc)
        raise


stop_server = backends.stop
"""Stop the server we started (its own process group: gunicorn and its workers)."""


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the seed dataset, built once; copy it before writing."""
    path = tmp_path_factory.mktemp("seed") / "store"
    store = OxigraphStore(path)
    ingest_seed(store)
    store.close()
    del store
    import gc

    gc.collect()
    return path


LIVE_OPTIONS = [
    "--timeout",
    "3",
    "--workers",
    "1",
    "--threads",
    "12",
    "--query-workers",
    "3",
    "--max-rows",
    "50",
    "--query-memory-mb",
    "512",
    "--max-request-bytes",
    "200000",
    "--max-queries-per-client",
    "8",
]
"""How the live servers run: a 3-second time limit, a row limit of 50, 512 MiB per query
process, one gunicorn worker, and 8 concurrent requests per client (every test client is
127.0.0.1; ``test_fair_sharing.py`` tests the default of 5)."""


def serve_seed(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    seed_store_dir: Path,
    seed: list[tuple[str, list[ox.Triple]]],
) -> tuple[LiveServer, backends.Server | None]:
    """``claimgraph serve`` on the seed dataset: a copy of the seed directory, or a SPARQL
    server of its own (``oxigraph``, ``virtuoso``) holding the seed."""
    tmp = tmp_path_factory.mktemp(f"live-{backend}")
    if backend == "embedded":
        return serve_copy(seed_store_dir, tmp, *LIVE_OPTIONS), None
    start = backends.start_oxigraph if backend == "oxigraph" else backends.start_virtuoso
    remote = start(tmp_path_factory.mktemp(f"live-{backend}-server"))
    try:
        remote.hold_seed(seed)
        return start_server(remote.cli_options, tmp, *LIVE_OPTIONS), remote
    except BaseException:
        remote.stop()
        raise


def serve_copy(
    seed_store_dir: Path, tmp: Path, *args: str, env: dict[str, str] | None = None
) -> LiveServer:
    """``claimgraph serve`` with ``args`` (and ``env``) on a copy of the seed store in
    ``tmp``."""
    store = tmp / "store"
    shutil.copytree(seed_store_dir, store)
    return start_server(store, tmp, *args, env=env)


@pytest.fixture(scope="session")
def live_server(
    seed_store_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    seed_snapshot: list[tuple[str, list[ox.Triple]]],
) -> Iterator[LiveServer]:
    """The seed dataset served by ``claimgraph serve`` on the embedded store (see
    :data:`LIVE_OPTIONS`); ``test_server_live.py`` runs its tests on every backend."""
    server, _ = serve_seed("embedded", tmp_path_factory, seed_store_dir, seed_snapshot)
    yield server
    stop_server(server.process)


# ---------------------------------------------------------------------- headless Chromium

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
]


def _chromium() -> Iterator[object]:
    """A Selenium-driven headless Debian Chromium with a fresh profile (nothing stored).

    Without Chromium the browser tests are skipped with the command that installs it, except
    under CI (``CI`` set), where the project's setup must have installed it: there they fail."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        message = "Chromium is not installed: run scripts/install-browser.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="claimgraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium with a fresh profile, for one test module (see :func:`_chromium`)."""
    yield from _chromium()


@pytest.fixture
def fresh_browser() -> Iterator[object]:
    """Another headless Chromium with a profile of its own, for one test: what someone who
    opens a link they were sent sees."""
    yield from _chromium()


def wait_for(driver: Any, condition: Any, timeout: float = 20) -> Any:
    """Wait until ``condition(driver)`` is truthy (Selenium's WebDriverWait); its value."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def screenshot(driver: Any, tmp_path: Path, name: str) -> None:
    """Save a screenshot in ``tmp_path``, and in ``$CLAIMGRAPH_SCREENSHOTS`` when set, for a
    person to look at."""
    path = tmp_path / name
    driver.save_screenshot(str(path))
    keep = os.environ.get("CLAIMGRAPH_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
