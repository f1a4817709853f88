"""The pages generated from the code are current: docs/cli.md (every command's --help) and
the settings table of docs/server.md.  ``python scripts/gen_docs.py`` rewrites them."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen_docs() -> ModuleType:
    """scripts/gen_docs.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", ["docs/cli.md", "docs/server.md"])
def test_generated_page_is_current(gen_docs: ModuleType, page: str) -> None:
    expected = gen_docs.pages()[page]
    actual = (REPO / page).read_text(encoding="utf-8")
    assert actual == expected, f"{page} is stale: run `{gen_docs.REGENERATE}`"


def test_cli_reference_has_every_command(gen_docs: ModuleType) -> None:
    from claimgraph.cli import COMMANDS

    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## `claimgraph (\S+)`$", text, flags=re.M))
    assert {c.name for c in COMMANDS} | {"serve"} == documented


def test_reference_shows_no_machine_paths(gen_docs: ModuleType) -> None:
    from claimgraph.store import default_store_path

    text = gen_docs.cli_reference()
    assert gen_docs.DOCUMENTED_STORE_PATH in text
    if str(default_store_path()) != gen_docs.DOCUMENTED_STORE_PATH:
        assert str(default_store_path()) not in text
    assert str(REPO) not in text


def test_stale_pages_are_named_with_the_command_that_fixes_them(
    gen_docs: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    for page in ("docs/cli.md", "docs/server.md"):
        (tmp_path / page).parent.mkdir(exist_ok=True)
        (tmp_path / page).write_text((REPO / page).read_text(encoding="utf-8"))
    server = tmp_path / "docs" / "server.md"
    server.write_text(server.read_text().replace("| `30` |", "| `60` |"))
    monkeypatch.setattr(gen_docs, "REPO", tmp_path)
    assert gen_docs.main(["--check"]) == 1
    assert capsys.readouterr().err == "docs/server.md is stale: run python scripts/gen_docs.py\n"
    assert gen_docs.main([]) == 0
    assert gen_docs.main(["--check"]) == 0
