"""How commands write what they print: bytes as they are, JSON indented."""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def echo_bytes(data: bytes) -> None:
    """Write ``data`` to standard output as it is, ending it with a newline if it has none
    (serialised RDF and query results are bytes in their own encoding)."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    out.write(data)
    if data and not data.endswith(b"\n"):
        out.write(b"\n")
    out.flush()


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON, non-ASCII characters kept as they are."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
