"""The name resolver, ``kgraph actors find``, did-you-mean for parameters,
and the identity checks of ``kgraph validate`` (with judgements)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest

from kgraph.identity import NameIndex, Named, name_problems, normal_form, romanize, same_name
from kgraph.identity.registry import find_actors, name_index
from kgraph.project import find_project
from kgraph.validation.run import validate

from conftest import ROOT

ACTOR = "https://w3id.org/kgraph/actor/"


def _kgraph(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kgraph.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=os.environ | {"KGRAPH_STORE": ""})


@pytest.fixture
def copy(tmp_path):
    """A copy of the repository's project to change."""
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


# -- the same characters typed differently -------------------------------------

@pytest.mark.parametrize("typed", [
    "Ramin Mammadov ", " Ramin Mammadov", "Ramin  Mammadov", "Ramin\u00a0Mammadov", "Ramin Mamma\u200bdov",
    "RAMIN MAMMADOV", "R\u0430min Mammadov", "Ramin Mamm\u0430dov", "Ramin\tMammadov", "\ufeffRamin Mammadov",
])
def test_one_normal_form_for_the_same_name_typed_differently(typed):
    assert normal_form(typed) == "ramin mammadov"


def test_a_decomposed_accent_is_the_composed_one():
    decomposed = unicodedata.normalize("NFD", "Xankəndi Şuşa")
    assert decomposed != "Xankəndi Şuşa"
    assert normal_form(decomposed) == normal_form("Xankəndi Şuşa")
    assert [p.code for p in name_problems(decomposed)] == ["decomposed"]


@pytest.mark.parametrize("name, codes", [
    ("Ramin Mammadov", []),
    ("Ramin Mammadov ", ["edge-space"]),
    ("Ramin  Mammadov", ["double-space"]),
    ("Ramin\u00a0Mammadov", ["odd-space"]),
    ("Ramin\u200bMammadov", ["invisible"]),
    ("R\u0430min Mammadov", ["mixed-script"]),
    ("Рамин Мамедов", []),
])
def test_name_problems_say_what_a_reader_cannot_see(name, codes):
    assert [p.code for p in name_problems(name)] == codes


# -- romanisation and keys -----------------------------------------------------

@pytest.mark.parametrize("name, language, latin", [
    ("Փաշինյան", None, "pashinyan"),
    ("Հարությունյան", None, "harutyunyan"),
    ("Երևան", "hy-Armn", "yerevan"),
    ("Ստեփանակերտ", None, "stepanakert"),
    ("Məmmədov", None, "mammadov"),
    ("Xocalı", "az-Latn", "khojaly"),
    ("Ceyhun Bayramov", "az", "jeyhun bayramov"),
    ("Мамедов", None, "mamedov"),
    ("Шахраманян", "ru-Cyrl", "shakhramanyan"),
    ("Nagorno-Karabakh", None, "nagorno karabakh"),
])
def test_romanisation_follows_the_regions_conventions(name, language, latin):
    assert romanize(name, language) == latin


@pytest.mark.parametrize("a, b", [
    ("Ramin Mammadov", "Ramin Mamedov"), ("Ramin Mammadov", "Рамин Мамедов"), ("Ramin Mammadov", "Mamedov Ramin"),
    ("Arayik Harutyunyan", "Arayik Arutyunyan"), ("Samvel Shahramanyan", "Samvel Shakhramanyan"),
    ("Khojaly", "Ходжалы"), ("Khojalu", "Խոջալու"), ("Ilham Aliyev", "Ilham Aliev"), ("Karabakh", "Карабах"),
    ("Karabakh", "Qarabağ"), ("Aghdam", "Агдам"), ("Hadrut", "Гадрут"), ("Hakob Badalyan", "Акоп Бадалян"),
])
def test_spellings_of_one_name_share_a_key(a, b):
    assert same_name(a, b)


@pytest.mark.parametrize("a, b", [
    ("Ramin Mammadov", "Ramil Mammadov"), ("Ilham Aliyev", "Mehriban Aliyeva"), ("Aghdam", "Aghdara"),
    ("Stepanakert", "Stepanavan"), ("Samvel Shahramanyan", "Samvel Babayan"),
])
def test_different_names_do_not(a, b):
    assert not same_name(a, b)


# -- lookup ----------------------------------------------------------------------

def test_find_ranks_the_registry_by_any_name(project):
    graph = project.load()
    index = name_index(graph)

    def top(name, **kw):
        found = index.find(name, **kw)
        return (found[0].iri.removeprefix(ACTOR), found[0].score) if found else None

    assert top("Ramin Mammadov") == ("ramin-mammadov", 1.0)
    assert top("ramin  mammadov\u200b") == ("ramin-mammadov", 1.0)
    assert top("Рамин Мамедов") == ("ramin-mammadov", 1.0)
    assert top("Ramin Mammedov")[0] == "ramin-mammadov"
    assert top("Arutyunyan")[0] == "arayik-harutyunyan"
    assert top("Шахраманян")[0] == "samvel-shahramanyan"
    assert index.find("Xocali")[0].iri.endswith("place/khojalu")
    assert index.find("Khojali")[0].iri.endswith("place/khojalu")
    assert index.find("Ramin Mammadov", kinds=["place"]) == []
    assert index.find("Zbigniew Brzezinski") == []
    # one candidate per thing, best first, each with a reason
    found = index.find("Mammadov", min_score=0.5, limit=10)
    assert len({c.iri for c in found}) == len(found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert all(c.reason for c in found)


def test_actors_find_prints_candidates_and_exits_1_for_none(copy):
    out = _kgraph("--project", str(copy), "actors", "find", "Ramin Mamedov", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows[0]["iri"] == ACTOR + "ramin-mammadov" and rows[0]["score"] == 1.0 and rows[0]["reason"]
    table = _kgraph("--project", str(copy), "actors", "find", "Shakhramanyan")
    assert table.returncode == 0 and "actor:samvel-shahramanyan" in table.stdout and "score" in table.stdout
    none = _kgraph("--project", str(copy), "actors", "find", "Zbigniew Brzezinski")
    assert none.returncode == 1 and "no actor or place matches" in none.stderr


def _without_alias(root, alias: str) -> None:
    path = root / "data" / "registry" / "actors.ttl"
    text = path.read_text(encoding="utf-8")
    cut = re.sub(rf'"{alias}", ', "", text)
    cut = re.sub(rf',\s*\[ a skosxl:Label ; skosxl:literalForm "{alias}" ; kg:nameKind kg:\w+ \]', "", cut)
    assert cut != text and f'"{alias}"' not in cut
    path.write_text(cut, encoding="utf-8")


def test_a_parameter_in_another_spelling_names_the_candidate(copy):
    ok = _kgraph("--project", str(copy), "query", "actor-profile", "-p", "actor=Ramin  Mammadov")
    assert ok.returncode == 0 and "ramin-mammadov" in ok.stdout
    _without_alias(copy, "Ramin Mamedov")
    out = _kgraph("--project", str(copy), "query", "actor-profile", "-p", "actor=Ramin Mamedov")
    assert out.returncode == 2
    assert 'did you mean actor:ramin-mammadov "Ramin Mammadov"' in out.stderr
    assert "same name in Latin letters" in out.stderr  # the Russian name, romanised


# -- the identity checks -----------------------------------------------------------

def _add(root, text: str, name: str = "actors.ttl") -> None:
    path = root / "data" / "registry" / name
    header = ("@prefix kg: <https://w3id.org/kgraph/ontology#> .\n@prefix actor: <https://w3id.org/kgraph/actor/> .\n"
              "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
              "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix judgement: <https://w3id.org/kgraph/judgement/> .\n")
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else header) + "\n" + text + "\n", encoding="utf-8")


def _identity(report):
    return [v for v in report.violations if v.component == "IdentityCheck"]


def test_a_new_spelling_of_a_known_actor_is_a_warning_naming_both(copy):
    _without_alias(copy, "Ramin Mamedov")
    _add(copy, 'actor:ramin-mamedov a kg:Person ; rdfs:label "Ramin Mamedov" .')
    report = validate(project=find_project(copy))
    found = _identity(report)
    assert [(v.severity, v.source) for v in found] == [("warning", "check:near-duplicate-actor")]
    v = found[0]
    assert v.focus == f"<{ACTOR}ramin-mamedov>" and v.file.name == "actors.ttl" and v.line
    assert "actor:ramin-mammadov" in v.message and '"Ramin Mammadov"' in v.message and '"Ramin Mamedov"' in v.message
    assert report.conforms
    cli = _kgraph("--project", str(copy), "validate", "--strict")
    assert cli.returncode == 1 and "actor:ramin-mamedov" in cli.stdout


def test_the_same_name_typed_differently_is_a_violation(copy):
    _add(copy, 'actor:ramin-mammadov-2 a kg:Person ; rdfs:label "Ramin\u00a0Mammadov\u200b" .')
    report = validate(project=find_project(copy))
    sources = sorted((v.severity, v.source) for v in _identity(report))
    assert sources == [("violation", "check:duplicate-actor"), ("warning", "check:name-form"),
                       ("warning", "check:name-form")]
    assert not report.conforms


def test_a_known_alias_taken_by_a_new_actor_is_a_violation(copy):
    _add(copy, 'actor:ramin-mamedov a kg:Person ; rdfs:label "Ramin Mamedov" .')
    report = validate(project=find_project(copy))
    assert [(v.severity, v.source) for v in _identity(report)] == [("violation", "check:duplicate-actor")]


def test_places_and_actors_of_other_kinds_are_not_paired(copy):
    # "Stepanakert" names the polity (a metonym); a place of that name is not its duplicate
    _add(copy, '<https://w3id.org/kgraph/place/stepanakert> a kg:Settlement ; rdfs:label "Stepanakert" .',
         "places.ttl")
    assert _identity(validate(project=find_project(copy))) == []


JUDGEMENT = ('judgement:mamedov a kg:IdentityJudgement ; kg:judged actor:ramin-mammadov, actor:ramin-mamedov ; '
             'kg:verdict kg:{verdict} ; dcterms:creator "A. Reviewer" ; dcterms:date "2026-12-01"^^xsd:date .')


@pytest.mark.parametrize("verdict, expected", [
    ("DifferentThings", []),
    ("Undecided", [("warning", "check:near-duplicate-actor")]),
    ("SameThing", [("violation", "check:duplicate-actor"), ("warning", "check:near-duplicate-actor")]),
])
def test_a_judgement_settles_the_pair(copy, verdict, expected):
    _without_alias(copy, "Ramin Mamedov")
    _add(copy, 'actor:ramin-mamedov a kg:Person ; rdfs:label "Ramin Mamedov" .')
    _add(copy, JUDGEMENT.format(verdict=verdict), "judgements.ttl")
    report = validate(project=find_project(copy))
    found = _identity(report)
    assert sorted((v.severity, v.source) for v in found) == expected
    if verdict == "Undecided":
        assert "judged unsure by A. Reviewer on 2026-12-01" in found[0].message
    if verdict == "SameThing":
        assert any("keep one IRI" in v.message for v in found)
    assert not [v for v in report.violations if v.component != "IdentityCheck"]


def test_the_shipped_registry_has_no_identity_results(project):
    assert _identity(validate(project=project)) == []


def test_the_index_blocks_instead_of_comparing_all_pairs():
    # many people sharing one family name: only the true variant pair is reported
    given = ["Anar", "Elchin", "Farid", "Ilgar", "Kamran", "Murad", "Orkhan", "Rashad", "Tural", "Vugar"]
    things = [Named(f"{ACTOR}{g.lower()}-mammadov", "person", f"{g} Mammadov", ((f"{g} Mammadov", None),))
              for g in given]
    things.append(Named(f"{ACTOR}tural-mamedov", "person", "Tural Mamedov", (("Tural Mamedov", None),)))
    pairs = NameIndex(things).likely_duplicates()
    assert [(a.iri.removeprefix(ACTOR), b.iri.removeprefix(ACTOR)) for a, b, *_ in pairs] == [
        ("tural-mamedov", "tural-mammadov")]


def test_find_actors_is_the_library_call(project):
    found = find_actors("Мамедов", project.load())
    assert found and found[0].iri == ACTOR + "ramin-mammadov" and found[0].to_dict()["score"] <= 1
