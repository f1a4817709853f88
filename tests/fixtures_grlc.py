"""grlc (https://grlc.io), the API generator analysts point at a folder of ``.rq`` files, run
for real against a live ``claimgraph serve``: its own virtual environment (``.venv-grlc``,
created on first use from ``tests/clients/requirements-grlc.txt``; grlc pins a gunicorn the
project does not use), in local folder mode on the packaged ``queries/``, on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from conftest import REPO
from fixtures_server import Reply, free_port, http, stop_server

if TYPE_CHECKING:
    from fixtures_server import LiveServer

REQUIREMENTS = REPO / "tests" / "clients" / "requirements-grlc.txt"
VENV = REPO / ".venv-grlc"


def grlc_venv() -> Path:
    """``.venv-grlc`` with the pinned grlc, made (or remade, when the pins changed) here."""
    wanted = REQUIREMENTS.read_text("utf-8")
    stamp = VENV / "claimgraph-requirements.txt"
    ready = (VENV / "bin" / "gunicorn").exists() and stamp.exists()
    if ready and stamp.read_text("utf-8") == wanted:
        return VENV
    if VENV.exists():
        shutil.rmtree(VENV)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
    subprocess.run(
        [
            str(VENV / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
        timeout=900,
    )
    stamp.write_text(wanted, "utf-8")
    return VENV


@dataclass
class Grlc:
    """A running grlc serving the packaged queries against ``endpoint``."""

    url: str
    endpoint: str
    log: Path

    def call(self, name: str, params: dict[str, str] | None = None, **headers: str) -> Reply:
        """``GET /api-local/NAME?params`` (grlc's route for a local folder's query)."""
        query = f"?{urlencode(params)}" if params else ""
        return http(
            "GET",
            f"{self.url}/api-local/{name}{query}",
            headers={"Accept": "application/json", **headers},
        )


@pytest.fixture(scope="session")
def grlc(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grlc]:
    """grlc 1.3.11 on a free loopback port, reading ``claimgraph.queries`` (the folder the
    package ships) and sending its queries to the live server's ``/sparql``."""
    venv = grlc_venv()
    tmp = tmp_path_factory.mktemp("grlc")
    folder = Path(str(files("claimgraph.queries")))
    endpoint = f"{live_server.url}/sparql"
    # grlc reads config.ini from its working directory
    (tmp / "config.ini").write_text(
        f"[defaults]\nsparql_endpoint = {endpoint}\nserver_name = 127.0.0.1\ndebug = False\n"
        f"[local]\nlocal_sparql_dir = {folder}\n",
        "utf-8",
    )
    port = free_port()
    log = tmp / "grlc.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                str(venv / "bin" / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "60",
                "grlc.server:app",
            ],
            cwd=tmp,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("CLAIMGRAPH_")},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"grlc exited: {log.read_text('utf-8', 'replace')}")
            try:
                if http("GET", url + "/api-local/swagger", timeout=10).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"grlc did not come up: {log.read_text('utf-8', 'replace')}")
            time.sleep(0.3)
        yield Grlc(url, endpoint, log)
    finally:
        stop_server(proc)
