"""Every hostile file is refused in seconds with a clear message, exit 2, no traceback, the
store unchanged and nothing fetched (issue: entity bombs, recursion tracebacks, special files).
Also: a byte-order mark is treated the same in every format."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from forgery import Listener
from hostile import EXPECTED, files

from claimgraph.ingest import parse_bytes

CLAIMGRAPH = Path(sys.executable).with_name("claimgraph")


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with Listener() as lst:
        yield lst


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, listener: Listener
) -> dict[str, tuple[Path, str]]:
    """The hostile files; the external DTDs and entities name the listener."""
    return files(tmp_path_factory.mktemp("hostile"), listener=listener.url)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "store"
    run(store, "ingest", "--seed")
    return store


def run(
    store: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLAIMGRAPH), "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def count(store: Path) -> str:
    r = run(
        store,
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


CASES = sorted(EXPECTED)


@pytest.mark.parametrize("name", CASES)
def test_hostile_file_is_refused_in_seconds_and_changes_nothing(
    name: str, corpus: dict[str, tuple[Path, str]], seeded: Path, listener: Listener
) -> None:
    path, expect = corpus[name]
    assert expect == EXPECTED[name]
    before = count(seeded)
    started = time.monotonic()
    r = run(seeded, "ingest", str(path))
    took = time.monotonic() - started
    assert listener.connections == 0
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    assert expect in out, out
    assert "Traceback" not in out and "root:" not in out, out
    assert took < 20, f"{name} took {took:.1f} s"
    assert count(seeded) == before


def test_the_corpus_is_complete(corpus: dict[str, tuple[Path, str]]) -> None:
    assert sorted(CASES) == sorted(corpus)


def test_a_limit_can_be_raised_for_trusted_input(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    nested = b'{"http://example.org/p": ' * 150 + b"1" + b"}" * 150
    path.write_bytes(b'{"@id": "http://example.org/a", "http://example.org/p": ' + nested + b"}")
    refused = run(tmp_path / "s", "ingest", str(path))
    assert refused.returncode == 2 and "CLAIMGRAPH_MAX_NESTING=" in refused.stdout + refused.stderr
    raised = run(tmp_path / "s", "ingest", str(path), env={"CLAIMGRAPH_MAX_NESTING": "400"})
    assert "max_nesting" not in raised.stdout + raised.stderr


TURTLE = b'<https://w3id.org/claimgraph/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n'
SAME = {
    "turtle": TURTLE,
    "ntriples": TURTLE,
    "jsonld": b'{"@id": "https://w3id.org/claimgraph/id/a", '
    b'"http://www.w3.org/2000/01/rdf-schema#label": "a"}',
    "records": b'"@context": https://w3id.org/claimgraph/context.jsonld\nid: cgi:a\nlabel: a\n',
    "rdfxml": (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
        b'<rdf:Description rdf:about="https://w3id.org/claimgraph/id/a"><rdfs:label>a</rdfs:label>'
        b"</rdf:Description></rdf:RDF>"
    ),
}


@pytest.mark.parametrize("fmt", sorted(SAME))
def test_a_byte_order_mark_is_treated_the_same_in_every_format(fmt: str) -> None:
    plain = parse_bytes(SAME[fmt], format=fmt, source=f"x.{fmt}")
    with_bom = parse_bytes(b"\xef\xbb\xbf" + SAME[fmt], format=fmt, source=f"x.{fmt}")
    assert [str(t) for t in with_bom] == [str(t) for t in plain]
    assert len(plain) == 1


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
        "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
    ],
)
def test_a_deeply_nested_query_is_refused_not_a_crash(query: str, tmp_path: Path) -> None:
    r = run(tmp_path / "s", "query", "--sparql", query)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "max_nesting" in r.stdout + r.stderr


def test_a_symbolic_link_is_read_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "data.ttl"
    target.write_bytes(TURTLE)
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    refused = run(tmp_path / "s", "ingest", str(link))
    assert refused.returncode == 2 and "--follow-symlinks" in refused.stdout + refused.stderr
    followed = run(tmp_path / "s", "ingest", "--follow-symlinks", str(link))
    assert followed.returncode == 0, followed.stdout + followed.stderr
    still_a_device = run(
        tmp_path / "s", "ingest", "--follow-symlinks", "--format", "turtle", "/dev/zero"
    )
    assert still_a_device.returncode == 2
    assert "character device" in still_a_device.stdout + still_a_device.stderr
