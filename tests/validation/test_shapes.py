"""Every SHACL shape and SPARQL check, each with one conforming and one violating example.

The conforming example is ``data/world.ttl``, a small encoding that uses every
constrained class and property. Each case below breaks one thing in a copy of
it; validation must then report that shape, with that shape's own message.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph import validate
from kgraph.namespaces import PREFIXES

from conftest import ROOT, TEST_DATA

WORLD = TEST_DATA / "world.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"
KGSH = "https://w3id.org/kgraph/shapes#"

# shape name -> (triples to delete, triples to insert), in Turtle syntax.
CASES: dict[str, tuple[str, str]] = {
    "ActorLabel": ('actor:envoy rdfs:label "Ann Envoy" .', ""),
    "ActorPolity": ("", "actor:north-parliament kg:ofPolity actor:envoy ."),
    "PolityRecognition": ("", "actor:broker kg:recognitionStatus kg:Party ."),
    "MediaCollectivePolity": ("actor:north-media kg:mediaOf actor:north .", ""),
    "PostLabel": ('post:north-mp rdfs:label "Member of parliament of North" .', ""),
    "PostOrganization": ("post:north-mp org:postIn actor:north-parliament .", ""),
    "TenureHolder": ("tenure:speaker-mp kg:holder actor:speaker .", ""),
    "TenurePost": ("", "tenure:speaker-mp kg:post actor:north ."),
    "TenureStart": ('tenure:speaker-mp kg:startDate "2020-01-01"^^xsd:date .', 'tenure:speaker-mp kg:startDate "2020-01-01" .'),
    "TenureEnd": ("", 'tenure:speaker-mp kg:endDate "2023-01-01"^^xsd:date .'),
    "TenureOrder": ('tenure:speaker-mp kg:endDate "2023-03-02"^^xsd:date .', 'tenure:speaker-mp kg:endDate "2019-01-01"^^xsd:date .'),
    "TenureAttested": ("", 'tenure:speaker-mp kg:attestedOn "yesterday" .'),
    "TenureEvidence": ("tenure:speaker-mp kg:evidence x:said .", ""),
    "PlaceLabel": ('place:town rdfs:label "Town" .', ""),
    "PlaceContainer": ("", "place:town kg:locatedIn actor:north ."),
    "PlaceControl": ("", "place:town kg:controlledBy place:road ."),
    "PlaceClaim": ("", "place:town kg:claimedBy place:road ."),
    "HeadquartersOrganization": ("", "place:base kg:siteOf place:town ."),
    "EventLabel": ('event:war rdfs:label "The war" .', ""),
    "EventDate": ('event:meeting kg:date "2023-03-01"^^xsd:date .', 'event:meeting kg:date "2023-03-01" .'),
    "EventYear": ('event:war kg:year "2020"^^xsd:gYear .', 'event:war kg:year "2020" .'),
    "EventStart": ("", 'event:blockade kg:startDate "2022-12-13"^^xsd:date .'),
    "EventEnd": ("", 'event:war kg:endDate "soon" .'),
    "EventOrder": ('event:blockade kg:endDate "2023-01-12"^^xsd:date .', 'event:blockade kg:endDate "2022-01-01"^^xsd:date .'),
    "EventPlace": ("", "event:war kg:place actor:north ."),
    "EventParticipation": ("", "event:war kg:participation actor:north ."),
    "EventPrevious": ("", "event:war kg:precededBy place:town ."),
    "EventCause": ("", "event:war kg:cause actor:north ."),
    "EventAuspices": ("", "event:war kg:auspices place:town ."),
    "EventEvidence": ("event:war kg:evidence x:met .", ""),
    "MeetingParties": ("part:earlier-south kg:role kg:Party .", "part:earlier-south kg:role kg:Host ."),
    "ProposedMeetingPlace": ("", "event:next kg:proposedPlace actor:north ."),
    "ProposedMeetingExcluded": ("", "event:next kg:excludedParticipant place:town ."),
    "BlockadeOf": ("event:blockade kg:blockadeOf place:road .", ""),
    "BlockadeBy": ("", "event:blockade kg:blockadedBy place:road ."),
    "ParticipationParticipant": ("", "part:north kg:participant place:town ."),
    "ParticipationWho": ("part:north kg:participant actor:north .", ""),
    "ParticipationDescription": ("", 'part:north-envoy kg:participantDescription "another description" .'),
    "ParticipationRole": ("", "part:north kg:role kg:Assert ."),
    "ParticipationBehalf": ("", "part:envoy kg:onBehalfOf actor:north ."),
    "ParticipationReporter": ("", "part:envoy kg:reportedBy place:town ."),
    "ParticipationEvent": ("", "part:orphan a kg:Participation ; kg:participant actor:north ; kg:role kg:Party ; kg:evidence x:met ."),
    "ParticipationEvidence": ("part:north kg:evidence x:met .", ""),
    "RepresentativeOnBehalf": ("part:envoy kg:onBehalfOf actor:south .", ""),
    "StatementSpeaker": ("stmt:welcome kg:speaker actor:speaker .", ""),
    "StatementSource": ("stmt:denial kg:evidence x:met .", ""),
    "StatementQuote": ("", 'stmt:welcome kg:quote "We welcome it."@en .'),
    "StatementParaphrase": ("", 'stmt:denial kg:paraphrase "A second paraphrase." .'),
    "StatementDate": ('stmt:welcome kg:date "2023-03-01"^^xsd:date .', 'stmt:welcome kg:date "1 March" .'),
    "StatementMedium": ("", "stmt:welcome kg:medium kg:Party ."),
    "StatementAttribution": ("stmt:denial kg:attribution kg:SideOnly .", ""),
    "StatementPost": ("", "stmt:welcome kg:speakerRole actor:north ."),
    "StatementResponse": ("", "stmt:denial kg:inResponseTo claim:next-in-town ."),
    "StatementChannel": ("stmt:welcome kg:channel actor:north-radio .", "stmt:welcome kg:channel place:town ."),
    "StatementWords": ('stmt:denial kg:paraphrase "South denies that the next meeting will be in Town." .', ""),
    "StanceStatement": ("stance:welcome kg:expressedIn stmt:welcome .", ""),
    "StanceType": ("", "stance:welcome kg:stanceType kg:Party ."),
    "StanceTarget": ("", "stance:welcome kg:target event:war ."),
    "StanceTargetKind": ("stance:welcome kg:target event:meeting .", "stance:welcome kg:target place:town ."),
    "StanceEvidence": ("stance:welcome kg:evidence x:said .", ""),
    "StanceQuote": ('stance:welcome kg:stanceQuote "We welcome it." .', "stance:welcome kg:stanceQuote 7 ."),
    "DenialTarget": ("stance:deny kg:target claim:next-in-town .", "stance:deny kg:target event:meeting ."),
    "ClaimProposition": ('claim:next-in-town kg:proposition "The next meeting will be held in Town." .', ""),
    "ClaimKind": ("", "claim:next-in-town kg:claimKind kg:Party ."),
    "ClaimEvent": ("", "claim:next-in-town kg:aboutEvent place:town ."),
    "ClaimTopic": ("", "claim:next-in-town kg:topic actor:north ."),
    "ClaimTopicNotDiscussed": ("", "claim:next-in-town kg:topicNotDiscussed actor:north ."),
    "ClaimPlace": ("", "claim:next-in-town kg:aboutPlace actor:north ."),
    "ClaimSubject": ("", "claim:next-in-town kg:subjectActor place:town ."),
    "ClaimRelated": ("", "claim:next-in-town kg:relatedActor place:town ."),
    "ClaimEvidence": ("claim:next-in-town kg:evidence x:met .", ""),
    "ClaimReported": ("", 'claim:orphan a kg:Claim ; kg:claimKind kg:AssessmentClaim ; kg:proposition "Nobody says this." ; kg:evidence x:met .'),
    "SourceTitle": ('src:article dcterms:title "North and South meet" .', ""),
    "SourceTextFile": ('src:article kg:textFile "data/sources/article.txt" .', 'src:article kg:textFile "../../etc/passwd" .'),
    "SourceHash": ('src:article kg:sha256 "965df5ebb6a93261ca8fd3fa7e107a4b6b156e23fdf1a119400cab66bdc60749" .', 'src:article kg:sha256 "ABC" .'),
    "StatementSpeakingFor": ("", "stmt:welcome kg:speakingFor place:town ."),
    "SourceTextWhere": ('src:article kg:textFile "data/sources/article.txt" .', ""),
    "SourceTextName": ("", 'src:article kg:textName "texts/article.txt" .'),
    "SourceLicense": ("", 'src:article dcterms:license "CC BY 4.0" .'),
    "SourcePublisher": ("", "src:article dcterms:publisher place:town ."),
    "SourceDate": ('src:article dcterms:issued "2023-03-02"^^xsd:date .', 'src:article dcterms:issued "2 March 2023" .'),
    "ExcerptText": ("", 'x:met oa:exact "Other words." .'),
    "ExcerptStart": ("", "x:met oa:start -1 ."),
    "ExcerptEnd": ("", 'x:met oa:end "7" .'),
    "ExcerptSource": ("x:said prov:wasQuotedFrom src:article .", ""),
    "TextCharacters": ("", 'actor:north skos:altLabel "No\\u0007rth" .'),
    "IssueLabel": ('issue:road skos:prefLabel "passage on the road" .', ""),
    "IssueScheme": ("issue:road skos:inScheme kg:Issues .", ""),
    "IssueDefinition": ('issue:road skos:definition "Passage along the road." .', ""),
    "IssueBroader": ("", "issue:road skos:broader actor:north ."),
    "StanceTypePolarity": ("", "kg:Assert kg:polarity 2 ."),
    "WikidataLink": ("", "actor:speaker skos:exactMatch <https://www.wikidata.org/wiki/Q2> ."),
    "NameLiteralForm": ('x:envoy-russian skosxl:literalForm "Энн Энвой"@ru-cyrl .', ""),
    "NameKindValue": ("", "x:envoy-russian kg:nameKind kg:Exonym ."),
    "NameUsedBy": ("", "x:envoy-russian kg:usedBy place:town ."),
    "JudgementPair": ("", "judgement:envoy-speaker kg:judged actor:north ."),
    "JudgementVerdict": ("judgement:envoy-speaker kg:verdict kg:DifferentThings .", ""),
    "JudgementCreator": ('judgement:envoy-speaker dcterms:creator "a test" .', ""),
    "JudgementDate": ('judgement:envoy-speaker dcterms:date "2026-12-02"^^xsd:date .', 'judgement:envoy-speaker dcterms:date "2 December" .'),
}

# check name -> (delete, insert): the SPARQL checks in queries/checks/.
CHECK_CASES: dict[str, tuple[str, str]] = {
    "mediator-is-party": ("", "part:north kg:role kg:Mediator ."),
    "undeclared-term": ("", "actor:envoy a kg:Persn ."),
    "dangling-reference": ("", "claim:next-in-town kg:relatedActor actor:nobody ."),
    "quote-not-in-source": ('stmt:welcome kg:quote "We welcome it." .', 'stmt:welcome kg:quote "We welcome it!" .'),
    "source-text-changed": ('src:article kg:textFile "data/sources/article.txt" .', 'src:article kg:textFile "data/sources/other.txt" .'),
    "claim-stated-as-fact": ("", "event:meeting kg:topic issue:road ."),
    "date-outside-time-frame": ('event:meeting kg:date "2023-03-01"^^xsd:date .', 'event:meeting kg:date "2033-03-01"^^xsd:date .'),
    "foreign-iri": ("", "event:meeting kg:place <file:///home/me/data/place/town> ."),
    "excerpt-position": ("", "x:met oa:start 1 ; oa:end 5 ."),
    "unreviewed-draft": ("", "src:article kg:reviewStatus kg:Unreviewed ."),
    "stance-quote": ('stance:welcome kg:stanceQuote "We welcome it." .', ""),
    "source-text-not-available": ('src:article kg:textFile "data/sources/article.txt" .',
                                  'src:article kg:textName "article.txt" .'),
}

_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + "PREFIX x: <https://w3id.org/kgraph/excerpt/test/>\n"


def _shape_messages() -> dict[str, str]:
    store = ox.Store()
    store.load(path=str(SHAPES), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"SELECT ?shape ?message WHERE {{ ?shape <{SH}message> ?message FILTER(isIRI(?shape)) }}")
    return {row["shape"].value.removeprefix(KGSH): row["message"].value for row in rows}


def _mutated_world(tmp_path, delete: str, insert: str):
    store = ox.Store()
    store.load(path=str(WORLD), format=ox.RdfFormat.TURTLE)
    before = len(store)
    if delete:
        store.update(_HEADER + f"DELETE DATA {{ {delete} }}")
        assert len(store) < before, f"the case's deletion matched nothing: {delete}"
    if insert:
        store.update(_HEADER + f"INSERT DATA {{ {insert} }}")
    path = tmp_path / "world.ttl"
    path.write_bytes(store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()))
    return path


def test_the_world_conforms(world_project):
    report = validate([WORLD], project=world_project, strict=True)
    assert report.violations == []
    assert report.conforms


def test_every_shape_with_a_message_has_a_case():
    assert set(_shape_messages()) == set(CASES)


@pytest.mark.parametrize("shape", sorted(CASES))
def test_shape_reports_its_own_message(shape, world_project, tmp_path):
    message = _shape_messages()[shape]
    report = validate([_mutated_world(tmp_path, *CASES[shape])], project=world_project)
    found = [v for v in report.violations if v.source == f"<{KGSH}{shape}>"]
    assert found, f"{shape} was not reported; got {[(v.source, v.message) for v in report.violations]}"
    assert all(v.message == message for v in found)
    assert all(v.file is not None and v.line for v in found), "every result points at a file and line"
    expected = "warning" if shape == "ClaimReported" else "violation"
    assert {v.severity for v in found} == {expected}
    assert report.conforms is (expected != "violation")


def test_every_check_has_a_case(project):
    assert {p.stem for p in project.checks_dir.glob("*.rq")} == set(CHECK_CASES)


@pytest.mark.parametrize("check", sorted(CHECK_CASES))
def test_check_reports_rows_as_violations(check, project, world_project, tmp_path):
    from kgraph.sparql.saved import read_query

    severity = read_query(project.checks_dir / f"{check}.rq").header.get("severity", "violation")
    clean = validate([WORLD], project=world_project)
    assert not [v for v in clean.violations if v.source == f"check:{check}"]
    report = validate([_mutated_world(tmp_path, *CHECK_CASES[check])], project=world_project)
    found = [v for v in report.violations if v.source == f"check:{check}"]
    assert found, f"check {check} found nothing"
    assert {v.severity for v in found} == {severity}
    assert report.conforms is (severity != "violation")
    assert all(v.focus and v.message and v.file and v.line for v in found)


def test_mediator_acting_for_a_party_is_caught(world_project, tmp_path):
    insert = (
        "event:meeting kg:participation part:broker-party . "
        "part:broker-party a kg:Participation ; kg:participant actor:broker ; kg:role kg:Party ; kg:evidence x:met ."
    )
    report = validate([_mutated_world(tmp_path, "", insert)], project=world_project)
    found = [v for v in report.violations if v.source == "check:mediator-is-party"]
    assert [v.focus for v in found] == ["<https://w3id.org/kgraph/event/meeting>"]
    assert "Broker" in found[0].message


def _key(v):
    return (v.severity, v.focus, v.path, v.value, v.source, v.component, v.message, v.file, v.line)


@pytest.mark.parametrize("shape", sorted(CASES))
def test_both_shacl_engines_report_the_same(shape, world_project, tmp_path):
    path = _mutated_world(tmp_path, *CASES[shape])
    rust = validate([path], project=world_project, engine="shacl")
    reference = validate([path], project=world_project, engine="pyshacl")
    assert sorted(map(_key, rust.violations), key=str) == sorted(map(_key, reference.violations), key=str)


def test_both_engines_agree_on_the_shipped_data_and_the_w3c_world(project, world_project):
    for paths, proj in ((None, project), ([WORLD], world_project)):
        rust = validate(paths, project=proj, engine="shacl", strict=True)
        reference = validate(paths, project=proj, engine="pyshacl", strict=True)
        assert rust.violations == reference.violations == []


def test_a_stance_quote_that_is_not_its_statements_is_caught(world_project, tmp_path):
    # words the evidence holds, but not a quote of the stance's statement
    path = _mutated_world(tmp_path, 'stance:welcome kg:stanceQuote "We welcome it." .',
                          'stance:welcome kg:stanceQuote "welcome" .')
    found = [v for v in validate([path], project=world_project).violations if v.source == "check:stance-quote"]
    assert sorted((v.value, v.message[:40]) for v in found) == [
        ('"We welcome it."', "The stance's evidence holds this quote o"),
        ('"welcome"', "kg:stanceQuote must be one of the statem")]
