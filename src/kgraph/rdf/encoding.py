"""The bytes of a file, checked before any parser sees them: UTF-8 without a
byte-order mark (with the line and column of the first bad byte, also when a
large file is read in chunks), and no XML entity declarations."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import EncodingError, InputError, RDFSyntaxError

__all__ = ["check_bytes", "check_stream", "refuse_entities", "position", "CHUNK"]

#: How much of a large file is read at a time.
CHUNK = 8 * 1024 * 1024


def position(data: bytes, index: int, line: int = 1, column: int = 1) -> tuple[int, int]:
    """The line and column of ``data[index]``, ``data`` starting at ``line``, ``column``."""
    before = data[:index]
    newlines = before.count(b"\n")
    return line + newlines, (index - before.rfind(b"\n") if newlines else column + index)


def check_stream(path: Path) -> str:
    """The checks of :func:`check_bytes`, reading the file in chunks; returns its SHA-256."""
    digest = hashlib.sha256()
    line, column = 1, 1  # where ``carry`` (an incomplete character, at most 3 bytes) begins
    carry = b""
    try:
        with path.open("rb") as stream:
            first = stream.read(3)
            if first.startswith(b"\xef\xbb\xbf"):
                check_bytes(path, first)
            stream.seek(0)
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                data = carry + chunk
                try:
                    data.decode("utf-8")
                    carry = b""
                except UnicodeDecodeError as exc:
                    if exc.reason == "unexpected end of data" and exc.end == len(data):
                        carry = data[exc.start:]  # a character cut by the chunk's end
                        data = data[: exc.start]
                    else:
                        encoding_error(path, data, exc.start, line, column)
                line, column = position(data, len(data), line, column)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
    if carry:
        encoding_error(path, carry, 0, line, column)
    return digest.hexdigest()


def encoding_error(path: Path, data: bytes, index: int, line: int = 1, column: int = 1) -> None:
    """Raise the error for the bad byte ``data[index]``, ``data`` starting at ``line``, ``column``."""
    line, column = position(data, index, line, column)
    raise EncodingError(f"not UTF-8 (byte 0x{data[index]:02x}); RDF files must be UTF-8", path,
                        line=line, column=column)


def check_bytes(path: Path, data: bytes) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        raise RDFSyntaxError(
            path, 1, 1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        encoding_error(path, data, exc.start)


_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def refuse_entities(path: Path, data: bytes) -> None:
    """XML entity declarations can expand without bound ("billion laughs") or
    point at other files; RDF data has no need of them."""
    match = _ENTITY.search(data)
    if match:
        line, column = position(data, match.start())
        raise RDFSyntaxError(path, line, column, "XML entity declarations are refused: they can expand without "
                             "bound or read other files; write the values out")
