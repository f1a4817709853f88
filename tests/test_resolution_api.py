"""Resolution over HTTP (server/resolution_api.py): the candidates after a second article,
a link written as a judged batch with the token, refused without it, and undone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import TOKEN, app_store
from flask import Flask

from claimgraph.ingest import ingest_file

CORPUS = Path(__file__).parent / "data" / "resolution"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(seed=True)
    ingest_file(app_store(app), CORPUS / "01-northwire-first-report.yaml")
    return app


def test_candidates_list_the_pairs_with_their_reasons(make_app: Callable[..., Flask]) -> None:
    client = _app(make_app).test_client()
    reply = client.get("/api/candidates?kind=person")
    assert reply.status_code == 200
    pairs = {frozenset((c["left"]["id"], c["right"]["id"])): c for c in reply.json}
    umerov = pairs[frozenset(("cgi:c1-umerov", "cgi:umerov"))]
    assert umerov["kind"] == "person" and umerov["score"] >= 0.9 and umerov["reasons"]
    assert reply.headers["Claimgraph-Total"] == str(len(reply.json))
    page = client.get("/api/candidates?kind=person&limit=1")
    assert page.json == reply.json[:1]
    for bad in ("kind=planet", "min_score=2", "min_score=high"):
        refused = client.get(f"/api/candidates?{bad}")
        assert refused.status_code == 400, bad


def test_a_link_is_a_judged_batch_written_with_the_token_and_undone(
    make_app: Callable[..., Flask],
) -> None:
    client = _app(make_app).test_client()
    body = {"left": "c1-umerov", "right": "umerov", "score": 0.95, "because": "same minister"}
    assert client.post("/api/links", json=body).status_code == 401
    made = client.post("/api/links", json=body, headers=AUTH)
    assert made.status_code == 201, made.json
    assert made.headers["Location"] == made.json["batch"] and made.json["kind"] == "same"
    again = client.post("/api/links", json=body, headers=AUTH)
    assert again.status_code == 200 and again.json["created"] is False
    pair = sorted(
        ["https://w3id.org/claimgraph/id/c1-umerov", "https://w3id.org/claimgraph/id/umerov"]
    )
    assert pair in client.get("/api/links").json["same"]
    # the link is a judgement: the judged graph says who and when
    ask = client.get(
        "/sparql",
        query_string={
            "query": "ASK { GRAPH ?g { cgi:c1-umerov owl:sameAs cgi:umerov } "
            "GRAPH ?m { ?g a cg:JudgedStatements ; cg:judgedBy ?who ; cg:judgedAt ?when } }"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json["boolean"] is True
    gone = client.delete("/api/links?left=c1-umerov&right=umerov", headers=AUTH)
    assert gone.status_code == 200 and gone.json["retracted"] == [made.json["batch"]]
    assert pair not in client.get("/api/links").json["same"]
    assert client.delete("/api/links?left=c1-umerov&right=umerov", headers=AUTH).status_code == 404


def test_a_refused_link_is_a_400_with_the_reason(make_app: Callable[..., Flask]) -> None:
    client = _app(make_app).test_client()
    same = client.post("/api/links", json={"left": "umerov", "right": "umerov"}, headers=AUTH)
    assert same.status_code == 400 and "itself" in same.json["error"]["detail"]
    anonymous = client.post(
        "/api/links", json={"left": "c1-umerov", "right": "c1-anon-ua-official"}, headers=AUTH
    )
    assert anonymous.status_code == 400
    for bad, field in (
        ({"left": "umerov"}, "'right'"),
        ({"left": "a", "right": "b", "score": "high"}, "'score'"),
        ({"left": "a", "right": "b", "possibly": "yes"}, "'possibly'"),
        ({"left": "a", "right": "b", "agent": " "}, "'agent'"),
        (["x"], "JSON object"),
    ):
        refused = client.post("/api/links", json=bad, headers=AUTH)
        assert refused.status_code == 400 and field in refused.json["error"]["detail"], bad


def test_exports_draw_linked_actors_as_one_node(make_app: Callable[..., Flask]) -> None:
    """Regression (issue 14): exports drew Umerov twice after the articles were linked."""
    from claimgraph.export import build_graph
    from claimgraph.resolution import link, unlink

    store = app_store(_app(make_app))
    before = build_graph(store, "actors")
    assert {"cgi:umerov", "cgi:c1-umerov"} <= set(before)
    r = link(store, "c1-umerov", "umerov", agent="a checker")
    after = build_graph(store, "actors")
    (kept,) = {"cgi:umerov", "cgi:c1-umerov"} & set(after)
    other = ({"cgi:umerov", "cgi:c1-umerov"} - {kept}).pop()
    assert after.nodes[kept]["same_as"] == other

    def ends(g: Any, node: str) -> set[tuple[str, str, str]]:
        return {(u, v, k) for u, v, k in g.edges(keys=True) if node in (u, v)}

    # every edge either had is now the kept node's: none lost, none doubled
    moved = {
        (kept if u == other else u, kept if v == other else v, k) for u, v, k in ends(before, other)
    }
    assert moved | ends(before, kept) == ends(after, kept)
    # one node fewer, and one more: the checker, an agent of the graph now
    assert set(after) ^ set(before) == {other, "cgi:agent-a-checker"}, set(after) ^ set(before)
    unlink(store, r.left, r.right)
    assert set(build_graph(store, "actors")) == set(before)


def test_claims_by_actor_did_not_follow_links(make_app: Callable[..., Flask]) -> None:
    """Regression (issue 14): once the two Umerov nodes were linked, claims-by-actor for one
    still left out the claims of the other."""
    from claimgraph.queries import get_query
    from claimgraph.resolution import link, unlink

    store = app_store(_app(make_app))

    def claims() -> set[str]:
        rows = get_query("claims-by-actor").run(store, {"actor": "cgi:umerov"}, standings=None)
        return {str(row["claim"].value) for row in rows}  # type: ignore[union-attr]

    before = claims()
    r = link(store, "c1-umerov", "umerov", agent="a checker")
    linked = claims()
    assert before < linked
    assert all(c.rsplit("/", 1)[1].startswith("c1-") for c in linked - before), linked - before
    unlink(store, r.left, r.right)
    assert claims() == before
