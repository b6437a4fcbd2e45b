"""``kgraph serve``: the Oxigraph server behind a guard.

The Oxigraph server answers on a private loopback port; clients talk to a
small HTTP front that passes every request through, but refuses a query or
update that calls ``SERVICE`` (see :mod:`kgraph.sparql.guard`): a public
endpoint must not become a way to make the server contact other hosts. The
front and the server stop together, whatever ends the process (Ctrl-C,
SIGTERM), and a temporary store is removed.
"""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import StoreError

__all__ = ["GuardedEndpoint", "serve"]

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "host", "content-length"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sparql_text(method: str, path: str, content_type: str, body: bytes) -> str | None:
    """The query or update a SPARQL protocol request carries, if any.

    >>> sparql_text("GET", "/query?query=ASK%7B%7D", "", b"")
    'ASK{}'
    >>> sparql_text("POST", "/update", "application/sparql-update", b"CLEAR ALL")
    'CLEAR ALL'
    """
    parsed = urllib.parse.urlsplit(path)
    fields = urllib.parse.parse_qs(parsed.query)
    kind = content_type.split(";", 1)[0].strip().lower()
    if method == "POST":
        if kind in ("application/sparql-query", "application/sparql-update"):
            return body.decode("utf-8", "replace")
        if kind == "application/x-www-form-urlencoded":
            fields |= urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    for name in ("query", "update"):
        if fields.get(name):
            return "\n".join(fields[name])
    return None


class GuardedEndpoint:
    """An HTTP front on ``host:port`` for the server at ``upstream`` (a loopback port)."""

    def __init__(self, host: str, port: int, upstream_port: int) -> None:
        from ..sparql.guard import calls_service

        upstream = ("127.0.0.1", upstream_port)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # quiet: the server logs nothing by default
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                text = sparql_text(self.command, self.path, self.headers.get("Content-Type", ""), body)
                if text is not None and calls_service(text) is not False:
                    self._answer(400, b"kgraph serve refuses queries and updates that call SERVICE "
                                      b"(or that it cannot parse)\n")
                    return
                connection = http.client.HTTPConnection(*upstream, timeout=600)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                    connection.request(self.command, self.path, body=body or None, headers=headers)
                    response = connection.getresponse()
                    data = response.read()
                except OSError as exc:
                    self._answer(502, f"the SPARQL server did not answer: {exc}\n".encode())
                    return
                finally:
                    connection.close()
                self.send_response(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _answer(self, status: int, message: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="kgraph-serve", daemon=True)

    def start(self) -> "GuardedEndpoint":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(binary: str, location: Path, host: str, port: int, *, writable: bool = False,
          temporary: bool = False, ready: Callable[[str], None] | None = None) -> int:
    """Run the Oxigraph server on ``location`` behind a :class:`GuardedEndpoint`
    on ``host:port`` until the process is interrupted or terminated; then stop
    both and, if ``temporary``, remove ``location``. Returns the exit code."""
    inner = _free_port()
    command = [binary, "serve" if writable else "serve-read-only", "--location", str(location),
               "--bind", f"127.0.0.1:{inner}", "--union-default-graph"]
    log = tempfile.TemporaryFile()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    front = None

    def terminate(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        _wait_for(inner, child, log)
        try:
            front = GuardedEndpoint(host, port, inner).start()
        except OSError as exc:
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        if ready:
            ready(f"http://{host}:{front.port}/query")
        while child.poll() is None:
            time.sleep(0.2)
        return child.returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if front is not None:
            front.stop()
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        log.close()
        if temporary:
            shutil.rmtree(location, ignore_errors=True)


def _wait_for(port: int, child: subprocess.Popen, log, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            log.seek(0)
            message = log.read().decode("utf-8", "replace").strip()
            raise StoreError(f"the Oxigraph server stopped at once: {message[-300:] or 'no message'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise StoreError(f"the Oxigraph server did not start within {seconds:g} s")
