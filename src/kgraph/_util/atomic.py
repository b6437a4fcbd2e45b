"""Atomic file writes: a temporary file in the same folder, then a rename.

An error or an interruption midway leaves any earlier file at that path
exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_text_atomic", "write_bytes_atomic", "remove_unfinished"]

#: Temporary files of writes under way (removed by a process that must stop at once).
_UNFINISHED: set[str] = set()


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (same-folder temporary file, fsync, rename).

    Raises
    ------
    OutputError
        The file cannot be written (no such folder, no permission, a full
        disk, a file-size limit); any earlier file at ``path`` is left as it
        was, and no temporary file remains.
    """
    from ..errors import OutputError

    path = Path(path)
    try:
        _write(path, data)
    except OSError as exc:
        raise OutputError(f"cannot be written: {exc.strerror or exc}", path) from None


def _write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    _UNFINISHED.add(temporary)
    try:
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        _UNFINISHED.discard(temporary)


def remove_unfinished() -> None:
    """Remove the temporary files of writes still under way (their targets are untouched)."""
    for temporary in list(_UNFINISHED):
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))
