"""HTML documentation of the ontology, generated from ``claimgraph.ttl`` with pyLODE."""

from __future__ import annotations

import tempfile
from importlib.resources import as_file, files
from pathlib import Path

from .errors import UsageError


def write_ontology_docs(output: Path) -> Path:
    """Write the ontology's HTML documentation to ``output``."""
    try:
        from pylode import OntPub
    except ImportError as e:  # pragma: no cover - depends on the install extras
        raise UsageError(
            "pyLODE is not installed: pip install 'claimgraph[docs]'"
        ) from e
    output.parent.mkdir(parents=True, exist_ok=True)
    with as_file(files("claimgraph.ontology").joinpath("claimgraph.ttl")) as ttl:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "claimgraph.ttl"
            src.write_bytes(Path(ttl).read_bytes())
            OntPub(ontology=str(src)).make_html(destination=str(output))
    return output
