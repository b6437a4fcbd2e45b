"""kgraph view in a real browser: Debian's Chromium driven by Playwright,
the page opened from a file URL with every network request blocked and
recorded (none may be made), and any JavaScript error failing the test.

The browser is looked for at $KGRAPH_CHROMIUM, else /usr/bin/chromium. Where
it (or Playwright) is missing these tests are skipped, saying so, unless
KGRAPH_REQUIRE_BROWSER=1 (as .ci/run sets it, after installing Chromium):
then they fail. Screenshots are kept in $KGRAPH_ARTIFACTS (default:
test-artifacts/ in the repository, which git ignores).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli

from conftest import ROOT, TEST_DATA

ACTOR = "https://w3id.org/kgraph/actor/"
CHROMIUM = os.environ.get("KGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("KGRAPH_ARTIFACTS") or ROOT / "test-artifacts")
#: Flags for a headless Chromium on a machine without a network: no sandbox (root in CI), no GPU, and none of
#: the background services that would try to reach Google's hosts.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic", "--disable-default-apps"]


def _browser_or_skip():
    reason = None
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        reason = "Playwright is not installed (pip install -e '.[test]')"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set KGRAPH_CHROMIUM)"
    if reason is not None:
        if os.environ.get("KGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KGRAPH_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Page:
    """A page opened from a file URL, every request to anything but that file
    blocked and recorded, every JavaScript error and console error kept."""

    def __init__(self, browser, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1300})
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        url = path.resolve().as_uri()

        def route(request_route):
            if request_route.request.url == url:
                request_route.continue_()
            else:
                self.requests.append(request_route.request.url)
                request_route.abort()

        self.page.route("**/*", route)
        self.page.goto(url)
        self.page.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0"
                                    " && Bokeh.documents[0].get_model_by_name('search') !== null")

    def model(self, name: str, expression: str):
        return self.page.evaluate(f"() => {{ const m = Bokeh.documents[0].get_model_by_name({name!r}); "
                                  f"return {expression}; }}")

    def close(self):
        self.page.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seed plus the articles written for testing in tests/data/importing/
    (dated April 2023; one quotes Ramin Mammadov, whom the seed never quotes)."""
    root = tmp_path_factory.mktemp("corpus")
    for part in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / part, root / part)
    out = CliRunner().invoke(cli, ["--project", str(root), "import", str(TEST_DATA / "importing" / "statements.csv")])
    assert out.exit_code == 0, out.output
    return root


@pytest.fixture(scope="module")
def seed_view(corpus):
    out = CliRunner().invoke(cli, ["--project", str(corpus), "view", "-o", str(corpus / "view.html")])
    assert out.exit_code == 0, out.output
    return corpus / "view.html"


def test_the_page_holds_every_node_and_tie_and_asks_for_nothing(browser, seed_view, corpus):
    from kgraph.networks.projections import network
    from kgraph.project import find_project

    graph = find_project(corpus).load()
    page = Page(browser, seed_view)
    try:
        for name in ("mediation", "interaction", "stance", "claims"):
            G = network(name, graph)
            ids = page.model(f"nodes-{name}", "m.data.id")
            assert sorted(ids) == sorted(G), name
            assert page.model(f"edges-{name}", "m.data.x0.length") == G.number_of_edges(), name
        assert page.model("figure-mediation", "m.visible") and not page.model("figure-stance", "m.visible")
        page.page.screenshot(path=str(_artifact("view-mediation.png")), full_page=True)
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


def test_search_click_and_read_the_quote(browser, seed_view):
    page = Page(browser, seed_view)
    try:
        page.model("network", "(m.value = 'stance', true)")
        assert page.model("figure-stance", "m.visible")
        box = page.page.locator("input[type=text]").first
        box.click()
        box.type("Mammadov", delay=20)
        choice = page.page.get_by_text("Ramin Mammadov", exact=True).first
        choice.wait_for(state="visible", timeout=5000)
        choice.click()
        page.page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('profile').tags.length > 0")
        assert page.model("profile", "m.tags[0]") == ACTOR + "ramin-mammadov"
        text = page.model("profile", "m.text")
        assert "<h3>Ramin Mammadov</h3>" in text
        assert "Posts" in text and "Member of parliament" in text
        # his quote, and the excerpt of the source it rests on
        quote = "The humanitarian questions were settled in a calm atmosphere."
        shown = page.page.locator("blockquote.quote").first.inner_text()
        assert shown == f"“{quote}”"
        assert page.page.locator("p.excerpt").first.inner_text().startswith("Source: Ramin Mammadov said after the meeting")
        selected = page.model("nodes-stance", "m.selected.indices")
        assert [page.model("nodes-stance", f"m.data.id[{i}]") for i in selected] == [ACTOR + "ramin-mammadov"]
        page.page.screenshot(path=str(_artifact("view-stance-profile.png")), full_page=True)
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


def test_the_date_control_shows_the_network_as_it_stood(browser, seed_view):
    page = Page(browser, seed_view)
    try:
        total = page.model("edges-mediation", "m.data.alpha.filter(a => a > 0).length")
        assert total == page.model("edges-mediation", "m.data.x0.length") > 0
        # the seed's mediated meeting is dated 2023-03-01: the day before, no mediation tie
        page.model("date", "(m.value = Date.UTC(2023, 1, 28), true)")
        assert page.model("edges-mediation", "m.data.alpha.filter(a => a > 0).length") == 0
        assert "As of 2023-02-28" in page.model("date-note", "m.text")
        # the dated stance ties (the articles written for testing): two by 9 April, a third on the 10th,
        # the last day, when the undated ones (the seed's) are shown as well
        page.model("date", "(m.value = Date.UTC(2023, 3, 9), true)")
        assert page.model("edges-stance", "m.data.alpha.filter(a => a > 0).length") == 2
        assert page.model("date", "new Date(m.end).toISOString().slice(0, 10)") == "2023-04-10"
        page.model("date", "(m.value = m.end, true)")
        assert page.model("edges-stance", "m.data.alpha.filter(a => a > 0).length") \
            == page.model("edges-stance", "m.data.x0.length")
        page.model("date", "(m.value = m.end, true)")
        assert page.model("edges-mediation", "m.data.alpha.filter(a => a > 0).length") == total
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


def test_hovering_a_tie_names_its_ends_and_relation(browser, seed_view):
    # the page keeps a tie's ends as positions in the nodes' columns: the tooltip looks them up
    page = Page(browser, seed_view)
    try:
        page.page.wait_for_timeout(300)  # the figure's first paint
        x, y = page.page.evaluate("""() => {
            const d = Bokeh.documents[0], edges = d.get_model_by_name('edges-mediation');
            const view = Bokeh.index.find_one(d.get_model_by_name('figure-mediation'));
            const mx = (edges.data.x0[0] + edges.data.x1[0]) / 2, my = (edges.data.y0[0] + edges.data.y1[0]) / 2;
            const box = view.el.getBoundingClientRect();
            return [box.left + view.frame.x_scale.compute(mx), box.top + view.frame.y_scale.compute(my)];
        }""")
        page.page.mouse.move(x, y)
        nodes = page.model("nodes-mediation", "m.data.label")
        ends = page.model("edges-mediation", "[m.data.u[0], m.data.v[0]]")
        expected = f"{nodes[ends[0]]} → {nodes[ends[1]]}"
        page.page.wait_for_function("""(expected) => [...document.querySelectorAll('*')]
            .some(e => e.shadowRoot && e.shadowRoot.textContent.includes(expected))""", arg=expected, timeout=5000)
        shown = page.page.evaluate("""() => [...document.querySelectorAll('*')]
            .map(e => e.shadowRoot ? e.shadowRoot.textContent : '').join(' ')""")
        assert "relation:" in shown and ("mediates" in shown or "counterpart" in shown)
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
