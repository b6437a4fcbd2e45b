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
const profiles = window.kgraphProfiles ??= JSON.parse(store.data.json[0]);
function show(id) {
  const p = profiles[id];
  if (!p) { profile.text = "<p>No profile for " + esc(id) + "</p>"; return; }
  let html = "<h3>" + esc(p.label) + "</h3><p class='kind'>" + esc(p.kind || "") + "</p>";
  if (p.aliases && p.aliases.length) html += "<p><b>Also:</b> " + p.aliases.map(esc).join(", ") + "</p>";
  if (p.posts && p.posts.length) {
    html += "<h4>Posts</h4><ul>" + p.posts.map(t => "<li>" + esc(t.post) + (t.tenure ? " (" + esc(t.tenure) + ")" : "") + "</li>").join("") + "</ul>";
  }
  if (p.statements && p.statements.length) {
    html += "<h4>Statements</h4><ol class='statements'>";
    for (const s of p.statements) {
      html += "<li><b>" + esc(s.type) + "</b> " + esc(s.target) + (s.date ? " <span class='date'>" + esc(s.date) + "</span>" : "");
      for (const q of s.quotes) html += "<blockquote class='quote'>“" + esc(q) + "”</blockquote>";
      if (!s.quotes.length && s.paraphrase) html += "<p class='paraphrase'>" + esc(s.paraphrase) + "</p>";
      for (const x of s.excerpts) html += "<p class='excerpt'>Source: " + esc(x) + (s.source ? " <i>(" + esc(s.source) + ")</i>" : "") + "</p>";
      html += "</li>";
    }
    html += "</ol>";
    if (p.more) html += "<p class='more'>" + p.more + " more statements: kgraph query stances --param actor='" + esc(p.label) + "'</p>";
  }
  if (p.reported && p.reported.length) html += "<h4>Claims reported</h4><ul>" + p.reported.map(c => "<li>" + esc(c) + "</li>").join("") + "</ul>";
  if (p.denied && p.denied.length) html += "<h4>Claims denied</h4><ul>" + p.denied.map(c => "<li>" + esc(c) + "</li>").join("") + "</ul>";
  profile.text = html;
  profile.tags = [id];
}
"""

_TAP = _PROFILE + """
const i = nodes.selected.indices[0];
if (i !== undefined) show(nodes.data.id[i]);
"""

_SEARCH = _PROFILE + """
const names = window.kgraphNames ??= JSON.parse(store.data.json[1]);
const id = names[search.value];
if (!id) return;
let shown = false;
for (const nodes of all_nodes) {
  const i = nodes.data.id.indexOf(id);
  nodes.selected.indices = i >= 0 ? [i] : [];
}
show(id);
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
    from bokeh.models import (AutocompleteInput, ColumnDataSource, CustomJS, DataTable, DateSlider, Div, HoverTool,
                              LabelSet, Select, TableColumn, TapTool)
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

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
    store = ColumnDataSource({"json": [json.dumps(_capped(view.profiles, nodes_in_view), ensure_ascii=False),
                                       json.dumps(view.names, ensure_ascii=False)]}, name="profiles")
    for k, net in enumerate(view.networks):
        nodes_data = dict(net.nodes)
        nodes_data["short"] = [_short(label) for label in nodes_data.get("label", [])]
        values = nodes_data.get(default) or [0.0] * len(nodes_data.get("id", []))
        top = max(values, default=0.0) or 1.0
        nodes_data["size"] = [8 + 32 * v / top for v in values]
        nodes = ColumnDataSource(nodes_data, name=f"nodes-{net.name}")
        import numpy as np

        edges_data = {k: v for k, v in net.edges.items() if k not in ("xs", "ys")}
        # straight ties as segments: four flat columns, sent as binary arrays
        for name, values in (("x0", [x[0] for x in net.edges["xs"]]), ("x1", [x[1] for x in net.edges["xs"]]),
                             ("y0", [y[0] for y in net.edges["ys"]]), ("y1", [y[1] for y in net.edges["ys"]])):
            edges_data[name] = np.asarray(values, dtype=float)
        edges_data["alpha"] = np.full(len(edges_data["x0"]), 0.7)
        heaviest = max(edges_data["weight"], default=1) or 1
        edges_data["width"] = [1 + 3 * w / heaviest for w in edges_data["weight"]]
        edges_data["tie"] = [_tie_label(sign, relation) for sign, relation in zip(edges_data["sign"], edges_data["relation"])]
        edges = ColumnDataSource(edges_data, name=f"edges-{net.name}")
        fig = figure(name=f"figure-{net.name}", title=f"{net.name} network: {len(nodes_data['id'])} nodes, "
                                                      f"{len(edges_data['x0'])} ties",
                     width=820, height=640, tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom",
                     x_range=(-1.15, 1.15), y_range=(-1.15, 1.15), visible=k == 0)
        # (a canvas, not WebGL: without a GPU, as in a headless browser, WebGL draws in software and
        # took 99 s for 20,000 ties where the canvas takes one)
        fig.toolbar.logo = None
        fig.axis.visible = False
        fig.grid.visible = False
        lines = fig.segment("x0", "y0", "x1", "y1", source=edges, line_color="colour", line_alpha="alpha",
                            line_width="width", line_dash="dash", legend_group="tie")
        dots = fig.scatter("x", "y", source=nodes, size="size", fill_color="colour", line_color="#333333",
                           legend_group="kind", name=f"dots-{net.name}", nonselection_fill_alpha=0.45,
                           nonselection_line_alpha=0.45, selection_line_color="#000000", selection_line_width=3)
        fig.legend.location = "top_left"
        fig.legend.label_text_font_size = "9pt"
        fig.legend.background_fill_alpha = 0.6
        fig.add_layout(fig.legend[0], "right")
        tips = [("name", "@label"), ("kind", "@kind")] + [(m, f"@{m}{{0.000}}") for m in net.measures]
        fig.add_tools(HoverTool(renderers=[dots], tooltips=tips))
        fig.add_tools(HoverTool(renderers=[lines], tooltips=[("tie", "@label"), ("relation", "@relation"),
                                                              ("first date", "@first")]))
        fig.add_tools(TapTool(renderers=[dots]))
        ranked = sorted(range(len(nodes_data["id"])), key=lambda i: -nodes_data["size"][i])[:LABELS]
        labels_source = ColumnDataSource({"x": [nodes_data["x"][i] for i in ranked],
                                          "y": [nodes_data["y"][i] for i in ranked],
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


def _capped(profiles: dict, nodes: int) -> dict:
    """Profiles with at most :data:`STATEMENTS` statements each, fewer in a
    large view (a budget of :data:`BUDGET` in all, three at least); ``more``
    counts what was left out."""
    cap = max(3, min(STATEMENTS, BUDGET // max(nodes, 1)))
    out = {}
    for iri, p in profiles.items():
        statements = p.get("statements") or []
        if len(statements) > cap:
            p = dict(p, statements=statements[:cap], more=len(statements) - cap)
        out[iri] = p
    return out


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
