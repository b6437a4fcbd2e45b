"""The repository's own content: the seed article's encoding is true to its source."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from kgraph import load, validate
from kgraph.authoring.docs import ontology_markdown

from conftest import ROOT

KG = "https://w3id.org/kgraph/ontology#"
OA_EXACT = "http://www.w3.org/ns/oa#exact"
QUOTED_FROM = "http://www.w3.org/ns/prov#wasQuotedFrom"


@pytest.fixture(scope="module")
def data():
    return load([ROOT / "data"], data_dir=ROOT / "data")


def _source_texts(data) -> dict[str, str]:
    rows = data.query(f"SELECT ?source ?file WHERE {{ ?source <{KG}textFile> ?file }}")
    return {row["source"].value: (ROOT / row["file"].value).read_text(encoding="utf-8") for row in rows}


def test_shipped_data_conforms(project):
    report = validate(project=project, strict=True)
    assert report.violations == []


def test_the_article_text_is_the_seed_and_its_hash_matches(data):
    rows = list(data.query(f"SELECT ?file ?hash WHERE {{ ?s <{KG}textFile> ?file ; <{KG}sha256> ?hash }}"))
    assert rows
    for row in rows:
        text = (ROOT / row["file"].value).read_bytes()
        assert hashlib.sha256(text).hexdigest() == row["hash"].value


def test_every_quote_and_excerpt_is_verbatim_in_its_source(data):
    texts = _source_texts(data)
    checked = 0
    # Excerpts: oa:exact must occur in the text of the source they are quoted from.
    for row in data.query(f"SELECT ?e ?exact ?source WHERE {{ ?e <{OA_EXACT}> ?exact ; <{QUOTED_FROM}> ?source }}"):
        assert row["exact"].value in texts[row["source"].value], f"{row['e']} is not verbatim in its source"
        checked += 1
    # Quotes: a statement's kg:quote must occur in the source of its evidence.
    query = f"""SELECT ?s ?quote ?source WHERE {{
        ?s <{KG}quote> ?quote ; <{KG}evidence>/<{QUOTED_FROM}> ?source }}"""
    for row in data.query(query):
        assert row["quote"].value in texts[row["source"].value], f"quote of {row['s']} is not verbatim"
        checked += 1
    assert checked >= 80


def test_every_quote_lies_within_one_of_its_statements_excerpts(data):
    query = f"""SELECT ?s ?quote (GROUP_CONCAT(?exact; separator="|||") AS ?excerpts) WHERE {{
        ?s <{KG}quote> ?quote ; <{KG}evidence>/<{OA_EXACT}> ?exact }} GROUP BY ?s ?quote"""
    rows = list(data.query(query))
    assert len(rows) >= 25
    for row in rows:
        assert any(row["quote"].value in e for e in row["excerpts"].value.split("|||")), row["s"]


def test_the_disputed_claims_have_a_reporter_and_a_denier(data):
    query = f"""SELECT ?claim (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types) WHERE {{
        ?stance <{KG}target> ?claim ; <{KG}stanceType> ?type . ?claim a <{KG}Claim> .
    }} GROUP BY ?claim"""
    types = {row["claim"].value.rsplit("/", 1)[-1]: set(row["types"].value.split()) for row in data.query(query)}
    for disputed in ("2023-03-01-reintegration-discussed", "next-meetings-in-ganja-and-aghdam"):
        assert {KG + "Assert", KG + "Deny"} <= types[disputed]


def test_the_ontology_documentation_is_up_to_date(project):
    committed = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert committed == ontology_markdown(project), "run: kgraph docs -o docs/ontology.md"


def test_every_class_and_property_has_a_label_and_a_definition():
    store = ox.Store()
    store.load(path=str(ROOT / "ontology" / "kgraph.ttl"), format=ox.RdfFormat.TURTLE)
    query = f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?term WHERE {{
        VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty }}
        ?term a ?kind FILTER(STRSTARTS(STR(?term), "{KG}"))
        FILTER NOT EXISTS {{ ?term rdfs:label ?l ; skos:definition ?d }}
    }}"""
    assert [row["term"].value for row in store.query(query)] == []
    count = f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
    SELECT (COUNT(?t) AS ?n) WHERE {{ ?t a owl:Class FILTER(STRSTARTS(STR(?t), "{KG}")) }}"""
    assert int(next(iter(store.query(count)))["n"].value) >= 30


def test_kgraphs_own_files_conform_outside_a_project(tmp_path):
    """A fresh install used in an empty folder: the ontology and checks that
    ship with kgraph raise nothing against themselves, and a scaffolded
    article conforms under every check."""
    import subprocess
    import sys

    text = tmp_path / "text.txt"
    text.write_text("Written for this test: two sides met and talked.\n", encoding="utf-8")
    kgraph = [sys.executable, "-m", "kgraph.cli"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    made = subprocess.run([*kgraph, "new", "article", "--title", "A test", "--text", str(text)], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert made.returncode == 0, made.stderr
    done = subprocess.run([*kgraph, "validate", "--strict"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 violations, 0 warnings, 0 infos" in done.stdout

    from kgraph.project import find_project
    from kgraph.validation.run import check

    bare = find_project(tmp_path)  # no project here: the ontology that ships with kgraph
    report = check(bare.load_ontology(), strict=True)
    assert report.violations == [], [(v.source, v.message) for v in report.violations]
