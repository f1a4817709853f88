"""The store interface on the embedded backend: batches are atomic, graphs are listed, the
default graph is the union, and the store survives a reopen."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.errors import QueryError, StoreError
from claimgraph.rdf import META_GRAPH
from claimgraph.store import OxigraphStore, default_store_path, open_store

EX = "http://example.org/"


def t(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o))


def test_add_batch_writes_graph_and_metadata_together(store) -> None:
    store.add_batch(EX + "g1", [t("a", "1"), t("b", "2")], [t("g1", "meta")])
    assert store.graphs() == sorted([EX + "g1", META_GRAPH])
    assert len(list(store.triples(EX + "g1"))) == 2
    assert len(list(store.triples(META_GRAPH))) == 1


def test_default_graph_is_the_union(store) -> None:
    store.add_batch(EX + "g1", [t("a", "1")], [])
    store.add_batch(EX + "g2", [t("b", "2")], [])
    rows = store.query("SELECT ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o")
    assert [r["o"].value for r in rows] == ["1", "2"]


def test_explicit_default_graph_restricts_the_query(store) -> None:
    store.add_batch(EX + "g1", [t("a", "1")], [])
    store.add_batch(EX + "g2", [t("b", "2")], [])
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }", default_graphs=[EX + "g2"])
    assert [r["o"].value for r in rows] == ["2"]


def test_bindings_are_terms_not_text(store) -> None:
    store.add_batch(EX + "g", [t("a", "1")], [])
    evil = ox.Literal('x" } UNION { ?s ?p ?o')
    rows = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": evil})
    assert list(rows) == []


def test_drop_batch_removes_graph_and_its_metadata(store) -> None:
    store.add_batch(
        EX + "g1",
        [t("a", "1")],
        [ox.Triple(ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "p"), ox.Literal("m"))],
    )
    store.add_batch(
        EX + "g2",
        [t("b", "2")],
        [ox.Triple(ox.NamedNode(EX + "g2"), ox.NamedNode(EX + "p"), ox.Literal("m"))],
    )
    store.drop_batch(EX + "g1")
    assert not store.has_graph(EX + "g1")
    metas = [tr.subject.value for tr in store.triples(META_GRAPH)]
    assert metas == [EX + "g2"]


def test_malformed_query_is_a_query_error_with_the_parser_message(store) -> None:
    with pytest.raises(QueryError, match="malformed query"):
        store.query("SELECT ?x WHERE { ?x ")


def test_on_disk_store_survives_reopen(tmp_path: Path) -> None:
    s = OxigraphStore(tmp_path / "s")
    s.add_batch(EX + "g", [t("a", "1")], [])
    s.close()
    del s
    s2 = open_store(tmp_path / "s")
    assert len(s2) == 1


def test_another_program_holding_the_store_gives_a_clear_error(tmp_path: Path) -> None:
    """claimgraph processes queue for the store; a program that opens it read-write without
    the locks (here a bare pyoxigraph store, as `oxigraph serve` would) makes writes fail
    with a message that says what to do."""
    OxigraphStore(tmp_path / "s").close()
    foreign = ox.Store(str(tmp_path / "s"))
    with pytest.raises(StoreError, match="CLAIMGRAPH_STORE"):
        OxigraphStore(tmp_path / "s").add_batch(EX + "g", [t("a", "1")], [])
    del foreign


def test_a_store_path_that_is_a_file_says_so_not_file_exists(tmp_path: Path) -> None:
    """``--store /etc/hostname`` said "cannot create the store …: File exists"."""
    file = tmp_path / "notes.txt"
    file.write_text("not a store", encoding="utf-8")
    for read_only in (False, True):
        with pytest.raises(StoreError, match=r"notes\.txt is a file, not a store \(a folder\)"):
            OxigraphStore(file, read_only=read_only)
    assert file.read_text(encoding="utf-8") == "not a store"


def test_two_store_objects_on_one_directory_write_in_turn(tmp_path: Path) -> None:
    first, second = OxigraphStore(tmp_path / "s"), OxigraphStore(tmp_path / "s")
    first.add_batch(EX + "g1", [t("a", "1")], [])
    second.add_batch(EX + "g2", [t("b", "2")], [])
    assert first.graphs() == second.graphs() == [EX + "g1", EX + "g2"]


def test_a_thread_cannot_nest_sessions_of_two_store_objects(tmp_path: Path) -> None:
    first, second = OxigraphStore(tmp_path / "s"), OxigraphStore(tmp_path / "s")
    with first.reading(), pytest.raises(StoreError, match="wait for each other"):
        second.add_batch(EX + "g", [t("a", "1")], [])
    second.add_batch(EX + "g", [t("a", "1")], [])  # after the session: fine


def test_no_write_inside_a_reading_session(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    with store.reading(), pytest.raises(StoreError, match="writing()"):
        store.add_batch(EX + "g", [t("a", "1")], [])


def test_query_results_outside_a_session_are_read_whole(tmp_path: Path) -> None:
    """On disk, a result must not outlive the lock that protects it: outside a session it is
    read before the call returns, with every term intact, in every result kind."""
    store = OxigraphStore(tmp_path / "s")
    b = ox.BlankNode("b1")
    store.add_batch(
        EX + "g",
        [t("a", "tab\there"), ox.Triple(b, ox.NamedNode(EX + "p"), ox.Literal("x", language="en"))],
        [],
    )
    rows = store.select("SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:no> ?none } }")
    assert {(r["s"], r["o"], r["none"]) for r in rows} == {
        (ox.NamedNode(EX + "a"), ox.Literal("tab\there"), None),
        (b, ox.Literal("x", language="en"), None),
    }
    triples = store.construct("CONSTRUCT WHERE { ?s ?p ?o }")
    assert set(triples) == set(store.triples())
    assert store.ask("ASK { ?s ?p 'tab\\there' }")
    with store.reading():
        lazy = store.select("SELECT ?s WHERE { ?s ?p ?o }")
        assert len(list(lazy)) == 2


def test_a_read_only_store_refuses_writes(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "s").add_batch(EX + "g", [t("a", "1")], [])
    store = open_store(tmp_path / "s", read_only=True)
    assert len(store) == 1
    with pytest.raises(StoreError, match="read-only"):
        store.add_batch(EX + "g2", [t("b", "2")], [])
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "none", read_only=True)


def test_dump_round_trips_as_nquads(store, tmp_path: Path) -> None:
    b = ox.BlankNode("b1")
    store.add_batch(
        EX + "g",
        [t("a", "1"), ox.Triple(b, ox.NamedNode(EX + "p"), ox.Literal("x", language="en"))],
        [ox.Triple(ox.NamedNode(EX + "g"), ox.NamedNode(EX + "p"), ox.Literal("meta"))],
    )
    store.update("INSERT DATA { <urn:in-default> <urn:p> 2 }")
    out = io.BytesIO()
    store.dump(out)
    again = OxigraphStore(tmp_path / "again")
    with again.writing():  # parsed as written: blank node labels kept, for an exact comparison
        again.raw.extend(ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS))
    assert sorted(map(str, again.quads())) == sorted(map(str, store.quads()))
    assert len(again) == len(store) == 4


# ------------------------------------------------------------- several processes, one store

WRITER = """
import sys, time
import pyoxigraph as ox
from claimgraph.store import OxigraphStore

path, name, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
store = OxigraphStore(path)
ex = "http://example.org/"
triple = ox.Triple(ox.NamedNode(ex + name), ox.NamedNode(ex + "p"), ox.Literal(name))
with store.writing():
    print("in", time.time(), flush=True)
    store.add_batch(ex + name + "-1", [triple], [])
    time.sleep(hold)
    store.add_batch(ex + name + "-2", [triple], [])
    print("out", time.time(), flush=True)
"""

READER = """
import sys, time
from claimgraph.store import OxigraphStore

store = OxigraphStore(sys.argv[1])
end = time.time() + float(sys.argv[2])
final, after = sys.argv[3:4], 0
while time.time() < end and after < 10:  # until ten reads after the final count, or the end
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    n = next(iter(rows))["n"].value
    print(n, flush=True)
    after += [n] == final
    time.sleep(0.02)
"""


def _python(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _times(out: str) -> dict[str, float]:
    return {word: float(when) for word, when in (line.split() for line in out.splitlines())}


def test_two_processes_writing_at_once_both_succeed_in_order(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "s").close()
    first = _python(WRITER, tmp_path / "s", "first", 1.5)
    assert first.stdout is not None and first.stdout.readline().startswith("in")
    second = _python(WRITER, tmp_path / "s", "second", 0)
    first_out, first_err = first.communicate(60)
    second_out, second_err = second.communicate(60)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert _times(second_out)["in"] >= _times(first_out)["out"]  # it waited its turn
    assert OxigraphStore(tmp_path / "s").graphs() == [
        EX + "first-1",
        EX + "first-2",
        EX + "second-1",
        EX + "second-2",
    ]


def test_a_reader_during_a_write_sees_the_store_before_or_after_never_a_failure(
    tmp_path: Path,
) -> None:
    """The writer adds two batches in one writing session, a second apart; a reader in
    another process counting all the while sees 0 or 2 quads, never 1, and never fails."""
    OxigraphStore(tmp_path / "s").close()
    reader = _python(READER, tmp_path / "s", 60, 2)
    assert reader.stdout is not None
    first = reader.stdout.readline()
    time.sleep(0.3)
    writer = _python(WRITER, tmp_path / "s", "w", 1.0)
    _, writer_err = writer.communicate(60)
    out, err = reader.communicate(60)
    assert writer.returncode == 0, writer_err
    assert reader.returncode == 0, err
    counts = [int(line) for line in [first, *out.split()]]
    assert set(counts) == {0, 2}, counts
    assert counts == sorted(counts)


def test_a_forked_process_takes_the_locks_on_its_own(tmp_path: Path) -> None:
    """A child forked in the middle of its parent's write does not share the parent's locks:
    its read waits for the whole writing session to end, then sees it.  It may not write
    (RocksDB's threads stayed in the parent): it is told so instead of hanging."""
    store = OxigraphStore(tmp_path / "s")
    with store.writing():
        store.add_batch(EX + "g1", [t("a", "1")], [])
        pid = os.fork()
        if pid == 0:  # the child: answer in the exit code, skip the parent's cleanup
            code = 1
            try:
                seen = len(store)
                try:
                    store.add_batch(EX + "g2", [t("b", "2")], [])
                except StoreError as e:
                    code = 0 if seen == 2 and "forked" in str(e) else 2
            finally:
                os._exit(code)
        time.sleep(1.0)
        store.add_batch(EX + "g3", [t("c", "3")], [])
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_store_path_comes_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAIMGRAPH_STORE", str(tmp_path / "env-store"))
    s = open_store()
    assert isinstance(s, OxigraphStore) and s.path == tmp_path / "env-store"


def test_default_path_follows_xdg(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "claimgraph" / "store"
