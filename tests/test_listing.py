"""Paged claim listings: every page of ``claim_page`` is the same slice of today's whole
computation (``claim_summaries``), on the seed with several more batches, before and after a
write; and ``claims``, ``flags``, ``/api/claims`` and ``/api/flags`` page with limit and
offset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from generated import synthetic_text

from claimgraph.ingest import ingest_bytes, ingest_seed
from claimgraph.provenance import (
    ClaimSummary,
    circular_reporting,
    claim_count,
    claim_ids,
    claim_page,
    claim_summaries,
    listing,
)
from claimgraph.store import OxigraphStore, Store


def synthetic(triples: int, seed: int) -> bytes:
    return synthetic_text(triples, seed, fresh=f"s{seed}").encode()


def flagged(rows: list[ClaimSummary]) -> list[ClaimSummary]:
    return [r for r in rows if any(f.severity == "warning" for f in r.flags)]


@pytest.fixture
def busy_store(tmp_path: Path) -> OxigraphStore:
    """The seed and two synthetic batches in an on-disk store (it can tell when written)."""
    store = OxigraphStore(tmp_path / "store")
    ingest_seed(store)
    for seed in (1, 2):
        ingest_bytes(store, synthetic(400, seed), format="ntriples", source=f"s{seed}.nt")
    return store


EVERY_STANDING = ("evidenced", "cited", "judged")


def assert_pages_match(store: Store, standings: tuple[str, ...] = ("evidenced",)) -> None:
    whole = claim_summaries(store, standings=standings)
    assert [r.claim.iri for r in whole] == claim_ids(store, standings=standings)
    for limit, offset in [(1, 0), (5, 0), (5, 3), (7, 20), (100, 0), (3, len(whole) - 1), (4, 999)]:
        page = claim_page(store, limit=limit, offset=offset, standings=standings)
        assert page == whole[offset : offset + limit]
    assert claim_page(store, standings=standings) == whole
    assert claim_page(store, offset=10, standings=standings) == whole[10:]
    warned = flagged(whole)
    assert warned  # the seed's anonymous-only claims
    for limit, offset in [(1, 0), (2, 1), (50, 0), (2, len(warned))]:
        assert (
            claim_page(store, limit=limit, offset=offset, warnings_only=True, standings=standings)
            == warned[offset : offset + limit]
        )


def test_every_page_is_the_same_slice_of_the_whole_listing(busy_store: OxigraphStore) -> None:
    assert busy_store.generation() is not None
    assert_pages_match(busy_store)
    assert_pages_match(busy_store)  # from the listing kept for this generation
    assert_pages_match(busy_store, EVERY_STANDING)  # claims of cited and judged graphs too
    assert len(claim_ids(busy_store, standings=EVERY_STANDING)) > len(claim_ids(busy_store))


def test_a_write_is_seen_by_the_next_page(busy_store: OxigraphStore) -> None:
    before = claim_page(busy_store, limit=1000, standings=EVERY_STANDING)
    generation = busy_store.generation()
    ingest_bytes(busy_store, synthetic(300, 3), format="ntriples", source="s3.nt")
    assert busy_store.generation() != generation
    after = claim_page(busy_store, limit=1000, standings=EVERY_STANDING)
    assert len(after) > len(before)  # the file's claims stand cited
    assert_pages_match(busy_store)
    assert_pages_match(busy_store, EVERY_STANDING)


def test_paging_an_in_memory_store(seed_store: Store) -> None:
    assert_pages_match(seed_store)
    assert_pages_match(seed_store, EVERY_STANDING)


def test_an_in_memory_write_is_seen_by_the_next_page() -> None:
    store = OxigraphStore(None)
    ingest_seed(store)
    before = claim_ids(store, standings=EVERY_STANDING)
    ingest_bytes(store, synthetic(300, 4), format="ntriples", source="s4.nt")
    assert len(claim_ids(store, standings=EVERY_STANDING)) > len(before)
    assert_pages_match(store, EVERY_STANDING)


def test_nothing_read_inside_a_writing_session_is_kept(busy_store: OxigraphStore) -> None:
    with busy_store.writing():
        before = claim_ids(busy_store, standings=EVERY_STANDING)
        ingest_bytes(busy_store, synthetic(300, 5), format="ntriples", source="s5.nt")
        after = claim_ids(busy_store, standings=EVERY_STANDING)  # one session, one generation
    assert len(after) > len(before)
    assert claim_ids(busy_store, standings=EVERY_STANDING) == after


def test_pages_match_when_standings_are_read_a_few_claims_at_a_time(
    busy_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page reads the claims' standings in chunks, only as far as it lists; and a page of
    flagged claims summarises claims in chunks sized by the share flagged so far: the
    boundaries never show in the rows."""
    monkeypatch.setattr(listing, "VALUES_CHUNK", 3)
    monkeypatch.setattr(listing, "_CHUNK", 2)
    monkeypatch.setattr(listing, "_MOST", 5)
    assert_pages_match(busy_store)
    assert_pages_match(busy_store, EVERY_STANDING)
    assert_pages_match(busy_store, ("evidenced", "judged"))


def test_a_first_page_reads_standings_only_as_far_as_it_lists(busy_store: OxigraphStore) -> None:
    first = claim_page(busy_store, limit=2, standings=EVERY_STANDING)
    kept = listing._listing(busy_store)
    assert len(first) == 2 and kept.read == 0  # every standing lists every claim
    assert claim_count(busy_store, standings=EVERY_STANDING) == len(kept.claims)
    assert kept.read == 0
    claim_page(busy_store, limit=1)
    assert 0 < kept.read
    assert claim_count(busy_store) == len(claim_ids(busy_store))
    assert kept.read == len(kept.claims)


def test_a_caller_changing_claim_ids_leaves_the_kept_listing_alone(
    busy_store: OxigraphStore,
) -> None:
    ids = claim_ids(busy_store, standings=EVERY_STANDING)
    ids.clear()
    assert claim_ids(busy_store, standings=EVERY_STANDING)
    assert claim_page(busy_store, limit=3, standings=EVERY_STANDING)


def test_flags_limit_zero_gave_one_row(busy_store: OxigraphStore) -> None:
    """A page of no rows is empty, for flags as for claims (the flagged listing returned
    its first row before it checked the limit)."""
    assert claim_page(busy_store, limit=0) == []
    assert claim_page(busy_store, limit=0, warnings_only=True) == []
    assert claim_page(busy_store, limit=0, offset=1, warnings_only=True) == []


def test_circular_reporting_kept_for_every_page_is_read_again_after_a_write(
    busy_store: OxigraphStore,
) -> None:
    assert circular_reporting(busy_store) == circular_reporting(busy_store) == []
    busy_store.update(
        "INSERT DATA { GRAPH <urn:loop> { <urn:r1> cg:derivedFrom <urn:r2> . "
        "<urn:r2> cg:derivedFrom <urn:r1> } }"
    )
    (loop,) = circular_reporting(busy_store)
    assert loop.kind == "derivation-cycle"
    circular_reporting(busy_store).clear()  # each caller has its own list
    assert len(circular_reporting(busy_store)) == 1


def test_negative_counts_are_refused(seed_store: Store) -> None:
    with pytest.raises(ValueError):
        claim_page(seed_store, limit=-1)


def test_cli_claims_and_flags_page(cli: Callable[..., Result]) -> None:
    assert cli("ingest", "--seed").exit_code == 0
    whole = cli("claims").stdout.splitlines()
    page = cli("claims", "--limit", "3", "--offset", "2")
    assert page.exit_code == 0
    assert page.stdout.splitlines() == [*whole[2:5], "(3 claims on this page)"]
    flags = cli("flags", "--limit", "1", "--format", "json")
    assert flags.exit_code == 0 and '"claims"' in flags.output
    assert "(2 claims flagged on this page)" in cli("flags", "--limit", "2").output
    refused = cli("claims", "--limit", "-1")
    assert refused.exit_code == 2 and "--limit" in refused.output


def test_http_claims_and_flags_page(client: Any) -> None:
    whole = client.get("/api/claims").json
    page = client.get("/api/claims?limit=4&offset=3")
    assert page.status_code == 200 and page.json == whole[3:7]
    assert page.headers["Claimgraph-Total"] == str(len(whole))
    everything = client.get("/api/flags").json
    one = client.get("/api/flags?limit=1&offset=1").json
    assert one["claims"] == everything["claims"][1:2]
    assert one["circular_reporting"] == everything["circular_reporting"]
    for bad in ("limit=-1", "limit=ten", "offset=1.5"):
        r = client.get(f"/api/claims?{bad}")
        assert r.status_code == 400 and "must be a whole number" in r.json["error"]["detail"]
