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
