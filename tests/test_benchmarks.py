"""The benchmark's 10k smoke run: every measurement runs to the end, and the
validation it times reports exactly the planted mistakes. No timing is asserted."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--workdir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("full validation:") and "equal: True" in line and "identical to pySHACL: True" in line
               for line in lines), lines
    for name in ("load into memory", "query who-mediates-whom", "network stance + analysis", "export stance.gexf", "kgraph --help"):
        assert any(line.startswith(f"{name}:") for line in lines), name
