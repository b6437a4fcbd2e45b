"""kgraph draft: a text written for testing turned into a draft, and the gate
it must pass: every literal a piece of the text at its positions, every IRI
the registry's or the draft's own, validation showing only what is marked
TODO; a draft is never data until accepted; the review page stands alone."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.namespaces import BASE, PREFIXES
from kgraph.project import find_project
from kgraph.validation.run import validate

from conftest import ROOT, TEST_DATA, registry_only

TEXT = TEST_DATA / "drafting" / "talks-resume.txt"
SLUG = "talks"
OA = PREFIXES["oa"]
KG = PREFIXES["kg"]
# the namespaces of the draft's own new nodes
OWN = tuple(PREFIXES[p] for p in ("stmt", "stance", "claim", "src", "excerpt", "event", "part"))


@pytest.fixture
def project(tmp_path):
    """A project with the real ontology, checks and registries, no articles."""
    return registry_only(tmp_path / "project")


def _run(root, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *map(str, args)], catch_exceptions=False)


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def drafted(project):
    before = _digests(project / "data")
    out = _run(project, "draft", TEXT, "--slug", SLUG, "--published", "2023-04-15", "--url",
               "https://example.org/talks")
    assert out.exit_code == 0, out.output
    assert _digests(project / "data") == before, "kgraph draft wrote into data/"
    return project, project / "drafts" / f"{SLUG}.trig"


def _quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG))


def _values(quads, predicate: str) -> list[tuple[str, str]]:
    return [(q.subject.value, q.object.value) for q in quads if q.predicate.value == predicate]


def test_the_draft_and_its_text_and_page_are_written_beside_each_other(drafted):
    root, article = drafted
    assert sorted(p.name for p in article.parent.iterdir()) == [f"{SLUG}.html", f"{SLUG}.trig", f"{SLUG}.txt"]
    assert (root / "drafts" / f"{SLUG}.txt").read_bytes() == TEXT.read_bytes()
    quads = _quads(article)
    assert {q.graph_name.value for q in quads} == {f"{BASE}graph/articles/{SLUG}"}
    source = f"{PREFIXES['src']}{SLUG}"
    assert (source, hashlib.sha256(TEXT.read_bytes()).hexdigest()) in _values(quads, KG + "sha256")
    assert (source, f"{KG}Unreviewed") in _values(quads, KG + "reviewStatus")


def test_every_excerpt_is_the_text_between_its_positions(drafted):
    root, article = drafted
    text = TEXT.read_text(encoding="utf-8")
    quads = _quads(article)
    exact, start, end = (dict(_values(quads, OA + p)) for p in ("exact", "start", "end"))
    assert exact and exact.keys() == start.keys() == end.keys()
    for node, words in exact.items():
        assert text[int(start[node]):int(end[node])] == words, node
    for predicate in ("quote", "paraphrase", "proposition"):
        for node, words in _values(quads, KG + predicate):
            assert words in text, (node, predicate, words)


def test_every_iri_is_the_registrys_or_the_drafts_own(drafted, project):
    root, article = drafted
    described = set()
    for folder in ("data/registry", "ontology"):
        for path in (root / folder).glob("*.ttl"):
            described |= {q.subject.value for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE)}
    used = set()
    for q in _quads(article):
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode):
                used.add(term.value)
    outside = sorted(iri for iri in used if iri.startswith(BASE) and not iri.startswith(OWN)
                     and iri not in described and "/graph/" not in iri)
    assert not outside
    assert f"{PREFIXES['actor']}ramin-mammadov" in used  # "Ramin Mamedov" in the text


def test_validation_of_the_draft_shows_only_what_is_marked_todo(drafted):
    root, article = drafted
    lines = article.read_text(encoding="utf-8").splitlines()
    report = validate([article], project=find_project(root))
    assert report.violations and not report.errors
    for v in report.violations:
        assert v.file is not None and v.file.name == article.name and v.line, v
        # the block of triples the result points at (to the next blank line) holds a TODO
        first = v.line - 1
        while first > 0 and lines[first - 1].strip() and not lines[first - 1].startswith("# ---"):
            first -= 1
        last = v.line - 1
        while last < len(lines) and lines[last].strip():
            last += 1
        assert any("TODO" in line for line in lines[first:last]), (v.message, lines[first:last])
    marks = [v for v in report.violations if "unreviewed draft" in v.message]
    assert len(marks) == 1


def test_what_the_test_text_says_is_found(drafted):
    """The written-for-testing text's quotes, speakers, stances, claims and dates."""
    root, article = drafted
    quads = _quads(article)
    statements = {s for s, o in _values(quads, PREFIXES["rdf"] + "type") if o == KG + "Statement"}
    speaker = dict(_values(quads, KG + "speaker"))
    quotes: dict[str, list[str]] = {}
    for s, o in _values(quads, KG + "quote"):
        quotes.setdefault(s, []).append(o)
    split = [s for s, words in quotes.items() if len(words) == 2]
    assert len(split) == 1, "a quote split by its speaker tag is one statement"
    assert sorted(quotes[split[0]]) == ["The meeting was constructive", "and we agreed to meet again."]
    assert speaker[split[0]] == PREFIXES["actor"] + "ramin-mammadov"
    assert ["a useful step"] in quotes.values() and ["Both sides need this channel."] in quotes.values()
    stance_type = {o for s, o in _values(quads, KG + "stanceType")}
    assert {KG + "Welcome", KG + "Deny", KG + "Assert"} <= stance_type
    claims = {s for s, o in _values(quads, PREFIXES["rdf"] + "type") if o == KG + "Claim"}
    propositions = {o for s, o in _values(quads, KG + "proposition") if s in claims}
    assert "the parties discussed the supply of natural gas." in propositions
    assert "the status of the region was discussed." in propositions
    assert len(statements) == 7
    price = [s for s, o in _values(quads, KG + "speaker") if o == PREFIXES["actor"] + "ned-price"]
    assert len(price) == 1 and not quotes.get(price[0])
    assert (price[0], "Ned Price declined to comment on Thursday.") in _values(quads, KG + "paraphrase")
    events = {s for s, o in _values(quads, PREFIXES["rdf"] + "type") if o == KG + "Meeting"}
    assert len(events) == 1
    (meeting,) = events
    assert (meeting, "2023-04-14") in _values(quads, KG + "date")
    assert (meeting, "14 April 2023") in _values(quads, KG + "dateAsWritten")
    assert (meeting, PREFIXES["place"] + "russian-peacekeepers-headquarters") in _values(quads, KG + "place")
    roles = {(dict(_values(quads, KG + "participant"))[p], dict(_values(quads, KG + "role"))[p])
             for m, p in _values(quads, KG + "participation") if m == meeting}
    assert roles == {(PREFIXES["actor"] + "azerbaijan", KG + "Party"), (PREFIXES["actor"] + "nagorno-karabakh", KG + "Party"),
                     (PREFIXES["actor"] + "russian-peacekeeping-contingent", KG + "Host")}, "Azeri media only reports it"
    document = article.read_text(encoding="utf-8")
    assert "'14 April 2023' = 2023-04-14" in document
    assert re.search(r"TODO 'on Thursday' = \?", document), "a relative date is never resolved silently"
    assert "TODO 'Marta Kowalczyk' at" in document and "(person?)" in document
    assert "TODO 'Vistula Policy Institute' at" in document


def test_a_draft_moved_into_data_by_hand_is_refused(drafted):
    root, article = drafted
    (root / "data" / "articles").mkdir()
    shutil.copy(article, root / "data" / "articles" / article.name)
    report = validate(project=find_project(root))
    assert any("unreviewed draft" in v.message for v in report.violations)
    # its text under drafts/ is refused as well, mark or not
    moved = root / "data" / "articles" / article.name
    moved.write_text(moved.read_text(encoding="utf-8").replace(
        "    # TODO review: settle every TODO below, then run kgraph draft --accept on this file\n"
        "    kg:reviewStatus kg:Unreviewed .", "    ."), encoding="utf-8")
    report = validate(project=find_project(root))
    assert not any("kg:Unreviewed" in (v.value or "") for v in report.violations)
    assert any("keeps its text in data/sources/" in v.message for v in report.violations)


def test_an_unsettled_draft_is_not_accepted(drafted):
    root, article = drafted
    out = _run(root, "draft", "--accept", article)
    assert out.exit_code == 1
    assert "is not ready" in out.stderr and "violation" in out.output
    assert article.is_file() and article.with_suffix(".txt").is_file()
    assert not (root / "data" / "articles").exists() and not (root / "data" / "sources").exists()


SHORT = ("Envoy welcomes talks\n\nWRITTEN FOR TESTING kgraph draft --accept.\n\n"
         "Toivo Klaar welcomed the talks, calling them «a useful step».\n")


def test_a_settled_draft_is_accepted_into_data(project, tmp_path):
    text = tmp_path / "short.txt"
    text.write_text(SHORT, encoding="utf-8")
    out = _run(project, "draft", text, "--published", "2023-04-15")
    assert out.exit_code == 0, out.output
    article = project / "drafts" / "envoy-welcomes-talks.trig"
    document = article.read_text(encoding="utf-8")
    todo = "    # TODO target: the claim, issue, event or statement this is about\n"
    assert document.count(todo) == 1
    # a TODO left in the file stops it, named by its line
    out = _run(project, "draft", "--accept", article)
    line = document[:document.index(todo)].count("\n") + 1
    assert out.exit_code == 1 and f"drafts/envoy-welcomes-talks.trig:{line}: violation: a TODO is left" in out.output
    # the TODO deleted but not settled: the violation points at the draft's own line, as validate does
    article.write_text(document.replace(todo, ""), encoding="utf-8")
    shown = _run(project, "validate", article).output.splitlines()
    wanted = [s for s in shown if "exactly one kg:target" in s]
    out = _run(project, "draft", "--accept", article)
    assert out.exit_code == 1 and len(wanted) == 1 and wanted[0] in out.output.splitlines(), (wanted, out.output)
    assert not (project / "data" / "articles").exists()
    article.write_text(document.replace(todo, "    kg:target issue:peace-negotiations ;\n"), encoding="utf-8")
    out = _run(project, "draft", "--accept", article)
    assert out.exit_code == 0, out.output
    assert not (project / "drafts" / "envoy-welcomes-talks.trig").exists()
    assert not (project / "drafts" / "envoy-welcomes-talks.html").exists()
    accepted = project / "data" / "articles" / "envoy-welcomes-talks.trig"
    assert (project / "data" / "sources" / "envoy-welcomes-talks.txt").read_text(encoding="utf-8") == SHORT
    content = accepted.read_text(encoding="utf-8")
    assert content.count("\n") == document.count("\n"), "every line keeps its number"
    assert "kg:Unreviewed" not in content and 'kg:textFile "data/sources/envoy-welcomes-talks.txt"' in content
    out = _run(project, "validate")
    assert out.exit_code == 0, out.output
    # the accepted article answers the saved queries like any other
    out = _run(project, "query", "stances", "--format", "csv")
    assert out.exit_code == 0 and "a useful step" in out.output, out.output


def test_a_text_that_may_not_be_shared_is_accepted_outside_the_repository(project, tmp_path, monkeypatch):
    monkeypatch.delenv("KGRAPH_SOURCES", raising=False)
    text = tmp_path / "short.txt"
    text.write_text(SHORT, encoding="utf-8")
    assert _run(project, "draft", text, "--published", "2023-04-15").exit_code == 0
    article = project / "drafts" / "envoy-welcomes-talks.trig"
    todo = "    # TODO target: the claim, issue, event or statement this is about\n"
    article.write_text(article.read_text(encoding="utf-8").replace(todo, "    kg:target issue:peace-negotiations ;\n"),
                       encoding="utf-8")
    out = _run(project, "draft", "--accept", article, "--keep-text-outside")
    assert out.exit_code == 2 and "needs the sources folder" in out.stderr
    corpus = tmp_path / "texts"
    out = _run(project, "draft", "--accept", article, "--keep-text-outside", "--sources", corpus)
    assert out.exit_code == 0, out.output + out.stderr
    assert (corpus / "envoy-welcomes-talks.txt").read_text(encoding="utf-8") == SHORT
    assert not (project / "data" / "sources" / "envoy-welcomes-talks.txt").exists()
    content = (project / "data" / "articles" / "envoy-welcomes-talks.trig").read_text(encoding="utf-8")
    assert 'kg:textName "envoy-welcomes-talks.txt"' in content and "kg:textFile" not in content
    # without the folder its quotes are skipped, and said to be; with it they are checked
    out = _run(project, "validate")
    assert out.exit_code == 0 and "1 source without its text" in out.output, out.output
    monkeypatch.setenv("KGRAPH_SOURCES", str(corpus))
    out = _run(project, "validate", "--require-sources")
    assert out.exit_code == 0 and "without its text" not in out.output, out.output


@pytest.mark.parametrize("content,args,message", [
    (None, [], "cannot read the text"),
    (b"", [], "the text is empty"),
    (b"\xff\xfe bad", [], "not UTF-8"),
    (b"\xef\xbb\xbfTitle\n", [], "byte-order mark"),
    (b"Title\n", ["--published", "15 April"], "is not a date"),
    (b"Title\n", ["--url", "ftp://example.org/x"], "http or https"),
    (b"Title\n", ["--slug", "../evil"], "lower-case letters"),
    (b"Title\n", ["-o", "elsewhere.ttl"], "ending in .trig"),
])
def test_bad_input_exits_2_and_writes_nothing(project, tmp_path, content, args, message):
    text = tmp_path / "in.txt"
    if content is not None:
        text.write_bytes(content)
    out = _run(project, "draft", text, *args)
    assert out.exit_code == 2 and message in out.stderr, (out.output, out.stderr)
    assert not (project / "drafts").exists()


def test_a_draft_outside_the_project_or_over_an_old_one_is_refused(project, tmp_path):
    text = tmp_path / "in.txt"
    text.write_text(SHORT, encoding="utf-8")
    out = _run(project, "draft", text, "-o", tmp_path / "outside.trig")
    assert out.exit_code == 2 and "inside the project" in out.stderr
    assert _run(project, "draft", text).exit_code == 0
    page = (project / "drafts" / "envoy-welcomes-talks.html").read_bytes()
    out = _run(project, "draft", text)
    assert out.exit_code == 2 and "already exists" in out.stderr
    assert (project / "drafts" / "envoy-welcomes-talks.html").read_bytes() == page


def test_accept_refuses_what_is_not_a_draft(project, tmp_path):
    other = tmp_path / "other.trig"
    other.write_text("<urn:a> { <urn:a> <urn:b> <urn:c> . }\n", encoding="utf-8")
    out = _run(project, "draft", "--accept", other)
    assert out.exit_code == 2 and "not a draft" in out.stderr
    out = _run(project, "draft", TEXT, "--accept", other)
    assert out.exit_code == 2 and "not both" in out.stderr
    out = _run(project, "draft")
    assert out.exit_code == 2 and "give the TEXT" in out.stderr


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.links, self.fetched, self.text = [], set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        for name in ("src", "srcset", "data"):
            if name in attrs:
                self.fetched.append(attrs[name])
        if tag == "link":
            self.fetched.append(attrs.get("href"))

    def handle_data(self, data):
        self.text.append(data)


def test_the_review_page_stands_alone_and_links_every_span(drafted):
    root, article = drafted
    page = _Page()
    page.feed(article.with_suffix(".html").read_text(encoding="utf-8"))
    assert "script" not in page.tags and not page.fetched
    assert page.links and all(link.startswith("#") and link[1:] in page.ids for link in page.links)
    shown = "".join(page.text)
    text = TEXT.read_text(encoding="utf-8")
    for paragraph in text.split("\n"):
        assert paragraph in shown
    assert "TODO: the stance's target" in shown
    assert not re.search(r"url\(|@import|https?://(?!example\.org)", article.with_suffix(".html").read_text())


def test_positions_are_code_points(project, tmp_path):
    """Characters outside the Basic Multilingual Plane count as one."""
    text = tmp_path / "astral.txt"
    body = "Envoy 𝔸 welcomes talks\n\nWRITTEN FOR TESTING: 🙂🙂.\n\nToivo Klaar said: “We are ready.”\n"
    text.write_text(body, encoding="utf-8")
    assert _run(project, "draft", text, "--slug", "astral").exit_code == 0
    quads = _quads(project / "drafts" / "astral.trig")
    start = int(dict(_values(quads, OA + "start"))[PREFIXES["excerpt"] + "astral/quote-1"])
    assert body[start:].startswith("Toivo Klaar said")
    assert start == body.index("Toivo")  # Python counts code points, not UTF-16 units


def test_the_python_api(project):
    from kgraph import draft

    made = draft(TEXT, project=find_project(project), slug="api", published="2023-04-15")
    assert made.article == project / "drafts" / "api.trig"
    assert made.count("quote") == 3 and made.todos > 0
    assert "3 quotes" in made.summary()


def test_the_hand_encoding_of_the_test_text_validates(tmp_path):
    """The benchmark's answer for talks-resume.txt is itself valid data."""
    root = registry_only(tmp_path / "gold")
    shutil.copy(TEST_DATA / "drafting" / "talks-resume.registry.ttl", root / "data" / "registry")
    (root / "data" / "sources").mkdir()
    (root / "data" / "articles").mkdir()
    shutil.copy(TEXT, root / "data" / "sources" / "talks-resume.txt")
    shutil.copy(TEST_DATA / "drafting" / "talks-resume.trig", root / "data" / "articles")
    report = validate(project=find_project(root))
    assert report.conforms and not report.violations, [v.message for v in report.violations]


def test_the_benchmark_runs_to_the_end(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "results.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks.draft", "--batch", "3", "--repeat", "1", "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    for text in ("docs/examples/talks.txt", "data/sources/baku-stepanakert-contacts-opinion.txt",
                 "tests/data/drafting/talks-resume.txt", "**all**", "A batch of 3 drafts"):
        assert text in report


def test_the_benchmark_joins_a_passage_cut_into_pieces(tmp_path):
    """A hand encoder may cut one quoted passage into several values; the
    passage measure joins pieces separated only by white space, and keeps
    pieces a speaker tag separates apart."""
    from benchmarks.draft import Encoding

    text = "“We met. We will meet again,” she said, “soon.”\n“Next week.”"
    trig = tmp_path / "one.trig"
    trig.write_text("""@prefix kg: <https://w3id.org/kgraph/ontology#> .
<urn:g> { <urn:s> a kg:Statement ; kg:quote "We met." , "We will meet again" , "soon." .
          <urn:t> a kg:Statement ; kg:quote "Next week." . }
""", encoding="utf-8")
    passages = {text[a:b] for a, b in Encoding(trig, text).passages()}
    assert passages == {"We met. We will meet again", "soon.", "Next week."}
