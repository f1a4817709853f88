"""The one exception hierarchy of claimgraph.

The library raises these; only the CLI turns them into exit codes and only the server turns
them into HTTP responses.  Each carries the exit code the CLI uses and the HTTP status the
server uses, so both edges stay consistent.
"""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class of every error claimgraph raises on purpose."""

    exit_code = 3
    http_status = 500


class ParseError(ClaimgraphError):
    """Input could not be parsed: carries the file and, where known, the line and column."""

    exit_code = 2
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        where = source or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")
        self.message = message


class RefusedInput(ParseError):
    """Input that parses, but holds what claimgraph never reads: an external DTD or entity, an
    XML entity or YAML alias that refers to itself, a special file.  Exit code 2; HTTP 422
    (unlike a syntax error, resending it unchanged can never succeed)."""

    http_status = 422


class ValidationFailed(ClaimgraphError):
    """A batch broke one or more SHACL rules of severity sh:Violation; nothing was written."""

    exit_code = 1
    http_status = 422

    def __init__(self, report: object, message: str = "") -> None:
        self.report = report
        super().__init__(message or "the data does not conform to the claimgraph shapes")


class DraftRefused(ClaimgraphError):
    """A batch holds drafts a tool wrote that no person has reviewed; nothing was written."""

    exit_code = 1
    http_status = 422


class DependentBatches(ClaimgraphError):
    """A batch other batches depend on was not retracted: that would break them."""

    exit_code = 1
    http_status = 409


class NotFound(ClaimgraphError):
    """A batch, claim, saved query or other named thing does not exist."""

    exit_code = 4
    http_status = 404


class Ambiguous(ClaimgraphError):
    """A short name matched more than one thing."""

    exit_code = 4
    http_status = 400


class UsageError(ClaimgraphError):
    """A request is malformed: a bad parameter, an unsupported format, a missing value."""

    exit_code = 2
    http_status = 400


class QueryError(ClaimgraphError):
    """A SPARQL query or update is malformed or refused."""

    exit_code = 2
    http_status = 400


class ForbiddenQuery(QueryError):
    """A query asks the store to reach outside itself (SERVICE, LOAD, a remote FROM)."""

    http_status = 403


class StoreError(ClaimgraphError):
    """The store could not be opened, read or written."""

    exit_code = 3
    http_status = 503


def syntax_message(kind: str, text: str, message: str) -> str:
    """A SPARQL parser's message made readable: an undeclared prefix is named, with the
    prefixes there are, and the parser's lists of expected character classes are cut.

    >>> syntax_message("query", "SELECT * { ?s foo:p ?o }", "error at 1:18: expected one of "
    ...                "Prefix not found, ['%'], ['-' | '0' ..= '9']").split(";")[0]
    'malformed query: unknown prefix foo: (at line 1, column 18)'
    >>> syntax_message("query", "SELECT ?s WHERE { ?s ?p }", "error at 1:26: expected one of "
    ...                "LATERAL, SERVICE, [_]")
    'malformed query: at line 1, column 26: expected one of LATERAL, SERVICE, [_]'
    """
    import re

    from .rdf import PREFIXES

    message = re.sub(r"^error at (\d+):(\d+)", r"at line \1, column \2", message)
    where = re.match(r"(at line \d+, column \d+)", message)
    if "Prefix not found" in message:
        unknown = _undeclared_prefixes(text, PREFIXES)
        if unknown:
            names = ", ".join(f"{p}:" for p in unknown)
            at = f" ({where.group(1)})" if where else ""
            return (
                f"malformed {kind}: unknown prefix {names}{at}; declare it with PREFIX "
                f"{unknown[0]}: <...>, or use one of the predeclared prefixes: "
                f"{', '.join(sorted(PREFIXES))}"
            )
    short = re.sub(r"\[[^\[\]]*(?:\.\.=|\\u\{)[^\[\]]*\]", "[…]", message)
    short = re.sub(r"(?:\[…\],?\s*)+", "[…] ", short).strip()
    return f"malformed {kind}: {short[:400]}"


def _undeclared_prefixes(text: str, predeclared: dict[str, str]) -> list[str]:
    """The prefixes a SPARQL request uses without declaring them (nor are they predeclared)."""
    from .sparql.text import tokens

    try:
        toks = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    except QueryError:
        return []
    declared = set(predeclared) | {
        nxt.text[:-1]
        for tok, nxt in zip(toks, toks[1:], strict=False)
        if tok.upper == "PREFIX" and nxt.kind == "pname"
    }
    used = {t.text.split(":", 1)[0] for t in toks if t.kind == "pname"}
    return sorted(used - declared - {""})
