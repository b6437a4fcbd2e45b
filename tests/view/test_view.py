"""kgraph view without a browser: the page stands alone (no script, style or
font loaded from anywhere), holds what it shows, and bad input is refused."""

from __future__ import annotations

import re

from click.testing import CliRunner

from kgraph.cli import cli

from conftest import ROOT, registry_only


def _run(root, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *map(str, args)], catch_exceptions=False)


def test_the_page_loads_nothing_from_anywhere(tmp_path):
    out = _run(ROOT, "view", "mediation", "stance", "-o", tmp_path / "v.html")
    assert out.exit_code == 0, out.output
    html = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html), "every script is inlined"
    assert not re.search(r"<link[^>]+href=", html), "no style sheet or font is linked"
    assert "@import" not in html and "url(http" not in html
    for name in ("nodes-mediation", "edges-mediation", "nodes-stance", "search", "profile", "timeline"):
        assert f'"name":"{name}"' in html, name
    assert "Hakob Badalyan" in html and "Artsakh" in html  # names and aliases (of Nagorno-Karabakh) for the search


def test_bad_input_is_refused(tmp_path):
    assert _run(ROOT, "view", "-o", tmp_path / "v.png").exit_code == 2
    assert _run(ROOT, "view", "-o", tmp_path / "missing" / "v.html").exit_code == 2
    out = _run(ROOT, "view", "nonsense", "-o", tmp_path / "v.html")
    assert out.exit_code == 2 and "unknown network 'nonsense'" in out.stderr
    assert not (tmp_path / "v.html").exists()


def test_a_project_without_articles_gives_an_empty_but_working_page(tmp_path):
    root = registry_only(tmp_path / "project")
    out = _run(root, "view", "-o", tmp_path / "v.html")
    assert out.exit_code == 0, out.output
    html = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert "No tie has a date" in html and '"name":"nodes-stance"' in html


def test_profiles_are_packed_with_every_string_once_and_quotes_found_again():
    from kgraph.view.data import ViewData
    from kgraph.view.page import _packed

    # a quote after a character outside the BMP (two UTF-16 code units in the browser)
    excerpt = "Speaker 🕊 said: “We want peace.” Then he left."
    statement = {"type": "asserts", "target": "peace", "date": "2023-01-02", "quotes": ["We want peace.", "elsewhere"],
                 "paraphrase": "", "excerpts": [excerpt], "source": "Article"}
    profiles = {"a": {"label": "A", "kind": "Person", "aliases": ["Ay"], "posts": [{"post": "Envoy", "tenure": ""}],
                      "statements": [statement] * 5, "reported": ["peace"] * 4, "denied": []},
                "b": {"label": "B", "kind": "Person", "aliases": [], "posts": [], "statements": [], "reported": [],
                      "denied": []}}
    packed = _packed(ViewData([], profiles, {"A": "a", "Ay": "a", "B": "b", "C": "c"}, {}, []), nodes=10_000)
    strings = packed["strings"]
    assert len(strings) == len(set(strings)) and "" not in strings
    assert packed["ids"] == ["a", "b"] and packed["names"] == {"A": 0, "Ay": 0, "B": 1}
    label, kind, aliases, posts, statements, more, reported, denied, more_claims = packed["profiles"][0]
    assert strings[label] == "A" and [strings[a] for a in aliases] == ["Ay"] and posts == [[strings.index("Envoy"), -1]]
    assert len(statements) == 3 and more == 2  # three statements at least, the rest counted
    assert len(reported) == 3 and more_claims == 1 and denied == []
    type_, target, date, quotes, paraphrase, excerpts, source = statements[0]
    assert paraphrase == -1 and strings[source] == "Article" and strings[date] == "2023-01-02"
    (k, start, end), other = quotes
    held = strings[excerpts[k]].encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")
    assert held == "We want peace." and strings[other] == "elsewhere"


def test_nodes_without_ties_are_set_apart_in_a_large_layout():
    import math

    import networkx as nx

    from kgraph.view.data import SPRING_LIMIT, layout

    G = nx.path_graph(SPRING_LIMIT + 50)
    G.add_nodes_from(range(1000, 1100))
    positions = layout(G)
    assert layout(G) == positions  # deterministic
    radius = {n: math.hypot(*positions[n]) for n in G}
    assert all(abs(radius[n] - 1.08) < 1e-9 for n in range(1000, 1100))
    assert max(radius[n] for n in G if n < 1000) <= 1.0 + 1e-9


def test_tie_categories_are_small_codes_however_many_there_are():
    from kgraph.view.page import _codes

    names, codes = _codes(["b", "a", "b"])
    assert names == ["b", "a"] and codes.tolist() == [0, 1, 0] and codes.dtype.itemsize == 1
    many = [f"asserts+{i}" for i in range(300)]  # a stance network can join many stance types on a tie
    names, codes = _codes(many + many[:1])
    assert len(names) == 300 and codes.tolist() == list(range(300)) + [0] and codes.dtype.itemsize == 2
