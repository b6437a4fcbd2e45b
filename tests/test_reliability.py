"""Hostile input and the network: kgraph never expands XML entities, never
fetches a remote JSON-LD context or an owl:imports, and runs without the
network unless a remote store is configured."""

from __future__ import annotations

import socket
import threading

import pytest

from conftest import PREFIXES

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&h;</ex:p></rdf:Description>
</rdf:RDF>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&secret;</ex:p></rdf:Description>
</rdf:RDF>
"""


class Listener:
    """A TCP listener on loopback that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.socket.close()


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


@pytest.mark.parametrize("document, line", [(BILLION_LAUGHS, 3), (EXTERNAL_ENTITY, 2)])
def test_xml_entities_are_refused(run, write, document, line):
    path = write("hostile.rdf", document)
    out = run("validate", path)
    assert out.exit_code == 2
    assert out.stderr.startswith(f"Error: {path}:{line}:")
    assert "entity declarations are refused" in out.stderr


def test_a_remote_json_ld_context_is_never_fetched(run, write, listener):
    path = write("remote.jsonld", '{"@context": "http://127.0.0.1:%d/context.jsonld", "@id": "http://example.org/s", "p": "x"}'
                 % listener.port)
    out = run("validate", path)
    assert out.exit_code == 2 and "remote contexts" in out.stderr
    assert listener.connections == 0


def test_owl_imports_are_never_followed(run, write, listener):
    path = write("imports.ttl", PREFIXES + f"""
<https://w3id.org/kgraph/ontology-extension> a <http://www.w3.org/2002/07/owl#Ontology> ;
    <http://www.w3.org/2002/07/owl#imports> <http://127.0.0.1:{listener.port}/more.ttl> .
actor:someone a kg:Person ; rdfs:label "Someone" .
""")
    for args in (["validate", path], ["query", "posts", "--data", path, "--format", "csv"],
                 ["analyze", "interaction", "--data", path, "--format", "csv"]):
        run(*args)
    assert listener.connections == 0


def test_service_in_a_saved_query_file_is_refused_without_connecting(run, write, listener):
    path = write("remote.rq", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}")
    out = run("query", path)
    assert out.exit_code == 2
    assert listener.connections == 0


def test_deeply_nested_collections_parse_without_crashing(run, write):
    depth = 20_000
    path = write("deep.ttl", "<http://example.org/s> <http://example.org/p> " + "(" * depth + ")" * depth + " .\n")
    out = run("validate", "--no-registry", path)
    assert out.exit_code == 0, out.output
    assert f"{2 * depth - 1} triples" in out.stdout


def test_an_enormous_literal_is_a_clean_error(run, write):
    path = write("huge.ttl", '<http://example.org/s> <http://example.org/p> "' + "a" * 17_000_000 + '" .\n')
    out = run("validate", "--no-registry", path)
    assert out.exit_code == 2
    assert out.stderr.startswith(f"Error: {path}: cannot be parsed:") and "too large" in out.stderr


def test_an_export_through_a_symlink_replaces_the_link_not_its_target(run, tmp_path):
    elsewhere = tmp_path / "elsewhere.gexf"
    elsewhere.write_text("precious")
    link = tmp_path / "out.gexf"
    link.symlink_to(elsewhere)
    out = run("export", "mediation", "-o", link)
    assert out.exit_code == 0, out.output
    assert elsewhere.read_text() == "precious"
    assert not link.is_symlink() and link.read_text().startswith("<?xml")


@pytest.mark.parametrize("link", ["data", "data/articles", "data/sources", "dangling data/articles"])
def test_a_scaffold_never_writes_through_a_symlinked_folder(tmp_path, link):
    """A symbolic link out of the project (data/ itself, or one of its folders,
    even one pointing nowhere) is refused before anything is created."""
    import shutil

    from click.testing import CliRunner

    from conftest import ROOT
    from kgraph.cli import cli

    root = tmp_path / "project"
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    outside = tmp_path / "outside"
    outside.mkdir()
    name = link.removeprefix("dangling ")
    if name != "data":
        (root / "data").mkdir()
    target = tmp_path / "nowhere" if link.startswith("dangling") else outside
    (root / name).symlink_to(target, target_is_directory=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    text = tmp_path / "t.txt"
    text.write_text("Some words.")
    out = CliRunner().invoke(cli, ["--project", str(root), "new", "article", "--title", "x", "--text", str(text)])
    assert out.exit_code == 2 and "leads out of the project" in out.stderr, out.output
    assert "Traceback" not in out.output
    assert list(outside.iterdir()) == [] and not (tmp_path / "nowhere").exists()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p != text) == before, "nothing created"


BACKTRACKING_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:NameShape a sh:NodeShape ; sh:targetSubjectsOf ex:name ;
  sh:property [ sh:path ex:name ; sh:pattern "^(a+)+$" ; sh:message "a name is a run of the letter a" ] .
"""


def _kgraph(*args, timeout=120):
    import subprocess
    import sys

    from conftest import ROOT

    return subprocess.run([sys.executable, "-m", "kgraph.cli", "--project", str(ROOT), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def test_a_backtracking_sh_pattern_is_stopped_by_the_time_limit(write):
    shapes = write("shapes.ttl", BACKTRACKING_SHAPES)
    # 'a' * 40 + 'b' against ^(a+)+$ takes Python's re about 2^40 steps
    data = write("names.nt", '<http://example.org/x> <http://example.org/name> "' + "a" * 40 + 'b" .\n')
    stopped = _kgraph("--time-limit", 2, "validate", "--shacl-engine", "pyshacl", "--shapes", shapes, data)
    assert stopped.returncode == 2
    assert "kgraph validate did not finish within 2 s and was stopped" in stopped.stderr
    # the default engine's regular expressions run in linear time: it answers
    answered = _kgraph("--time-limit", 60, "validate", "--shapes", shapes, data)
    assert answered.returncode == 1
    assert "a name is a run of the letter a" in answered.stdout


def test_a_runaway_query_is_stopped_and_its_output_file_left_alone(write, tmp_path):
    # a triple cross product over the shipped data: about 10^8 solutions to count
    query = write("cross.rq", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }\n")
    output = write("answer.csv", "n\n42\n")
    stopped = _kgraph("--time-limit", 1, "query", query, "-o", output)
    assert stopped.returncode == 2
    assert "kgraph query did not finish within 1 s" in stopped.stderr
    assert output.read_text() == "n\n42\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.csv", "cross.rq"]


def test_time_limit_zero_means_none(run):
    result = run("--time-limit", 0, "stats")
    assert result.exit_code == 0


FITS_SCRIPT = """
import resource, sys
from pathlib import Path
import kgraph.cli, kgraph.project, kgraph.rdf.load, pyoxigraph, rich.table, rich.console
size = int(next(l.split()[1] for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmSize:'))) * 1024
# room for the interpreter and libraries, not for the file's triples
resource.setrlimit(resource.RLIMIT_AS, (size + int(sys.argv[1]), resource.getrlimit(resource.RLIMIT_AS)[1]))
sys.argv = ["kgraph", "--project", sys.argv[2], "stats", sys.argv[3]]
kgraph.cli.main()
"""


@pytest.mark.parametrize("kind", ["long literals", "short unique triples"])
def test_a_file_too_large_for_memory_is_a_clean_error(tmp_path, kind):
    """Under an address-space limit, a file too big for it is refused before
    the engine runs out of memory (which aborts the process). Short unique
    triples need 24 bytes of memory per byte of file: an estimate from the
    file's size alone lets them through, one from the triples it holds does
    not. A file that fits loads under the same limit."""
    import subprocess
    import sys

    from conftest import ROOT

    big = tmp_path / "big.nt"
    if kind == "long literals":
        line, count = '<http://example.org/s{0}> <http://example.org/p> "' + "x" * 200 + ' {0}" .\n', 300_000
    else:
        line, count = '<a:{0}> <b:{1}> "{0}" .\n', 600_000  # about 16 MB, about 400 MB in memory
    with big.open("w") as out:
        for n in range(count):
            out.write(line.format(n, n % 7))
    limit = str(200 * 2**20)
    done = subprocess.run([sys.executable, "-c", FITS_SCRIPT, limit, str(ROOT), str(big)],
                          capture_output=True, text=True, timeout=300)
    # without the check, the engine aborts (exit -6, "memory allocation ... failed")
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert "would need about" in done.stderr and "address-space limit" in done.stderr
    assert str(big) in done.stderr
    small = tmp_path / "small.nt"
    small.write_text("".join(line.format(n, n % 7) for n in range(20_000)))
    fits = subprocess.run([sys.executable, "-c", FITS_SCRIPT, limit, str(ROOT), str(small)],
                          capture_output=True, text=True, timeout=300)
    assert fits.returncode == 0, fits.stderr[-500:]


def test_a_large_file_streams_and_loads_whole(tmp_path, monkeypatch):
    """Above the streaming threshold a file is checked in chunks and parsed
    as a stream while the engine loads it; errors are still located."""
    import kgraph.rdf.encoding as encoding
    import kgraph.rdf.parse as loader
    from kgraph.errors import EncodingError, RDFSyntaxError
    from kgraph.rdf.load import load

    monkeypatch.setattr(loader, "STREAM_THRESHOLD", 1000)
    monkeypatch.setattr(encoding, "CHUNK", 4096)
    good = tmp_path / "good.nt"
    good.write_text("".join(f'<http://example.org/s{n}> <http://example.org/p> "é {n}" .\n' for n in range(5000)))
    assert loader.streams(good)
    dataset = load([good])
    assert len(dataset) == 5000 and dataset.files[0].triples == 5000
    before = (len(dataset), list(dataset.graphs))
    broken = tmp_path / "broken.nt"
    broken.write_bytes(good.read_bytes() + b"<http://example.org/s> <http://example.org/p> .\n")
    with pytest.raises(RDFSyntaxError) as error:
        load([broken], dataset=dataset)
    assert error.value.line == broken.read_bytes().count(b"\n")
    latin = tmp_path / "latin.nt"
    latin.write_bytes(good.read_bytes().replace("é 4321".encode(), b"\xe9 4321"))
    with pytest.raises(EncodingError, match=":4322:"):
        load([latin], dataset=dataset)
    assert (len(dataset), list(dataset.graphs)) == before


def test_deeply_nested_blank_node_property_lists_parse_without_crashing(run, write):
    depth = 20_000
    path = write("deep-blank.ttl", "<http://example.org/s> " + "<http://example.org/p> [ " * depth + "<http://example.org/p> 1" + " ]" * depth + " .\n")
    out = run("validate", "--no-registry", path)
    assert out.exit_code == 0, out.output
    assert f"{depth + 1} triples" in out.stdout


@pytest.mark.parametrize("chunk", [7, 29, 30, 31, 64])
def test_streamed_encoding_errors_name_the_same_place_as_whole_file_ones(tmp_path, monkeypatch, chunk):
    import kgraph.rdf.encoding as encoding
    from kgraph.errors import EncodingError

    monkeypatch.setattr(encoding, "CHUNK", chunk)
    text = ('<http://example.org/s> <http://example.org/p> "ab€cd" .\n' * 20).encode()
    for position in (40, 49, 50, 51, 300):  # around and inside the three bytes of '€'
        data = bytearray(text)
        data[position] = 0x41 if data[position] >= 0x80 else 0xFF
        path = tmp_path / "u.nt"
        path.write_bytes(bytes(data))
        with pytest.raises(EncodingError) as whole:
            encoding.check_bytes(path, bytes(data))
        with pytest.raises(EncodingError) as streamed:
            encoding.check_stream(path)
        assert str(streamed.value) == str(whole.value)
    path.write_bytes(text + "€".encode()[:2])  # ends inside a character
    with pytest.raises(EncodingError, match=":21:1:"):
        encoding.check_stream(path)


def test_the_time_limit_is_left_out_off_the_main_thread():
    """A host program running the command line in a worker thread keeps its
    process: no signal handler can be installed there, so no limit applies."""
    import signal
    import threading

    from kgraph._util.limits import time_limit

    handler = signal.getsignal(signal.SIGALRM)
    ran = []

    def work():
        with time_limit(0.01, "work"):
            ran.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert ran == [True]
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_control_character_is_refused_in_data_and_never_breaks_a_writer(run, write, tmp_path):
    """Validation refuses a control character in a label (both engines), and
    every writer still produces a document its reader parses."""
    from lxml import etree

    path = write("bell.ttl", PREFIXES + '''
actor:bell a kg:Person ; rdfs:label "Bell\\u0007Person" .
actor:other a kg:Person ; rdfs:label "Other" .
event:e a kg:Meeting ; rdfs:label "Meeting\\u0001" ; kg:participation part:a, part:b ; kg:evidence x:e .
part:a a kg:Participation ; kg:participant actor:bell ; kg:role kg:Party ; kg:evidence x:e .
part:b a kg:Participation ; kg:participant actor:other ; kg:role kg:Party ; kg:evidence x:e .
''')
    for engine in ("shacl", "pyshacl"):
        out = run("validate", "--no-registry", "--shacl-engine", engine, path)
        assert out.exit_code == 1 and out.stdout.count("Text may not hold control characters") == 2, out.stdout
    for name in ("i.gexf", "i.graphml", "i-nodes.csv"):
        out = run("export", "interaction", "--data", path, "-o", tmp_path / name.replace("-nodes", ""))
        assert out.exit_code == 0, out.output
    for name in ("i.gexf", "i.graphml"):
        document = etree.parse(str(tmp_path / name))
        assert "Bell\ufffdPerson" in etree.tostring(document, encoding="unicode")
    assert run("plot", "interaction", "--data", path, "-o", tmp_path / "i.svg").exit_code == 0
    etree.parse(str(tmp_path / "i.svg"))
