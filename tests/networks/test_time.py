"""The network as it stood on a date: a dated two-article corpus (the seed,
whose events are dated and whose stances are not, plus articles written for
testing, imported with their publication dates), giving different networks as
of two dates, a window series with the expected counts, and an honest count
of what a slice leaves out."""

from __future__ import annotations

import csv
import io
import shutil

import networkx as nx
import pytest
from click.testing import CliRunner
from lxml import etree

from kgraph.cli import cli
from kgraph.networks.projections import network, series, windows
from kgraph.project import find_project

from conftest import ROOT, TEST_DATA

ACTOR = "https://w3id.org/kgraph/actor/"
ISSUE = "https://w3id.org/kgraph/issue/"
SEED_STANCES = 35  # the seed's stances: none dated, its source has no publication date


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The repository's data plus tests/data/importing/statements.csv imported:
    one article published 2023-04-04 (a stance dated 2023-04-03 by its
    statement, one dated by the publication) and one published 2023-04-11
    (a stance dated 2023-04-10)."""
    root = tmp_path_factory.mktemp("dated")
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, root / part)
    out = CliRunner().invoke(cli, ["--project", str(root), "import", str(TEST_DATA / "importing" / "statements.csv")])
    assert out.exit_code == 0, out.output
    return find_project(root)


def _run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *map(str, args)], catch_exceptions=False)


def _ties(G):
    return {(u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1]) for u, v in G.edges}


def test_two_dates_give_two_networks(corpus):
    graph = corpus.load()
    early = network("stance", graph, as_of="2023-04-05")
    late = network("stance", graph, as_of="2023-04-30")
    assert _ties(early) == {("ramin-mammadov", "humanitarian-issues"),
                            ("nagorno-karabakh-foreign-ministry", "baku-stepanakert-contacts")}
    assert _ties(late) == _ties(early) | {("toivo-klaar", "peace-negotiations")}
    assert early.graph["left_out_undated"] == SEED_STANCES and early.graph["left_out_outside"] == 1
    assert late.graph["left_out_outside"] == 0
    # the seed's events are dated: its mediation network grows between its two meetings
    before, after = (network("mediation", graph, level="polity", as_of=d) for d in ("2023-02-25", "2023-03-02"))
    assert before.number_of_edges() == 0 and before.graph["left_out_outside"] == 2
    assert (ACTOR + "russia", ACTOR + "azerbaijan") in after.edges


def test_reported_by_counts_sources_without_a_date(corpus):
    G = network("stance", corpus.load(), reported_by="2023-04-05")
    assert _ties(G) == {("ramin-mammadov", "humanitarian-issues"),
                        ("nagorno-karabakh-foreign-ministry", "baku-stepanakert-contacts")}
    assert G.graph["left_out_unpublished"] == SEED_STANCES and G.graph["left_out_outside"] == 1


def test_a_window_series_has_the_expected_counts(corpus):
    graphs = series("stance", corpus.load(), window="1W", start="2023-04-01", end="2023-04-14")
    assert [(G.graph["start"], G.graph["end"], G.number_of_edges()) for G in graphs] == [
        ("2023-04-01", "2023-04-07", 2), ("2023-04-08", "2023-04-14", 1)]
    assert all(G.graph["left_out_undated"] == SEED_STANCES for G in graphs)
    # by default the series runs from the month of the first dated record (the seed's meeting of 24 February)
    default = series("stance", corpus.load(), window="1M")
    assert [G.graph["start"] for G in default] == ["2023-02-01", "2023-03-01", "2023-04-01"]
    assert [G.number_of_edges() for G in default] == [0, 0, 3]
    with pytest.raises(Exception, match="not a length"):
        windows("2023-01-01", "2023-02-01", "a month", "1M")


def test_the_command_line_says_what_a_slice_left_out(corpus):
    out = _run(corpus, "analyze", "stance", "--as-of", "2023-04-05", "--format", "csv")
    assert out.exit_code == 0
    assert f"left out: {SEED_STANCES} records without a date, 1 dated outside the slice" in out.stderr
    ids = {row["id"] for row in csv.DictReader(io.StringIO(out.stdout))}
    assert ACTOR + "toivo-klaar" not in ids and ACTOR + "ramin-mammadov" in ids
    # a slice that keeps nothing says so, instead of an empty table alone
    out = _run(corpus, "analyze", "congruence", "--start", "2000-01-01", "--end", "2000-12-31")
    assert out.exit_code == 0 and "0 nodes and 0 ties kept" in out.stderr


def test_analyze_over_windows_gives_a_row_per_window_and_node(corpus):
    out = _run(corpus, "analyze", "stance", "--window", "1W", "--start", "2023-04-01", "--end", "2023-04-14",
               "--format", "csv")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    by_window = {}
    for row in rows:
        by_window.setdefault((row["window_start"], row["window_end"]), set()).add(row["id"])
    assert by_window == {
        ("2023-04-01", "2023-04-07"): {ACTOR + "ramin-mammadov", ISSUE + "humanitarian-issues",
                                       ACTOR + "nagorno-karabakh-foreign-ministry", ISSUE + "baku-stepanakert-contacts"},
        ("2023-04-08", "2023-04-14"): {ACTOR + "toivo-klaar", ISSUE + "peace-negotiations"}}
    assert "2 windows of 1W" in out.stderr and f"{SEED_STANCES} records without a date" in out.stderr
    table = _run(corpus, "analyze", "stance", "--window", "1W", "--start", "2023-04-01", "--end", "2023-04-14")
    assert table.exit_code == 0 and "2023-04-01 to 2023-04-07" in table.stdout
    bad = _run(corpus, "analyze", "stance", "--window", "1W", "--as-of", "2023-04-01")
    assert bad.exit_code == 2 and "not --as-of" in bad.stderr


def test_one_dynamic_gexf_per_window(corpus, tmp_path):
    out = _run(corpus, "export", "stance", "-o", tmp_path / "stance.gexf", "--window", "1W",
               "--start", "2023-04-01", "--end", "2023-04-14")
    assert out.exit_code == 0, out.output
    files = sorted(p.name for p in tmp_path.glob("*.gexf"))
    assert files == ["stance-2023-04-01.gexf", "stance-2023-04-08.gexf"]
    schema = etree.XMLSchema(etree.parse(str(TEST_DATA / "gexf-1.3" / "gexf.xsd")))
    first = tmp_path / "stance-2023-04-01.gexf"
    document = etree.parse(str(first))
    # Gephi's viz elements live in a namespace the schema does not model: check the rest
    for viz in document.xpath("//*[namespace-uri()='http://gexf.net/1.3/viz']"):
        viz.getparent().remove(viz)
    assert schema.validate(document), schema.error_log
    G = nx.read_gexf(str(first))
    spells = nx.get_edge_attributes(G, "spells")
    assert sorted(spells.values()) == [[("2023-04-03", "2023-04-03")], [("2023-04-04", "2023-04-04")]]


def test_saved_queries_take_a_date(corpus, world_project):
    from kgraph.sparql.run import run_query
    from kgraph.sparql.saved import find_query

    graph = corpus.load()

    def stances(**params):
        result = run_query(graph, find_query("stances"), params)
        return sorted(r["actorLabel"] for r in result.records())

    assert stances(asOf="2023-04-05") == ["Foreign Ministry of the Nagorno-Karabakh Republic", "Ramin Mammadov"]
    assert stances(asOf="2023-04-30") == stances(asOf="2023-04-05") + ["Toivo Klaar"]
    assert stances(reportedBy="2023-04-05") == stances(asOf="2023-04-05")
    # a tenure is held from its start to its end (tests/data/world.ttl: 2020-01-01 to 2023-03-02)
    world = world_project.load([TEST_DATA / "world.ttl"])

    def holders(day):
        return [r["personLabel"] for r in run_query(world, find_query("posts"), {"asOf": day}).records()]

    assert holders("2021-06-01") == holders("2023-03-02") != []
    assert holders("2019-12-31") == [] and holders("2023-03-03") == []


def test_a_statement_dated_to_a_month_keeps_its_precision(tmp_path):
    from kgraph.sparql.run import run_query
    from kgraph.sparql.saved import find_query

    root = tmp_path / "project"
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(TEST_DATA / "importing" / "second-round.txt", tmp_path / "second-round.txt")
    sheet = tmp_path / "coded.csv"
    sheet.write_text("date,speaker,quote,stance,target,source_url,text_file\n"
                     "2023-04,Toivo Klaar,a second round as soon as possible,call for,"
                     "peace negotiations on the Azerbaijani-Karabakh conflict,https://news.example/c,second-round.txt\n",
                     encoding="utf-8")
    out = CliRunner().invoke(cli, ["--project", str(root), "import", str(sheet)])
    assert out.exit_code == 0, out.output
    assert '"2023-04"^^xsd:gYearMonth' in (root / "data" / "articles" / "envoy-hopes-for-more-talks.trig").read_text()
    project = find_project(root)
    graph = project.load()
    assert network("stance", graph, as_of="2023-05-01").number_of_edges() == 1
    mid = network("stance", graph, as_of="2023-04-15")
    assert mid.number_of_edges() == 0 and mid.graph["left_out_imprecise"] == 1
    assert network("stance", graph, start="2023-04-01", end="2023-04-30").number_of_edges() == 1
    weekly = series("stance", graph, window="1W", start="2023-04-01", end="2023-04-30")
    assert sum(G.number_of_edges() for G in weekly) == 0
    assert all(G.graph["left_out_imprecise"] == 1 for G in weekly)
    monthly = series("stance", graph, window="1M")
    assert [(G.graph["start"], G.number_of_edges()) for G in monthly][-1] == ("2023-04-01", 1)

    def taken(day):
        return len(run_query(graph, find_query("stances"), {"asOf": day, "actor": "Toivo Klaar"}).records())

    assert taken("2023-04-15") == 0 and taken("2023-05-01") == 1
