"""Whether files will fit in memory, asked before loading them.

When memory runs out inside the engine (Rust), the process aborts with no
message at all. kgraph therefore estimates what an in-memory load needs,
from the files' sizes and a measured lower bound of the engine's memory per
byte of each format (``python -m benchmarks.big_file`` and the 1M-triple
corpus: 2.4x for N-Triples, 3.6x for Turtle and TriG), and refuses a
load that cannot fit with an error that says so and what to do instead.
The memory available is the least of: the free memory the kernel reports,
the address-space limit (``ulimit -v``) less what the process already
uses, and the container's (cgroup v2) limit less its usage.
"""

from __future__ import annotations

import resource
from collections.abc import Sequence
from pathlib import Path

from ..errors import MemoryLimitError

__all__ = ["estimate", "available", "check_fits"]

#: The in-memory store's bytes per byte of file, by extension (measured, rounded up).
BYTES_PER_BYTE = {".nt": 2.5, ".nq": 2.5, ".ttl": 3.7, ".trig": 3.7, ".jsonld": 1.5, ".rdf": 1.5, ".owl": 1.5}

_MiB = 1024 * 1024
_VIRTUAL_OVERHEAD = 1.33


def estimate(files: Sequence[Path]) -> int:
    """About how many bytes an in-memory load of ``files`` needs."""
    total = 0
    for path in files:
        try:
            total += int(path.stat().st_size * BYTES_PER_BYTE.get(path.suffix.lower(), 2.0))
        except OSError:
            pass
    return total


def _read_number(path: str) -> int | None:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _status_kib(path: str, field: str) -> int | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_stat(field: str) -> int:
    try:
        for line in Path("/sys/fs/cgroup/memory.stat").read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == field and value.strip().isdigit():
                return int(value)
    except OSError:
        pass
    return 0


def available() -> tuple[int, str] | None:
    """The bytes this process can still take, and what limits them (None if unknown)."""
    limits: list[tuple[int, str]] = []
    free = _status_kib("/proc/meminfo", "MemAvailable")
    if free is not None:
        limits.append((free, "free memory"))
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    used = _status_kib("/proc/self/status", "VmSize")
    if soft != resource.RLIM_INFINITY and used is not None:
        # address space runs ahead of resident memory (allocator arenas, tables
        # growing by doubling): count a third more against this limit
        limits.append((int(max(soft - used, 0) / _VIRTUAL_OVERHEAD), "the address-space limit (ulimit -v)"))
    cgroup_max, cgroup_used = _read_number("/sys/fs/cgroup/memory.max"), _read_number("/sys/fs/cgroup/memory.current")
    if cgroup_max is not None and cgroup_used is not None:
        # the usage counts page cache the kernel can take back: leave that out
        reclaimable = _cgroup_stat("inactive_file")
        limits.append((max(cgroup_max - cgroup_used + reclaimable, 0), "the container's memory limit"))
    return min(limits) if limits else None


def check_fits(files: Sequence[Path]) -> None:
    """Raise :class:`~kgraph.errors.MemoryLimitError` if loading ``files`` into memory cannot fit."""
    needed = estimate(files)
    room = available()
    if room is None or needed <= room[0]:
        return
    sizes = {p: p.stat().st_size for p in files if p.exists()}
    largest = max(sizes, key=sizes.get)
    what = f"this file ({sizes[largest] / _MiB:,.0f} MiB)" if len(files) == 1 else \
        f"these {len(files)} files ({sum(sizes.values()) / _MiB:,.0f} MiB, this one the largest)"
    raise MemoryLimitError(
        f"{what} would need about {needed / _MiB:,.0f} MiB in memory, but {room[1]} leaves "
        f"{room[0] / _MiB:,.0f} MiB; split it into smaller files or run with more memory",
        largest,
    )
