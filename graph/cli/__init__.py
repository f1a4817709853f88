"""The ``claimgraph`` command line: a thin click layer over the library.

One module per group of commands; :data:`COMMANDS` lists every command of this package and
registers it on :func:`main`.  Commands other packages provide (``serve``, from
:mod:`claimgraph.server.cli`) are named in the ``claimgraph.commands`` entry-point group and
loaded when a command line needs them.  Library errors become messages and exit codes in one
place, :class:`~claimgraph.cli.group.ClaimgraphGroup`:

0 success; 1 the data does not conform to the shapes (or validate found violations); 2
unreadable input or bad usage (parse errors, malformed queries, unknown options); 3 the store
failed; 4 something named does not exist or is ambiguous.

>>> from click.testing import CliRunner
>>> CliRunner().invoke(main, ["--store", ":memory:", "query", "--sparql", "ASK {}"]).output
'yes\\n'
"""

from __future__ import annotations

import click

from . import batches, export, extract, migrate, ontology, provenance, query, resolution, stats
from .group import ENTRY_POINT_GROUP, AppContext, ClaimgraphGroup, main, pass_app

COMMANDS: list[click.Command] = [
    batches.ingest,
    batches.validate,
    batches.retract,
    batches.batches,
    migrate.migrate,
    stats.stats,
    query.query,
    provenance.trace,
    provenance.corroboration,
    provenance.contradictions,
    provenance.flags,
    provenance.claims,
    provenance.review,
    resolution.candidates,
    resolution.link,
    resolution.unlink,
    export.export,
    extract.extract,
    extract.extract_eval,
    ontology.ontology_docs,
]
"""Every command of this package, registered on :func:`main`."""

for _command in COMMANDS:
    main.add_command(_command)

__all__ = [
    "COMMANDS",
    "ENTRY_POINT_GROUP",
    "AppContext",
    "ClaimgraphGroup",
    "main",
    "pass_app",
]
