"""Adding a new article: `claimgraph extract` (or POST /api/extract) writes a draft, a person
reviews it, `claimgraph ingest --accept-drafts` (or POST /store?acceptDrafts=true) loads it,
and its claims answer the saved queries and trace as the article gives them.  Bad input to
either edge is a clear error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import TOKEN

from claimgraph.errors import ParseError
from claimgraph.extract import article_text

ARTICLE = """Ukraine and Russia will meet again in Istanbul on June 2, Turkish Foreign Minister \
Hakan Fidan said on Thursday.

"We are ready to host the next meeting," Fidan told reporters in Ankara.

A senior Ukrainian official told Reuters that Kyiv would send the same delegation. \
Volodymyr Zelensky wrote on Telegram that Ukraine wanted a ceasefire first.
"""
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "second-round.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_extract_review_ingest_query_trace(cli, article: Path, tmp_path: Path) -> None:
    assert cli("ingest", "--seed").exit_code == 0
    draft = tmp_path / "draft.yaml"
    result = cli(
        "extract",
        str(article),
        "--title",
        "Second round",
        "--outlet",
        "Example Wire",
        "--published",
        "2025-05-29",
        "-o",
        str(draft),
    )
    assert result.exit_code == 0, result.output
    text = draft.read_text("utf-8")
    assert text.startswith("# DRAFT") and "cgi:zelensky" in text  # linked to the seed's actor

    refused = cli("ingest", str(draft))
    assert refused.exit_code == 1 and "--accept-drafts" in refused.output
    assert cli("ingest", "--accept-drafts", str(draft)).exit_code == 0

    rows = json.loads(
        cli("query", "claims-by-actor", "--param", "actor=cgi:zelensky", "--format", "json").output
    )["results"]["bindings"]
    texts = {r["claimText"]["value"] for r in rows}
    assert "Ukraine wanted a ceasefire first" in texts  # the new article's claim, evidenced
    fidan = cli("query", "claims-by-actor", "--param", "actor=cgi:hakan-fidan", "--format", "json")
    assert len(json.loads(fidan.output)["results"]["bindings"]) == 2

    anonymous = json.loads(cli("query", "anonymous-sources", "--format", "json").output)
    described = {r["describedAs"]["value"] for r in anonymous["results"]["bindings"]}
    assert "A senior Ukrainian official" in described

    (reuters_claim,) = [
        r["id"]
        for g in yaml.safe_load(text)["@graph"]
        if g["type"] == "EvidencedStatements"
        for r in g["@graph"]
        if r.get("claimText") == "Kyiv would send the same delegation"
    ]
    trace = cli("trace", reuters_claim).output
    assert "agency: Reuters (cgi:reuters)" in trace  # the seed's Reuters, reached by name
    assert "outlet: Example Wire" in trace and "✓ verified" in trace


def test_extract_reads_standard_input(cli) -> None:
    result = cli("extract", "-", "--no-link", input=ARTICLE)
    assert result.exit_code == 0
    document = yaml.safe_load(result.stdout)
    revision = next(r for r in document["@graph"] if r["type"] == "ArticleRevision")
    assert revision["text"] == ARTICLE
    assert "<stdin>: 4 claims" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfeR\x00u\x00", "is not UTF-8 text"),
        (b"%PDF-1.7\n\x00\x01binary", "control character U+0000"),
        (b"   \n\n  ", "holds no text"),
    ],
    ids=["utf16", "binary", "blank"],
)
def test_extract_refuses_what_is_not_an_article(
    tmp_path: Path, content: bytes, message: str
) -> None:
    from click.testing import CliRunner

    from claimgraph.cli import main

    path = tmp_path / "article.txt"
    path.write_bytes(content)
    absent = tmp_path / "no-store-here"
    result = CliRunner().invoke(main, ["--store", str(absent), "extract", str(path)])
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output
    assert not absent.exists()  # extract never creates a store


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--published", "29 May"], "is not a date: write YYYY-MM-DD"),
        (["--url", "file:///etc/passwd"], "is not an http or https address"),
    ],
)
def test_extract_refuses_bad_metadata(cli, article: Path, option: list[str], message: str) -> None:
    result = cli("extract", str(article), *option)
    assert result.exit_code == 2 and message in result.stderr


def test_extract_refuses_a_missing_file_and_a_folder(cli, tmp_path: Path) -> None:
    assert "cannot read" in cli("extract", str(tmp_path / "nope.txt")).stderr
    result = cli("extract", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_article_text_keeps_to_the_literal_limit(monkeypatch) -> None:
    monkeypatch.setenv("CLAIMGRAPH_MAX_LITERAL_BYTES", "100")
    with pytest.raises(Exception, match="max_literal_bytes"):
        article_text(b"word " * 30, source="big.txt")
    with pytest.raises(ParseError, match="big.txt"):
        article_text(b"\x00", source="big.txt")


def test_extract_eval_prints_each_article_and_overall(cli) -> None:
    folder = Path(__file__).parent / "data" / "extract"
    result = cli("extract-eval", str(folder))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("07-cue-verbs ") for line in lines)
    (overall,) = [line.split() for line in lines if line.startswith("overall")]
    assert int(overall[1]) == 7 and float(overall[4]) >= 0.8  # gold, recall
    missing = cli("extract-eval", str(folder / "nope"))
    assert missing.exit_code == 2 and "is not a folder" in missing.stderr


# ---------------------------------------------------------------- over HTTP
def test_post_extract_returns_the_draft_and_it_ingests_over_http(make_app) -> None:
    app = make_app(seed=True)
    client = app.test_client()
    response = client.post(
        "/api/extract?title=Second%20round&published=2025-05-29&outlet=Example%20Wire",
        data=ARTICLE.encode(),
        content_type="text/plain; charset=utf-8",
        headers=AUTH,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["claims"] == 4 and "cgi:zelensky" in body["draft"]
    assert any(g["subject"] == "cgi:zelensky" for g in body["guesses"])

    draft = body["draft"].encode()
    headers = {**AUTH, "Content-Type": "application/yaml"}
    refused = client.post("/store", data=draft, headers=headers)
    assert refused.status_code == 422 and "draft" in refused.get_data(as_text=True)
    accepted = client.post("/store?acceptDrafts=true", data=draft, headers=headers)
    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    claims = client.get("/api/claims").get_json()
    assert "cgi:second-round-claim-4" in json.dumps(claims)


def test_post_extract_takes_json_and_answers_yaml(make_app) -> None:
    client = make_app().test_client()
    response = client.post(
        "/api/extract?format=yaml",
        json={"text": ARTICLE, "title": "Second round", "link": False},
        headers=AUTH,
    )
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert yaml.safe_load(response.get_data(as_text=True))["@graph"][1]["type"] == "Article"


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"data": b"\xff\xfe", "content_type": "text/plain"}, 400, "is not UTF-8 text"),
        ({"data": b"x", "content_type": "application/pdf"}, 415, "text/plain"),
        ({"json": {"title": "no text"}}, 400, "a JSON object"),
        ({"json": {"text": ARTICLE, "published": "May"}}, 400, "YYYY-MM-DD"),
    ],
    ids=["not-utf8", "pdf", "json-without-text", "bad-date"],
)
def test_post_extract_refuses_bad_input(make_app, kwargs: dict, status: int, message: str) -> None:
    client = make_app().test_client()
    response = client.post("/api/extract", headers=AUTH, **kwargs)
    assert response.status_code == status and message in response.get_data(as_text=True)


def test_post_extract_needs_the_token(make_app) -> None:
    client = make_app().test_client()
    response = client.post("/api/extract", data=ARTICLE, content_type="text/plain")
    assert response.status_code == 401
