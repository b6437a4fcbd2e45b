"""The finders behind kgraph draft, one at a time, on sentences written for
testing: quotes in every quote style and their speakers, reported claims,
dates as written and as resolved, names known, variant and new."""

from __future__ import annotations

import datetime

import pytest

from kgraph.drafting.finders import find_claims, find_dates, find_mentions, find_quotes
from kgraph.identity.registry import name_index

ACTOR = "https://w3id.org/kgraph/actor/"


@pytest.fixture(scope="module")
def index(project):
    return name_index(project.load())


def _quotes(text, index):
    return find_quotes(text, find_mentions(text, index))


@pytest.mark.parametrize("text,words", [
    ("Toivo Klaar said: “We are ready.”", ["We are ready."]),
    ("Toivo Klaar said: ‘We are ready.’", ["We are ready."]),
    ("Toivo Klaar said: «We are ready.»", ["We are ready."]),
    ("Toivo Klaar said: „We are ready.“", ["We are ready."]),
    ('Toivo Klaar said: "We are ready."', ["We are ready."]),
    ("Toivo Klaar said: 'We are ready.'", ["We are ready."]),
])
def test_every_quote_style(index, text, words):
    (quote,) = _quotes(text, index)
    assert quote.words == words
    assert quote.speaker is not None and quote.speaker.iri == ACTOR + "toivo-klaar"
    assert quote.stance == "Assert" and quote.cue.exact == "said"


def test_a_quote_split_by_its_speaker_tag_is_one_quote(index):
    text = "“We met,” Toivo Klaar said, “and we will meet again.”"
    (quote,) = _quotes(text, index)
    assert quote.words == ["We met", "and we will meet again."]
    assert quote.speaker.iri == ACTOR + "toivo-klaar"


@pytest.mark.parametrize("verb,stance", [
    ("denied", "Deny"), ("rejected", "Reject"), ("welcomed", "Welcome"), ("called for", "CallFor"),
])
def test_the_speech_verb_types_the_stance(index, verb, stance):
    text = f"Toivo Klaar {verb} “the proposal of the day”."
    (quote,) = _quotes(text, index)
    assert quote.stance == stance, (verb, quote.stance)


def test_an_apostrophe_is_not_a_quote(index):
    assert _quotes("The peacekeepers' headquarters is in Khojaly; it's closed.", index) == []


def test_a_speaker_named_after_the_quote(index):
    text = "“Nothing was agreed,” said Ned Price."
    (quote,) = _quotes(text, index)
    assert quote.speaker.iri == ACTOR + "ned-price"


def test_names_in_other_spellings_and_new_names(index):
    text = "Ramin Mamedov met Samvel Shakhramanyan and Jane Doezinska in Xocalı."
    found = {m.span.exact: m for m in find_mentions(text, index)}
    assert found["Ramin Mamedov"].iri == ACTOR + "ramin-mammadov"
    assert found["Samvel Shakhramanyan"].iri == ACTOR + "samvel-shahramanyan"
    assert not found["Jane Doezinska"].known and not found["Jane Doezinska"].candidates
    assert found["Xocalı"].iri.endswith("/khojalu")


def test_reported_claims_are_attributed(index):
    text = ("It is reported from Baku that the road will open. The road will open, according to Azeri media. "
            "Toivo Klaar denied that the road will open.")
    mentions = find_mentions(text, index)
    claims = find_claims(text, mentions, find_quotes(text, mentions))
    got = [(c.content.exact, c.reporter.iri if c.reporter else None, c.stance) for c in claims]
    assert ("the road will open.", ACTOR + "azerbaijan", "Assert") in got
    assert ("The road will open", ACTOR + "azerbaijani-media", "Assert") in got
    assert ("the road will open.", ACTOR + "toivo-klaar", "Deny") in got


def test_dates_as_written_and_as_resolved():
    published = datetime.date(2023, 1, 10)
    text = ("They met on 2023-01-05, then on 7 January 2023 and on March 3, 2022; again on January 8 "
            "and on December 30, in March 2021, and on Thursday; February 30 is no date.")
    found = {d.span.exact: d for d in find_dates(text, published)}
    assert found["2023-01-05"].date == datetime.date(2023, 1, 5) and not found["2023-01-05"].needs_review
    assert found["7 January 2023"].date == datetime.date(2023, 1, 7)
    assert found["March 3, 2022"].date == datetime.date(2022, 3, 3)
    assert found["January 8"].date == datetime.date(2023, 1, 8) and "no year" in found["January 8"].needs_review
    assert found["December 30"].date == datetime.date(2022, 12, 30), "a later day of the year is last year's"
    assert found["March 2021"].precision == "month"
    thursday = next(d for k, d in found.items() if "Thursday" in k)
    assert thursday.date is None and "relative" in thursday.needs_review
    assert not any("February 30" in k for k in found)


def test_a_year_is_a_date_after_a_preposition_only():
    found = [(d.span.exact, d.date.year, d.precision) for d in find_dates(
        "The war of 2020 ended; since 2008 and in 1994, but 2023 people came, in 2021-22 and with 20000.")]
    assert found == [("2020", 2020, "year"), ("2008", 2008, "year"), ("1994", 1994, "year")]


def test_a_date_without_a_year_and_no_publication_date_is_left_open():
    (found,) = find_dates("They met on March 5.")
    assert found.date is None and "no publication date" in found.needs_review


def test_a_quotation_over_sentences_and_paragraphs_is_one_quote(index):
    """A quotation of several sentences, or running over paragraphs that do
    not close it (news style), is one quote with a part per paragraph; a
    heading between paragraphs ends it."""
    text = ("“We met. We will meet again,” Toivo Klaar said.\n"
            "Toivo Klaar added: “The road must open.\n"
            "The power line too.\n"
            "“And the gas.”\n"
            "A heading\n"
            "Nothing quoted here.")
    first, second, third = _quotes(text, index)
    assert first.words == ["We met. We will meet again"] and first.speaker.iri == ACTOR + "toivo-klaar"
    assert second.words == ["The road must open.", "The power line too."]
    assert second.speaker.iri == ACTOR + "toivo-klaar" and second.stance == "Assert"
    assert third.words == ["And the gas."] and third.speaker is None


def _events(text, index):
    from kgraph.drafting.finders import find_events

    mentions = find_mentions(text, index)
    quotes = find_quotes(text, mentions)
    return find_events(text, mentions, find_dates(text, datetime.date(2023, 4, 1)), quotes,
                       find_claims(text, mentions, quotes))


def _local(mention):
    return mention.iri.rsplit("/", 1)[-1]


def test_a_meeting_with_its_parties_mediator_place_and_date(index):
    (event,) = _events("Representatives of Azerbaijan and Nagorno-Karabakh met in Khojaly on 5 March 2023 with the "
                       "mediation of the Russian peacekeepers, according to Azeri media.", index)
    assert event.kind == "Meeting" and event.cue.exact == "met"
    assert {(_local(m), role) for m, role, _ in event.roles} == {
        ("azerbaijan", "Party"), ("nagorno-karabakh", "Party"), ("russian-peacekeeping-contingent", "Mediator")}
    assert [_local(m) for m in event.places] == ["khojalu"]
    assert [d.date for d in event.dates] == [datetime.date(2023, 3, 5)]


def test_a_meeting_to_come_lists_its_places_and_who_is_left_out(index):
    (event,) = _events("The next meeting will be held in Ganja and Aghdam without the participation of the Russian "
                       "peacekeepers.", index)
    assert event.kind == "ProposedMeeting"
    assert [_local(m) for m in event.places] == ["ganja", "aghdam"]
    assert [_local(m) for m in event.excluded] == ["russian-peacekeeping-contingent"] and not event.roles


def test_a_blockade_and_an_event_inside_a_quote(index):
    (event,) = _events("The Lachin corridor has been blocked since 12 December 2022.", index)
    assert event.kind == "Blockade" and [_local(m) for m in event.places] == ["lachin-corridor"]
    assert _events("Toivo Klaar said: “They met in Khojaly.”", index) == []


def test_a_quotation_under_a_byline_is_the_bylines(index):
    text = ("Toivo Klaar, the EU's envoy\n"
            "Talks go on\n"
            "“The talks go on.”\n"
            "A second heading\n"
            "“Nobody knows when they end.”\n"
            "Ned Price, a spokesman\n"
            "“We will see.”\n")
    first, second, third = _quotes(text, index)
    assert first.speaker.iri == ACTOR + "toivo-klaar" and "byline" in first.speaker_why
    assert second.speaker.iri == ACTOR + "toivo-klaar"
    assert third.speaker.iri == ACTOR + "ned-price", "the nearest byline above"


@pytest.mark.parametrize("text,speaker,stance", [
    ("NK denies information published by Azeri media.", "nagorno-karabakh", "Deny"),
    ("Toivo Klaar, the EU's envoy, welcomed the decision.", "toivo-klaar", "Welcome"),
    ("They discussed the mine, which Azerbaijan demands be monitored.", "azerbaijan", "CallFor"),
    ("Ned Price declined to comment.", "ned-price", "DeclineToComment"),
])
def test_statements_told_without_quotation(index, text, speaker, stance):
    from kgraph.drafting.finders import find_reported

    mentions = find_mentions(text, index)
    quotes = find_quotes(text, mentions)
    (found,) = find_reported(text, mentions, quotes, find_claims(text, mentions, quotes))
    assert (found.speaker.iri, found.stance) == (ACTOR + speaker, stance)


def test_a_sentence_with_a_quote_or_a_claim_is_not_drafted_twice(index):
    from kgraph.drafting.finders import find_reported

    text = "Toivo Klaar welcomed “a useful step”. Toivo Klaar denied that the road is open. Russia said nothing."
    mentions = find_mentions(text, index)
    quotes = find_quotes(text, mentions)
    found = find_reported(text, mentions, quotes, find_claims(text, mentions, quotes))
    assert [(f.speaker.iri, f.stance) for f in found] == [(ACTOR + "russia", "Assert")]


def test_a_quotation_inside_a_quotation_and_the_narrative_after_a_long_one(index):
    text = ("Toivo Klaar said: “They think: “It is settled.” It is not.\n"
            "The talks must go on.\n"
            "Ned Price declined to comment, saying: “We will see.”\n")
    first, second = _quotes(text, index)
    assert first.words == ["They think: “It is settled.” It is not.", "The talks must go on."]
    assert first.speaker.iri == ACTOR + "toivo-klaar"
    assert second.words == ["We will see."] and second.speaker.iri == ACTOR + "ned-price"


def test_issues_by_their_names_in_any_case(project):
    from kgraph.drafting.draft import _issue_names
    from kgraph.drafting.finders import find_issues

    text = "They spoke of the Unblocking of the Lachin corridor, and of European security."
    found = {m.span.exact: m.iri.rsplit("/", 1)[-1] for m in find_issues(text, _issue_names(project.load()))}
    assert found == {"Unblocking of the Lachin corridor": "lachin-corridor-passage", "European security": "european-security"}
