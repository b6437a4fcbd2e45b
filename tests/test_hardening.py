"""Guards that cannot be bypassed, as an attacker or a careless user meets
them: every test runs the command line in a process of its own, and every
promise about the network is checked by a real listener on loopback that
would see a connection, including one the native engines make."""

from __future__ import annotations

import base64
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PREFIXES, ROOT

KGRAPH = [sys.executable, "-m", "kgraph.cli"]


def kgraph(*args, cwd=None, env=None, timeout=120, shell_prefix=None):
    """Run kgraph in a process of its own."""
    command = [*KGRAPH, *map(str, args)]
    if shell_prefix:  # e.g. "ulimit -f 16;"
        command = ["bash", "-c", shell_prefix + " exec " + " ".join(f"'{c}'" for c in command)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=(os.environ | (env or {})) | {"KGRAPH_STORE": ""})


class Spy:
    """An HTTP server on loopback that records every request it gets; it
    answers SPARQL requests with an empty result, and redirects when told to."""

    def __init__(self, host: str = "127.0.0.1", redirect_to: str | None = None) -> None:
        spy = self
        self.requests: list[dict] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                spy.requests.append({"path": self.path, "headers": dict(self.headers),
                                     "body": self.rfile.read(length) if length else b""})
                if redirect_to:
                    self.send_response(302)
                    self.send_header("Location", redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _any

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def spy():
    running = Spy()
    yield running
    running.close()


@pytest.fixture
def hostile(tmp_path, spy):
    """A project copy whose own files reach for the spy in every way they can:
    a check, a network query and a shape that call SERVICE, an owl:imports and
    a JSON-LD context pointing at it."""
    root = tmp_path / "project"
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, root / part)
    (root / "queries" / "checks" / "phone-home.rq").write_text(
        f"# title: Phone home\n# severity: violation\nSELECT ?focus WHERE {{ SERVICE <{spy.url}/check> {{ ?focus ?p ?o }} }}\n")
    participation = root / "queries" / "networks" / "participation.rq"
    participation.write_text(participation.read_text().replace(
        "?event kg:participation ?participation .",
        f"?event kg:participation ?participation . SERVICE SILENT <{spy.url}/network> {{ ?x ?y ?z }}", 1))
    shapes = root / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text() + f'''
kgsh:PhoneHome a sh:NodeShape ; sh:targetClass kg:Meeting ;
    sh:sparql [ sh:select """SELECT $this WHERE {{ SERVICE <{spy.url}/shape> {{ $this ?p ?o }} }}""" ] .
''')
    (root / "data" / "imports.ttl").write_text(PREFIXES + f"""
<https://w3id.org/kgraph/ontology-extension> a <http://www.w3.org/2002/07/owl#Ontology> ;
    <http://www.w3.org/2002/07/owl#imports> <{spy.url}/more.ttl> .
""")
    return root


def test_no_path_that_runs_sparql_calls_service(hostile, spy, tmp_path):
    """A check, a network query and a SHACL-SPARQL constraint that call SERVICE
    are refused on every command that would run them, with either engine,
    and the listener sees nothing."""
    for args in (["validate"], ["validate", "--shacl-engine", "pyshacl"], ["analyze", "interaction"],
                 ["export", "interaction", "-o", tmp_path / "i.gexf"]):
        out = kgraph("--project", hostile, *args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert "calls SERVICE" in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert spy.requests == []


@pytest.mark.parametrize("trick", [
    "SERVICE <{url}/plain> {{ ?s ?p ?o }}",
    "SeRvIcE <{url}/case> {{ ?s ?p ?o }}",
    "?s ex:a\\#b ?o . SERVICE <{url}/escaped-local-name> {{ ?s ?p ?o }}",
    "\\u0053ERVICE <{url}/codepoint-escape> {{ ?s ?p ?o }}",
    "\\U00000053ERVICE <{url}/long-escape> {{ ?s ?p ?o }}",
    "{{ SELECT * WHERE {{ SERVICE SILENT <{url}/subquery> {{ ?s ?p ?o }} }} }}",
])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_service_is_refused_however_it_is_written(tmp_path, spy, trick, engine):
    query = tmp_path / "q.rq"
    query.write_text("PREFIX ex: <http://example.org/>\nSELECT * WHERE { " + trick.format(url=spy.url) + " }\n")
    out = kgraph("--project", ROOT, "query", query, "--engine", engine)
    assert out.returncode == 2 and "SERVICE" in out.stderr, (out.stdout, out.stderr)
    assert spy.requests == []


def test_the_listener_does_see_a_service_call_when_one_is_allowed(tmp_path, spy):
    """The control: with --allow-service the native engine does call out, and
    the listener sees it (so its silence above means something)."""
    query = tmp_path / "q.rq"
    query.write_text(f"SELECT * WHERE {{ SERVICE <{spy.url}/allowed> {{ ?s ?p ?o }} }}\n")
    out = kgraph("--project", ROOT, "query", query, "--allow-service", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert [r["path"] for r in spy.requests][:1] == ["/allowed"]


def test_the_whole_command_line_runs_without_the_network(hostile, spy, tmp_path):
    """Every command, in a process of its own, on data that points at the
    listener (an owl:imports, with the SERVICE-calling files removed): the
    listener sees no connection at all."""
    shutil.copy(ROOT / "ontology" / "shapes.ttl", hostile / "ontology" / "shapes.ttl")
    shutil.copy(ROOT / "queries" / "networks" / "participation.rq", hostile / "queries" / "networks" / "participation.rq")
    (hostile / "queries" / "checks" / "phone-home.rq").unlink()
    (hostile / "data" / "remote.jsonld").write_text(json.dumps(
        {"@context": f"{spy.url}/context.jsonld", "@id": "https://w3id.org/kgraph/actor/x", "p": "x"}))
    refused = kgraph("--project", hostile, "validate")
    assert refused.returncode == 2 and "remote" in refused.stderr  # the JSON-LD context is never fetched
    (hostile / "data" / "remote.jsonld").unlink()
    commands = [
        ["validate"], ["validate", "--format", "sarif"], ["validate", "--shacl-engine", "pyshacl"],
        ["stats", "--format", "json"], ["query", "--list"], ["query", "who-mediates-whom", "--format", "json"],
        ["query", "actor-profile", "-p", "actor=Baku", "--engine", "rdflib", "--format", "csv"],
        ["networks"], ["analyze", "signed", "--format", "json"], ["plot", "mediation", "-o", tmp_path / "m.svg"],
        ["export", "stance", "-o", tmp_path / "s.gexf"], ["dump", tmp_path / "all.trig"],
        ["docs", "-o", tmp_path / "ontology.md"], ["--store", tmp_path / "store", "load"],
        ["--store", tmp_path / "store", "query", "posts", "--format", "csv"],
        ["--store", tmp_path / "store", "validate"],
    ]
    for command in commands:
        out = kgraph("--project", hostile, *command)
        assert out.returncode in (0, 1), (command, out.stderr)
    assert spy.requests == []


def test_kgraph_serve_refuses_service_for_its_clients(tmp_path, spy):
    """The endpoint kgraph serve opens passes queries through, but not one
    that calls SERVICE (however escaped): the server never calls out."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([*KGRAPH, "--project", str(ROOT), "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait(url, process)

        def ask(query: str):
            request = urllib.request.Request(url, data=query.encode(), method="POST",
                                             headers={"Content-Type": "application/sparql-query",
                                                      "Accept": "application/sparql-results+json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()

        assert ask("ASK { ?s ?p ?o }") == (200, b'{"head":{},"boolean":true}')
        for query in (f"SELECT * WHERE {{ SERVICE <{spy.url}/serve> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ \\u0053ERVICE <{spy.url}/serve> {{ ?s ?p ?o }} }}"):
            status, body = ask(query)
            assert status == 400 and b"SERVICE" in body
        form = urllib.request.Request(f"{url}?query=" + urllib.parse.quote(
            f"SELECT * WHERE {{ SERVICE <{spy.url}/get> {{ ?s ?p ?o }} }}"))
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(form, timeout=10)
        assert refused.value.code == 400
        assert spy.requests == []
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)


def _wait(url: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("kgraph serve did not start")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_kgraph_serve_cleans_up_whatever_stops_it(how):
    """SIGTERM, or Ctrl-C (SIGINT to the whole process group, as a terminal
    sends it): the temporary store is removed and the Oxigraph server stops."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([*KGRAPH, "--project", str(ROOT), "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait(f"http://127.0.0.1:{port}/query", process)
    line = process.stdout.readline()
    location = Path(line.rsplit(" into ", 1)[1].strip())
    assert location.is_dir()
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert children, "the Oxigraph server runs as a child"
    if how == signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)
    assert process.returncode == 0
    assert not location.exists(), "the temporary store is removed"
    for child in children:
        assert not Path(f"/proc/{child}").exists() or "zombie" in Path(f"/proc/{child}/status").read_text().lower()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_credentials_never_follow_a_redirect_to_another_host():
    """A server that redirects (302) to another address: kgraph follows no
    redirect, so the token never reaches the other host, and says why."""
    other = Spy(host="127.0.0.2")
    first = Spy(redirect_to=f"{other.url}/query")
    try:
        out = kgraph("--project", ROOT, "--store", f"{first.url}/query", "query", "posts", "--format", "csv",
                     env={"KGRAPH_SPARQL_TOKEN": "secret-token-123"})
        assert out.returncode == 2 and "redirects (302)" in out.stderr, out.stderr
        assert first.requests and first.requests[0]["headers"].get("Authorization") == "Bearer secret-token-123"
        assert other.requests == []
        assert "secret-token-123" not in out.stdout + out.stderr
    finally:
        other.close()
        first.close()


def test_credentials_in_the_url_are_used_and_never_printed():
    server = Spy(redirect_to=None)
    try:
        spec = server.url.replace("http://", "http://ann:s%3Acret-pass@") + "/query"
        out = kgraph("--project", ROOT, "--store", spec, "--timeout", "5", "query", "posts", "--format", "csv")
        assert out.returncode == 0, out.stderr
        sent = server.requests[0]["headers"]["Authorization"]
        assert base64.b64decode(sent.removeprefix("Basic ")).decode() == "ann:s:cret-pass"
        server.close()
        failed = kgraph("--project", ROOT, "--store", spec, "--timeout", "2", "query", "posts")
        assert failed.returncode == 2 and "cannot connect" in failed.stderr
        assert "cret-pass" not in failed.stdout + failed.stderr and "ann:" not in failed.stderr
    finally:
        try:
            server.close()
        except OSError:
            pass


# -- kgraph's own graphs, and graphs of other files -----------------------------------


def _copy(tmp_path) -> Path:
    root = tmp_path / "project"
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, root / part)
    return root


def test_data_cannot_write_kgraphs_own_records(tmp_path):
    """An article that declares kgraph's bookkeeping graph (to forge the record
    that a graph was validated) is refused by every command, and a store keeps
    its records."""
    root = _copy(tmp_path)
    store = tmp_path / "store"
    assert kgraph("--project", root, "--store", store, "load").returncode == 0
    before = _quads(store)
    (root / "data" / "articles" / "evil.trig").write_text(PREFIXES + """
<https://w3id.org/kgraph/graph/kgraph-meta> { <https://w3id.org/kgraph/graph/articles/evil> <https://w3id.org/kgraph/meta#sha256> "0" . }
<https://w3id.org/kgraph/graph/articles/evil> { <https://w3id.org/kgraph/statement/x> a kg:Statement ; kg:quote "hi" . }
""")
    for args in (["--store", store, "load"], ["validate"], ["stats"]):
        out = kgraph("--project", root, *args)
        assert out.returncode == 2 and "reserved for kgraph's own records" in out.stderr, (args, out.stderr)
    assert _quads(store) == before


def test_validating_a_store_covers_every_graph_it_holds(tmp_path):
    """A graph another tool wrote into the store, with no record of kgraph's,
    is validated too: validation trusts no record that data could forge."""
    root = _copy(tmp_path)
    store = tmp_path / "store"
    assert kgraph("--project", root, "--store", store, "load").returncode == 0
    writer = ox.Store(str(store))
    writer.add(ox.Quad(ox.NamedNode("https://w3id.org/kgraph/statement/sneaked"),
                       ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                       ox.NamedNode("https://w3id.org/kgraph/ontology#Statement"),
                       ox.NamedNode("https://w3id.org/kgraph/graph/articles/sneaked")))
    del writer
    out = kgraph("--project", root, "--store", store, "validate")
    assert out.returncode == 1 and "stmt:sneaked" in out.stdout, out.stdout


def test_a_partial_load_never_replaces_another_files_graph(tmp_path):
    root = _copy(tmp_path)
    store = tmp_path / "store"
    assert kgraph("--project", root, "--store", store, "load").returncode == 0
    before = _quads(store)
    evil = tmp_path / "evil.trig"
    evil.write_text("<https://w3id.org/kgraph/graph/registry/actors> { <http://example.org/s> <http://example.org/p> 1 . }\n")
    out = kgraph("--project", root, "--store", store, "load", evil)
    assert out.returncode == 2 and "is also filled by data/registry/actors.ttl" in out.stderr, out.stderr
    assert _quads(store) == before


def _quads(store: Path) -> set:
    opened = ox.Store.read_only(str(store))
    try:
        return set(opened.quads_for_pattern(None, None, None, None))
    finally:
        del opened


# -- every failure a clean error -----------------------------------------------------


@pytest.mark.parametrize("command", [
    ["export", "stance", "-o", "{dir}/stance.gexf"],
    ["query", "stances", "--format", "json", "-o", "{dir}/stances.json"],
    ["docs", "-o", "{dir}/ontology.md"],
    ["dump", "{dir}/all.nq"],
])
def test_a_full_disk_is_a_clean_error_and_keeps_the_earlier_file(tmp_path, command):
    """A file-size limit (ulimit -f, as a full disk behaves for one file):
    exit 2, one Error line, no traceback, the earlier file intact, no
    temporary file left."""
    args = [part.format(dir=tmp_path) for part in command]
    target = Path(args[-1])
    target.write_text("earlier\n")
    out = kgraph("--project", ROOT, *args, shell_prefix="ulimit -f 16;")
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("Error: ") and "File too large" in out.stderr and "Traceback" not in out.stderr
    assert target.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_full_disk_during_a_load_is_a_clean_error(tmp_path):
    from benchmarks.generate import generate  # a corpus large enough to fill the limit

    corpus = tmp_path / "corpus"
    generate(corpus, triples=60_000)
    out = kgraph("--store", tmp_path / "store", "load", cwd=corpus, shell_prefix="ulimit -f 4000;")
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("Error: ") and "File too large" in out.stderr and "Traceback" not in out.stderr


def test_a_custom_sh_severity_is_a_violation_not_a_crash(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text((ROOT / "ontology" / "shapes.ttl").read_text().replace(
        'sh:message "A statement needs kg:speaker', 'sh:severity <http://example.org/Critical> ;\n    sh:message "A statement needs kg:speaker', 1))
    for engine in ("shacl", "pyshacl"):
        out = kgraph("--project", ROOT, "validate", "--shapes", shapes, "--shacl-engine", engine,
                     ROOT / "docs" / "examples" / "draft.ttl")
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert "violation: [severity Critical] A statement needs kg:speaker" in out.stdout


def test_a_dangling_data_folder_is_a_clean_error(tmp_path):
    root = _copy(tmp_path)
    shutil.rmtree(root / "data" / "articles")
    (root / "data" / "articles").symlink_to(tmp_path / "nowhere")
    out = kgraph("--project", root, "validate")
    assert out.returncode == 2 and "is a symbolic link to" in out.stderr and "Traceback" not in out.stderr


def test_a_title_that_is_not_utf8_is_a_clean_error(tmp_path):
    root = _copy(tmp_path)
    text = tmp_path / "t.txt"
    text.write_text("Written for this test.")
    done = subprocess.run([*map(os.fsencode, KGRAPH), b"--project", os.fsencode(root), b"new", b"article", b"--title",
                           b"caf\xe9", b"--text", os.fsencode(text)], capture_output=True)
    assert done.returncode == 2 and b"not valid text" in done.stderr and b"Traceback" not in done.stderr
    assert not (root / "data" / "sources" / "cafe.txt").exists()


def test_a_non_latin_title_gets_a_transliterated_slug(tmp_path):
    root = _copy(tmp_path)
    text = tmp_path / "t.txt"
    text.write_text("Written for this test.")
    out = kgraph("--project", root, "new", "article", "--title", "Встреча в Ханкенди", "--text", text)
    assert out.returncode == 0, out.stderr
    assert (root / "data" / "articles" / "vstrecha-v-khankendi.trig").is_file()


def test_global_options_work_after_the_command(tmp_path):
    out = kgraph("load", "--store", tmp_path / "store", "--project", ROOT)
    assert out.returncode == 0 and "disk store: loaded" in out.stdout, out.stderr
    out = kgraph("stats", "--project", ROOT, "--format", "json", "--store", tmp_path / "store")
    assert out.returncode == 0 and json.loads(out.stdout)["triples"] > 500


def test_a_store_in_a_folder_that_does_not_exist_yet(tmp_path):
    out = kgraph("--project", ROOT, "--store", tmp_path / "new" / "deeper" / "store", "load")
    assert out.returncode == 0, out.stderr


def test_a_store_older_than_the_files_says_so(tmp_path):
    root = _copy(tmp_path)
    store = tmp_path / "store"
    assert kgraph("--project", root, "--store", store, "load").returncode == 0
    quiet = kgraph("--project", root, "--store", store, "query", "posts", "--format", "csv")
    assert quiet.returncode == 0 and "older" not in quiet.stderr
    places = root / "data" / "registry" / "places.ttl"
    places.write_text(places.read_text() + "\n# an edit\n")
    noted = kgraph("--project", root, "--store", store, "query", "posts", "--format", "csv")
    assert noted.returncode == 0
    assert "note: the store is older than the files: 1 changed (data/registry/places.ttl)" in noted.stderr
    assert kgraph("--project", root, "--store", store, "load").returncode == 0
    assert "older" not in kgraph("--project", root, "--store", store, "stats").stderr


def test_one_missing_actor_is_one_violation(tmp_path):
    root = _copy(tmp_path)
    article = root / "data" / "articles" / "baku-stepanakert-contacts-opinion.trig"
    article.write_text(article.read_text().replace("kg:participant actor:ramin-mammadov", "kg:participant actor:ramin-mamedov", 1))
    out = kgraph("--project", root, "validate")
    lines = [line for line in out.stdout.splitlines() if "ramin-mamedov" in line]
    assert out.returncode == 1 and len(lines) == 1 and "Nothing describes" in lines[0], out.stdout
