"""Real SPARQL servers on loopback for the store tests, and a proxy that
fails on cue in front of them.

- :class:`OxigraphServer`: the ``oxigraph`` binary from PyPI, with the union
  default graph.
- :class:`VirtuosoServer`: Virtuoso Open Source 7 (Debian's
  ``virtuoso-opensource``, installed by ``.ci/run``), a private database in a
  temporary folder, SPARQL update granted. Where it is not installed, tests
  that need it are skipped and say so.
- :class:`FaultyProxy`: forwards every request, but answers the Nth with an
  HTTP 500 ("500"), closes the connection without an answer ("close"),
  sends half of the answer it promised ("cut"), or
  holds it past the client's timeout and then forwards it, so that the
  server still does the work ("stall").
"""

from __future__ import annotations

import http.client
import http.server
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at once (exit {process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {seconds:g} s")


class OxigraphServer:
    """A real Oxigraph server on a free loopback port, stopped by stop()."""

    engine = "oxigraph"

    def __init__(self, location: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url = f"{self.url}/query"
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"{self.url}/query?query=ASK%7B%7D", self.process, 20, "the oxigraph server")
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class VirtuosoServer:
    """Virtuoso Open Source 7 with a private database in ``folder``."""

    engine = "virtuoso"

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url = f"{self.url}/sparql"
        ini = VIRTUOSO_INI.read_text()
        ini = ini.replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
        ini = re.sub(r"(?m)^ServerPort\s*=\s*1111\b.*", f"ServerPort = 127.0.0.1:{self.sql_port}", ini)
        ini = re.sub(r"(?m)^ServerPort\s*=\s*8890\b.*", f"ServerPort = 127.0.0.1:{self.port}", ini)
        ini = re.sub(r"(?m)^DefaultHost\s*=.*", f"DefaultHost = 127.0.0.1:{self.port}", ini)
        ini = re.sub(r"(?m)^DirsAllowed\s*=.*", f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad", ini)
        # no silent cap on result rows, no time limit of its own, room for a corpus
        ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*", "ResultSetMaxRows = 100000000", ini)
        ini = re.sub(r"(?m)^MaxQueryExecutionTime\s*=.*", "MaxQueryExecutionTime = 0", ini)
        ini = re.sub(r"(?m)^NumberOfBuffers\s*=\s*10000\b.*", "NumberOfBuffers = 170000", ini)
        ini = re.sub(r"(?m)^MaxDirtyBuffers\s*=\s*6000\b.*", "MaxDirtyBuffers = 130000", ini)
        (folder / "virtuoso.ini").write_text(ini)
        self.log = (folder / "server.log").open("wb")
        self.process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        try:
            _wait_for(f"{self.url}/sparql?query=ASK%7B%7D", self.process, 60, "Virtuoso")
            subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                           check=True, capture_output=True, timeout=30)
        except (RuntimeError, subprocess.SubprocessError):
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


ENGINES = ("oxigraph", "virtuoso")


def virtuoso_available() -> bool:
    return bool(VIRTUOSO and ISQL and VIRTUOSO_INI.is_file())


def start(engine: str, folder: Path):
    """A running server of ``engine``; skips the test, saying why, when Virtuoso is not installed."""
    if engine == "virtuoso":
        import pytest

        if not virtuoso_available():
            pytest.skip("Virtuoso Open Source is not installed (apt-get install virtuoso-opensource; .ci/run does)")
        return VirtuosoServer(folder)
    return OxigraphServer(folder)


class FaultyProxy:
    """A loopback HTTP proxy in front of a server that misbehaves on purpose at
    its Nth request (see the module's description); ``nth=0`` never does.
    ``count`` is the number of requests seen; ``stalled`` the threads still
    holding a request."""

    def __init__(self, upstream: str, mode: str = "none", nth: int = 0, delay: float = 3.0) -> None:
        self.upstream, self.mode, self.nth, self.delay = upstream, mode, nth, delay
        self.count = 0
        self.methods: list[str] = []
        self.stalled: list[threading.Thread] = []
        self._lock = threading.Lock()
        proxy = self
        target = urllib.parse.urlsplit(upstream)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            upstream_server = None

            def log_message(self, *args):
                pass

            def version_string(self):
                """The server's own ``Server`` header, so that kgraph sees which engine it talks to."""
                return self.upstream_server or super().version_string()

            def _forward(self):
                with proxy._lock:
                    proxy.count += 1
                    number = proxy.count
                    proxy.methods.append(self.command)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fault = proxy.mode if number == proxy.nth else "none"
                if fault == "500":
                    self._send(500, b"store exploded", "text/plain")
                    return
                if fault == "close":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault == "stall":
                    proxy.stalled.append(threading.current_thread())
                    time.sleep(proxy.delay)  # the client gives up; the server still gets the request
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept", "authorization")}
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                try:
                    connection.request(self.command, self.path, body=body or None, headers=headers)
                    response = connection.getresponse()
                    data = response.read()
                    status, kind = response.status, response.getheader("Content-Type", "text/plain")
                    self.upstream_server = response.getheader("Server")
                finally:
                    connection.close()
                if fault == "stall":
                    self.close_connection = True
                    return
                if fault == "cut":  # promise the whole answer, send half of it
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._send(status, data, kind)

            def _send(self, status: int, data: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def settle(self) -> None:
        """Wait until every stalled request has reached the server."""
        for thread in list(self.stalled):
            thread.join(self.delay + 30)

    def close(self):
        self.settle()
        self.server.shutdown()
        self.server.server_close()
