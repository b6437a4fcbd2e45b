"""The web view as one HTML file: Bokeh's figures and widgets, its
JavaScript inlined (``bokeh.resources.INLINE``), so the page works offline,
opened from disk, and asks the network for nothing.

Every model the page's scripts or its tests look at has a name:
``figure-NET``, ``nodes-NET``, ``edges-NET``, ``labels-NET`` for each network
NET; ``network`` (the switch), ``size`` (the measure nodes are sized by),
``search``, ``profile``, ``date`` (the date control, absent without dates),
``date-note``, ``legend-note`` and ``timeline``.
"""

from __future__ import annotations

import json
import re

from .data import ViewData

__all__ = ["page_html"]

#: How many node labels are shown when the view holds more nodes than that.
LABELS = 30
#: Statements shown in a profile (the rest are counted, with the query that lists them).
STATEMENTS = 25
#: Statements in all the profiles of a page (so that a large view stays a few megabytes).
BUDGET = 12_000
#: Rows of the timeline in the page.
TIMELINE = 2000

_ESCAPE = """
function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
"""

_PROFILE = _ESCAPE + """
// the profiles, packed by _packed (page.py): strings once, referred to by position
const view = window.kgraphView ??= JSON.parse(store.data.json[0]);
const ids = window.kgraphIds ??= new Map(view.ids.map((id, i) => [id, i]));
const S = i => (i < 0 ? "" : view.strings[i]);
function words(q, excerpts) {
  return typeof q === "number" ? S(q) : S(excerpts[q[0]]).slice(q[1], q[2]);
}
function show(id) {
  const k = ids.get(id);
  if (k === undefined) { profile.text = "<p>No profile for " + esc(id) + "</p>"; return; }
  const [label, kind, aliases, posts, statements, more, reported, denied, moreClaims] = view.profiles[k];
  let html = "<h3>" + esc(S(label)) + "</h3><p class='kind'>" + esc(S(kind)) + "</p>";
  if (aliases.length) html += "<p><b>Also:</b> " + aliases.map(a => esc(S(a))).join(", ") + "</p>";
  if (posts.length) {
    html += "<h4>Posts</h4><ul>" + posts.map(([post, tenure]) => "<li>" + esc(S(post)) + (tenure >= 0 ? " (" + esc(S(tenure)) + ")" : "") + "</li>").join("") + "</ul>";
  }
  if (statements.length) {
    html += "<h4>Statements</h4><ol class='statements'>";
    for (const [type, target, date, quotes, paraphrase, excerpts, source] of statements) {
      html += "<li><b>" + esc(S(type)) + "</b> " + esc(S(target)) + (date >= 0 ? " <span class='date'>" + esc(S(date)) + "</span>" : "");
      for (const q of quotes) html += "<blockquote class='quote'>“" + esc(words(q, excerpts)) + "”</blockquote>";
      if (!quotes.length && paraphrase >= 0) html += "<p class='paraphrase'>" + esc(S(paraphrase)) + "</p>";
      for (const x of excerpts) html += "<p class='excerpt'>Source: " + esc(S(x)) + (source >= 0 ? " <i>(" + esc(S(source)) + ")</i>" : "") + "</p>";
      html += "</li>";
    }
    html += "</ol>";
  }
  if (more) html += "<p class='more'>" + more + " more statements: kgraph query stances --param actor='" + esc(S(label)) + "'</p>";
  if (reported.length) html += "<h4>Claims reported</h4><ul>" + reported.map(c => "<li>" + esc(S(c)) + "</li>").join("") + "</ul>";
  if (denied.length) html += "<h4>Claims denied</h4><ul>" + denied.map(c => "<li>" + esc(S(c)) + "</li>").join("") + "</ul>";
  if (moreClaims) html += "<p class='more'>" + moreClaims + " more claims: kgraph query stances --param actor='" + esc(S(label)) + "'</p>";
  profile.text = html;
  profile.tags = [id];
}
"""

_TAP = _PROFILE + """
const i = nodes.selected.indices[0];
if (i !== undefined) show(nodes.data.id[i]);
"""

_SEARCH = _PROFILE + """
const k = view.names[search.value];
if (k === undefined) return;
const id = view.ids[k];
show(id);
// the profile first; the node is highlighted after the next frame, so that the browser paints
// the profile before it redraws the figure (thousands of ties take a few hundred milliseconds)
requestAnimationFrame(() => setTimeout(() => {
  for (const nodes of all_nodes) {
    const i = nodes.data.id.indexOf(id);
    nodes.selected.indices = i >= 0 ? [i] : [];
  }
}, 0));
"""

_TIE = """
const i = special_vars.index;
return nodes.data.label[edges.data.u[i]] + " → " + nodes.data.label[edges.data.v[i]];
"""

_CATEGORY = """
return categories[value] ?? "";
"""

_SWITCH = """
for (const f of figures) f.visible = f.name === "figure-" + network.value;
"""

_SIZE = """
for (const nodes of all_nodes) {
  const values = nodes.data[size.value] || [];
  const top = Math.max(0, ...values) || 1;
  nodes.data.size = values.map(v => 8 + 32 * v / top);
  nodes.change.emit();
}
legend.text = "<b>Node size:</b> " + size.value + " (the largest node has the highest); <b>colour:</b> kind of actor or target; <b>ties:</b> green supports (+), orange opposes (−), grey neither or unsigned";
for (const l of all_labels) l.change.emit();
"""

_DATE = """
const day = new Date(date.value).toISOString().slice(0, 10);
const last = new Date(date.end).toISOString().slice(0, 10);
const atEnd = day >= last;
let shown = 0, total = 0, undated = 0;
for (const edges of all_edges) {
  const first = edges.data.first;
  edges.data.alpha = first.map(f => (f ? (f <= day ? 0.7 : 0.0) : (atEnd ? 0.7 : 0.0)));
  shown += edges.data.alpha.filter(a => a > 0).length;
  total += first.length;
  undated += first.filter(f => !f).length;
  edges.change.emit();
}
note.text = atEnd
  ? "Every tie is shown (" + undated + " without a date)."
  : "As of " + day + ": " + shown + " of " + total + " ties; " + undated + " without a date are hidden.";
note.tags = [shown];
"""

_LABELS = """
const r = fig.x_range, s = fig.y_range;
const data = nodes.data;
const inside = [];
for (let i = 0; i < data.x.length; i++) {
  if (data.x[i] >= r.start && data.x[i] <= r.end && data.y[i] >= s.start && data.y[i] <= s.end) inside.push(i);
}
const key = data.size || data.x.map(() => 1);
const chosen = inside.length <= limit ? inside : inside.sort((a, b) => key[b] - key[a]).slice(0, limit);
labels.data = {x: chosen.map(i => data.x[i]), y: chosen.map(i => data.y[i]), text: chosen.map(i => data.short[i])};
"""


def page_html(view: ViewData, *, title: str = "kgraph view") -> str:
    """The page (HTML text) for ``view``."""
    from bokeh.embed import file_html
    from bokeh.layouts import column, row
    import numpy as np
    from bokeh.models import (AutocompleteInput, ColumnDataSource, CustomJS, CustomJSHover, DataTable, DateSlider,
                              Div, HoverTool, LabelSet, LegendItem, LinearColorMapper, Select, TableColumn, TapTool)
    from bokeh.plotting import figure
    from bokeh.resources import INLINE
    from bokeh.transform import transform

    from ..networks.style import DASHED, edge_colour

    measures = [m for m in (view.networks[0].measures if view.networks else []) if m]
    # betweenness, unless no node of the first network has any: then the first measure that varies
    first = view.networks[0].nodes if view.networks else {}
    varied = [m for m in measures if any(first.get(m) or [])]
    default = "betweenness" if "betweenness" in varied else (varied[0] if varied else (measures[0] if measures else ""))
    figures, all_nodes, all_edges, all_labels = [], [], [], []
    profile = Div(name="profile", text="<p>Click a node, or search a name, to see its profile.</p>",
                  width=420, height=640, styles={"overflow-y": "auto"}, stylesheets=[_CSS])
    # the profiles and names once in the document, for every callback that needs them
    nodes_in_view = sum(len(n.nodes.get("id", [])) for n in view.networks)
    store = ColumnDataSource({"json": [json.dumps(_packed(view, nodes_in_view), ensure_ascii=False,
                                                  separators=(",", ":"))]}, name="profiles")
    for k, net in enumerate(view.networks):
        nodes_data: dict = {key: net.nodes[key] for key in ("id", "label", "kind", "colour") if key in net.nodes}
        nodes_data["short"] = [_short(label) for label in nodes_data.get("label", [])]
        x = np.asarray(net.nodes.get("x", []), dtype=np.float32)
        y = np.asarray(net.nodes.get("y", []), dtype=np.float32)
        nodes_data["x"], nodes_data["y"] = x, y
        for measure in net.measures:
            nodes_data[measure] = np.asarray(net.nodes.get(measure, []), dtype=float)
        values = np.asarray(net.nodes.get(default) or [0.0] * len(nodes_data.get("id", [])), dtype=float)
        top = float(values.max(initial=0.0)) or 1.0
        nodes_data["size"] = (8 + 32 * values / top).astype(np.float32)
        nodes = ColumnDataSource(nodes_data, name=f"nodes-{net.name}")

        # ties: their ends as positions in the nodes' columns, straight segments as four binary
        # columns, categories (tie kind, relation) as small integer codes with their names once
        u = np.asarray(net.edges.get("u", []), dtype=np.int32)
        v = np.asarray(net.edges.get("v", []), dtype=np.int32)
        ties = [_tie_label(sign, relation) for sign, relation in zip(net.edges["sign"], net.edges["relation"])]
        tie_names, tie_codes = _codes(ties)
        first_of: dict[str, int] = {}  # each kind of tie's first tie: its colour and its legend entry
        for i, t in enumerate(ties):
            first_of.setdefault(t, i)
        relation_names, relation_codes = _codes(net.edges["relation"])
        weight = np.asarray(net.edges["weight"], dtype=float)
        heaviest = float(np.abs(weight).max(initial=1.0)) or 1.0
        dashes = [DASHED.get(r, "solid") for r in net.edges["relation"]]
        edges_data = {"u": u, "v": v, "x0": x[u], "y0": y[u], "x1": x[v], "y1": y[v],
                      "tie": tie_codes, "relation": relation_codes,
                      "first": net.edges["first"], "alpha": np.full(len(u), 0.7, dtype=np.float32),
                      "width": (1 + 3 * np.abs(weight) / heaviest).astype(np.float32)}
        uniform_dash = len(set(dashes)) <= 1
        if not uniform_dash:
            edges_data["dash"] = dashes
        edges = ColumnDataSource(edges_data, name=f"edges-{net.name}")
        tie_colours = [edge_colour({"sign": _SIGNS.get(net.edges["sign"][first_of[t]])}) for t in tie_names] \
            or ["#666666"]
        colour = transform("tie", LinearColorMapper(palette=tie_colours, low=-0.5, high=len(tie_colours) - 0.5))
        fig = figure(name=f"figure-{net.name}", title=f"{net.name} network: {len(nodes_data['id'])} nodes, "
                                                      f"{len(edges_data['x0'])} ties",
                     width=820, height=640, tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom",
                     x_range=(-1.15, 1.15), y_range=(-1.15, 1.15), visible=k == 0)
        # (a canvas, not WebGL: without a GPU, as in a headless browser, WebGL draws in software and
        # took 99 s for 20,000 ties where the canvas takes one)
        fig.toolbar.logo = None
        fig.axis.visible = False
        fig.grid.visible = False
        lines = fig.segment("x0", "y0", "x1", "y1", source=edges, line_color=colour, line_alpha="alpha",
                            line_width="width", line_dash=(dashes[0] if dashes else "solid") if uniform_dash else "dash")
        dots = fig.scatter("x", "y", source=nodes, size="size", fill_color="colour", line_color="#333333",
                           legend_group="kind", name=f"dots-{net.name}", nonselection_fill_alpha=0.45,
                           nonselection_line_alpha=0.45, selection_line_color="#000000", selection_line_width=3)
        fig.legend[0].items[:0] = [LegendItem(label=t, renderers=[lines], index=first_of[t]) for t in tie_names]
        fig.legend.location = "top_left"
        fig.legend.label_text_font_size = "9pt"
        fig.legend.background_fill_alpha = 0.6
        fig.add_layout(fig.legend[0], "right")
        tips = [("name", "@label"), ("kind", "@kind")] + [(m, f"@{m}{{0.000}}") for m in net.measures]
        fig.add_tools(HoverTool(renderers=[dots], tooltips=tips))
        fig.add_tools(HoverTool(renderers=[lines], tooltips=[("tie", "@u{custom}"), ("relation", "@relation{custom}"),
                                                              ("first date", "@first")],
                                formatters={"@u": CustomJSHover(args={"nodes": nodes, "edges": edges}, code=_TIE),
                                            "@relation": CustomJSHover(args={"categories": relation_names},
                                                                       code=_CATEGORY)}))
        fig.add_tools(TapTool(renderers=[dots]))
        ranked = sorted(range(len(nodes_data["id"])), key=lambda i: -float(nodes_data["size"][i]))[:LABELS]
        labels_source = ColumnDataSource({"x": [float(x[i]) for i in ranked],
                                          "y": [float(y[i]) for i in ranked],
                                          "text": [nodes_data["short"][i] for i in ranked]}, name=f"labels-{net.name}")
        fig.add_layout(LabelSet(x="x", y="y", text="text", source=labels_source, text_font_size="9pt",
                                x_offset=6, y_offset=4))
        relabel = CustomJS(args={"fig": fig, "nodes": nodes, "labels": labels_source, "limit": LABELS}, code=_LABELS)
        for rng in (fig.x_range, fig.y_range):
            rng.js_on_change("start", relabel)
            rng.js_on_change("end", relabel)
        nodes.selected.js_on_change("indices", CustomJS(
            args={"nodes": nodes, "profile": profile, "store": store}, code=_TAP))
        figures.append(fig)
        all_nodes.append(nodes)
        all_edges.append(edges)
        all_labels.append(labels_source)

    switch = Select(name="network", title="Network", value=view.networks[0].name if view.networks else "",
                    options=[n.name for n in view.networks])
    switch.js_on_change("value", CustomJS(args={"figures": figures, "network": switch}, code=_SWITCH))
    size = Select(name="size", title="Size nodes by", value=default, options=measures)
    legend = Div(name="legend-note", text=f"<b>Node size:</b> {default} (the largest node has the highest); "
                                          "<b>colour:</b> kind of actor or target; <b>ties:</b> green supports (+), "
                                          "orange opposes (−), grey neither or unsigned", width=820)
    size.js_on_change("value", CustomJS(args={"all_nodes": all_nodes, "all_labels": all_labels, "size": size,
                                              "legend": legend}, code=_SIZE))
    search = AutocompleteInput(name="search", title="Find an actor (any name or alias)",
                               completions=sorted(view.names), case_sensitive=False, min_characters=2,
                               search_strategy="includes", restrict=True, width=300)
    search.js_on_change("value", CustomJS(args={"all_nodes": all_nodes, "search": search, "profile": profile,
                                                "store": store}, code=_SEARCH))
    controls = [switch, size, search]
    note = Div(name="date-note", text="Every tie is shown.", width=820)
    if view.dates:
        import datetime

        first, last = (datetime.date.fromisoformat(d) for d in (view.dates[0], view.dates[-1]))
        if first == last:
            last = first + datetime.timedelta(days=1)
        slider = DateSlider(name="date", title="As of", start=first, end=last, value=last, step=1, width=820,
                            format="%Y-%m-%d")
        slider.js_on_change("value", CustomJS(args={"all_edges": all_edges, "date": slider, "note": note},
                                              code=_DATE))
        dated = [slider, note]
    else:
        dated = [Div(text="No tie has a date: the network cannot be shown as of a day.", width=820)]
    rows = {k: v[:TIMELINE] for k, v in view.timeline.items()}
    shown_rows = len(rows.get("date", []))
    total_rows = len(view.timeline.get("date", []))
    timeline = DataTable(name="timeline", source=ColumnDataSource(rows, name="timeline-rows"), columns=[
        TableColumn(field="date", title="date", width=90), TableColumn(field="what", title="", width=70),
        TableColumn(field="item", title="event or statement", width=460), TableColumn(field="kind", title="kind", width=120),
        TableColumn(field="written", title="as written", width=120)], width=860, height=220, index_position=None)
    heading = Div(text=f"<h2>{_html(title)}</h2>", width=820)
    document = column(heading, row(*controls), legend, row(column(*figures), profile), *dated,
                      Div(text="<h3>Timeline</h3>" + (f"<p>The first {shown_rows:,} of {total_rows:,} items; "
                                                      "kgraph query timeline lists them all.</p>"
                                                      if total_rows > shown_rows else "")), timeline)
    return file_html(document, resources=INLINE, title=title)


def _packed(view: ViewData, nodes: int) -> dict:
    """The profiles and names as the page keeps them: every string once in
    ``strings``, referred to by its position (-1 for none); ``ids`` the
    profiled nodes, ``names`` a name or alias -> position in ``ids``, and
    ``profiles`` in the order of ``ids``, each
    ``[label, kind, aliases, posts, statements, more, reported, denied, more claims]``
    with posts as ``[post, tenure]`` and statements as
    ``[type, target, date, quotes, paraphrase, excerpts, source]``. A quote
    found in one of its statement's excerpts is kept as ``[excerpt, start,
    end]`` (UTF-16 offsets, as JavaScript slices strings), else as a string.

    Each profile keeps at most :data:`STATEMENTS` statements and as many
    claims reported and denied, fewer in a large view (a budget of
    :data:`BUDGET` in all, three at least); the counts left out are kept."""
    cap = max(3, min(STATEMENTS, BUDGET // max(nodes, 1)))
    strings: list[str] = []
    position: dict[str, int] = {}

    def ref(text: str | None) -> int:
        if not text:
            return -1
        if text not in position:
            position[text] = len(strings)
            strings.append(text)
        return position[text]

    ids = sorted(view.profiles)
    profiles = []
    for iri in ids:
        p = view.profiles[iri]
        statements = p.get("statements") or []
        packed = []
        for s in statements[:cap]:
            excerpts = list(s.get("excerpts") or [])
            quotes = [_inside(q, excerpts) or ref(q) for q in s.get("quotes") or []]
            packed.append([ref(s.get("type")), ref(s.get("target")), ref(s.get("date")), quotes,
                           ref(s.get("paraphrase")), [ref(x) for x in excerpts], ref(s.get("source"))])
        reported, denied = p.get("reported") or [], p.get("denied") or []
        claims_left = max(0, len(reported) - cap) + max(0, len(denied) - cap)
        profiles.append([ref(p.get("label") or iri), ref(p.get("kind")), [ref(a) for a in p.get("aliases") or []],
                         [[ref(t["post"]), ref(t.get("tenure"))] for t in p.get("posts") or []],
                         packed, len(statements) - len(packed),
                         [ref(c) for c in reported[:cap]], [ref(c) for c in denied[:cap]], claims_left])
    at = {iri: i for i, iri in enumerate(ids)}
    names = {name: at[iri] for name, iri in view.names.items() if iri in at}
    return {"strings": strings, "ids": ids, "names": names, "profiles": profiles}


def _inside(quote: str, excerpts: list[str]) -> list[int] | None:
    """``[excerpt, start, end]`` of ``quote`` in the first excerpt that holds
    it, in UTF-16 code units; None if none does."""
    for k, excerpt in enumerate(excerpts):
        at = excerpt.find(quote)
        if at >= 0:
            if not _ASTRAL.search(excerpt, 0, at + len(quote)):  # one code unit a character
                return [k, at, at + len(quote)]
            start = len(excerpt[:at].encode("utf-16-le")) // 2
            return [k, start, start + len(quote.encode("utf-16-le")) // 2]
    return None


#: Characters outside the Basic Multilingual Plane: two UTF-16 code units each.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _short(label: str, width: int = 28) -> str:
    """A node's label on the drawing: a long one shortened at a word, with an
    ellipsis (hover shows the whole)."""
    text = " ".join(label.split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return (cut or text[:width]) + "…"


def _tie_label(sign: str, relation: str) -> str:
    if sign == "+":
        return "supports (+)"
    if sign == "-":
        return "opposes (−)"
    if sign == "0":
        return "neither (0)"
    return relation or "tie"


def _codes(values: list[str]):
    """The distinct ``values`` in order of appearance, and each value's
    position among them as the smallest integer array that holds them."""
    import numpy as np

    names = list(dict.fromkeys(values))
    position = {name: i for i, name in enumerate(names)}
    dtype = np.int8 if len(names) <= 127 else np.int16 if len(names) <= 32767 else np.int32
    return names, np.asarray([position[v] for v in values], dtype=dtype)


#: A tie's sign as the view's data writes it, back to the number the network holds.
_SIGNS = {"+": 1, "-": -1, "0": 0}


def _html(text: str) -> str:
    import html

    return html.escape(text)


_CSS = """
:host { font-family: sans-serif; font-size: 13px; }
h3 { margin: 4px 0; } h4 { margin: 10px 0 4px; }
blockquote.quote { margin: 4px 0 4px 12px; font-style: italic; }
p.excerpt { color: #555; margin: 2px 0 8px 12px; }
span.date { color: #777; }
"""
