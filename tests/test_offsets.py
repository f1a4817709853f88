"""Evidence offsets computed from the quote: a record gives ``exact`` and ingest finds it."""

from __future__ import annotations

import pytest

from claimgraph.errors import ParseError
from claimgraph.ingest import ingest_bytes
from claimgraph.store import Store

RECORD = """
"@context": https://w3id.org/claimgraph/context.jsonld
"@graph":
  - id: cgi:mention-probe
    type: ArticleMention
    reports: cgi:claim-talks-ended
    carrier: cgi:seed-outlet
    hopRole: outlet
    observed: true
    inArticle: cgi:article-istanbul-r2
    evidence:
      type: EvidenceSpan
      source: cgi:article-istanbul-r2
      selector: {type: [TextQuoteSelector, TextPositionSelector], %s}
"""


def _offsets(store: Store) -> tuple[int, int]:
    rows = list(
        store.select(
            "SELECT ?s ?e WHERE { cgi:mention-probe cg:evidence/oa:hasSelector ?sel . "
            "?sel oa:start ?s ; oa:end ?e }"
        )
    )
    assert len(rows) == 1
    return int(rows[0]["s"].value), int(rows[0]["e"].value)


def test_a_unique_quote_gets_its_offsets(fresh_seed_store: Store) -> None:
    ingest_bytes(
        fresh_seed_store,
        (RECORD % 'exact: "leaks from the Turkish Foreign Ministry"').encode(),
        format="records",
        source="probe.yaml",
    )
    assert _offsets(fresh_seed_store) == (977, 1016)


def test_a_prefix_picks_one_of_several(fresh_seed_store: Store) -> None:
    selector = 'exact: "Turkish Foreign Ministry", prefix: "sources from the "'
    ingest_bytes(
        fresh_seed_store, (RECORD % selector).encode(), format="records", source="probe.yaml"
    )
    assert _offsets(fresh_seed_store) == (1539, 1563)


@pytest.mark.parametrize(
    "selector,message",
    [
        ('exact: "Turkish Foreign Ministry"', r"occurs 2 times .*\(at 992, 1539\)"),
        ('exact: "Turkish Foreign Office"', "does not occur in the revision's text"),
    ],
)
def test_an_ambiguous_or_absent_quote_is_refused_naming_why(
    fresh_seed_store: Store, selector: str, message: str
) -> None:
    before = len(fresh_seed_store)
    with pytest.raises(ParseError, match=message):
        ingest_bytes(
            fresh_seed_store, (RECORD % selector).encode(), format="records", source="probe.yaml"
        )
    assert len(fresh_seed_store) == before


def test_without_the_revision_text_offsets_cannot_be_computed(store: Store) -> None:
    with pytest.raises(ParseError, match="ingest the article first"):
        ingest_bytes(
            store,
            (RECORD % 'exact: "talks"').encode(),
            format="records",
            source="probe.yaml",
        )
