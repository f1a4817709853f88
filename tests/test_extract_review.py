"""Regression tests from a new user's review of ``claimgraph extract``: what a draft must tell
its reviewer."""

from __future__ import annotations

from claimgraph.extract import KnownActor, draft_article

TWO_UKRAINES = [
    KnownActor("cgi:c1-ukraine", ("Ukraine",), ("State",)),
    KnownActor("cgi:ukraine", ("Ukraine",), ("State",)),
]


def test_affiliation_link_to_one_of_two_same_labelled_actors_is_silent() -> None:
    draft = draft_article(
        "A senior Ukrainian official said the talks would resume.",
        title="Tie",
        outlet="Example Wire",
        actors=TWO_UKRAINES,
    )
    text = draft.yaml()
    anon = draft.graph("EvidencedStatements")[0]["@graph"]
    linked = next(r["affiliatedWith"] for r in anon if r.get("type") == "AnonymousSource")
    assert (
        f"# guessed (1.00): {linked} is Ukraine — affiliation linked by name "
        "(cgi:c1-ukraine 1.00, cgi:ukraine 1.00)" in text
    )
    assert any(
        "cgi:c1-ukraine, cgi:ukraine equally" in note and "affiliation" in note
        for note in draft.needs_review
    )
