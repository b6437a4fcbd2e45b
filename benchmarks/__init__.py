"""kgraph benchmarks: measured against a baseline in the same run, never as timed tests."""
