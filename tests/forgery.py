"""Requests that try to make claimgraph reach the network, hidden every way the SPARQL grammar
allows, and a loopback listener that counts the connections they cause.

Shared by the library tests (``test_sparql_safety.py``) and the live-server tests
(``test_server_live.py``)."""

from __future__ import annotations

import socket
import threading


class Listener:
    """A TCP listener on loopback that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/data"

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        self.sock.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _escaped(url: str) -> str:
    """``url`` with its letters written as ``\\u`` escapes (legal inside an IRI)."""
    return "".join(f"\\u{ord(c):04X}" if c.isalpha() else c for c in url)


def hidden_queries(url: str) -> dict[str, str]:
    """Queries that would make an engine call ``url``, by name."""
    base, _, last = url.rpartition("/")
    svc = f"SERVICE <{url}> {{ ?s ?p ?o }}"
    return {
        "plain": f"SELECT * WHERE {{ {svc} }}",
        "comment-cr": f"SELECT * WHERE {{ ?s ?p ?o # hidden?\r{svc} }}",
        "comment-lf": f"SELECT * WHERE {{ ?s ?p ?o # hidden?\n{svc} }}",
        "comment-crlf": f"SELECT * WHERE {{ ?s ?p ?o # hidden?\r\n{svc} }}",
        "comment-cr-then-newline-comment": f"SELECT * #a\r#b\r\nWHERE {{ {svc} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "mixed-case": f"SELECT * WHERE {{ sErViCe <{url}> {{ ?s ?p ?o }} }}",
        "no-spaces": f"SELECT * WHERE{{SERVICE<{url}>{{?s ?p ?o}}}}",
        "after-dot": f"SELECT * WHERE {{ ?s ?p ?o .SERVICE<{url}>{{ ?s ?p ?o }} }}",
        "escaped-iri": f"SELECT * WHERE {{ SERVICE <{_escaped(url)}> {{ ?s ?p ?o }} }}",
        "prefixed-name": f"PREFIX : <{base}/> SELECT * WHERE {{ SERVICE:{last} {{ ?s ?p ?o }} }}",
        "prefix-glued": f"PREFIX s: <{base}/> SELECT * WHERE {{ SERVICEs:{last} {{ ?s ?p ?o }} }}",
        "prefixed-name-spaced": f"PREFIX ex: <{base}/> SELECT * WHERE {{ SERVICE ex:{last} "
        "{ ?s ?p ?o } }",
        "relative-to-base": f"BASE <{base}/> SELECT * WHERE {{ SERVICE <{last}> {{ ?s ?p ?o }} }}",
        "variable": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "exists": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {svc} }} }}",
        "not-exists": f"SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {svc} }} }}",
        "minus": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ {svc} }} }}",
        "optional": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {svc} }} }}",
        "union": f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {svc} }} }}",
        "graph": f"SELECT * WHERE {{ GRAPH ?g {{ {svc} }} }}",
        "sub-select": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {svc} }} }} }}",
        "sub-select-comment-cr": f"SELECT * WHERE {{ {{ SELECT ?s # x\rWHERE {{ {svc} }} }} }}",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {svc} }}",
        "ask": f"ASK {{ {svc} }}",
        "describe": f"DESCRIBE ?s WHERE {{ {svc} }}",
        "from": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "from-named": f"ASK FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "from-prefixed": f"PREFIX ex: <{base}/> SELECT * FROM ex:{last} WHERE {{ ?s ?p ?o }}",
        "from-escaped": f"SELECT * FROM <{_escaped(url)}> WHERE {{ ?s ?p ?o }}",
        "from-comment-cr": f"SELECT * # x\rFROM <{url}> WHERE {{ ?s ?p ?o }}",
    }


def hidden_updates(url: str) -> dict[str, str]:
    """Updates that would make an engine fetch ``url``, by name."""
    base, _, last = url.rpartition("/")
    return {
        "load": f"LOAD <{url}>",
        "load-silent-into": f"LOAD SILENT <{url}> INTO GRAPH <urn:g>",
        "load-comment-cr": f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} # x\r; LOAD <{url}>",
        "load-comment-crlf": f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} # x\r\n; LOAD <{url}>",
        "load-prefixed": f"PREFIX : <{base}/> LOAD:{last}",
        "load-escaped": f"LOAD <{_escaped(url)}>",
        "load-lower": f"load <{url}> into graph <urn:g>",
        "service-in-where": f"INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ SERVICE <{url}> "
        "{ ?s ?p ?o } }",
        "service-comment-cr": f"INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ # x\rSERVICE <{url}> "
        "{ ?s ?p ?o } }",
        "using": f"INSERT {{ <urn:a> <urn:b> ?o }} USING <{url}> WHERE {{ ?s ?p ?o }}",
        "using-named": f"INSERT {{ <urn:a> <urn:b> ?o }} USING NAMED <{url}> "
        "WHERE { GRAPH ?g { ?s ?p ?o } }",
    }
