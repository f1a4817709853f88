"""The server's access log (claimgraph.server.cli.AccessLogger) writes the line gunicorn's own
logger writes, from only the fields the format names."""

from __future__ import annotations

import datetime
from pathlib import Path
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


def _written(logger_class: type[Logger], path: Path, environ: dict[str, str]) -> str:
    cfg = Config()
    cfg.set("access_log_format", ACCESS_LOG_FORMAT)
    cfg.set("accesslog", str(path))
    logger = logger_class(cfg)
    logger.now = lambda: "[02/Dec/2026:04:25:08 +0000]"  # type: ignore[method-assign]
    resp = SimpleNamespace(status="200 OK", sent=126, headers=[])
    req = SimpleNamespace(headers=[])
    for _ in range(2):
        logger.access(resp, req, environ, datetime.timedelta(microseconds=2345))
    for handler in logger.access_log.handlers:
        handler.close()
    return path.read_text()


def test_the_access_log_written_is_gunicorns(tmp_path: Path) -> None:
    """The line AccessLogger writes to the log file itself (not through a LogRecord) is the
    line gunicorn's logger writes, one per request, with its quotes escaped."""
    environ = {
        "REMOTE_ADDR": "192.0.2.7",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/sparql?query=ASK%7B%7D",
        "PATH_INFO": "/sparql",
        "QUERY_STRING": "query=ASK%7B%7D",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": 'agent "quoted"',
    }
    ours = _written(AccessLogger, tmp_path / "ours.log", environ)
    assert ours == _written(Logger, tmp_path / "gunicorns.log", environ)
    assert (
        ours.splitlines()
        == [
            '192.0.2.7 - - [02/Dec/2026:04:25:08 +0000] "GET /sparql HTTP/1.1" 200 126 "-" '
            '"agent \\"quoted\\"" 0.002345s'
        ]
        * 2
    )


def test_the_access_log_stamp_is_gunicorns() -> None:
    """The time stamp, formatted once a second, is gunicorn's."""
    logger = AccessLogger(Config())
    assert logger.now() in (Logger.now(logger), logger.now())
