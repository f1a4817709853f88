"""The command line: --help everywhere, query formats, documented exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from claimgraph.cli import COMMANDS, ENTRY_POINT_GROUP, ClaimgraphGroup, group, main

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def all_commands() -> list[list[str]]:
    """Every command line's path, those of entry-point commands (``serve``) included."""
    ctx = click.Context(main)
    out: list[list[str]] = [[]]
    for name in main.list_commands(ctx):
        cmd = main.get_command(ctx, name)
        out.append([name])
        if isinstance(cmd, click.Group):
            out += [[name, sub] for sub in cmd.commands]
    return out


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "claimgraph")
def test_every_command_has_help(path: list[str]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    command = main.get_command(click.Context(main), path[0]) if path else main
    doc = (command.help if command is not None else "") or ""
    assert doc.strip(), f"{path} has no help text"


def test_commands_are_registered_from_one_list() -> None:
    """The package's commands come from COMMANDS; ``serve`` comes from the entry point the
    server package declares, so the library never imports the server."""
    assert [c.name for c in COMMANDS] == list(main.commands)[: len(COMMANDS)]
    (serve,) = entry_points(group=ENTRY_POINT_GROUP, name="serve")
    assert serve.value == "claimgraph.server.cli:serve"
    assert ["serve"] in all_commands()


def test_other_packages_add_commands_through_the_entry_point_group(monkeypatch) -> None:
    @click.command()
    def hello() -> None:
        """Say hello."""
        click.echo("hello")

    class FakeEntryPoint:
        name = "hello"

        def load(self) -> click.Command:
            return hello

    monkeypatch.setattr(group, "entry_points", lambda group: [FakeEntryPoint()])
    cli = ClaimgraphGroup("claimgraph")
    assert CliRunner().invoke(cli, ["hello"]).output == "hello\n"
    assert cli.list_commands(click.Context(cli)) == ["hello"]


def test_commands_that_need_no_plugin_do_not_import_the_server() -> None:
    """``claimgraph ingest ...`` never loads the entry points (nor Flask and gunicorn);
    ``--help`` and ``serve`` do."""
    code = (
        "import sys, click; from claimgraph.cli import main; ctx = click.Context(main);"
        "main.get_command(ctx, 'ingest'); before = 'claimgraph.server' in sys.modules;"
        "main.get_command(ctx, 'serve'); print(before, 'claimgraph.server' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_library_errors_become_exit_codes_in_one_place(cli) -> None:
    """A failed validation prints the report (readable text on standard error, or the
    SHACL report graph in Turtle on standard output) and exits 1."""
    broken = str(Path(__file__).parent / "data" / "broken" / "claim-without-claimant.yaml")
    text = cli("ingest", broken)
    assert text.exit_code == 1 and text.stdout == ""
    assert "cgi:claim-without-claimant" in text.stderr and "error: " in text.stderr
    turtle = cli("ingest", "--report", "turtle", broken)
    assert turtle.exit_code == 1 and "sh:ValidationReport" in turtle.stdout
    assert "sh:ValidationReport" not in turtle.stderr and "error: " in turtle.stderr
    assert cli("retract", "no-such-batch").exit_code == 4


def test_output_in_a_folder_that_does_not_exist_is_an_error_not_a_traceback(
    cli, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Peskov said the talks were over.\n", encoding="utf-8")
    for command in (
        ["extract", "--no-link", str(article), "-o"],
        ["export", "--view", "actors", "--format", "gexf", "-o"],
    ):
        target = tmp_path / "no-such-folder" / "out"
        result = cli(*command, str(target))
        assert result.exit_code == 2, result.output
        assert f"error: cannot open {target}: No such file or directory" in result.stderr
        assert not isinstance(result.exception, OSError)


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["claims"],
        ["flags"],
        ["query", "claims"],
        ["validate"],
        ["batches"],
        ["export", "--view", "actors", "--format", "json"],
        ["review", "talks-ended", "--rating", "False", "--author", "X"],
        ["link", "a", "b"],
        ["unlink", "a", "b"],
        ["retract", "abc"],
    ],
)
def test_a_mistyped_store_made_an_empty_store(tmp_path: Path, command: list[str]) -> None:
    """``claimgraph --store typo claims`` created a store at ``typo`` and listed nothing, as
    if the graph were empty (``review`` / ``link`` / ``retract``: and then said the claim or
    batch did not exist); every command but ``ingest`` now says there is no store there."""
    from claimgraph.cli import main

    typo = tmp_path / "stroe"
    result = CliRunner().invoke(main, ["--store", str(typo), *command])
    assert result.exit_code == 3, result.output
    assert f"there is no store at {typo}" in result.stderr
    assert not typo.exists()


def test_count_query_prints_the_count_last_in_csv(cli) -> None:
    cli("ingest", "--seed")
    result = cli("query", "--format", "csv", "--sparql", COUNT)
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["n"]
    total = int(rows[-1][0])
    quads = json.loads(cli("stats", "--format", "json").stdout)["quads"]
    assert total == 2 * quads  # every quad once in the union default graph, once by GRAPH


def test_json_is_sparql_results_json(cli) -> None:
    cli("ingest", "--seed")
    result = cli(
        "query",
        "--format",
        "json",
        "--sparql",
        "SELECT ?label WHERE { cgi:reuters rdfs:label ?label }",
    )
    doc = json.loads(result.stdout)
    assert doc["head"]["vars"] == ["label"]
    assert doc["results"]["bindings"] == [
        {"label": {"type": "literal", "value": "Reuters", "xml:lang": "en"}}
    ]


def test_construct_as_turtle(cli) -> None:
    cli("ingest", "--seed")
    result = cli(
        "query",
        "--format",
        "turtle",
        "--sparql",
        "CONSTRUCT { cgi:reuters a ?t } WHERE { cgi:reuters a ?t }",
    )
    assert result.exit_code == 0
    assert "cg:NewsAgency" in result.stdout


def test_select_cannot_be_turtle(cli) -> None:
    result = cli("query", "--format", "turtle", "--sparql", "SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "cannot be written as turtle" in result.output


def test_malformed_query_exits_2_with_the_parser_message(cli) -> None:
    result = cli("query", "--sparql", "SELECT ?x WHERE { ?x")
    assert result.exit_code == 2
    assert "malformed query" in result.output


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SELEC ?s WHERE { ?s ?p ?o }", "not 'SELEC'; did you mean SELECT?"),
        ("PREFIX ex: <http://e/>\nconstrct { ?s ?p ?o } WHERE {}", "line 2, column 1"),
    ],
)
def test_a_misspelt_query_form_is_named(cli, client, text: str, expected: str) -> None:
    """Regression (issue 16): ``SELEC ...`` was answered "expected CONSTRUCT", far from the
    slip; the CLI and /sparql now say which word is wrong and what a query starts with."""
    result = cli("query", "--sparql", text)
    assert result.exit_code == 2
    assert expected in result.output and "a query starts with SELECT" in result.output
    reply = client.get("/sparql", query_string={"query": text})
    assert reply.status_code == 400 and expected in reply.get_data(as_text=True)


def test_query_needs_exactly_one_source(cli) -> None:
    assert cli("query").exit_code == 2
    assert cli("query", "x", "--sparql", "ASK {}").exit_code == 2


def test_unknown_saved_query_is_a_clear_error(cli) -> None:
    result = cli("query", "no-such-query")
    assert result.exit_code == 4
    assert "query --list" in result.output


def test_rq_file_runs(cli, tmp_path) -> None:
    cli("ingest", "--seed")
    rq = tmp_path / "agencies.rq"
    rq.write_text("#+ summary: News agencies\nSELECT ?a WHERE { ?a a cg:NewsAgency } ORDER BY ?a\n")
    result = cli("query", str(rq), "--format", "csv")
    assert result.stdout.split() == [
        "a",
        "https://w3id.org/claimgraph/id/reuters",
        "https://w3id.org/claimgraph/id/tass",
    ]


def test_ask_as_table(cli) -> None:
    cli("ingest", "--seed")
    result = cli("query", "--sparql", "ASK { cgi:tass cg:affiliatedWith cgi:russia }")
    assert result.stdout.strip() == "yes"


def test_stats_counted_only_batches_in_the_batch_namespace(cli, client) -> None:  # type: ignore[no-untyped-def]
    """``stats`` counted the graphs under ``…/batch/`` as the batches, so a record file
    (whose statements land in graphs of its own) was missed: ``batches 1`` after
    ``ingest --seed``.  Every batch the metadata graph describes is one."""
    seeded = cli("ingest", "--seed")
    assert seeded.exit_code == 0, seeded.output
    files = json.loads(cli("batches", "--format", "json").stdout)
    assert len(files) > 1
    stats = json.loads(cli("stats", "--format", "json").stdout)
    assert stats["batches"] == len(files) == stats["by_class"]["cg:Batch"]
    assert re.search(rf"^batches\s+{len(files)}$", cli("stats").stdout, flags=re.M)
    assert cli("ingest", "--ontology").exit_code == 0
    more = len(json.loads(cli("batches", "--format", "json").stdout))
    assert more > len(files)
    assert json.loads(cli("stats", "--format", "json").stdout)["batches"] == more
    # over HTTP, on the app's own store (a server backend's store is shared with the CLI here)
    counted = client.get(
        "/sparql",
        query_string={"query": "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b a cg:Batch }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json["results"]["bindings"][0]["n"]["value"]
    assert client.get("/api/stats").json["batches"] == int(counted) >= len(files)


def test_stats_count_each_kind_once(cli) -> None:
    """Counts by class name the claimgraph classes (and others the data uses, such as Web
    Annotation selectors), not the aligned superclasses ingest adds above them."""
    cli("ingest", "--seed")
    by_class = json.loads(cli("stats", "--format", "json").stdout)["by_class"]
    assert by_class["cg:Claim"] == 25 and by_class["cg:Actor"] == 22
    assert by_class["oa:TextQuoteSelector"] == 96  # a span for every resource the article names
    assert not {"prov:Entity", "schema:Claim", "foaf:Agent", "oa:SpecificResource"} & set(by_class)
