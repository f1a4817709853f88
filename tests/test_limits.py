"""The input limits table: documented, read from the environment, and named in refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimgraph.errors import UsageError
from claimgraph.limits import LIMITS, LimitExceeded, Limits, current

DOCS = Path(__file__).resolve().parents[1] / "docs" / "security.md"


def test_every_limit_is_documented_with_its_variable() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| `(CLAIMGRAPH_[A-Z_]+)` \|", text, re.M))
    assert rows == {limit.name: limit.env for limit in LIMITS}


def test_the_table_and_the_defaults_agree() -> None:
    defaults = Limits()
    assert {limit.name: limit.default for limit in LIMITS} == {
        name: getattr(defaults, name) for name in defaults.__dataclass_fields__
    }


def test_limits_come_from_the_environment() -> None:
    assert current({"CLAIMGRAPH_MAX_YAML_NODES": "1_000"}).max_yaml_nodes == 1000
    with pytest.raises(UsageError, match="CLAIMGRAPH_MAX_NESTING"):
        current({"CLAIMGRAPH_MAX_NESTING": "deep"})
    with pytest.raises(UsageError, match="positive"):
        current({"CLAIMGRAPH_MAX_NESTING": "0"})


def test_a_refusal_names_the_limit_and_how_to_raise_it() -> None:
    err = Limits().refuse("max_nesting", "the JSON is nested deeper", source="x.json")
    assert isinstance(err, LimitExceeded) and err.exit_code == 2 and err.http_status == 413
    text = str(err)
    assert text.startswith("x.json: the JSON is nested deeper, past the max_nesting limit of 100")
    assert "CLAIMGRAPH_MAX_NESTING=400" in text
