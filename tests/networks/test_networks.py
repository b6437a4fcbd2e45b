"""Network projections: answers from the article, and hand-made data with
values worked out by hand."""

from __future__ import annotations

import math

import pytest

from kgraph.errors import NetworkError
from kgraph.networks.builders import dna_weight
from kgraph.networks.projections import network
from kgraph.project import load_project

from conftest import TEST_DATA

A = "https://w3id.org/kgraph/actor/"
ISSUE = "https://w3id.org/kgraph/issue/"
MARCH_1 = "https://w3id.org/kgraph/event/2023-03-01-khojalu-meeting"
REINTEGRATION = "https://w3id.org/kgraph/claim/2023-03-01-reintegration-discussed"


@pytest.fixture(scope="module")
def shipped(project):
    return load_project(None, project)


@pytest.fixture(scope="module")
def positions(project):
    return project.load([TEST_DATA / "positions.ttl"])


def test_every_node_has_a_label_and_a_kind(shipped, project):
    for name in ("mediation", "interaction", "stance", "congruence", "conflict", "signed", "claims"):
        for level in ("person", "organization", "polity"):
            G = network(name, shipped, project=project, level=level)
            assert len(G) > 0, (name, level)
            for node, data in G.nodes(data=True):
                assert isinstance(node, str) and data["label"] and data["kind"], (name, node)
            assert G.graph["name"] == name and G.graph["level"] == level


def test_the_peacekeepers_mediate_between_azerbaijan_and_karabakh(shipped, project):
    G = network("mediation", shipped, project=project)
    contingent = A + "russian-peacekeeping-contingent"
    assert sorted(G.successors(contingent)) == [A + "azerbaijan", A + "nagorno-karabakh"]
    tie = G.edges[contingent, A + "azerbaijan"]
    assert (tie["relation"], tie["weight"], tie["events"], tie["dates"]) == ("mediates", 1, [MARCH_1], ["2023-03-01"])
    assert G.edges[A + "azerbaijan", A + "nagorno-karabakh"]["relation"] == "counterpart"
    assert G.nodes[contingent]["kind"] == "PeacekeepingContingent"
    assert G.nodes[contingent]["polity"] == A + "russia"
    polity = network("mediation", shipped, project=project, level="polity")
    assert sorted(polity.successors(A + "russia")) == [A + "azerbaijan", A + "nagorno-karabakh"]
    assert contingent not in polity
    without = network("mediation", shipped, project=project, party_ties=False)
    assert without.number_of_edges() == 2


def test_interaction_links_meeting_participants_and_addressing(shipped, project):
    G = network("interaction", shipped, project=project)
    assert G.has_edge(A + "ramin-mammadov", A + "samvel-shahramanyan")
    assert "co-participation" in G.edges[A + "ramin-mammadov", A + "samvel-shahramanyan"]["relation"]
    # Badalyan analyses the EU and addresses Klaar's statement.
    assert G.edges[A + "hakob-badalyan", A + "european-union"]["relation"] == "addresses"
    assert G.edges[A + "hakob-badalyan", A + "toivo-klaar"]["relation"] == "addresses"
    polity = network("interaction", shipped, project=project, level="polity")
    assert polity.edges[A + "azerbaijan", A + "nagorno-karabakh"]["weight"] == 2  # two meetings


def test_the_eu_welcomed_and_the_state_department_declined_to_comment(shipped, project):
    G = network("stance", shipped, project=project)
    klaar = G.edges[A + "toivo-klaar", MARCH_1]
    assert sorted(klaar["stance_types"]) == ["praises", "welcomes"] and klaar["sign"] == 1
    assert "encouraging" in klaar["quotes"]
    price = G.edges[A + "ned-price", MARCH_1]
    assert (price["stance_types"], price["sign"]) == (["declines to comment on"], 0)
    assert price["quotes"] == ["If we have something to say about this, we will let you know."]
    organizations = network("stance", shipped, project=project, level="organization")
    assert organizations.has_edge(A + "european-union", MARCH_1)
    assert organizations.edges[A + "us-state-department", MARCH_1]["stance_types"] == ["declines to comment on"]
    harutyunyan = G.edges[A + "arayik-harutyunyan", ISSUE + "reintegration"]
    assert (harutyunyan["sign"], harutyunyan["stance_types"]) == (-1, ["rejects"])
    assert G.nodes[ISSUE + "reintegration"]["bipartite"] == 1 and G.nodes[A + "toivo-klaar"]["bipartite"] == 0


def test_karabakh_denies_bakus_reintegration_claim(shipped, project):
    G = network("claims", shipped, project=project)
    assert G.edges[A + "nagorno-karabakh", REINTEGRATION]["relation"] == "denies"
    assert G.edges[A + "azerbaijan", REINTEGRATION]["relation"] == "reports"
    assert G.edges[A + "azerbaijani-media", REINTEGRATION]["relation"] == "reports"
    assert G.nodes[REINTEGRATION]["kind"] == "Claim"
    polity = network("claims", shipped, project=project, level="polity")
    # Azerbaijani media fold into Azerbaijan: one tie, both reports.
    assert polity.edges[A + "azerbaijan", REINTEGRATION]["weight"] == 2


def test_conflict_and_signed_networks_on_the_article(shipped, project):
    conflict = network("conflict", shipped, project=project)
    assert conflict.edges[A + "azerbaijani-media", A + "nagorno-karabakh"]["count"] == 2
    signed = network("signed", shipped, project=project)
    assert signed.edges[A + "azerbaijan", A + "azerbaijani-media"]["sign"] == 1
    assert signed.edges[A + "azerbaijan", A + "nagorno-karabakh"]["sign"] == -1


# -- hand-made positions:  A: +x +y -z   B: +x -y (0 on z)   C: +x -z ---------------


@pytest.mark.parametrize("normalization, ab, ac, bc", [
    ("none", 1, 2, 1),
    ("average", 1 / 2.5, 2 / 2.5, 1 / 2),
    ("jaccard", 1 / 4, 2 / 3, 1 / 3),
    ("cosine", 1 / math.sqrt(6), 2 / math.sqrt(6), 1 / 2),
])
def test_congruence_normalisations(positions, project, normalization, ab, ac, bc):
    G = network("congruence", positions, project=project, normalization=normalization)
    assert G.edges[A + "a", A + "b"]["weight"] == pytest.approx(ab)
    assert G.edges[A + "a", A + "c"]["weight"] == pytest.approx(ac)
    assert G.edges[A + "b", A + "c"]["weight"] == pytest.approx(bc)
    assert G.edges[A + "a", A + "c"]["targets"] == [ISSUE + "x", ISSUE + "z"]


@pytest.mark.parametrize("normalization, ab", [
    ("none", 1), ("average", 1 / 2.5), ("jaccard", 1 / 3), ("cosine", 1 / math.sqrt(6)),
])
def test_conflict_normalisations(positions, project, normalization, ab):
    G = network("conflict", positions, project=project, normalization=normalization)
    assert sorted(G.edges()) == [(A + "a", A + "b")]
    assert G.edges[A + "a", A + "b"]["weight"] == pytest.approx(ab)
    assert G.edges[A + "a", A + "b"]["targets"] == [ISSUE + "y"]


def test_neutral_stances_do_not_count(positions, project):
    # B's neutral analysis of z neither agrees with C's -z nor opposes it.
    G = network("conflict", positions, project=project)
    assert not G.has_edge(A + "b", A + "c")


def test_time_windows(positions, project):
    january = network("congruence", positions, project=project, start="2023-01-01", end="2023-01-31")
    # C's statement has no date: it is left out of any window.
    assert sorted(january.nodes) == [A + "a", A + "b"]
    assert january.edges[A + "a", A + "b"]["targets"] == [ISSUE + "x"]
    march = network("stance", positions, project=project, start="2023-03-01")
    assert sorted(march.edges) == [(A + "a", ISSUE + "z")]


def test_dna_weight_directly():
    mine, yours = {("x", 1), ("y", 1), ("z", -1)}, {("x", 1), ("y", -1)}
    assert dna_weight("congruence", "none", mine, yours) == (1, ["x"])
    assert dna_weight("conflict", "jaccard", mine, yours) == (pytest.approx(1 / 3), ["y"])
    assert dna_weight("congruence", "cosine", mine, set()) == (0, [])


def test_bad_options_are_refused(shipped, project):
    with pytest.raises(NetworkError, match="unknown network"):
        network("friendship", shipped, project=project)
    with pytest.raises(NetworkError, match="unknown level"):
        network("mediation", shipped, project=project, level="village")
    with pytest.raises(NetworkError, match="unknown normalization"):
        network("congruence", shipped, project=project, normalization="pearson")
    with pytest.raises(NetworkError, match="not a date"):
        network("stance", shipped, project=project, start="March")


def test_an_unnamed_representative_ties_the_side_it_acts_for(world_project):
    from conftest import TEST_DATA

    from kgraph.networks.context import ProjectionContext

    graph = world_project.load([TEST_DATA / "world.ttl"])
    rows = ProjectionContext(graph, "person", None, None).rows("participation")
    meeting = "https://w3id.org/kgraph/event/meeting"
    assert {(r["actor"], r["role"]) for r in rows if r["event"] == meeting} >= {
        (A + "north", "representative"), (A + "north-media", "observer")}
    G = network("interaction", graph)
    assert G.has_edge(A + "north", A + "north-media"), "the observer took part in the same meeting"
