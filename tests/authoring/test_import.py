"""kgraph import: coded statements from the kgraph template and from an
rDNA export (built from rDNA's documented columns) become articles of data/,
every name resolved, every quote checked against its text; a bad row is
reported with its line and then nothing is stored."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.namespaces import PREFIXES

from conftest import TEST_DATA, registry_only

DATA = TEST_DATA / "importing"
KG = PREFIXES["kg"]
OA = PREFIXES["oa"]


@pytest.fixture
def project(tmp_path):
    return registry_only(tmp_path / "project")


def _run(root, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *map(str, args)], catch_exceptions=False)


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _triples(path):
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG)}


def test_the_template_becomes_one_article_per_source(project):
    out = _run(project, "import", DATA / "statements.csv")
    assert out.exit_code == 0, out.output + out.stderr
    assert "imported 3 statements" in out.output and "as 2 articles" in out.output
    article = project / "data" / "articles" / "deputies-meet-at-the-headquarters.trig"
    assert (project / "data" / "sources" / "deputies-meet-at-the-headquarters.txt").read_bytes() == \
        (DATA / "first-round.txt").read_bytes()
    triples = _triples(article)
    stmt = PREFIXES["stmt"] + "deputies-meet-at-the-headquarters-1"
    assert (stmt, KG + "speaker", PREFIXES["actor"] + "ramin-mammadov") in triples  # "Ramin Mamedov" resolved
    assert (stmt, KG + "speakingFor", PREFIXES["actor"] + "azerbaijan-parliament") in triples
    assert (stmt, KG + "date", "2023-04-03") in triples
    assert (stmt, KG + "quote", "The humanitarian questions were settled in a calm atmosphere.") in triples
    body = PREFIXES["stmt"] + "deputies-meet-at-the-headquarters-2"
    assert (body, KG + "attribution", KG + "NamedBody") in triples
    source = PREFIXES["src"] + "deputies-meet-at-the-headquarters"
    assert (source, PREFIXES["dcterms"] + "publisher", PREFIXES["actor"] + "azerbaijani-media") in triples
    assert (source, PREFIXES["dcterms"] + "issued", "2023-04-04") in triples
    out = _run(project, "validate")
    assert out.exit_code == 0 and "0 violations, 0 warnings" in out.output, out.output
    out = _run(project, "query", "stances", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert {(r["actorLabel"], r["stanceTypeLabel"], r["targetLabel"]) for r in rows} == {
        ("Ramin Mammadov", "asserts", "humanitarian issues"),
        ("Foreign Ministry of the Nagorno-Karabakh Republic", "rejects", "Baku-Stepanakert contacts"),
        ("Toivo Klaar", "calls for", "peace negotiations on the Azerbaijani-Karabakh conflict")}


def test_an_rdna_export_keeps_its_positions_and_texts_outside(project, tmp_path, monkeypatch):
    monkeypatch.delenv("KGRAPH_SOURCES", raising=False)
    corpus = tmp_path / "texts"
    out = _run(project, "import", DATA / "dna-statements.csv", "--documents", DATA / "dna-documents.csv",
               "--keep-text-outside", "--sources", corpus)
    assert out.exit_code == 0, out.output + out.stderr
    assert not (project / "data" / "sources").exists()
    second = project / "data" / "articles" / "envoy-on-the-next-round.trig"
    text = (corpus / "envoy-on-the-next-round.txt").read_text(encoding="utf-8")
    assert text.startswith("🕊")  # two UTF-16 units before the spans: DNA's carets are one higher
    triples = _triples(second)
    excerpts = {s for s, p, o in triples if p == OA + "exact"}
    for x in excerpts:
        values = {p: o for s, p, o in triples if s == x}
        assert text[int(values[OA + "start"]):int(values[OA + "end"])] == values[OA + "exact"]
    words = {(p, o) for s, p, o in triples if p in (KG + "quote", KG + "paraphrase")}
    assert words == {(KG + "quote", "a useful step"), (KG + "paraphrase", "the contacts would go on")}
    first = _triples(project / "data" / "articles" / "deputy-on-the-humanitarian-talks.trig")
    assert (PREFIXES["stmt"] + "deputy-on-the-humanitarian-talks-1", KG + "quote",
            "The humanitarian questions were settled.") in first, "the quotation marks are left out"
    assert any(p == KG + "stanceType" and o == KG + "Reject" for s, p, o in first), "agreement 0 rejects"
    assert (PREFIXES["src"] + "envoy-on-the-next-round", PREFIXES["dcterms"] + "issued", "2023-04-12") in triples
    out = _run(project, "validate", "--sources", corpus, "--require-sources")
    assert out.exit_code == 0 and "0 violations, 0 warnings" in out.output, out.output


BAD = """date,speaker,organization,quote,stance,target,source_url,source_title,published,publisher,text_file
2023-04-03,Ramin Mamdov,,The humanitarian questions were settled in a calm atmosphere.,assert,humanitarian issues,https://news.example/a,,,,first-round.txt
2023-04-03,Ramin Mammadov,,The humanitarian questions were settled in a calm atmosphere.,supports,humanitarian issues,https://news.example/a,,,,first-round.txt
2023-04-03,Ramin Mammadov,,The humanitarian questions were settled in a calm atmosphere,assert,world peace,https://news.example/a,,,,first-round.txt
2023-04-03,Ramin Mammadov,,Words nobody said.,assert,humanitarian issues,https://news.example/a,,,,first-round.txt
April 3,Ramin Mammadov,,The humanitarian questions were settled in a calm atmosphere.,assert,humanitarian issues,,,,,first-round.txt
,Ramin Mammadov,,The humanitarian questions were settled in a calm atmosphere.,assert,humanitarian issues,https://news.example/b,,,,missing.txt
,Toivo Klaar,,a second round as soon as possible,call for,peace negotiations on the Azerbaijani-Karabakh conflict,https://news.example/c,,,,second-round.txt
"""


def test_every_bad_row_is_reported_and_nothing_is_stored(project, tmp_path):
    sheet = tmp_path / "coded.csv"
    sheet.write_text(BAD, encoding="utf-8")
    for name in ("first-round.txt", "second-round.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    before = _digests(project / "data")
    out = _run(project, "import", sheet)
    assert out.exit_code == 2
    errors = [line for line in out.stderr.splitlines() if line.startswith("Error:")]
    expected = [(2, 'did you mean actor:ramin-mammadov "Ramin Mammadov"'),
                (3, "stance 'supports' is not one of"),
                (4, "no issue of the registry is called 'world peace'"),
                (5, "the quote is not in first-round.txt character for character"),
                (6, "source_url is empty"),
                (7, "cannot read the text")]
    assert len(errors) == len(expected), out.stderr
    for (line, message), error in zip(expected, errors):
        assert f"coded.csv:{line}: " in error and message in error, (line, error)
    assert "6 rows cannot be imported; nothing was stored" in out.stderr
    assert _digests(project / "data") == before


def test_dry_run_and_second_imports(project):
    before = _digests(project / "data")
    out = _run(project, "import", DATA / "statements.csv", "--dry-run")
    assert out.exit_code == 0 and "would import 3 statements" in out.output
    assert _digests(project / "data") == before
    assert _run(project, "import", DATA / "statements.csv").exit_code == 0
    out = _run(project, "import", DATA / "statements.csv")  # the same again: new files, never overwritten
    assert out.exit_code == 0 and "deputies-meet-at-the-headquarters-2.trig" in out.output
    assert len(list((project / "data" / "articles").glob("*.trig"))) == 4


def test_an_import_that_would_not_validate_stores_nothing(project, tmp_path):
    sheet = tmp_path / "coded.csv"
    sheet.write_text("speaker,quote,stance,target,source_url,text_file\n"
                     "Khojalu,a second round as soon as possible,call for,humanitarian issues,"
                     "https://news.example/c,second-round.txt\n", encoding="utf-8")
    shutil.copy(DATA / "second-round.txt", tmp_path / "second-round.txt")
    before = _digests(project / "data")
    out = _run(project, "import", sheet)
    assert out.exit_code == 1, out.output + out.stderr
    assert "A statement needs kg:speaker naming exactly one kg:Actor" in out.output
    assert "data/articles/envoy-hopes-for-more-talks.trig:" in out.output, "results name the file it would write"
    assert "nothing was stored" in out.stderr
    assert _digests(project / "data") == before


@pytest.mark.parametrize("statements,documents,message", [
    ("dna-statements.csv", None, "give the documents export as well"),
    ("dna-statements.csv", "statements.csv", "not an rDNA documents export"),
    ("bad-header.csv", None, "the header row must hold the template's columns"),
])
def test_unusable_files_are_refused(project, tmp_path, statements, documents, message):
    (tmp_path / "bad-header.csv").write_text("who,said\nme,hello\n", encoding="utf-8")
    folder = tmp_path if statements == "bad-header.csv" else DATA
    args = ["import", folder / statements] + (["--documents", DATA / documents] if documents else [])
    out = _run(project, *args)
    assert out.exit_code == 2 and message in out.stderr, out.stderr


def test_bad_dna_rows_are_reported(project, tmp_path):
    rows = (DATA / "dna-statements.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace(",21,63,", ",21,9999,")
    rows[2] = rows[2].replace(",0", ",2")
    rows[3] = rows[3].replace("3,2,", "3,7,", 1)
    sheet = tmp_path / "dna.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = _run(project, "import", sheet, "--documents", DATA / "dna-documents.csv")
    assert out.exit_code == 2
    assert "dna.csv:2: startCaret 21 and endCaret 9999 are not a span" in out.stderr
    assert "dna.csv:3: agreement '2' must be 1" in out.stderr
    assert "dna.csv:4: documentId '7' is not in dna-documents.csv" in out.stderr
    assert not (project / "data" / "articles").exists()


def test_a_denial_of_an_issue_is_a_bad_row(project, tmp_path):
    sheet = tmp_path / "coded.csv"
    sheet.write_text("speaker,quote,stance,target,source_url,text_file\n"
                     "Toivo Klaar,a second round as soon as possible,deny,humanitarian issues,"
                     "https://news.example/c,second-round.txt\n", encoding="utf-8")
    shutil.copy(DATA / "second-round.txt", tmp_path / "second-round.txt")
    out = _run(project, "import", sheet)
    assert out.exit_code == 2 and "coded.csv:2: a denial targets a claim" in out.stderr
    assert not (project / ".kgraph").exists() or not any((project / ".kgraph").iterdir()), "the staging is removed"
