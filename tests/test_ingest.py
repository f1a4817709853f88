"""Ingest: every input format, parse errors with file and line, validation before writing,
no-op re-ingest, retract, batches and their PROV-O metadata."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.batches import batch_iri, list_batches, resolve_batch, retract
from claimgraph.errors import ParseError, ValidationFailed
from claimgraph.ingest import SEED_FILES, ingest_bytes, ingest_seed, with_entailments
from claimgraph.rdf import CG, CGI, META_GRAPH, compact
from claimgraph.records import parse_records
from claimgraph.store import OxigraphStore, Store

BROKEN = Path(__file__).parent / "data" / "broken"
SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed"


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump(out)
    return b"\n".join(sorted(out.getvalue().splitlines()))


def article_triples() -> list[ox.Triple]:
    data = (SEED_DIR / "article.yaml").read_bytes()
    return parse_records(data, source="article.yaml")


SERIALIZATIONS = {
    "turtle": ("article.ttl", ox.RdfFormat.TURTLE),
    "ntriples": ("article.nt", ox.RdfFormat.N_TRIPLES),
    "nquads": ("article.nq", ox.RdfFormat.N_QUADS),
    "trig": ("article.trig", ox.RdfFormat.TRIG),
    "jsonld": ("article.jsonld", ox.RdfFormat.JSON_LD),
    "rdfxml": ("article.rdf", ox.RdfFormat.RDF_XML),
}


@pytest.mark.parametrize("fmt", sorted(SERIALIZATIONS))
def test_each_rdf_format_ingests_the_same_triples(fmt: str, tmp_path: Path, cli) -> None:
    name, rdf_format = SERIALIZATIONS[fmt]
    triples = article_triples()
    path = tmp_path / name
    path.write_bytes(ox.serialize(triples, format=rdf_format))

    result = cli("ingest", str(path))

    assert result.exit_code == 0, result.output
    assert f"{len(with_entailments(triples))} triples" in result.output
    result = cli(
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT ?text WHERE { cgi:article-istanbul-r2 cg:text ?text }",
    )
    seed_text = (SEED_DIR / "000_6e98255791d8cd18.txt").read_text("utf-8")
    assert seed_text.splitlines()[2] in result.output


def test_claim_records_ingest_by_extension(cli) -> None:
    result = cli("ingest", str(SEED_DIR / "article.yaml"))
    assert result.exit_code == 0, result.output
    assert "55 triples" in result.output  # 31 in the file, 24 entailed (types, aligned terms)


def test_format_option_overrides_the_extension(tmp_path: Path, cli) -> None:
    path = tmp_path / "article.data"
    path.write_bytes(ox.serialize(article_triples(), format=ox.RdfFormat.N_TRIPLES))
    assert cli("ingest", str(path)).exit_code == 2
    result = cli("ingest", "--format", "ntriples", str(path))
    assert result.exit_code == 0, result.output


def test_seed_lands_as_one_batch_per_file(fresh_seed_store: OxigraphStore) -> None:
    batches = list_batches(fresh_seed_store)
    assert [Path(b.source).name for b in batches] == list(SEED_FILES)
    # the article's own file is its batch graph; the others declare statement graphs
    assert batches[0].batch in fresh_seed_store.graphs()
    evidenced = len(list(fresh_seed_store.quads(CGI + "istanbul-article-statements")))
    assert batches[1].triples == evidenced + 3  # and the declaration of the graph
    assert batches[1].triples > len(
        parse_records((SEED_DIR / SEED_FILES[1]).read_bytes(), source="x")
    )  # offsets computed from the quotes, entailments


def test_reingesting_the_same_content_is_a_noop(fresh_seed_store: OxigraphStore) -> None:
    before = dump(fresh_seed_store)
    again = ingest_seed(fresh_seed_store)
    assert [r.created for r in again] == [False] * len(SEED_FILES)
    assert dump(fresh_seed_store) == before


def test_ontology_can_be_ingested_for_its_labels(cli) -> None:
    """With --ontology, code values and terms have their labels in the store."""
    assert cli("ingest", "--seed").exit_code == 0
    result = cli("ingest", "--ontology")
    assert result.exit_code == 0, result.output
    assert "claimgraph:ontology/claimgraph.ttl" in result.output
    assert "claimgraph:ontology/cameo.ttl" in result.output
    rows = cli(
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT DISTINCT ?role ?label WHERE { ?e cg:hasParticipation [ cg:agent cgi:turkey ; "
        "cg:role ?role ] . ?role rdfs:label ?label } ORDER BY ?label",
    ).output
    assert rows.splitlines()[1:] == [
        "https://w3id.org/claimgraph/ns#host,host",
        "https://w3id.org/claimgraph/ns#mediator,mediator",
        "https://w3id.org/claimgraph/ns#participant,participant",
    ]
    assert "already ingested" in cli("ingest", "--ontology").output


def test_cli_says_when_nothing_changed(cli) -> None:
    assert cli("ingest", "--seed").exit_code == 0
    result = cli("ingest", "--seed")
    assert result.exit_code == 0
    assert result.output.count("already ingested") == len(SEED_FILES)
    assert "nothing written" in result.output


def test_batch_metadata_is_prov(fresh_seed_store: OxigraphStore) -> None:
    data = (SEED_DIR / "article.yaml").read_bytes()
    import hashlib

    graph = batch_iri(hashlib.sha256(data).hexdigest())
    ask = fresh_seed_store.query(
        f"""ASK {{ GRAPH <{META_GRAPH}> {{
            <{graph}> a cg:Batch ; cg:sha256 "{hashlib.sha256(data).hexdigest()}" ;
                cg:sourceFile "claimgraph:seed/article.yaml" ; cg:tripleCount 55 ;
                prov:generatedAtTime ?t ; prov:wasAttributedTo ?agent ;
                prov:wasGeneratedBy ?activity .
            ?activity a cg:Ingest ; prov:wasAssociatedWith ?agent .
            ?agent a prov:Agent ; rdfs:label ?name .
        }} }}"""
    )
    assert bool(ask)


def test_types_are_completed_with_superclasses(fresh_seed_store: OxigraphStore) -> None:
    rows = fresh_seed_store.query(
        "SELECT ?t WHERE { cgi:claim-zelensky-no-substantive-outcome a ?t } ORDER BY ?t"
    )
    assert sorted(compact(r["t"].value) for r in rows) == [
        "cg:Assessment",
        "cg:Claim",
        "cg:Quote",
        "prov:Entity",
        "schema:Claim",
    ]
    rows = fresh_seed_store.query("SELECT ?t WHERE { cgi:reuters a ?t } ORDER BY ?t")
    assert {compact(r["t"].value) for r in rows} >= {
        "cg:Actor",
        "cg:NewsAgency",
        "cg:NewsOrganisation",
        "cg:Organisation",
        "prov:Agent",
        "org:Organization",
        "schema:NewsMediaOrganization",
        "foaf:Agent",
    }
    claims = fresh_seed_store.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c a cg:Claim }")
    assert (
        int(next(iter(claims))["n"].value) == 25
    )  # 22 before the compound quote was split into its propositions


def test_aligned_superproperties_and_symmetric_relations_are_stated(
    fresh_seed_store: OxigraphStore,
) -> None:
    """An analyst may query in PROV-O or schema.org terms, and read cg:contradicts either
    way; the cg: hierarchy itself (cg:reachedIn under cg:partOf) stays as stated."""

    def objects(query: str) -> set[str]:
        return {compact(r["o"].value) for r in fresh_seed_store.query(query)}

    assert objects(
        "SELECT ?o WHERE { cgi:claim-russian-demands-unrealistic prov:wasAttributedTo ?o }"
    ) == {"cgi:anon-ua-diplomatic-source-1"}
    assert objects(
        "SELECT ?o WHERE { cgi:claim-russian-demands-unrealistic schema:author ?o }"
    ) == {"cgi:anon-ua-diplomatic-source-1"}
    assert objects("SELECT ?o WHERE { cgi:claim-talks-ended cg:contradicts ?o }") == {
        "cgi:claim-delegations-paused"
    }
    assert objects("SELECT ?o WHERE { cgi:anon-ua-diplomatic-source-1 cg:possiblySameAs ?o }")
    assert objects("SELECT ?o WHERE { cgi:prisoner-exchange cg:reachedIn ?o }") == {
        "cgi:bilateral-meeting"
    }
    assert objects("SELECT ?o WHERE { cgi:prisoner-exchange cg:partOf ?o }") == {
        "cgi:istanbul-talks"
    }  # as stated; reachedIn's cg:partOf is not added


def test_default_graph_is_the_union_of_batches(fresh_seed_store: OxigraphStore) -> None:
    rows = list(
        fresh_seed_store.query("SELECT ?text WHERE { cgi:claim-talks-ended cg:claimText ?text }")
    )
    assert [r["text"].value for r in rows] == ["The Istanbul talks had ended."]


def test_retract_removes_a_batch_and_its_metadata(fresh_seed_store: OxigraphStore) -> None:
    batches = list_batches(fresh_seed_store)
    for later in reversed(batches[2:]):  # background and judgements point at the claims
        retract(fresh_seed_store, later.batch)
    claims_batch = batches[1].batch
    short = claims_batch.rsplit("/", 1)[1][:6]
    assert retract(fresh_seed_store, short) == claims_batch
    assert claims_batch not in fresh_seed_store.graphs()
    assert CGI + "istanbul-article-statements" not in fresh_seed_store.graphs()
    left = fresh_seed_store.query(
        f"ASK {{ GRAPH <{META_GRAPH}> {{ {{ <{claims_batch}> ?p ?o }} UNION "
        f"{{ ?g cg:inBatch ?b }} UNION {{ <{CGI}istanbul-article-statements> ?p ?o }} }} }}"
    )
    assert not bool(left)
    assert not bool(fresh_seed_store.query(f"ASK {{ <{CGI}claim-talks-ended> ?p ?o }}"))
    assert [b.source for b in list_batches(fresh_seed_store)] == ["claimgraph:seed/article.yaml"]


def _metadata(store: Store) -> set[str]:
    return {str(t) for t in store.triples(META_GRAPH)}


def test_retract_leaves_no_orphaned_batch_metadata(store: Store) -> None:
    # the bug: retracting the seed's claims batch left 29 triples about it (its ingest
    # activity, its warnings) in the metadata graph
    from importlib.resources import files

    seed = files("claimgraph.seed")
    article, claims = (seed.joinpath(name).read_bytes() for name in SEED_FILES[:2])
    ingest_bytes(store, article, format="records", source="article.yaml", agent="a")
    before = _metadata(store)
    batch = ingest_bytes(store, claims, format="records", source="claims.yaml", agent="a")
    assert batch.warnings > 0  # warnings are part of what must go
    retract(store, batch.batch)
    assert _metadata(store) == before
    # an agent no batch refers to any more goes too
    other = ingest_bytes(store, claims, format="records", source="claims.yaml", agent="b")
    retract(store, other.batch)
    assert _metadata(store) == before


def test_retract_keeps_a_batch_others_point_at_unless_forced(cli) -> None:
    """The article batch describes the outlet and the revision the claims batch quotes:
    retracting it first would leave the claims failing the shapes."""
    cli("ingest", "--seed")
    rows = json.loads(cli("batches", "--format", "json").output)
    article = next(r["batch"] for r in rows if r["source"].endswith("article.yaml"))
    claims = next(r["batch"] for r in rows if r["source"].endswith("istanbul-talks.yaml"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = cli("query", "--format", "csv", "--sparql", count).output
    refused = cli("retract", article)
    assert refused.exit_code == 1, refused.output
    assert "cgi:article-istanbul-r2 (used by " + claims.rsplit("/", 1)[1] in refused.output
    assert "--force" in refused.output
    assert cli("query", "--format", "csv", "--sparql", count).output == before
    forced = cli("retract", "--force", article)
    assert forced.exit_code == 0, forced.output
    assert cli("validate").exit_code == 1  # what --force broke is reported


def test_retract_unknown_batch_is_a_clear_error(cli) -> None:
    cli("ingest", "--seed")
    result = cli("retract", "ffffffff")
    assert result.exit_code == 4
    assert "no batch 'ffffffff'" in result.output
    assert "claimgraph batches" in result.output


def test_resolve_batch_accepts_full_iri(fresh_seed_store: OxigraphStore) -> None:
    b = list_batches(fresh_seed_store)[0].batch
    assert resolve_batch(fresh_seed_store, b) == b


# ----------------------------------------------------------------- the corpus of broken files

PARSE_ERRORS = {
    "bad-turtle.ttl": r"bad-turtle\.ttl:3:\d+: Unexpected end of file",
    "bad-ntriples.nt": r"bad-ntriples\.nt:2:\d+: The object of a triple",
    "bad-nquads.nq": r"bad-nquads\.nq:2:\d+: The object of a triple",
    "bad-trig.trig": r"bad-trig\.trig:4:\d+: ",
    "bad-rdfxml.rdf": r"bad-rdfxml\.rdf:4:\d+: ill-formed document",
    "bad-json.jsonld": r"bad-json\.jsonld:5:\d+: Expecting ',' delimiter",
    "bad-yaml.yaml": r"bad-yaml\.yaml:5:\d+: expected <block end>",
    "remote-context.jsonld": r"remote-context\.jsonld: unsupported @context .*never fetched",
    "remote-import-context.jsonld": r"@context\.@import names the remote context .*never fetched",
    "remote-scoped-context.jsonld": r"@context\.ex:b\.@context names the remote context",
    "empty.ttl": r"empty\.ttl: holds no triples",
    "unknown-extension.foo": r"unknown-extension\.foo: cannot tell the format .* pass --format",
}


@pytest.mark.parametrize("name", sorted(PARSE_ERRORS))
def test_unreadable_files_exit_2_naming_file_and_line(name: str, cli) -> None:
    assert cli("ingest", "--seed").exit_code == 0
    before = cli(
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ).output

    result = cli("ingest", str(BROKEN / name))

    assert result.exit_code == 2, result.output
    assert re.search(PARSE_ERRORS[name], result.output), result.output
    after = cli(
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ).output
    assert after == before


def test_remote_context_inside_an_inline_context_is_named_not_a_loader_error() -> None:
    """An ``@import``, a scoped or an embedded ``@context`` address used to reach the JSON-LD
    processor, which said only "No LoadDocumentCallback has been set"."""
    for name, where in [
        ("remote-import-context.jsonld", "@context.@import"),
        ("remote-scoped-context.jsonld", "@context.ex:b.@context"),
    ]:
        with pytest.raises(ParseError) as info:
            parse_records((BROKEN / name).read_bytes(), source=name)
        assert f"{name}: {where} names the remote context 'http://127.0.0.1:9/" in str(info.value)
        assert "LoadDocumentCallback" not in str(info.value)
    embedded = {"@graph": [{"@context": "http://127.0.0.1:9/e.jsonld", "@id": "urn:x:a"}]}
    with pytest.raises(ParseError, match=r"@graph\[0\]\.@context names the remote context"):
        parse_records(json.dumps(embedded).encode(), source="embedded.jsonld")


def test_a_yaml_key_given_twice_is_refused_not_its_first_value_dropped() -> None:
    record = b"id: cgi:x\nclaimText: a\nlabel: {en: x}\nclaimText: b\n"
    with pytest.raises(ParseError) as info:
        parse_records(record, source="twice.yaml")
    assert str(info.value).startswith(
        "twice.yaml:4:1: the key 'claimText' is given twice in one mapping (first on line 2)"
    )
    with pytest.raises(ParseError, match=r"twice\.jsonld:1:\d+: the key 'ex:b' is given twice"):
        parse_records(b'{"@id": "urn:x:a", "ex:b": "c", "ex:b": "d"}', source="twice.jsonld")
    merged = b"base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n"  # a merge may be overridden
    assert len(parse_records(merged, source="merge.yaml")) == 6


def test_missing_file_is_a_clear_error(cli, tmp_path: Path) -> None:
    result = cli("ingest", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2
    assert "nope.ttl" in result.output and "cannot read" in result.output


INVALID = {
    "claim-without-claimant.yaml": CGI + "claim-without-claimant",
    "evidence-not-in-article.yaml": None,
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_batches_write_nothing_and_exit_1(
    name: str,
    fresh_seed_store: OxigraphStore,
) -> None:
    before = dump(fresh_seed_store)
    with pytest.raises(ValidationFailed) as info:
        ingest_bytes(fresh_seed_store, (BROKEN / name).read_bytes(), format="records", source=name)
    report = info.value.report
    assert not report.conforms
    focus = {str(r.focus_node) for r in report.violations}
    if INVALID[name]:
        assert INVALID[name] in focus
    assert dump(fresh_seed_store) == before


@pytest.mark.parametrize(
    "name,expected",
    [
        (
            "misspelt-terms.yaml",
            {
                ("class", "cg:Statment", "did you mean cg:Statement?"),
                ("property", "cg:aboutEvnet", "did you mean cg:aboutEvent?"),
                ("value", "cg:propossed", "did you mean cg:proposed?"),
                ("relative", "russia", "write cgi:russia"),
            },
        ),
        ("relative-iris.ttl", {("relative", "turkey-again", "write cgi:turkey-again")}),
    ],
)
def test_undefined_terms_and_unprefixed_names_are_violations(
    cli,
    name: str,
    expected: set[tuple[str, str, str]],
) -> None:
    """A misspelt key, class or code value, or a name without a prefix, is refused with the
    term, a suggestion and the node, instead of being stored where no query finds it."""
    cli("ingest", "--seed")
    before = cli(
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ).output
    result = cli("ingest", str(BROKEN / name))
    assert result.exit_code == 1, result.output
    assert "cgsh:DefinedTermsRule" in result.output
    for kind, term, hint in expected:
        line = next((ln for ln in result.output.splitlines() if term in ln and hint in ln), None)
        assert line is not None, (kind, term, result.output)
        assert kind == "relative" or f"used as a {kind}" in line
    after = cli(
        "query",
        "--format",
        "csv",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ).output
    assert after == before


def test_a_date_in_words_is_a_violation_that_says_how_to_write_it(tmp_path: Path) -> None:
    """Run as a user runs it (a process of its own, logging unconfigured): the report says
    how to write the date, and rdflib's conversion traceback is not shown."""
    import subprocess
    import sys

    claimgraph = Path(sys.executable).with_name("claimgraph")
    run = subprocess.run(
        [
            str(claimgraph),
            "--store",
            str(tmp_path / "s"),
            "ingest",
            str(BROKEN / "claim-date-in-words.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    out = run.stdout + run.stderr
    assert "cgsh:ClaimDateShape" in out and "(2025-05-16)" in out
    assert "Traceback" not in out and "Failed to convert" not in out


def test_cli_prints_the_report_and_exits_1(cli) -> None:
    cli("ingest", "--seed")
    result = cli("ingest", str(BROKEN / "claim-without-claimant.yaml"))
    assert result.exit_code == 1
    assert "cgi:claim-without-claimant" in result.output
    assert "nothing was written" in result.output


def test_report_turtle_is_the_shacl_report_graph(cli) -> None:
    cli("ingest", "--seed")
    result = cli("ingest", "--report", "turtle", str(BROKEN / "claim-without-claimant.yaml"))
    assert result.exit_code == 1
    import rdflib

    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in g
    assert (None, sh.focusNode, rdflib.URIRef(CGI + "claim-without-claimant")) in g


def test_validate_reports_a_conforming_store(cli) -> None:
    cli("ingest", "--seed")
    result = cli("validate")
    assert result.exit_code == 0, result.output


def test_parse_error_type_carries_position() -> None:
    with pytest.raises(ParseError) as info:
        ingest_bytes(
            OxigraphStore(None),
            (BROKEN / "bad-turtle.ttl").read_bytes(),
            format="turtle",
            source="bad-turtle.ttl",
        )
    assert info.value.line == 3
    assert info.value.source == "bad-turtle.ttl"


def test_ontology_namespace_constant_matches_the_file() -> None:
    text = (Path(__file__).resolve().parents[1] / "ontology" / "claimgraph.ttl").read_text()
    assert f"@prefix cg:     <{CG}>" in text
