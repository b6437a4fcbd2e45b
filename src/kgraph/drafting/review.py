"""The review page of a draft: one self-contained HTML file (no script, no
request to any network) with the text, every suggested span highlighted and
linked to its suggestion, and each suggestion with its status, what to
check and the triples it would add."""

from __future__ import annotations

import html

__all__ = ["review_page"]

_COLOURS = {"actor": "#cfe8ff", "issue": "#e3e3e3", "variant": "#ffe2a8", "new-name": "#ffc9c9", "event": "#ffd8ef", "quote": "#d9f2d0",
            "statement": "#c8efe6",
            "claim": "#eadcff", "date": "#fff3b0"}
_NAMES = {"actor": "registry name", "issue": "issue", "variant": "possible variant", "new-name": "new name", "event": "event",
          "quote": "quote", "statement": "statement without a quote", "claim": "reported claim", "date": "date"}


def review_page(text: str, title: str, suggestions, draft_name: str) -> str:
    """The page for ``suggestions`` (of :mod:`.draft`) over ``text``."""
    marks = []  # (start, end, kind, number): the innermost span wins where spans overlap
    for number, suggestion in enumerate(suggestions, 1):
        for span in suggestion.spans:
            if span is not None and span.end > span.start:
                marks.append((span.start, span.end, suggestion.kind, number))
    owner: list[tuple[str, int] | None] = [None] * len(text)
    for start, end, kind, number in sorted(marks, key=lambda m: -(m[1] - m[0])):
        for i in range(start, end):
            owner[i] = (kind, number)
    body, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and owner[j] == owner[i]:
            j += 1
        piece = html.escape(text[i:j]).replace("\n", "<br>\n")
        if owner[i] is None:
            body.append(piece)
        else:
            kind, number = owner[i]
            body.append(f'<a class="m {kind}" href="#s{number}" title="{_NAMES[kind]} #{number}">{piece}</a>')
        i = j
    rows = []
    for number, s in enumerate(suggestions, 1):
        where = ", ".join(f"{span.start}–{span.end}" for span in s.spans if span is not None)
        todo = "".join(f"<li>TODO: {html.escape(t)}</li>" for t in s.todo)
        triples = f"<pre>{html.escape(s.turtle)}</pre>" if s.turtle else ""
        why = f"<div class=why>{html.escape(s.why)}</div>" if s.why else ""
        rows.append(f'<section id="s{number}" class="{s.kind}"><h3>#{number} {_NAMES[s.kind]} · '
                    f'<span class="status {s.status}">{s.status}</span> · <small>characters {where}</small></h3>'
                    f"<p>{html.escape(s.summary)}</p>{why}<ul>{todo}</ul>{triples}</section>")
    legend = "".join(f'<span class="m {kind}">{name}</span> ' for kind, name in _NAMES.items())
    counts = {kind: sum(s.kind == kind for s in suggestions) for kind in _NAMES}
    todos = sum(len(s.todo) for s in suggestions)
    styles = "".join(f".{kind}{{background:{colour}}}" for kind, colour in _COLOURS.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review: {html.escape(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:0;display:flex;height:100vh}}
#text{{flex:1;overflow:auto;padding:1em 2em;line-height:1.6;max-width:48em}}
#list{{flex:1;overflow:auto;padding:1em;border-left:1px solid #ccc;font-size:14px}}
a.m{{color:inherit;text-decoration:none;border-radius:3px;padding:0 1px}}
span.m{{padding:0 4px;border-radius:3px}}
section{{border:1px solid #ddd;border-radius:4px;margin:0 0 .8em;padding:.3em .8em}}
section:target{{outline:3px solid #333}}
h3{{font-size:14px;margin:.3em 0}} pre{{background:#f6f6f6;padding:.5em;overflow:auto;font-size:12px}}
.status.found{{color:#060}} .status.check,.status.todo{{color:#a60}} .status.new{{color:#a00}}
.why{{color:#555;font-size:13px}}
{styles}
</style></head><body>
<div id="text"><h1>{html.escape(title)}</h1>
<p>Draft: <code>{html.escape(draft_name)}</code>. Nothing here is reviewed: check every suggestion against the
text. Click a highlighted span to see its suggestion.</p><p>{legend}</p>
<p>{", ".join(f"{n} {_NAMES[k]}{'s' if n != 1 else ''}" for k, n in counts.items())}; {todos} TODOs.</p>
<div class="article">{"".join(body)}</div></div>
<div id="list">{"".join(rows)}</div>
</body></html>
"""
