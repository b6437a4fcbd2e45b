"""The project cache: a command on an unchanged corpus opens it instead of
parsing; a changed, added or removed file is noticed; a bad file fails the
command as without a cache and costs nothing stored; an interrupted update
and a cache held by another command are handled."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.errors import GraphConflictError, RDFSyntaxError
from kgraph.project import find_project
from kgraph.stores.cache import ProjectCache

from conftest import PREFIXES, ROOT

ARTICLE = "https://w3id.org/kgraph/graph/articles/baku-stepanakert-contacts-opinion"
EXTRA = "https://w3id.org/kgraph/graph/articles/cache-test"
# written for testing: one actor described in an article file of its own
EXTRA_TTL = PREFIXES + 'actor:cache-test-actor a kg:Person ; rdfs:label "Cache Test Actor"@en .\n'


@pytest.fixture
def copy(tmp_path):
    root = tmp_path / "project"
    for folder in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".kgraph"))
    return find_project(root)


def quads(graph):
    """The graph's quads, blank nodes (which get new labels on every parse) all alike."""
    from collections import Counter

    def term(t):
        return "_:b" if isinstance(t, ox.BlankNode) else t

    return Counter((term(q.subject), q.predicate, term(q.object), term(q.graph_name)) for q in graph.quads())


def parses(monkeypatch):
    """Count the strict scans the cache runs."""
    import kgraph.stores.cache as cache

    seen = []
    real = cache.scanned

    def counting(files, **options):
        seen.extend(files)
        return real(files, **options)

    monkeypatch.setattr(cache, "scanned", counting)
    return seen


@pytest.mark.parametrize("mode", ["disk", "memory"])
def test_the_cache_holds_what_the_files_hold_and_opens_without_parsing(copy, monkeypatch, mode):
    expected = copy.load()
    first = copy.load(cache=mode)
    assert (first.cache is not None) == (mode == "disk")  # a memory graph holds no lock
    assert quads(first) == quads(expected)
    assert first.data_graphs == expected.data_graphs and first.ontology_graphs == expected.ontology_graphs
    assert [(f.path, f.triples, f.prefixes) for f in first.dataset.files] == \
        [(f.path, f.triples, f.prefixes) for f in expected.dataset.files]
    del first
    seen = parses(monkeypatch)
    again = copy.load(cache=mode)
    assert seen == [] and quads(again) == quads(expected)
    # line numbers still come from the files
    assert again.locate("https://w3id.org/kgraph/actor/azerbaijan") == expected.locate(
        "https://w3id.org/kgraph/actor/azerbaijan")


def test_a_changed_added_or_removed_file_is_noticed_and_only_it_is_parsed(copy, monkeypatch):
    copy.load(cache="disk")
    article = next(copy.articles_dir.glob("*.trig"))
    seen = parses(monkeypatch)

    extra = copy.articles_dir / "cache-test.ttl"
    extra.write_text(EXTRA_TTL, encoding="utf-8")
    graph = copy.load(cache=True)
    assert seen == [extra] and EXTRA in graph.data_graphs
    assert quads(graph) == quads(copy.load())
    del graph

    # same size, same modification time, other content: still noticed
    stat = extra.stat()
    extra.write_text(EXTRA_TTL.replace("Cache Test Actor", "Cache Tset Actor"), encoding="utf-8")
    os.utime(extra, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    seen.clear()
    graph = copy.load(cache=True)
    assert seen == [extra]
    labels = {str(q.object.value) for q in graph.quads([EXTRA]) if q.predicate.value.endswith("#label")}
    assert labels == {"Cache Tset Actor"}
    del graph

    extra.unlink()
    article.unlink()
    seen.clear()
    graph = copy.load(cache=True)
    assert seen == [] and EXTRA not in graph.data_graphs and ARTICLE not in graph.data_graphs
    assert quads(graph) == quads(copy.load())


def test_a_bad_file_fails_as_without_the_cache_and_the_rest_is_kept(copy, monkeypatch):
    copy.load(cache=True)
    bad = copy.articles_dir / "cache-test.ttl"
    bad.write_text(EXTRA_TTL + "actor:broken kg:label \n", encoding="utf-8")
    with pytest.raises(RDFSyntaxError) as error:
        copy.load(cache=True)
    assert error.value.path == bad and error.value.line == EXTRA_TTL.count("\n") + 2
    manifest = json.loads((copy.root / ".kgraph" / "cache" / "manifest.json").read_text())
    assert manifest["complete"] is True and "data/articles/cache-test.ttl" not in manifest["files"]
    seen = parses(monkeypatch)
    bad.write_text(EXTRA_TTL, encoding="utf-8")
    graph = copy.load(cache=True)
    assert seen == [bad]  # only the file that failed is parsed again
    assert quads(graph) == quads(copy.load())


def test_two_files_filling_one_graph_are_refused(copy):
    copy.load(cache=True)
    article = next(copy.articles_dir.glob("*.trig"))
    shutil.copy(article, copy.articles_dir / "copy-of-the-article.trig")
    with pytest.raises(GraphConflictError):
        copy.load(cache=True)


def test_an_interrupted_update_is_finished_by_the_next_one(copy):
    copy.load(cache=True)
    folder = copy.root / ".kgraph" / "cache"
    # as if killed after a file's entry was taken out of the manifest and
    # before its graphs were dropped: the file is gone, its graphs are not
    article = next(copy.articles_dir.glob("*.trig"))
    key = article.relative_to(copy.root).as_posix()
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["files"][key]
    manifest["complete"] = False
    (folder / "manifest.json").write_text(json.dumps(manifest))
    article.unlink()
    graph = copy.load(cache=True)
    assert ARTICLE not in {q.graph_name.value for q in graph.quads() if isinstance(q.graph_name, ox.NamedNode)}
    assert quads(graph) == quads(copy.load())


def test_a_cache_of_another_version_is_rebuilt(copy, monkeypatch):
    copy.load(cache=True)
    folder = copy.root / ".kgraph" / "cache"
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["stamp"]["format"] = -1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    seen = parses(monkeypatch)
    graph = copy.load(cache=True)
    assert len(seen) == len(graph.dataset.files)
    assert quads(graph) == quads(copy.load())


def test_a_cache_held_by_another_command_is_left_alone(copy, monkeypatch):
    copy.load(cache=True)
    (copy.articles_dir / "cache-test.ttl").write_text(EXTRA_TTL, encoding="utf-8")
    # another process reads the cache (shared lock) for a while
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a+b'); "
         "fcntl.flock(f, fcntl.LOCK_SH); print('held', flush=True); time.sleep(60)",
         str(copy.root / ".kgraph" / "cache" / "lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        seen = parses(monkeypatch)
        assert ProjectCache(copy).graph() is None  # it would have to update, and cannot
        graph = copy.load(cache=True)  # so the files are read, correctly
        assert graph.cache is None and EXTRA in graph.data_graphs and seen == []
    finally:
        holder.kill()
        holder.wait()
    graph = copy.load(cache="disk")
    assert graph.cache is not None and EXTRA in graph.data_graphs


def test_the_command_line_uses_the_cache_unless_told_not_to(copy):
    runner = CliRunner()

    def run(*args, env=None):
        return runner.invoke(cli, ["--project", str(copy.root), *args], env=env, catch_exceptions=False)

    folder = copy.root / ".kgraph" / "cache"
    plain = run("--no-cache", "query", "who-mediates-whom", "--format", "csv")
    assert plain.exit_code == 0 and not folder.exists()
    off = run("query", "who-mediates-whom", "--format", "csv", env={"KGRAPH_CACHE": "off"})
    assert off.output == plain.output and not folder.exists()
    status = run("cache", "status")
    assert status.exit_code == 1 and "not built yet" in status.output
    cached = run("query", "who-mediates-whom", "--format", "csv")
    assert cached.output == plain.output and (folder / "manifest.json").is_file()
    # the flag may follow the command too
    assert run("query", "who-mediates-whom", "--format", "csv", "--no-cache").output == plain.output
    status = run("cache", "status")
    assert status.exit_code == 0 and status.output.endswith("up to date\n")
    (copy.articles_dir / "cache-test.ttl").write_text(EXTRA_TTL, encoding="utf-8")
    status = run("cache", "status")
    assert status.exit_code == 1 and "new: data/articles/cache-test.ttl" in status.output
    assert "cache up to date" in run("cache", "update").output
    assert run("cache", "clear").output == "cache cleared\n" and not (folder / "manifest.json").exists()
    assert run("cache", "clear").output == "no cache to clear\n"


def test_clearing_a_cache_in_use_is_refused(copy):
    graph = copy.load(cache="disk")
    result = CliRunner().invoke(cli, ["--project", str(copy.root), "cache", "clear"])
    assert result.exit_code == 2 and "in use by another kgraph command" in result.output
    del graph
    import gc

    gc.collect()
    assert ProjectCache(copy).clear() is True


def test_the_memory_mode_reads_the_files_and_notices_a_file_changed_since_hashing(copy, monkeypatch):
    """Loaded into memory, the files are read again by the engine: a file that
    changes between the check and the load makes the whole load strict again."""
    import kgraph.stores.cache as cache

    copy.load(cache="memory")
    extra = copy.articles_dir / "cache-test.ttl"
    real = cache.ProjectCache._memory_graph

    def changing(self, files, entries):
        extra.write_text(EXTRA_TTL.replace("Cache Test Actor", "Changed meanwhile"), encoding="utf-8")
        return real(self, files, entries)

    extra.write_text(EXTRA_TTL, encoding="utf-8")
    copy.load(cache="memory")
    monkeypatch.setattr(cache.ProjectCache, "_memory_graph", changing)
    graph = copy.load(cache="memory")
    labels = {q.object.value for q in graph.quads([EXTRA]) if q.predicate.value.endswith("#label")}
    assert labels == {"Changed meanwhile"}


def test_a_query_uses_memory_up_to_the_limit_and_the_disk_store_above(copy, monkeypatch):
    from kgraph.stores.memory import MemoryBackend

    monkeypatch.setenv("KGRAPH_CACHE_MEMORY_LIMIT", "10")
    assert copy.load(cache=True).cache is not None
    assert MemoryBackend(copy, cache=True).graph(scans=True).cache is None  # work that scans loads it
    monkeypatch.setenv("KGRAPH_CACHE_MEMORY_LIMIT", "100000000")
    assert copy.load(cache=True).cache is None
    monkeypatch.setenv("KGRAPH_CACHE", "disk")  # said outright, for every command
    assert MemoryBackend(copy, cache=True).graph().cache is not None
    assert MemoryBackend(copy, cache=True).graph(scans=True).cache is not None


def test_commands_run_at_once_all_answer_correctly(copy, tmp_path):
    """Several processes start on a corpus that changed: one updates the cache,
    the others read the files themselves; every answer is that of the files."""
    counting = tmp_path / "count.rq"
    counting.write_text(f"SELECT ?o WHERE {{ GRAPH <{EXTRA}> {{ ?s ?p ?o }} }} ORDER BY ?o", encoding="utf-8")
    command = [sys.executable, "-m", "kgraph", "--project", str(copy.root), "query", str(counting), "--format", "csv"]
    for round_ in range(3):
        # written for testing: one more comment each round
        comments = "".join(f'actor:cache-test-actor rdfs:comment "comment {i}" .\n' for i in range(round_))
        (copy.articles_dir / "cache-test.ttl").write_text(EXTRA_TTL + comments, encoding="utf-8")
        expected = subprocess.run(command + ["--no-cache"], capture_output=True, text=True, check=True).stdout
        assert expected.count("comment") == round_
        running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(4)]
        for process in running:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert out == expected
    manifest = json.loads((copy.root / ".kgraph" / "cache" / "manifest.json").read_text())
    assert manifest["complete"] is True and "data/articles/cache-test.ttl" in manifest["files"]


def test_networks_are_the_same_read_from_memory_or_from_the_disk_store(copy):
    """Rows reach the network builders in one order whatever the store returns,
    so node order, communities and sampled measures repeat exactly."""
    from kgraph.networks.analysis import analyze
    from kgraph.networks.projections import PROJECTIONS, network

    memory, disk = copy.load(cache="memory"), copy.load(cache="disk")
    for name in PROJECTIONS:
        a, b = network(name, memory, project=copy), network(name, disk, project=copy)
        assert list(a.nodes(data=True)) == list(b.nodes(data=True)), name
        assert list(a.edges(data=True)) == list(b.edges(data=True)), name
        assert analyze(a, k=3).nodes == analyze(b, k=3).nodes, name


def test_saved_queries_that_scan_load_the_cache_into_memory(copy, monkeypatch):
    from kgraph.sparql.saved import find_query
    from kgraph.stores.memory import MemoryBackend

    monkeypatch.setenv("KGRAPH_CACHE_MEMORY_LIMIT", "10")  # the seed counts as a large corpus
    scanning, selective = find_query("stances", copy), find_query("who-mediates-whom", copy)
    assert scanning.scans and not selective.scans
    store = MemoryBackend(copy, cache=True)
    assert store.graph(scans=scanning.scans).cache is None  # loaded into memory
    assert store.graph(scans=selective.scans).cache is not None  # the on-disk store


def test_a_graph_named_by_a_blank_node_survives_a_bulk_build(copy):
    """Above 64 files the cache is built by one bulk load, which would rename
    blank nodes; a file whose graph a blank node names goes in directly."""
    folder = copy.articles_dir / "many"
    folder.mkdir()
    for i in range(70):  # written for testing: one actor per file
        (folder / f"actor-{i}.ttl").write_text(
            PREFIXES + f'actor:bulk-test-{i} a kg:Person ; rdfs:label "Bulk Test {i}"@en .\n', encoding="utf-8")
    (folder / "blank-graph.trig").write_text(
        PREFIXES + '_:g { actor:blank-graph-test a kg:Person ; rdfs:label "Blank Graph Test"@en . }\n', encoding="utf-8")
    expected = copy.load()
    graph = copy.load(cache="disk")
    assert quads(graph) == quads(expected)
    assert any(q.subject.value.endswith("blank-graph-test") and isinstance(q.graph_name, ox.BlankNode)
               for q in graph.quads())


def test_a_cache_that_cannot_be_written_is_left_and_the_files_are_read(copy, monkeypatch):
    """A full disk (or a folder the user may not write) fails no command that
    only reads: the files are read instead."""
    import errno

    import kgraph.stores.cache as cache

    copy.load(cache="disk")
    (copy.articles_dir / "cache-test.ttl").write_text(EXTRA_TTL, encoding="utf-8")

    def full(self, entries, *, complete):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache.ProjectCache, "_write_manifest", full)
    graph = copy.load(cache=True)
    assert graph.cache is None and EXTRA in graph.data_graphs
    assert quads(graph) == quads(copy.load())


def test_clearing_takes_the_manifest_away_before_the_store(copy, monkeypatch):
    """A clear cut short leaves no manifest vouching for a half-deleted store."""
    copy.load(cache="disk")
    folder = copy.root / ".kgraph" / "cache"

    def interrupted(path, ignore_errors=False):
        raise KeyboardInterrupt

    import kgraph.stores.cache as cache

    monkeypatch.setattr(cache.shutil, "rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ProjectCache(copy).clear()
    assert not (folder / "manifest.json").exists()
    monkeypatch.undo()
    assert quads(copy.load(cache="disk")) == quads(copy.load())
