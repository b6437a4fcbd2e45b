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

from conftest import ROOT, registry_only

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
    kg:stanceType kg:Praise ; kg:target event:test-talks-meeting ; kg:stanceQuote "useful" ; kg:evidence x:useful .

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
                        "actor:test-azerbaijan",
                        'actor:test-azerbaijan "Azerbaijan" and actor:azerbaijan "Azerbaijan" may be one actor (the same name'),
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
    root = registry_only(tmp_path / "project")
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


def test_the_scaffold_looks_names_up_in_the_registry(contributor):
    """--publisher and --actor go through the identity resolver: a known name
    in another spelling or script gives its IRI; a family name alone gives
    candidates; an unknown name says so; the result still validates."""
    root, run, text = contributor
    out = run("new", "article", "--title", "Test talks", "--text", text, "--publisher", "azeri MEDIA",
              "--actor", "Рамин Мамедов", "--actor", "Shakhramanyan", "--actor", "Zzyzx Qwerty")
    assert out.exit_code == 0, out.output
    content = (root / "data" / "articles" / "test-talks.trig").read_text(encoding="utf-8")
    assert "    dcterms:publisher actor:azerbaijani-media ;\n" in content
    assert "#   Рамин Мамедов: actor:ramin-mammadov  (Ramin Mammadov)\n" in content
    assert "#   Shakhramanyan: not in the registry under this name; it may be actor:samvel-shahramanyan" in content
    assert "#   Zzyzx Qwerty: not in the registry;" in content
    assert run("validate", root / "data" / "articles" / "test-talks.trig").exit_code == 0


def test_the_scaffold_keeps_a_text_that_may_not_be_shared_outside(contributor, tmp_path, monkeypatch):
    monkeypatch.delenv("KGRAPH_SOURCES", raising=False)
    root, run, text = contributor
    out = run("new", "article", "--title", "Test talks", "--text", text, "--keep-text-outside")
    assert out.exit_code == 2 and "needs the sources folder" in out.stderr
    corpus = tmp_path / "private-texts"
    monkeypatch.setenv("KGRAPH_SOURCES", str(corpus))
    out = run("new", "article", "--title", "Test talks", "--text", text, "--keep-text-outside")
    assert out.exit_code == 0, out.output
    assert (corpus / "test-talks.txt").read_text(encoding="utf-8") == TEXT
    assert not (root / "data" / "sources" / "test-talks.txt").exists()
    content = (root / "data" / "articles" / "test-talks.trig").read_text(encoding="utf-8")
    assert 'kg:textName "test-talks.txt"' in content and "kg:textFile" not in content
    assert "test-talks.txt in your sources folder" in content
    assert run("validate", "--require-sources").exit_code == 0
    monkeypatch.delenv("KGRAPH_SOURCES")
    out = run("validate", "--require-sources")
    assert out.exit_code == 1 and "no sources folder was given" in out.output


@pytest.mark.parametrize("publisher,message", [
    ("Azer media", 'did you mean actor:azerbaijani-media "Azerbaijani media"'),
    ("actor:no-such-outlet", "the registry has no actor actor:no-such-outlet"),
    ("Ramin Mammadov", "no actor of the registry has this name"),  # a person is not an outlet
])
def test_an_uncertain_publisher_stops_the_scaffold(contributor, publisher, message):
    root, run, text = contributor
    out = run("new", "article", "--title", "Test talks", "--text", text, "--publisher", publisher)
    assert out.exit_code == 2 and message in out.stderr, out.output
    assert not (root / "data" / "articles").exists() and not (root / "data" / "sources").exists()


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


# Broken articles for the every-format suite: mistake -> (edit of the encoding or
# of the file's bytes, what is expected: severity, where (a subject whose line,
# or a line and column), the start of the message, the rule, a piece of the hint)
BROKEN = {
    **{name: ("replace", old, new, "violation", subject, message, None)
       for name, (old, new, subject, message) in MISTAKES.items()},
    "denied claim stated as fact": ("replace", "event:test-talks-meeting a kg:Meeting ;",
                                    "event:test-talks-meeting a kg:Meeting ; kg:topic issue:reintegration ;",
                                    "violation", "event:test-talks-meeting", "Topics discussed are recorded only on claims",
                                    None),
    "syntax error": ("replace", 'kg:quote "useful" ;', 'kg:quote "he said "useful" ;', "error", None,
                     "useful is not a valid", "a quotation mark inside a literal ends it early"),
    "bad encoding": ("bytes", "useful", "usef\xfcl".encode("latin-1"), "error", None, "not UTF-8 (byte 0xfc)", None),
}

ANNOTATION = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.+)$")


def _broken(root, run, text, mistake):
    """Scaffold and fill the article with one mistake; return it and the expected line (and column)."""
    article = _scaffold(root, run, text)
    how, old, new, severity, subject, message, hint = BROKEN[mistake]
    if how == "replace":
        assert old in ENCODING
        broken = _fill(article, ENCODING.replace(old, new, 1))
    else:
        broken = _fill(article)
        data = broken.encode("utf-8").replace(b'kg:quote "useful"', b'kg:quote "' + new + b'"', 1)
        article.write_bytes(data)
    lines = broken.splitlines()
    if subject:
        line, column = next(i for i, l in enumerate(lines, 1) if l.startswith(subject + " ")), None
    else:
        line = next(i for i, l in enumerate(lines, 1) if 'kg:quote "' in l and "useful" in l and "x:" not in l)
        column = None
    return article, line, column


@pytest.mark.parametrize("mistake", sorted(BROKEN))
def test_every_broken_article_is_caught_in_every_format(contributor, mistake):
    """One mistake at a time, as a contributor makes them: each is caught on
    its line, with its message (and hint), in text, JSON, GitHub annotations,
    JUnit and SARIF; a file that cannot be read exits 2 in every format."""
    root, run, text = contributor
    article, line, _ = _broken(root, run, text, mistake)
    _, _, _, severity, _, message, hint = BROKEN[mistake]
    rel = article.relative_to(root).as_posix()
    code = 2 if severity == "error" else 1

    out = run("validate", article)
    assert out.exit_code == code, out.output
    shown = out.stderr if severity == "error" else out.stdout
    prefix = f"Error: {rel}:{line}:" if severity == "error" else f"{rel}:{line}: violation: {message}"
    assert any(l.startswith(prefix) and message in l for l in shown.splitlines()), shown
    if hint:
        assert f"hint: {hint}" in shown

    report = json.loads(run("validate", article, "--format", "json").stdout)
    entries = report["errors"] if severity == "error" else report["violations"]
    found = [e for e in entries if e["file"] == rel and e["line"] == line and message in e["message"]]
    assert found and report["conforms"] is False, entries
    if severity == "error":
        assert found[0]["column"] and found[0]["source"].startswith("kgraph:")
    if hint:
        assert hint in found[0]["hint"]

    github = run("validate", article, "--format", "github")
    assert github.exit_code == code
    annotations = [ANNOTATION.match(l) for l in github.stdout.splitlines() if l.startswith("::")]
    assert annotations and all(annotations), github.stdout
    assert any(f"file={rel}," in a.group("props") and f"line={line}" in a.group("props")
               and message.replace(",", "%2C") in a.group("message").replace(",", "%2C") for a in annotations)

    junit = ET.fromstring(run("validate", article, "--format", "junit").stdout.encode("utf-8"))
    case = next(c for c in junit.iter("testcase") if c.get("name") == rel)
    element = case.find("error" if severity == "error" else "failure")
    assert element is not None and f"{rel}:{line}" in element.text and message in element.text
    assert int(junit.get("errors" if severity == "error" else "failures")) >= 1

    sarif = json.loads(run("validate", article, "--format", "sarif").stdout)
    results = [r for r in sarif["runs"][0]["results"]
               if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == rel
               and r["locations"][0]["physicalLocation"]["region"]["startLine"] == line]
    assert results and message in results[0]["message"]["text"] and results[0]["level"] == "error"


def test_two_broken_files_are_both_reported(contributor, tmp_path):
    root, run, text = contributor
    first = root / "data" / "articles" / "first.ttl"
    second = root / "data" / "articles" / "second.ttl"
    first.parent.mkdir(parents=True, exist_ok=True)
    first.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b \"x\"\n", encoding="utf-8")
    second.write_text("ex:a ex:b ex:c .\n", encoding="utf-8")
    out = run("validate", "--format", "github")
    assert out.exit_code == 2
    assert "file=data/articles/first.ttl,line=3" in out.stdout
    assert "file=data/articles/second.ttl,line=1" in out.stdout and "The prefix ex: has not been declared" in out.stdout
    assert "declare it at the top of the file" in out.stderr


def test_staged_validates_what_the_next_commit_holds(contributor):
    """--staged (the pre-commit hook) validates the index, not the working
    tree: an untracked broken draft does not block, a broken staged file does
    even when the working tree has it fixed, and paths are the project's."""
    root, run, text = contributor
    article = _scaffold(root, run, text)
    _fill(article)
    nothing = run("validate", "--staged")
    assert nothing.exit_code == 0 and "note: no data file is staged" in nothing.stdout, nothing.output
    git(root, "add", "-A")
    staged = run("validate", "--staged")
    assert staged.exit_code == 0, staged.output
    draft = root / "data" / "articles" / "draft.ttl"
    draft.write_text("this is not turtle\n", encoding="utf-8")
    assert run("validate", "--staged").exit_code == 0, "an untracked draft is left alone"
    assert run("validate").exit_code == 2, "while validating the working tree sees it"
    draft.unlink()
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace('kg:quote "useful"', 'kg:quote "very useful"'), encoding="utf-8")
    git(root, "add", "-A")
    article.write_text(good, encoding="utf-8")  # fixed in the working tree, not in the index
    out = run("validate", "--staged")
    assert out.exit_code == 1, out.output
    rel = article.relative_to(root).as_posix()
    assert f"{rel}:" in out.stdout and "These words are not in" in out.stdout
    assert "kgraph-staged" not in out.stdout
    assert run("validate", article).exit_code == 0


def test_the_pull_request_workflow_end_to_end(contributor, tmp_path):
    """The steps of .github/workflows/validate.yml, run as GitHub would on a
    pull request that adds a broken article: the annotations on the diff and
    the JUnit file it uploads."""
    import os
    import sys

    import yaml

    root, run, text = contributor
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))
    steps = [s for s in workflow["jobs"]["validate"]["steps"] if "run" in s and "kgraph" in s["run"]]
    assert len(steps) >= 2
    base = git(root, "rev-parse", "HEAD").strip()
    git(root, "update-ref", "refs/remotes/origin/main", base)  # what actions/checkout fetches
    git(root, "checkout", "-qb", "pull-request")
    article = _scaffold(root, run, text)
    _fill(article, ENCODING.replace('kg:date "2023-03-05"^^xsd:date', 'kg:date "2023-03-05"', 1))
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "a new article")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("KGRAPH_STORE", None)
    outputs = []
    for step in steps:
        command = step["run"].replace("${{ github.base_ref }}", "main")
        done = subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True)
        outputs.append(done)
    changed = outputs[0]
    assert changed.returncode == 1, changed.stderr
    rel = article.relative_to(root).as_posix()
    annotations = [l for l in changed.stdout.splitlines() if l.startswith("::error ")]
    assert any(f"file={rel},line=" in a and "title=EventDate::" in a for a in annotations), changed.stdout
    junit = ET.parse(root / "kgraph-validate.xml").getroot()
    failing = [c.get("name") for c in junit.iter("testcase") if c.find("failure") is not None]
    assert failing == [rel]


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
    # the quote is not in the text, and no longer the one its stance names
    assert sorted(v["source"] for v in report["violations"]) == ["check:quote-not-in-source", "check:stance-quote"]
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
