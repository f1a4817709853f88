"""One settings table drives the server: ``serve``'s options, the ``CLAIMGRAPH_*`` variables
and the defaults all come from :data:`claimgraph.server.settings.SETTINGS`."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from claimgraph.cli import main
from claimgraph.server import cli as serve_cli
from claimgraph.server.cli import SERVE_OPTIONS, SettingOption, serve
from claimgraph.server.settings import SETTINGS, Setting, Settings


def test_settings_has_one_field_per_row_and_takes_its_defaults_from_the_table() -> None:
    assert [f.name for f in fields(Settings)] == [s.name for s in SETTINGS]
    defaults = Settings.from_mapping({}, environ={})
    assert {s.name: getattr(defaults, s.name) for s in SETTINGS} == {
        s.name: s.default for s in SETTINGS
    }


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.serve_option], ids=lambda s: s.name)
def test_serve_option_is_generated_from_its_row(setting: Any) -> None:
    (option,) = [p for p in serve.params if p.name == setting.name]
    assert isinstance(option, SettingOption) and option.opts == [setting.option]
    assert option.default is None  # unset: the variable, then the default, apply
    assert option.help is not None and option.help.startswith(setting.help)
    assert f"env var: {setting.env}" in option.help
    if setting.default is not None:
        assert f"default: {setting.default_text}]" in option.help
    if setting.type is bool:
        assert option.is_flag
    elif setting.name != "token_file":
        assert option.type.name == click.types.convert_type(setting.type).name


def test_a_setting_on_by_default_gets_an_off_switch() -> None:
    option = SettingOption(Setting("colour", True, bool, "Colour the output."))
    assert (option.opts, option.secondary_opts) == (["--colour"], ["--no-colour"])
    assert option.help == "Colour the output.  [env var: CLAIMGRAPH_COLOUR; default: true]"


def test_every_setting_without_an_option_is_set_otherwise() -> None:
    """A row without a serve option of its own is set by the global --store (and the global
    options of a remote store), by --unvalidated-writes, or only by its variable
    (buffer_bytes, run_dir)."""
    from claimgraph.server.cli import REMOTE_OPTIONS

    others = {s.name for s in SETTINGS if not s.serve_option}
    assert others == {
        "store",
        *REMOTE_OPTIONS.values(),
        "buffer_bytes",
        "validate_writes",
        "union_default_graph",
        "run_dir",
    }
    assert [p.opts for p in SERVE_OPTIONS if not isinstance(p, SettingOption)] == [
        ["--unvalidated-writes"]
    ]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """The settings ``serve`` would start gunicorn with (it is not started)."""
    seen: list[Settings] = []

    class NotStarted:
        def __init__(self, settings: Settings) -> None:
            seen.append(settings)

        def run(self) -> None:
            pass

    monkeypatch.setattr(serve_cli, "ClaimgraphApplication", NotStarted)
    monkeypatch.setattr(serve_cli, "probe", lambda: None)
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    return seen


def test_serve_options_then_variables_then_defaults(
    started: list[Settings], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLAIMGRAPH_MAX_ROWS", "7")
    monkeypatch.setenv("CLAIMGRAPH_TIMEOUT", "9")
    monkeypatch.setenv("CLAIMGRAPH_TOKEN", "from-the-environment")
    store = str(tmp_path / "s")
    args = ["--store", store, "serve", "--port", "9001", "--timeout", "5", "--unvalidated-writes"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    (s,) = started
    assert (s.store, s.port, s.timeout, s.max_rows, s.workers) == (store, 9001, 5.0, 7, 2)
    assert (s.validate_writes, s.union_default_graph) == (False, False)
    assert s.resolved_token() == "from-the-environment"
    assert "writes with a token" in result.stderr


def test_serve_keeps_one_worker_for_a_memory_store(started: list[Settings]) -> None:
    result = CliRunner().invoke(main, ["--store", ":memory:", "serve", "--workers", "4"])
    assert result.exit_code == 0, result.output
    assert started[0].workers == 1 and started[0].validate_writes is True


def test_serve_refuses_to_start_without_the_sandbox(
    started: list[Settings], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(serve_cli, "probe", lambda: "seccomp is not available")
    store = str(tmp_path / "s")
    refused = CliRunner().invoke(main, ["--store", store, "serve"])
    assert refused.exit_code == 2 and "--allow-network-in-queries" in refused.stderr
    assert started == []
    allowed = CliRunner().invoke(main, ["--store", store, "serve", "--allow-network-in-queries"])
    assert allowed.exit_code == 0 and started[0].allow_network_in_queries is True
    monkeypatch.setenv("CLAIMGRAPH_ALLOW_NETWORK_IN_QUERIES", "true")
    assert CliRunner().invoke(main, ["--store", store, "serve"]).exit_code == 0


def test_a_bad_variable_is_a_usage_error(
    started: list[Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMGRAPH_PORT", "eighty")
    result = CliRunner().invoke(main, ["--store", ":memory:", "serve"])
    assert result.exit_code == 2 and "setting port: expected int" in result.stderr
