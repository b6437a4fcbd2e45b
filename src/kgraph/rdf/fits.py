"""Whether files will fit in memory, asked before loading them.

When memory runs out inside the engine (Rust), the process aborts with no
message at all. kgraph therefore estimates what an in-memory load needs and
refuses a load that cannot fit, with an error that says so and what to do
instead.

The engine's memory grows with the number of triples far more than with the
bytes of the file: measured on pyoxigraph's in-memory store (1M triples each,
peak RSS; ``python -m benchmarks.memory``), short unique triples take 24
bytes per byte of N-Triples, long literals 3.8. So the estimate is
:data:`PER_TRIPLE` bytes for each triple plus :data:`PER_BYTE` for each byte
of text, with the triples counted in a sample from the start of the file
(N-Triples and N-Quads: its lines; other formats: what the parser reads of
the sample). Files small enough to fit whatever they hold are not sampled.
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

#: Bytes of the in-memory store per triple, and per byte of text (measured
#: 634 and 1.38 on 1M-triple files; rounded up).
PER_TRIPLE = 700
PER_BYTE = 1.5
#: The most memory per byte of file any data can take (short unique
#: N-Triples, measured 24.3), rounded up: below it, nothing is sampled.
WORST_PER_BYTE = 30
#: How much of the start of a file is read to count its triples.
SAMPLE = 4 * 1024 * 1024

_MiB = 1024 * 1024
_VIRTUAL_OVERHEAD = 1.33
_LINE_FORMATS = {".nt", ".nq"}


def estimate(files: Sequence[Path]) -> int:
    """About how many bytes an in-memory load of ``files`` needs, from the
    triples they hold (sampled) and their size."""
    return sum(_estimate(path) for path in files)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _estimate(path: Path) -> int:
    size = _size(path)
    if not size:
        return 0
    triples = _triples_per_byte(path) * size
    return int(triples * PER_TRIPLE + size * PER_BYTE)


def _triples_per_byte(path: Path) -> float:
    """Triples per byte of ``path``, counted in its first :data:`SAMPLE` bytes."""
    try:
        with path.open("rb") as stream:
            sample = stream.read(SAMPLE)
    except OSError:
        return 1 / 20
    if not sample:
        return 0.0
    if path.suffix.lower() in _LINE_FORMATS:
        lines = sample.count(b"\n<") + sample.count(b"\n_:") + (sample[:1] in (b"<", b"_"))
        return max(lines, 1) / len(sample)
    import pyoxigraph as ox

    from .parse import FORMATS

    fmt = FORMATS.get(path.suffix.lower())
    count = 0
    try:
        for _ in ox.parse(sample, format=fmt):
            count += 1
    except (SyntaxError, ValueError, MemoryError):
        pass  # a sample ends in the middle of a statement; count what came before
    return max(count, 1) / len(sample) if count else 1 / 20


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
    room = available()
    if room is None or sum(_size(p) for p in files) * WORST_PER_BYTE <= room[0]:
        return  # fits whatever the files hold
    needed = estimate(files)
    if needed <= room[0]:
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
