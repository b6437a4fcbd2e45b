"""kgraph analyze's table shows the first nodes, brokers first, and counts the rest."""

from __future__ import annotations

import json


def test_the_table_shows_the_first_nodes_and_counts_the_rest(run):
    nodes = len(json.loads(run("analyze", "stance", "--format", "json").output)["nodes"])
    assert nodes > 3
    shown = run("analyze", "stance", "--limit", "3")
    assert shown.exit_code == 0
    assert f"3 of {nodes} nodes shown; {nodes - 3} more" in shown.output
    everything = run("analyze", "stance", "--limit", "0")
    assert "nodes shown" not in everything.output
    csv = run("analyze", "stance", "--format", "csv", "--limit", "3").output
    assert len(csv.splitlines()) == nodes + 1  # csv writes every node
