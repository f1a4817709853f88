"""The server's access log (claimgraph.server.cli.AccessLogger) writes the line gunicorn's own
logger writes, from only the fields the format names."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger, SafeAtoms

from claimgraph.server.cli import ACCESS_LOG_FORMAT, AccessLogger


def _line(logger_class: type[Logger], environ: dict[str, str], sent: int | None) -> str:
    cfg = Config()
    cfg.set("access_log_format", ACCESS_LOG_FORMAT)
    logger = logger_class(cfg)
    logger.now = lambda: "[02/Dec/2026:04:25:08 +0000]"  # type: ignore[method-assign]
    resp = SimpleNamespace(
        status="200 OK", sent=sent, headers=[("Content-Type", "application/json")]
    )
    req = SimpleNamespace(headers=[("HOST", "127.0.0.1")])
    took = datetime.timedelta(seconds=1, microseconds=2345)
    atoms = logger.atoms(resp, req, environ, took)
    return str(ACCESS_LOG_FORMAT % SafeAtoms(atoms))


def test_the_access_log_line_is_gunicorns() -> None:
    environs = [
        {
            "REMOTE_ADDR": "192.0.2.7",
            "REQUEST_METHOD": "GET",
            "RAW_URI": "/sparql?query=ASK%7B%7D&token=secret",
            "PATH_INFO": "/sparql",
            "QUERY_STRING": "query=ASK%7B%7D&token=secret",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": 'http://example.org/"quoted"',
            "HTTP_USER_AGENT": "curl/8",
            "HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz",
        },
        {
            "REQUEST_METHOD": "POST",
            "RAW_URI": "/update",
            "PATH_INFO": "/update",
            "SERVER_PROTOCOL": "HTTP/1.0",
        },
    ]
    for environ in environs:
        for sent in (126, None):
            ours = _line(AccessLogger, environ, sent)
            assert ours == _line(Logger, environ, sent)
            assert "secret" not in ours and "query=" not in ours
    assert _line(AccessLogger, environs[0], 126) == (
        '192.0.2.7 - user [02/Dec/2026:04:25:08 +0000] "GET /sparql HTTP/1.1" 200 126 '
        '"http://example.org/\\"quoted\\"" "curl/8" 1.002345s'
    )
