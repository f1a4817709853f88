"""What provenance says about the agents of a chain honours the standings asked for, as the
hops do: by default only what articles say is shown as an agent's side, words, anonymity or
identities and used in the count; what only cited or judged statements say is shown beside
it, marked with its standing, and used only when ``--include`` asks for it.

The record file (``tests/data/standings/judged-affiliation.yaml``): two anonymous officials
say one thing; the article gives the first one's side ("an Azerbaijani official"), a
fact-checker's judged graph gives the second one's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from claimgraph.provenance import claim_summaries, corroboration, trace
from claimgraph.store import Store

FILE = Path(__file__).parent / "data" / "standings" / "judged-affiliation.yaml"
CLAIM = "cgi:ja-claim-talks-over"
JUDGED = ("evidenced", "judged")


@pytest.fixture
def judged_cli(cli: Callable[..., Result]) -> Callable[..., Result]:
    """``claimgraph --store <a store holding the record file>``."""
    assert cli("ingest", str(FILE)).exit_code == 0
    return cli


def _other_official(claimants: list[dict[str, Any]]) -> dict[str, Any]:
    (agent,) = [a for a in claimants if a["id"] == "cgi:ja-other-official"]
    return agent


def test_judged_affiliation_is_not_shown_as_what_the_article_says_in_trace_text(
    judged_cli: Callable[..., Result],
) -> None:
    """The bug: ``claimgraph trace`` printed ``[anonymous; …; affiliated with Azerbaijan;
    unattributed]`` for a source whose side only a judged graph gives, unmarked."""
    r = judged_cli("trace", CLAIM)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    said = (
        'Another official (cgi:ja-other-official) [anonymous; described as "another official"; '
        "unattributed]"
    )
    assert f"  claimant: {said}" in lines
    assert f"  origin: {said}" in lines
    assert "affiliated with Azerbaijan;" not in r.output.replace(
        'described as "an Azerbaijani official"; affiliated with Azerbaijan;', ""
    )
    judged = [line.strip() for line in lines if line.strip().startswith("[judged]")]
    assert judged and set(judged) == {
        "[judged] affiliated with Azerbaijan  (judged by Example Fact Check, confidence 0.6; "
        "cgi:ja-judgement; not used: include judged)"
    }
    # asked for, it is shown in place, still marked as judged
    r = judged_cli("trace", CLAIM, "--include", "judged")
    assert r.exit_code == 0, r.output
    assert (
        '  claimant: Another official (cgi:ja-other-official) [anonymous; described as "another '
        'official"; affiliated with Azerbaijan (judged); unattributed]'
    ) in r.output.splitlines()


def test_judged_affiliation_is_not_shown_as_what_the_article_says_in_trace_json(
    judged_cli: Callable[..., Result],
) -> None:
    """The bug: ``trace --format json`` gave ``claimants[…].affiliations =
    [cgi:azerbaijan]`` with no standing."""
    r = judged_cli("trace", CLAIM, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    agents = [_other_official(data["claim"]["claimants"])] + [
        c["origin"] for c in data["chains"] if c["origin"]["id"] == "cgi:ja-other-official"
    ]
    assert len(agents) == 2
    for agent in agents:
        assert agent["affiliations"] == []
        assert [(a["property"], a["value"], a["label"], a["standing"]) for a in agent["added"]] == [
            ("cg:affiliatedWith", "cgi:azerbaijan", "Azerbaijan", "judged")
        ]
        (added,) = agent["added"]
        assert (added["graph"], added["by"]["id"], added["confidence"]) == (
            "cgi:ja-judgement",
            "cgi:ja-checker",
            "0.6",
        )
    # what the article says of the other official stays as it was
    first = [a for a in data["claim"]["claimants"] if a["id"] == "cgi:ja-official"][0]
    assert [a["id"] for a in first["affiliations"]] == ["cgi:azerbaijan"] and first["added"] == []
    (source,) = [s for s in data["corroboration"]["sources"] if s["label"] == "Another official"]
    assert source["affiliations"] == []

    included = json.loads(
        judged_cli("trace", CLAIM, "--format", "json", "--include", "judged").output
    )
    agent = _other_official(included["claim"]["claimants"])
    assert [a["id"] for a in agent["affiliations"]] == ["cgi:azerbaijan"]
    assert [a["standing"] for a in agent["added"]] == ["judged"]


def test_judged_affiliation_is_not_counted_unless_judged_statements_are_included(
    store: Store,
) -> None:
    """The bug: two anonymous sources were merged as "of one side" (1–2 sources) on an
    affiliation that only a judged graph gives."""
    from claimgraph.ingest import ingest_file

    ingest_file(store, FILE)
    for corr in (corroboration(store, CLAIM), trace(store, CLAIM).corroboration):
        assert (corr.at_least, corr.range_text) == (2, "2")
        assert not any("of one side" in r for r in corr.reasoning)
        assert (
            "Another official: affiliated with Azerbaijan rests on judged statements only, not "
            "on what an article says: not used (include judged to use it)"
        ) in corr.reasoning
    (summary,) = claim_summaries(store)
    assert summary.independent_sources == 2
    assert "possibly-single-source" not in {f.code for f in summary.flags}

    corr = corroboration(store, CLAIM, standings=JUDGED)
    assert (corr.at_least, corr.range_text) == (1, "1–2")
    assert any("anonymous sources of one side (Azerbaijan)" in r for r in corr.reasoning)
