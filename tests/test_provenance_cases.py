"""Purpose-built provenance cases: one parametrised test per data file in
``tests/data/provenance``, checked against its ``*.expect.yaml``.

Every case goes through validated ingest, as users' data would.  A case the shapes refuse
(``ingest: refused``, e.g. a reporting cycle) is asserted to be refused by the named rule and
written to the store with ``Store.add_batch`` instead, to show that detection still works on
data that bypassed ingest.

The cases are plain record files: no statement graph declares them evidenced, so they stand
cited (to their file) and every count here includes cited statements (``ALL``).  What the
default (evidenced only) does with such data is tested at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from claimgraph.errors import ValidationFailed
from claimgraph.export import graph_measures
from claimgraph.ingest import detect_format, ingest_file, parse_bytes
from claimgraph.provenance import (
    circular_reporting,
    claim_summaries,
    contradictions,
    corroboration,
    trace,
)
from claimgraph.rdf import compact
from claimgraph.statements import STANDINGS
from claimgraph.store import Store

ALL = tuple(STANDINGS)

CASES = Path(__file__).parent / "data" / "provenance"
FILES = sorted(
    p
    for p in CASES.iterdir()
    if p.suffix in (".yaml", ".ttl") and not p.name.endswith(".expect.yaml")
)


def _expected(path: Path) -> dict[str, Any]:
    expect = path.with_name(path.stem + ".expect.yaml")
    assert expect.exists(), f"{path.name} has no {expect.name}"
    data: dict[str, Any] = yaml.safe_load(expect.read_text(encoding="utf-8"))
    return data


def _load(store: Store, path: Path, expected: dict[str, Any]) -> None:
    if expected["ingest"] == "accepted":
        result = ingest_file(store, path)
        assert result.created
        return
    with pytest.raises(ValidationFailed) as refused:
        ingest_file(store, path)
    rules = {v.rule for v in refused.value.report.violations}  # type: ignore[attr-defined]
    assert rules == set(expected["refused_by"])
    assert len(store) == 0, "a refused batch must write nothing"
    triples = parse_bytes(path.read_bytes(), format=detect_format(path), source=path.name)
    store.add_batch("https://w3id.org/claimgraph/batch/unvalidated-" + path.stem, triples, [])


def _every_count_agrees(store: Store, claim: str, expected: int) -> None:
    """Every command, route and export that shows an independent-source count shows the same
    one (the bug: ``claims`` and ``stats --centrality`` said 1 and 2 for one claim)."""
    (measured,) = [c for c in graph_measures(store, standings=ALL).claims if c.id == claim]
    assert measured.independent_sources == expected
    from claimgraph.server import create_app

    app = create_app({"store": ":memory:"})
    app.extensions["claimgraph"].inline_store.add_batch("urn:x:all", list(store.triples()), [])
    with app.test_client() as client:
        listed = {c["claim"]["id"]: c for c in client.get("/api/claims?include=all").json}
        assert listed[claim]["independent_sources"] == expected
        measures = client.get("/api/stats/centrality?include=all").json
        (row,) = [c for c in measures["claims"] if c["id"] == claim]
        assert row["independent_sources"] == expected


def test_every_case_has_expectations() -> None:
    assert len(FILES) >= 7
    for path in FILES:
        _expected(path)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_case(path: Path, store: Store) -> None:
    expected = _expected(path)
    _load(store, path, expected)

    for claim, want in expected["claims"].items():
        t = trace(store, claim, standings=ALL)
        assert t.claim.id == claim
        chains = [[h.report.id for h in c.hops] for c in t.chains]
        assert chains == want["chains"]
        assert [c.origin.id if c.origin else None for c in t.chains] == want["origins"]
        if "roles" in want:
            for c in t.chains:
                assert [h.role for h in c.hops] == want["roles"]
        for c in t.chains:  # every observed hop's evidence resolves against the article text
            for h in c.hops:
                assert all(e.verified for e in h.evidence), (h.report.id, h.evidence)
                if h.kind == "article mention":
                    assert h.evidence and h.revision is not None and h.observed

        corr = t.corroboration
        assert corr.independent_sources == want["independent_sources"]
        assert [sorted(a.id for a in s.agents) for s in corr.sources] == want["sources"]
        assert (
            corroboration(store, claim, standings=ALL).independent_sources
            == want["independent_sources"]
        )
        for line in want.get("reasoning", []):
            assert any(line in r for r in corr.reasoning), (line, corr.reasoning)

        codes = {f.code for f in t.flags}
        assert set(want.get("flags", [])) <= codes, t.flags
        assert not set(want.get("not_flags", [])) & codes, t.flags

        if "circular" in want:
            got = (
                [c.circular for c in t.chains]
                if len(want["circular"]) == len(t.chains)
                else [c.circular for c in t.chains if c.circular is not None]
            )
            for g, w in zip(got, want["circular"], strict=True):
                if w is None:
                    assert g is None
                    continue
                assert g is not None and g.kind == w["kind"]
                assert g.reports == w["reports"]
                if "carriers" in w:
                    assert g.carriers == w["carriers"]

        # the same claim through the bulk path (claims / flags listings) agrees
        (summary,) = [s for s in claim_summaries(store, standings=ALL) if s.claim.id == claim]
        assert summary.independent_sources == want["independent_sources"]
        assert {f.code for f in summary.flags} == codes
        _every_count_agrees(store, claim, want["independent_sources"])

        # the readable tree and PROV-O name every hop
        text = t.text()
        for c in chains:
            for report in c:
                assert report in text
        turtle = t.turtle()
        import rdflib

        g = rdflib.Graph().parse(data=turtle, format="turtle")
        assert len(g) > 0

    found = contradictions(store, standings=ALL)
    assert len(found) == len(expected["contradictions"])
    for got, want in zip(found, expected["contradictions"], strict=True):
        assert got.kind == want["kind"]
        if "event" in want:
            assert got.event is not None and got.event.id == want["event"]
            assert got.property is not None and compact(got.property.iri) == want["property"]
        for side, w in zip(got.sides, want["sides"], strict=True):
            assert side.claim.id == w["claim"]
            assert side.stated_value == w["stated_value"]
            assert [a.id for a in side.claimants] == w["claimants"]
            assert [a.anonymous for a in side.claimants] == w["anonymous"]
            assert [r.id for a in side.claimants for r in a.affiliations] == w["affiliations"]
            assert side.independent_sources == w["independent_sources"]

    loops = circular_reporting(store)
    assert [(c.kind, c.reports) for c in loops] == [
        (w["kind"], w["reports"]) for w in expected["circular"]
    ]


def test_a_plain_record_file_counts_only_when_cited_statements_are_included(store: Store) -> None:
    """A file that declares no statement graph is cited to itself, not evidenced: by default
    its chains are shown but not counted, and the reasoning says how to count them."""
    path = CASES / "two-independent-sources.yaml"
    ingest_file(store, path)
    (claim,) = _expected(path)["claims"]
    t = trace(store, claim)
    assert t.chains and {h.standing for c in t.chains for h in c.hops} == {"cited"}
    assert t.corroboration.independent_sources == 0
    assert t.corroboration.counted_from == ["evidenced"]
    assert any("include cited to count it" in r for r in t.corroboration.reasoning)
    assert trace(store, claim, standings=ALL).corroboration.independent_sources == 2
