"""kgraph draft over many texts: folders, lists and a metadata file (CSV or
JSON lines); one text that cannot be drafted does not stop the others; a bad
metadata file is refused, naming its line, before anything is drafted.

The texts here are written for testing; they report no real event."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.drafting.batch import batch_items, draft_many, read_metadata
from kgraph.errors import InputError
from kgraph.project import find_project

from conftest import registry_only

TEXTS = {
    "envoy.txt": "Envoy welcomes talks\n\nWRITTEN FOR TESTING.\n\n"
                 "Toivo Klaar welcomed the talks on 3 April 2023, calling them «a useful step».\n",
    "mp.txt": "Deputy speaks of the next round\n\nWRITTEN FOR TESTING.\n\n"
              "Ramin Mamedov said on Thursday: “We will meet again.”\n",
    "nested/ministry.txt": "Ministry answers\n\nWRITTEN FOR TESTING.\n\n"
                           "The Foreign Ministry of Azerbaijan said that the talks would go on.\n",
}


@pytest.fixture
def project(tmp_path):
    return registry_only(tmp_path / "project")


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "texts"
    for name, text in TEXTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _run(root, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *map(str, args)], catch_exceptions=False)


def test_a_folder_is_drafted_text_by_text(project, texts):
    out = _run(project, "draft", texts)
    assert out.exit_code == 0, out.output + out.stderr
    drafts = sorted(p.name for p in (project / "drafts").glob("*.trig"))
    assert drafts == ["deputy-speaks-of-the-next-round.trig", "envoy-welcomes-talks.trig", "ministry-answers.trig"]
    assert "drafted 3 of 3 texts" in out.output
    assert "deputy-speaks-of-the-next-round.trig: " in out.output and "1 date to read" in out.output
    assert not (project / "data" / "articles").exists()


def test_a_csv_metadata_file_gives_each_text_its_source(project, texts):
    metadata = texts / "metadata.csv"
    metadata.write_text("file,title,url,published,publisher,slug\n"
                        "envoy.txt,Envoy welcomes the talks,https://news.example/envoy,2023-04-04,Azeri media,\n"
                        "mp.txt,,,2023-04-07,Nowhere Times,mp-next-round\n", encoding="utf-8")
    out = _run(project, "draft", "--metadata", metadata)
    assert out.exit_code == 0, out.output + out.stderr
    envoy = (project / "drafts" / "envoy-welcomes-the-talks.trig").read_text(encoding="utf-8")
    assert "dcterms:source <https://news.example/envoy>" in envoy
    assert 'dcterms:issued "2023-04-04"^^xsd:date' in envoy
    assert "dcterms:publisher actor:azerbaijani-media ;" in envoy
    mp = (project / "drafts" / "mp-next-round.trig").read_text(encoding="utf-8")
    assert "# TODO publisher Nowhere Times: no actor of the registry has this name" in mp
    assert "dcterms:publisher" not in mp.replace("# TODO publisher", "")
    # only the texts the metadata lists are drafted
    assert not (project / "drafts" / "ministry-answers.trig").exists()


def test_json_lines_metadata_and_texts_given_by_name(project, texts):
    metadata = texts / "metadata.jsonl"
    metadata.write_text(json.dumps({"file": "envoy.txt", "published": "2023-04-04"}) + "\n\n"
                        + json.dumps({"file": "mp.txt", "slug": "mp"}) + "\n", encoding="utf-8")
    out = _run(project, "draft", texts / "envoy.txt", texts / "nested", "--metadata", metadata)
    assert out.exit_code == 0, out.output + out.stderr
    drafted = sorted(p.stem for p in (project / "drafts").glob("*.trig"))
    assert drafted == ["envoy-welcomes-talks", "ministry-answers"]  # the texts given, with their rows
    envoy = (project / "drafts" / "envoy-welcomes-talks.trig").read_text(encoding="utf-8")
    assert 'dcterms:issued "2023-04-04"^^xsd:date' in envoy


def test_one_bad_text_does_not_stop_the_batch(project, texts):
    (texts / "broken.txt").write_bytes(b"\xff\xfe not UTF-8")
    (texts / "same-title.txt").write_text(TEXTS["envoy.txt"], encoding="utf-8")
    out = _run(project, "draft", texts)
    assert out.exit_code == 2
    assert "broken.txt: the text is not UTF-8" in out.stderr
    assert "same-title.txt: gives the same slug as" in out.stderr and "give it a slug" in out.stderr
    assert "drafted 3 of 5 texts" in out.output and "2 could not be drafted" in out.output
    assert len(list((project / "drafts").glob("*.trig"))) == 3
    # run again: what exists is skipped, not failed
    (texts / "broken.txt").unlink()
    (texts / "same-title.txt").unlink()
    out = _run(project, "draft", texts, "--skip-existing")
    assert out.exit_code == 0, out.output + out.stderr
    assert out.output.count("skipped ") == 3 and "drafted 0 of 3 texts" in out.output


@pytest.mark.parametrize("name,content,message,line", [
    ("m.csv", "file,author\nenvoy.txt,me\n", "the header row must name the column file, and only", 1),
    ("m.csv", "title\nA title\n", "the header row must name the column file", 1),
    ("m.csv", "file,title\nenvoy.txt,A,extra\n", "more cells than the header", 2),
    ("m.csv", "file,title\nenvoy.txt,A\n,B\n", "this row names no file", 3),
    ("m.csv", "", "the metadata file is empty", None),
    ("m.jsonl", '{"file": "envoy.txt"}\n{"file": "mp.txt",}\n', "not a JSON object", 2),
    ("m.jsonl", '["envoy.txt"]\n', "each line must be one JSON object", 1),
    ("m.jsonl", '{"file": "envoy.txt", "date": "2023"}\n', "unknown field 'date'", 1),
    ("m.jsonl", '{"file": "envoy.txt", "published": 2023}\n', "published must be text", 1),
])
def test_a_bad_metadata_file_is_refused_naming_its_line(project, texts, name, content, message, line):
    metadata = texts / name
    metadata.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_metadata(metadata)
    assert message in caught.value.message and caught.value.line == line
    out = _run(project, "draft", "--metadata", metadata)
    assert out.exit_code == 2 and message in out.stderr
    assert not (project / "drafts").exists(), "nothing is drafted from a bad metadata file"


def test_single_text_options_are_refused_in_a_batch(project, texts):
    out = _run(project, "draft", texts, "--published", "2023-04-04")
    assert out.exit_code == 2 and "--published name one text" in out.stderr


def test_the_library_reports_progress_and_keeps_going(project, texts):
    items = batch_items([texts])
    items[1].path = texts / "missing.txt"
    seen = []
    batch = draft_many(items, project=find_project(project), progress=seen.append)
    assert seen == items
    assert len(batch.drafted) == 2 and len(batch.failed) == 1
    assert "cannot read the text" in batch.failed[0][1]
    assert batch.todos == sum(d.todos for _, d in batch.drafted) > 0
