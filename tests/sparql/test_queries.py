"""Saved queries on the shipped data: answers checked by value, on both engines."""

from __future__ import annotations

import collections
import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.query import Result

from kgraph.errors import InputError
from kgraph.sparql.saved import SavedQuery, read_queries
from kgraph.errors import ParameterError, QueryError
from kgraph.sparql.params import bind_parameters
from kgraph.sparql.params import prepare
from kgraph.sparql.run import run_query
from kgraph.project import load_project

from conftest import ROOT

A = "https://w3id.org/kgraph/actor/"
EVENT = "https://w3id.org/kgraph/event/"
KG = "https://w3id.org/kgraph/ontology#"
MARCH_1 = EVENT + "2023-03-01-khojalu-meeting"


@pytest.fixture(scope="module")
def dataset(project):
    return load_project(None, project)


def rows(dataset, name, engine="oxigraph", **params):
    from kgraph.sparql.saved import find_query

    result = run_query(dataset, find_query(name), params, engine=engine)
    return result.records()


def test_who_mediates_whom(dataset):
    found = rows(dataset, "who-mediates-whom")
    assert {(r["mediator"], r["onBehalfOf"], r["party"]) for r in found} == {
        (A + "russian-peacekeeping-contingent", A + "russia", A + "azerbaijan"),
        (A + "russian-peacekeeping-contingent", A + "russia", A + "nagorno-karabakh"),
    }
    for r in found:
        assert r["event"] == MARCH_1
        assert r["date"] == "2023-03-01"
        assert r["placeLabel"] == "Headquarters of the Russian peacekeeping contingent"
        assert r["reportedByLabel"] == "Hakob Badalyan"
    assert len(rows(dataset, "who-mediates-whom", actor="Russia")) == 2
    assert len(rows(dataset, "who-mediates-whom", actor="actor:nagorno-karabakh")) == 2
    assert rows(dataset, "who-mediates-whom", actor="Armenia") == []
    assert len(rows(dataset, "who-mediates-whom", to="2023-03-01")) == 2
    assert rows(dataset, "who-mediates-whom", **{"from": "2023-03-02"}) == []


def test_meeting_participants(dataset):
    found = rows(dataset, "meeting-participants", meeting=MARCH_1)
    by_person = {(r["participantLabel"], r["roleLabel"]): r for r in found}
    assert set(by_person) == {
        ("Azerbaijan", "party"),
        ("Nagorno-Karabakh Republic", "party"),
        ("Ramin Mammadov", "representative"),
        ("Samvel Shahramanyan", "representative"),
        ("Russian peacekeeping contingent", "mediator"),
        ("Russian peacekeeping contingent", "host"),
    }
    mammadov = by_person[("Ramin Mammadov", "representative")]
    assert mammadov["onBehalfOf"] == A + "azerbaijan"
    assert mammadov["postLabel"] == "Member of parliament responsible for contacts with Armenian residents living in Karabakh"
    shahramanyan = by_person[("Samvel Shahramanyan", "representative")]
    assert shahramanyan["onBehalfOf"] == A + "nagorno-karabakh"
    assert shahramanyan["postLabel"] == "Secretary of the Security Council of the Nagorno-Karabakh Republic"
    assert {r["placeLabel"] for r in found} == {"Headquarters of the Russian peacekeeping contingent"}
    assert {r["meetingLabel"] for r in rows(dataset, "meeting-participants")} == {
        "Meeting of representatives of Azerbaijan and Nagorno-Karabakh in Khojalu, 1 March 2023",
        "Meeting of representatives of Azerbaijan and Nagorno-Karabakh, 24 February 2023",
    }


def test_topics_discussed(dataset):
    found = rows(dataset, "topics-discussed", meeting=MARCH_1)
    topics = {(r["issueLabel"], r["discussed"], r["reportedByLabel"], r["deniedByLabel"]) for r in found}
    assert topics == {
        ("humanitarian issues", "true", "Nagorno-Karabakh Republic", None),
        ("political status of Nagorno-Karabakh", "false", "Nagorno-Karabakh Republic", None),
        ("passage along the Lachin corridor", "true", "Lusine Avanesyan", None),
        ("high-voltage power line from Armenia", "true", "Lusine Avanesyan", None),
        ("natural gas supply", "true", "Lusine Avanesyan", None),
        ("operation of the Kashenskoye mine", "true", "Nagorno-Karabakh Republic", None),
        ("reintegration of Karabakh Armenians into Azerbaijan", "true", "Azerbaijan", "Nagorno-Karabakh Republic"),
        ("reintegration of Karabakh Armenians into Azerbaijan", "true", "Azerbaijani media", "Nagorno-Karabakh Republic"),
    }


def test_stances(dataset):
    found = rows(dataset, "stances")
    assert len(found) == 35
    harutyunyan = [r for r in found if r["actorLabel"] == "Arayik Harutyunyan"]
    assert [(r["stanceTypeLabel"], r["target"], r["quote"], r["polarity"], r["targetKind"]) for r in harutyunyan] == [
        ("rejects", "https://w3id.org/kgraph/issue/reintegration", "any integration process with Azerbaijan is excluded.", "-1", "Issue")
    ]
    assert harutyunyan[0]["sourceTitle"].startswith('"Integration with Azerbaijan is out of the question."')
    denials = rows(dataset, "stances", stanceType="kg:Deny")
    assert {(r["actorLabel"], r["targetKind"]) for r in denials} == {("Nagorno-Karabakh Republic", "Claim")}
    assert len(denials) == 2
    assert all(r["paraphrase"].startswith("NK denies") and r["quote"] is None for r in denials)
    klaar = rows(dataset, "stances", actor="Toivo Klaar")
    assert {(r["stanceTypeLabel"], r["quote"]) for r in klaar} == {
        ("welcomes", "encouraging"),
        ("praises", "It’s good that the discussions concern both urgent problems and a wider range of issues"),
    }
    on_meeting = rows(dataset, "stances", target=MARCH_1)
    assert {r["actorLabel"] for r in on_meeting} == {"Ned Price", "Toivo Klaar"}


def test_disputed_claims(dataset):
    found = rows(dataset, "disputed-claims")
    assert {(r["claim"].rsplit("/", 1)[-1], r["reportedByLabel"], r["reportWords"], r["deniedByLabel"]) for r in found} == {
        ("2023-03-01-reintegration-discussed", "Azerbaijan",
         "preliminary discussions on the reintegration of the Armenian residents of the Karabakh region into the Republic of Azerbaijan.",
         "Nagorno-Karabakh Republic"),
        ("2023-03-01-reintegration-discussed", "Azerbaijani media",
         "reintegration of the Armenians of the Karabakh region into Azerbaijan", "Nagorno-Karabakh Republic"),
        ("next-meetings-in-ganja-and-aghdam", "Azerbaijani media",
         "in Ganja and Aghdam without the participation of Russian peacekeeping forces.", "Nagorno-Karabakh Republic"),
    }
    assert all(r["denialWords"].startswith("NK denies the information published by Azeri media") for r in found)


def test_posts(dataset):
    found = {r["personLabel"]: r for r in rows(dataset, "posts")}
    assert set(found) == {"Arayik Harutyunyan", "Lusine Avanesyan", "Samvel Shahramanyan", "Ramin Mammadov", "Ned Price", "Toivo Klaar"}
    assert (found["Ned Price"]["organizationLabel"], found["Ned Price"]["polityLabel"]) == ("US State Department", "United States")
    assert (found["Toivo Klaar"]["organizationLabel"], found["Toivo Klaar"]["polity"]) == ("European Union", None)
    assert found["Lusine Avanesyan"]["postLabel"] == "Press secretary of the President of the Nagorno-Karabakh Republic"
    assert found["Ramin Mammadov"]["attestedOn"] == "2023-03-01"
    karabakh = rows(dataset, "posts", polity="Artsakh")
    assert {r["personLabel"] for r in karabakh} == {"Arayik Harutyunyan", "Lusine Avanesyan", "Samvel Shahramanyan"}
    assert [r["postLabel"] for r in rows(dataset, "posts", person="Ned Price")] == ["US State Department spokesman"]


def test_timeline(dataset):
    found = rows(dataset, "timeline")
    assert [(r["date"], r["what"], r["itemLabel"]) for r in found] == [
        ("2020", "happened", "44-day war of 2020"),
        ("2022-12-12", "began", "Blockade of the Lachin corridor"),
        ("2023-02-24", "happened", "Meeting of representatives of Azerbaijan and Nagorno-Karabakh, 24 February 2023"),
        ("2023-03-01", "happened", "Meeting of representatives of Azerbaijan and Nagorno-Karabakh in Khojalu, 1 March 2023"),
    ]
    assert found[1]["dateAsWritten"] == "since December 12"
    assert [r["date"] for r in rows(dataset, "timeline", **{"from": "2023-01-01"})] == ["2023-02-24", "2023-03-01"]


def test_reactions(dataset):
    found = rows(dataset, "reactions", event=MARCH_1)
    assert {(r["reactorLabel"], r["organizationLabel"], r["stanceTypeLabel"], r["quote"], r["mediumLabel"]) for r in found} == {
        ("Ned Price", "US State Department", "declines to comment on", "If we have something to say about this, we will let you know.", None),
        ("Toivo Klaar", "European Union", "welcomes", "encouraging", None),
        ("Toivo Klaar", "European Union", "praises",
         "It’s good that the discussions concern both urgent problems and a wider range of issues", "tweet"),
    }


def test_actor_profile_by_label_and_by_iri(dataset):
    price = rows(dataset, "actor-profile", actor="Ned Price")
    facts = {(r["relation"], r["valueLabel"], r["detail"]) for r in price}
    assert ("holds post", "US State Department spokesman", "in US State Department") in facts
    assert ("stance", "Meeting of representatives of Azerbaijan and Nagorno-Karabakh in Khojalu, 1 March 2023",
            "declines to comment on") in facts
    baku = rows(dataset, "actor-profile", actor="Baku")
    assert {r["actor"] for r in baku} == {A + "azerbaijan"}
    assert ("took part in", "party") in {(r["relation"], r["detail"]) for r in baku}
    assert rows(dataset, "actor-profile", actor="<" + A + "azerbaijan>") == baku


@pytest.mark.parametrize("query", [q.name for q in read_queries(ROOT / "queries")])
def test_both_engines_return_the_same_rows(dataset, query):
    from kgraph.sparql.saved import find_query

    saved = find_query(query)
    cases = {
        "actor-profile": [{"actor": "Russia"}, {"actor": "Ned Price"}, {"actor": "NK"}],
        "who-mediates-whom": [{}, {"actor": "Azerbaijan"}, {"from": "2023-03-01", "to": "2023-03-01"}],
        "stances": [{}, {"stanceType": "kg:Deny"}, {"actor": "Hakob Badalyan"}],
        "posts": [{}, {"polity": "Azerbaijan"}, {"asOf": "2023-03-01"}],
        "timeline": [{}, {"to": "2023-02-24"}],
    }.get(query, [{}])
    for params in cases:
        a = run_query(dataset, saved, params, engine="oxigraph")
        b = run_query(dataset, saved, params, engine="rdflib")
        assert a.variables == b.variables
        assert len(a.rows) > 0
        assert collections.Counter(a.rows) == collections.Counter(b.rows), params


def test_every_saved_query_has_a_complete_header():
    for saved in read_queries(ROOT / "queries"):
        assert saved.title != saved.name and saved.description, saved.name
        assert saved.columns, f"{saved.name} declares no columns"
        result_vars = saved.text.split("SELECT", 1)[1].split("WHERE", 1)[0]
        for column in saved.columns:
            assert f"?{column}" in result_vars, f"{saved.name}: column {column} is not selected"


# -- parameters -------------------------------------------------------------

PARAMETRIC = SavedQuery("test", ROOT / "test.rq", "SELECT ?s WHERE { ?s ?p ?o }", {
    "param": ["who resource optional", "day date optional", "n integer optional", "text string optional",
              "tag langstring optional", "iri iri optional", "must string"]})


def test_parameters_are_typed(dataset):
    bound = bind_parameters(PARAMETRIC, {"who": "Baku", "day": "2023-03-01", "n": "3", "text": 'a "b"',
                                         "tag": "Stepanakert@en", "iri": "kg:Deny", "must": "x"}, dataset)
    assert bound["who"] == ox.NamedNode(A + "azerbaijan")
    assert bound["day"] == ox.Literal("2023-03-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert bound["n"] == ox.Literal(3)
    assert bound["text"] == ox.Literal('a "b"')
    assert bound["tag"] == ox.Literal("Stepanakert", language="en")
    assert bound["iri"] == ox.NamedNode(KG + "Deny")


@pytest.mark.parametrize("values, message", [
    ({"must": "x", "nope": "1"}, "has no parameter 'nope'"),
    ({}, "needs a value for parameter 'must'"),
    ({"must": "x", "day": "1 March"}, "is not a date"),
    ({"must": "x", "day": "2023-02-30"}, "is not a date"),
    ({"must": "x", "n": "three"}, "is not a whole number"),
    ({"must": "x", "tag": "no tag"}, "is not a text with a language tag"),
    ({"must": "x", "iri": "not an iri"}, "is not an IRI"),
    ({"must": "x", "iri": "kg:x> } ; DROP ALL ; #"}, "is not an IRI"),
    ({"must": "x", "who": "Nobody At All"}, "no IRI, prefixed name or label"),
])
def test_bad_parameters_are_refused(dataset, values, message):
    with pytest.raises(ParameterError, match=message):
        bind_parameters(PARAMETRIC, values, dataset)


def test_an_ambiguous_label_is_refused(write, project):
    path = write("two.ttl", '<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "Same" .\n'
                            '<http://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "same" .\n')
    dataset = load_project([path], project)
    with pytest.raises(ParameterError, match="label is ambiguous"):
        bind_parameters(PARAMETRIC, {"must": "x", "who": "SAME"}, dataset)


def test_a_bound_value_cannot_change_the_query(dataset):
    text = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?text }"
    hostile = 'x" } ; DROP ALL ; SELECT * WHERE { ?a ?b ?c } #'
    saved = SavedQuery("t", ROOT / "t.rq", text, {"param": ["text string"]})
    prepared = prepare(text, bind_parameters(saved, {"text": hostile}, dataset))
    assert prepared.replace(' VALUES (?text) { ("x\\" } ; DROP ALL ; SELECT * WHERE { ?a ?b ?c } #") } ', "") == text
    before = len(dataset)
    assert run_query(dataset, saved, {"text": hostile}).rows == []
    assert len(dataset) == before


def test_service_is_refused_unless_allowed():
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE"):
        prepare(text, {})
    assert prepare(text, {}, allow_service=True) == text
    assert prepare('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE', {}) == 'SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE'


def test_short_construct_cannot_take_parameters():
    with pytest.raises(QueryError, match="short form"):
        prepare("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://example.org/s")})


# -- results and the command line ---------------------------------------------


def test_csv_tsv_json_xml_outputs_parse_back(run):
    csv_out = run("query", "posts", "--format", "csv")
    assert csv_out.exit_code == 0, csv_out.output
    table = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert {r["personLabel"] for r in table} >= {"Ned Price", "Toivo Klaar"}
    assert csv_out.stdout.splitlines()[0].startswith("person,personLabel,post,")

    for fmt in ("json", "xml", "tsv"):
        out = run("query", "posts", "--format", fmt)
        assert out.exit_code == 0
        parsed = Result.parse(io.StringIO(out.stdout), format=fmt)
        assert [str(v) for v in parsed.vars][:2] == ["person", "personLabel"]
        labels = {str(row["personLabel"]) for row in parsed}
        assert labels == {"Arayik Harutyunyan", "Lusine Avanesyan", "Samvel Shahramanyan", "Ramin Mammadov", "Ned Price", "Toivo Klaar"}
    document = json.loads(run("query", "posts", "--format", "json").stdout)
    assert document["head"]["vars"][0] == "person"


def test_table_shows_labels(run):
    out = run("query", "who-mediates-whom", "--format", "table")
    assert out.exit_code == 0
    assert "Russian peacekeeping contingent" in out.stdout and "Hakob Badalyan" in out.stdout
    assert "2 rows" in out.stdout


def test_construct_gives_turtle_and_ntriples(run, write):
    path = write("q.rq", "PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"
                         "CONSTRUCT { ?m kg:participation ?p } WHERE { ?m a kg:Meeting ; kg:participation ?p }")
    turtle = run("query", path)
    assert turtle.exit_code == 0
    graph = rdflib.Graph().parse(data=turtle.stdout, format="turtle")
    assert len(graph) == 8
    nt = run("query", path, "--format", "ntriples")
    assert len(rdflib.Graph().parse(data=nt.stdout, format="nt")) == 8
    assert run("query", path, "--format", "csv").exit_code == 2


def test_ask_query(run, write):
    path = write("ask.rq", "ASK { ?s a <https://w3id.org/kgraph/ontology#Meeting> }")
    out = run("query", path, "--format", "json")
    assert json.loads(out.stdout) == {"head": {}, "boolean": True}


def test_output_file_is_written(run, tmp_path):
    target = tmp_path / "posts.csv"
    assert run("query", "posts", "-o", target).exit_code == 0
    assert target.read_text().startswith("person,")
    missing = run("query", "posts", "-o", tmp_path / "no" / "posts.csv")
    assert missing.exit_code == 2


@pytest.mark.parametrize("args, message", [
    (["no-such-query"], "no saved query named 'no-such-query'"),
    (["actor-profile"], "needs a value for parameter 'actor'"),
    (["posts", "-p", "colour=red"], "has no parameter 'colour'"),
    (["timeline", "-p", "from=yesterday"], "is not a date"),
    (["actor-profile", "-p", "actor=x> } ; DROP ALL ; #"], "parameter actor="),
    (["posts", "-p", "novalue"], "is not KEY=VALUE"),
])
def test_query_errors_exit_2(run, args, message):
    out = run("query", *args)
    assert out.exit_code == 2
    assert message in out.stderr


def test_service_refused_on_the_command_line(run, write):
    path = write("remote.rq", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    out = run("query", path)
    assert out.exit_code == 2
    assert "refuses unless it is allowed (see --allow-service)" in out.stderr


def test_invalid_sparql_exits_2(run, write):
    out = run("query", write("bad.rq", "SELECT ?s WHERE { ?s ?p }"))
    assert out.exit_code == 2
    assert "not valid SPARQL" in out.stderr


def test_list_names_every_saved_query(run):
    out = run("query", "--list")
    assert out.exit_code == 0
    for name in ("who-mediates-whom", "meeting-participants", "topics-discussed", "stances", "disputed-claims",
                 "posts", "timeline", "reactions", "actor-profile"):
        assert name in out.stdout


def test_media_types():
    from kgraph.sparql.results import QueryResult

    assert QueryResult("select").media_type("json") == "application/sparql-results+json"
    assert QueryResult("select").media_type("tsv") == "text/tab-separated-values"
    assert QueryResult("graph").media_type("turtle") == "text/turtle"
    with pytest.raises(ValueError):
        QueryResult("select").serialize("turtle")


def test_observers_and_unnamed_representatives_are_listed(world_project):
    """The world has a participant who only attended, and a representative
    the source does not name (its words and the side it acts for)."""
    from conftest import TEST_DATA
    from kgraph.sparql.saved import find_query

    graph = world_project.load([TEST_DATA / "world.ttl"])
    rows = run_query(graph, find_query("meeting-participants", world_project), {"meeting": "event:meeting"}).records()
    by_role = {(r["roleLabel"], r["participantLabel"], r["onBehalfOfLabel"]) for r in rows}
    assert ("observer", "Northern media", None) in by_role
    assert ("representative", "a representative of North", "North") in by_role
    unnamed = [r for r in rows if r["participantLabel"] == "a representative of North"]
    assert unnamed and all(r["participant"] is None and r["post"] is None for r in unnamed)
