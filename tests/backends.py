"""The stores every store-dependent test runs on: the embedded store, a real ``oxigraph serve``
and a real Virtuoso Open Source 7, the servers started once per session on 127.0.0.1.

``conftest.py`` parametrises the ``backend`` fixture over :data:`BACKENDS`; ``store``,
``seed_store``, ``fresh_seed_store`` and ``cli`` take their store from it.  A server holds one
store at a time: it is cleared before a test that writes, and the seed is copied back in (a
few requests) before a test that reads it, only when something else was there.

Virtuoso is started from a ``virtuoso.ini`` written in a temporary directory; the fixture then
gives a user of its own the right to update (``SPARQL_UPDATE``) and makes Virtuoso's own
graphs private to it, as ``docs/scale-out.md`` tells an administrator to.

``CLAIMGRAPH_TEST_BACKENDS`` (comma-separated) narrows the backends while working on one; the
suite, and CI, run all three.  Without a server program the remote backends are skipped
with the command that installs it, except under CI, where they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from claimgraph.store import OxigraphStore, RemoteStore, Store, open_store

BACKENDS = [
    b.strip()
    for b in os.environ.get("CLAIMGRAPH_TEST_BACKENDS", "embedded,oxigraph,virtuoso").split(",")
    if b.strip()
]
"""The backends store-dependent tests run on."""

REMOTE_SUBSET: dict[str, tuple[str, ...]] = {
    # provenance logic case by case: the store reads it makes are those of test_provenance
    "test_provenance_cases.py": (),
    # file formats drawn from views; the views themselves are compared in test_remote
    "test_export.py": (),
    # serve in front of a server: the W3C protocol tests run on both; these on one
    "test_server_live.py": ("oxigraph",),
    # the refusals are checked before anything is sent: on the server with extensions
    "test_sparql_safety.py": ("virtuoso",),
    # resolution over HTTP: links are batches like any other; checked on one server
    "test_resolution_api.py": ("oxigraph",),
    # every saved query, every competency question: on the server that differs most
    "test_queries.py": ("virtuoso",),
    "test_competency.py": ("virtuoso",),
    # standings, provenance over HTTP and listings read through the same store calls
    "test_statements.py": ("oxigraph",),
    "test_provenance.py": ("oxigraph",),
    "test_listing.py": ("oxigraph",),
}
"""Test files whose backend-parametrised tests run on fewer remote backends than the rest, to
keep the suite within its time budget (each remote backend costs round trips, and Virtuoso
compiles each new query text): the remote backends they keep.  ``conftest.py`` deselects the
others, so the summary counts them.  ``CLAIMGRAPH_TEST_ALL_BACKENDS=1`` runs everything."""

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"


def comparable(term: object) -> str:
    """A term of an answer as text to compare across backends: the parts of a
    ``GROUP_CONCAT`` (joined by " | ") sorted — SPARQL leaves their order to the engine, and
    two engines read a graph in two orders."""
    if isinstance(term, ox.Literal) and " | " in term.value:
        return " | ".join(sorted(term.value.split(" | "))) + f"@{term.language}"
    return str(term)


def free_port() -> int:
    """A TCP port nobody listens on, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _missing(program: str, install: str) -> None:
    message = f"{program} is not installed: {install}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    """Wait until the SPARQL endpoint at ``url`` answers ``ASK {}``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up: {log.read_text(errors='replace')[-2000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server we started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def launch(command: list[str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start a server program in a process group of its own, its output to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


@dataclass
class Server:
    """A running SPARQL server holding one store."""

    kind: str
    url: str
    process: subprocess.Popen[bytes]
    directory: Path
    command: list[str]
    ready_url: str
    log: Path
    auth: str | None = None
    state: str = "unknown"
    """``seed`` while it holds exactly the seed dataset."""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def options(self) -> dict[str, str]:
        """``open_store`` keyword arguments besides the URL."""
        return {"auth": self.auth} if self.auth else {}

    @property
    def cli_options(self) -> list[str]:
        """The global options of ``claimgraph`` that reach it."""
        return ["--store", self.url, *(["--auth", self.auth] if self.auth else [])]

    def open(self, **options: object) -> RemoteStore:
        """A store object on this server."""
        store = open_store(self.url, **{**self.options, **options})  # type: ignore[arg-type]
        assert isinstance(store, RemoteStore)
        return store

    def clear(self) -> None:
        """Remove every graph of the store (a few requests)."""
        with self.open() as store:
            store.update("DROP SILENT ALL")
        self.state = "empty"

    def hold_seed(self, seed: list[tuple[str, list[ox.Triple]]]) -> None:
        """Make the server hold the seed dataset, unless it already does."""
        if self.state == "seed":
            return
        self.clear()
        with self.open() as store:
            for graph, triples in seed:
                store.write_graph(graph, triples, replace=False)
        self.state = "seed"

    def stop(self) -> None:
        stop(self.process)

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def restart(self) -> None:
        """Start the server again on the same data and ports, and wait until it answers."""
        self.process = launch(self.command, self.directory, self.log)
        wait_for(self.ready_url, self.process, self.log)


def start_oxigraph(tmp: Path, *args: str) -> Server:
    """``oxigraph serve`` on a directory of ``tmp`` and a free port."""
    if not OXIGRAPH.exists():
        _missing("oxigraph (the server)", "pip install 'claimgraph[test]'")
    port = free_port()
    log = tmp / f"oxigraph-{port}.log"
    command = [
        str(OXIGRAPH),
        "serve",
        "--location",
        str(tmp / "db"),
        "--bind",
        f"127.0.0.1:{port}",
        *args,
    ]
    process = launch(command, tmp, log)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_for(url, process, log)
    except BaseException:
        stop(process)
        raise
    return Server("oxigraph", url, process, tmp, command, url, log)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {dir}
CaseMode = 2
MaxSortedTopRows = 200000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
KeepAliveTimeout = 10
MaxKeepAlives = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""

VIRTUOSO_SETUP = """\
DB.DBA.USER_CHANGE_PASSWORD('dba', 'dba', '{dba}');
DB.DBA.USER_CREATE('claimgraph', '{password}');
GRANT SPARQL_UPDATE TO "claimgraph";
DB.DBA.RDF_GRAPH_GROUP_CREATE('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 1);
{private}
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('claimgraph', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('claimgraph', 3);
"""
"""What an administrator does once (``docs/scale-out.md``): a user with the right to update,
and Virtuoso's own graphs private, so that they are not part of the store."""


def start_virtuoso(tmp: Path, *, max_rows: int = 50_000) -> Server:
    """Virtuoso Open Source 7 from a config file in ``tmp``, on free ports, set up for
    claimgraph (see :data:`VIRTUOSO_SETUP`); its query endpoint needs Digest sign-in."""
    if not Path(VIRTUOSO).exists():
        _missing("Virtuoso", "apt-get install virtuoso-opensource-7-bin (scripts/run does)")
    from claimgraph.store.servers import VIRTUOSO as PROFILE

    isql, http = free_port(), free_port()
    (tmp / "virtuoso.ini").write_text(
        VIRTUOSO_INI.format(dir=tmp, isql=isql, http=http, max_rows=max_rows)
    )
    command = [VIRTUOSO, "-f", "-c", str(tmp / "virtuoso.ini")]
    process = launch(command, tmp, tmp / "virtuoso-stdout.log")
    url = f"http://127.0.0.1:{http}/sparql-auth"
    try:
        wait_for(f"http://127.0.0.1:{http}/sparql", process, tmp / "virtuoso.log")
        dba, password = secrets.token_hex(8), secrets.token_hex(8)
        private = "\n".join(
            "DB.DBA.RDF_GRAPH_GROUP_INS("
            f"'http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', '{g}');"
            for g in PROFILE.system_graphs
        )
        script = VIRTUOSO_SETUP.format(dba=dba, password=password, private=private)
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{isql}", "dba", "dba"],
            input=script.encode(),
            capture_output=True,
            timeout=60,
        )
        if done.returncode != 0 or b"Error" in done.stdout + done.stderr:
            raise RuntimeError(f"setting Virtuoso up failed: {done.stdout!r} {done.stderr!r}")
    except BaseException:
        stop(process)
        raise
    return Server(
        "virtuoso",
        url,
        process,
        tmp,
        command,
        f"http://127.0.0.1:{http}/sparql",
        tmp / "virtuoso.log",
        auth=f"claimgraph:{password}",
        extra={"isql": str(isql), "dba": dba},
    )


def known_difference(
    request: pytest.FixtureRequest,
    backend: Backend,
    server: str,
    why: str,
    *,
    every_time: bool = True,
) -> None:
    """Mark the running test as failing on ``server`` for a documented reason of the
    server's own (``docs/scale-out.md``): strict, so that it fails once the server stops
    differing — unless the server differs only some of the time (``every_time`` False),
    when the test still runs and the summary says XFAIL or XPASS."""
    if backend.name == server:
        request.applymarker(pytest.mark.xfail(strict=every_time, reason=why))


@dataclass
class Backend:
    """One backend as the store fixtures see it."""

    name: str
    server: Server | None
    seed: Callable[[], list[tuple[str, list[ox.Triple]]]]
    embedded_seed: Callable[[], Store]

    @property
    def remote(self) -> bool:
        return self.server is not None

    def spec(self, tmp: Path) -> list[str]:
        """The global options of ``claimgraph`` naming an empty store of this backend (made
        here: the commands that only read do not make one)."""
        if self.server is None:
            OxigraphStore(tmp / "store").close()
            return ["--store", str(tmp / "store")]
        self.server.clear()
        self.server.state = "dirty"
        return self.server.cli_options

    def empty(self, tmp: Path) -> Store:
        """An empty store (in memory for the embedded backend)."""
        if self.server is None:
            return open_store(":memory:")
        self.server.clear()
        self.server.state = "dirty"
        return self.server.open()

    def fresh_seed(self, tmp: Path) -> Store:
        """A store holding the seed that the test may change (on disk, embedded)."""
        if self.server is None:
            from claimgraph.ingest import ingest_seed

            store = OxigraphStore(tmp / "store")
            ingest_seed(store)
            return store
        self.server.hold_seed(self.seed())
        self.server.state = "dirty"
        return self.server.open()

    def seed_store(self) -> Store:
        """The seed, read-only by convention."""
        if self.server is None:
            return self.embedded_seed()
        self.server.hold_seed(self.seed())
        return self.server.open()
