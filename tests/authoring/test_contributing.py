"""The contributor's path end to end: scaffold an article, encode it, validate
it; then one broken variant per common mistake, each caught on its line;
--changed-since; and every report format parsed back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli

from conftest import ROOT

TEXT = (
    "Delegations of Azerbaijan and Nagorno-Karabakh met in Khojalu on March 5 with the mediation of the Russian peacekeepers.\n"
    "Azerbaijan said the talks were “useful”.\n"
    "Nagorno-Karabakh denied that reintegration was discussed.\n"
)

ENCODING = """
x:met a kg:Excerpt ; prov:wasQuotedFrom src:test-talks ;
    oa:exact "Delegations of Azerbaijan and Nagorno-Karabakh met in Khojalu on March 5 with the mediation of the Russian peacekeepers." .
x:useful a kg:Excerpt ; prov:wasQuotedFrom src:test-talks ;
    oa:exact "Azerbaijan said the talks were “useful”." .
x:denied a kg:Excerpt ; prov:wasQuotedFrom src:test-talks ;
    oa:exact "Nagorno-Karabakh denied that reintegration was discussed." .

event:test-talks-meeting a kg:Meeting ;
    rdfs:label "Meeting in Khojalu, 5 March 2023" ;
    kg:date "2023-03-05"^^xsd:date ;
    kg:place place:khojalu ;
    kg:participation part:test-talks-az, part:test-talks-nk, part:test-talks-ru ;
    kg:evidence x:met .
part:test-talks-az a kg:Participation ; kg:participant actor:azerbaijan ; kg:role kg:Party ; kg:evidence x:met .
part:test-talks-nk a kg:Participation ; kg:participant actor:nagorno-karabakh ; kg:role kg:Party ; kg:evidence x:met .
part:test-talks-ru a kg:Participation ; kg:participant actor:russian-peacekeeping-contingent ; kg:role kg:Mediator ; kg:evidence x:met .

tenure:test-talks-mammadov a kg:Tenure ;
    kg:holder actor:ramin-mammadov ;
    kg:post post:azerbaijan-mp-contacts-with-karabakh-armenians ;
    kg:startDate "2023-01-01"^^xsd:date ;
    kg:endDate "2023-03-05"^^xsd:date ;
    kg:evidence x:met .

stmt:test-talks-useful a kg:Statement ;
    kg:speaker actor:azerbaijan ;
    kg:attribution kg:SideOnly ;
    kg:quote "useful" ;
    kg:evidence x:useful ;
    kg:stance stance:test-talks-useful .
stance:test-talks-useful a kg:Stance ; kg:expressedIn stmt:test-talks-useful ;
    kg:stanceType kg:Praise ; kg:target event:test-talks-meeting ; kg:evidence x:useful .

claim:test-talks-reintegration a kg:Claim ;
    kg:claimKind kg:TopicDiscussed ;
    kg:proposition "Reintegration was discussed at the 5 March meeting." ;
    kg:aboutEvent event:test-talks-meeting ;
    kg:topic issue:reintegration ;
    kg:evidence x:denied .
stmt:test-talks-denial a kg:Statement ;
    kg:speaker actor:nagorno-karabakh ;
    kg:attribution kg:SideOnly ;
    kg:paraphrase "Nagorno-Karabakh denied that reintegration was discussed." ;
    kg:evidence x:denied ;
    kg:stance stance:test-talks-denial .
stance:test-talks-denial a kg:Stance ; kg:expressedIn stmt:test-talks-denial ;
    kg:stanceType kg:Deny ; kg:target claim:test-talks-reintegration ; kg:evidence x:denied .
"""

# mistake -> (text replaced, replacement, subject whose line is reported, expected message start)
MISTAKES = {
    "undeclared class": ("event:test-talks-meeting a kg:Meeting ;", "event:test-talks-meeting a kg:Meting ;",
                         "event:test-talks-meeting", "Unknown class"),
    "statement without source": ("    kg:quote \"useful\" ;\n    kg:evidence x:useful ;", "    kg:quote \"useful\" ;",
                                 "stmt:test-talks-useful", "A statement needs a source"),
    "quote not in the text": ('kg:quote "useful"', 'kg:quote "very useful"',
                              "stmt:test-talks-useful", "These words are not in data/sources/test-talks.txt"),
    "mediator who is also a party": ("kg:participant actor:russian-peacekeeping-contingent", "kg:participant actor:azerbaijan",
                                     "event:test-talks-meeting", "The mediator of this meeting is also one of its parties"),
    "date as a plain string": ('kg:date "2023-03-05"^^xsd:date', 'kg:date "2023-03-05"',
                               "event:test-talks-meeting", "kg:date must be one date typed xsd:date"),
    "duplicate actor": ("\nx:met a kg:Excerpt", '\nactor:test-azerbaijan a kg:State ; rdfs:label "Azerbaijan" .\nx:met a kg:Excerpt',
                        "actor:test-azerbaijan", "Another actor, https://w3id.org/kgraph/actor/azerbaijan, has the same name"),
    "dangling reference": ("kg:place place:khojalu", "kg:place place:khojaly",
                           "event:test-talks-meeting", "Nothing describes https://w3id.org/kgraph/place/khojaly"),
    "tenure ending before it starts": ('kg:endDate "2023-03-05"^^xsd:date', 'kg:endDate "2022-12-31"^^xsd:date',
                                       "tenure:test-talks-mammadov", "A tenure cannot end before it starts"),
}

GITHUB = re.compile(r"^::(error|warning|notice) (file=[^,:]+,line=\d+,)?title=[^:]+::.+$")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def contributor(tmp_path):
    """A fresh project repository with the real ontology, checks and registries."""
    root = tmp_path / "project"
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copytree(ROOT / "data" / "registry", root / "data" / "registry")
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, ["--project", str(root), *map(str, args)], catch_exceptions=False)

    text = tmp_path / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    return root, run, text


def _scaffold(root, run, text):
    out = run("new", "article", "--title", "Test talks", "--text", text, "--published", "2023-03-06",
              "--url", "https://example.org/test-talks")
    assert out.exit_code == 0, out.output
    return root / "data" / "articles" / "test-talks.trig"


def _fill(article: Path, encoding: str = ENCODING) -> str:
    """Put the encoding into the scaffold's graph, after its commented examples."""
    document = article.read_text(encoding="utf-8")
    filled = document.rstrip().removesuffix("}") + encoding + "}\n"
    article.write_text(filled, encoding="utf-8")
    return filled


def test_scaffold_validates_as_written_and_refuses_to_overwrite(contributor):
    root, run, text = contributor
    article = _scaffold(root, run, text)
    assert (root / "data" / "sources" / "test-talks.txt").read_text(encoding="utf-8") == TEXT
    content = article.read_text(encoding="utf-8")
    assert '<https://w3id.org/kgraph/graph/articles/test-talks>' in content
    assert "# stmt:test-talks-said a kg:Statement" in content and "kg:stanceType kg:Deny" in content
    out = run("validate", article)
    assert out.exit_code == 0, out.output
    again = run("new", "article", "--title", "Test talks", "--text", text)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert article.read_text(encoding="utf-8") == content


@pytest.mark.parametrize("slug", ["../../evil", "/etc/passwd", "a/b", "..", "UPPER", "dots.in.slug"])
def test_unsafe_slugs_are_refused(contributor, slug):
    root, run, text = contributor
    out = run("new", "article", "--title", "x", "--slug", slug, "--text", text)
    assert out.exit_code == 2 and "slug" in out.stderr
    assert not (root / "data" / "articles").exists()


def test_a_filled_article_validates(contributor):
    root, run, text = contributor
    article = _scaffold(root, run, text)
    _fill(article)
    out = run("validate", article)
    assert out.exit_code == 0, out.output
    assert "0 violations" in out.stdout


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_mistake_is_reported_on_its_line(contributor, mistake):
    root, run, text = contributor
    article = _scaffold(root, run, text)
    old, new, subject, message = MISTAKES[mistake]
    assert old in ENCODING
    broken = _fill(article, ENCODING.replace(old, new, 1))
    line = next(i for i, l in enumerate(broken.splitlines(), 1) if l.startswith(subject + " "))
    out = run("validate", article)
    assert out.exit_code == 1, out.output
    expected = f"{article.relative_to(root).as_posix()}:{line}: violation: {message}"
    assert any(l.startswith(expected) for l in out.stdout.splitlines()), out.stdout


def test_changed_since_validates_only_what_changed(contributor):
    root, run, text = contributor
    article = _scaffold(root, run, text)
    _fill(article)
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "article")

    unchanged = run("validate", "--changed-since", "HEAD")
    assert unchanged.exit_code == 0 and "note: no data file changed since HEAD" in unchanged.stdout

    # a registry edit that breaks the article, which did not change
    actors = root / "data" / "registry" / "actors.ttl"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "actor:russian-peacekeeping-contingent a kg:PeacekeepingContingent ;",
        "actor:russian-peacekeeping-contingent a kg:PeacekeepingContingnt ;"), encoding="utf-8")
    out = run("validate", "--changed-since", "HEAD")
    assert out.exit_code == 1
    rel = article.relative_to(root).as_posix()
    assert f"{rel}:" in out.stdout, "the untouched article that uses the entry is validated too"
    assert "Unknown class https://w3id.org/kgraph/ontology#PeacekeepingContingnt" in out.stdout
    git(root, "checkout", "-q", "--", "data/registry/actors.ttl")

    # an edit to the article alone
    article.write_text(article.read_text(encoding="utf-8").replace('kg:quote "useful"', 'kg:quote "usefull"'), encoding="utf-8")
    out = run("validate", "--changed-since", "HEAD", "--format", "json")
    report = json.loads(out.stdout)
    assert out.exit_code == 1
    assert [v["source"] for v in report["violations"]] == ["check:quote-not-in-source"]
    assert rel in report["files"]
    everything = json.loads(run("validate", "--format", "json").stdout)
    assert report["triples"] < everything["triples"] - 100, "only the registry entries the article uses"

    bad = run("validate", "--changed-since", "no-such-branch")
    assert bad.exit_code == 2 and "is not a git revision" in bad.stderr
    both = run("validate", "--changed-since", "HEAD", article)
    assert both.exit_code == 2


def test_report_formats_parse_back(contributor):
    root, run, text = contributor
    article = _scaffold(root, run, text)
    filled = _fill(article)
    article.write_text(filled.replace('kg:quote "useful"', 'kg:quote "very useful"').replace(
        'kg:date "2023-03-05"^^xsd:date', 'kg:date "2023-03-05"'), encoding="utf-8")

    rel = article.relative_to(root).as_posix()
    github = run("validate", article, "--format", "github")
    assert github.exit_code == 1
    annotations = [l for l in github.stdout.splitlines() if l.startswith("::")]
    assert len(annotations) >= 2 and all(GITHUB.match(l) for l in annotations), annotations
    assert any("title=EventDate::" in l and f"file={rel}," in l for l in annotations)

    junit = run("validate", article, "--format", "junit")
    suite = ET.fromstring(junit.stdout.encode("utf-8"))
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert rel in cases
    failure = cases[rel].find("failure")
    assert failure is not None and "EventDate" in failure.text and "quote-not-in-source" in failure.text
    assert suite.get("failures") == "1"

    sarif = json.loads(run("validate", article, "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rules
    located = [r for r in results if r["ruleId"] == "EventDate"][0]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"] == rel and located["region"]["startLine"] > 0
