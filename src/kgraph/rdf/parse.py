"""Reading RDF files strictly: formats, byte checks, the parser, and where
each file's triples go.

The parser is pyoxigraph's: it rejects anything its W3C grammar does not
allow, and kgraph never "repairs" input. Every error names the file, and the
line and column where they are known.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import EmptyInputError, InputError, RDFSyntaxError
from ..namespaces import GRAPH, RESERVED_GRAPHS
from .dataset import graph_key
from .encoding import check_bytes, check_stream, refuse_entities

__all__ = [
    "FORMATS", "collect_files", "graph_name_for", "parse_file", "scan_file", "streams",
    "ParsedFile", "ScannedFile", "STREAM_THRESHOLD", "target_of", "refuse_reserved",
]

#: File extensions kgraph reads, and the pyoxigraph format of each.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}

#: Formats whose files may name their own graphs.
_DATASET_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD}

_SYNTAX_POSITION = re.compile(r"(?:at|between) line (\d+)(?: between)? columns? (\d+)")


@dataclass
class ParsedFile:
    """What one file holds, parsed but not yet stored anywhere."""

    path: Path
    format: ox.RdfFormat
    quads: list[ox.Quad]
    prefixes: dict[str, str] = field(default_factory=dict)
    graphs: tuple[str, ...] = ()


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand ``paths`` into the RDF files they name, in a stable order.

    Folders are searched recursively for files with an extension in
    :data:`FORMATS` (hidden files and folders are skipped).

    Raises
    ------
    InputError
        A path does not exist, a file has an extension kgraph does not read,
        or a folder holds no RDF file.
    """
    found: list[Path] = []
    paths = list(paths)
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or directory", path)
        if path.is_dir():
            files = _rdf_files(path)
            if not files:
                raise InputError(
                    f"directory holds no RDF file (looked for {', '.join(sorted(FORMATS))})", path
                )
            found.extend(files)
        elif path.suffix.lower() in FORMATS:
            found.append(path)
        else:
            raise InputError(
                f"unknown RDF format '{path.suffix or '(no extension)'}'; "
                f"kgraph reads {', '.join(sorted(FORMATS))}",
                path,
            )
    if len(paths) == 1 and not any(p.is_symlink() for p in found):
        return found  # one folder without links: no file can be named twice
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _rdf_files(folder: Path) -> list[Path]:
    """The RDF files under ``folder``, hidden files and folders left out, in
    the order of their path parts. A link to nothing is an error; a link to
    a folder is not followed."""
    found: list[tuple[tuple[str, ...], Path]] = []

    def walk(directory: Path, parts: tuple[str, ...]) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = directory / entry.name
                if entry.is_dir(follow_symlinks=False):
                    walk(path, (*parts, entry.name))
                elif entry.is_symlink() and not os.path.exists(path):
                    raise InputError(f"is a symbolic link to {os.readlink(path)}, which does not exist", path)
                elif os.path.splitext(entry.name)[1].lower() in FORMATS and entry.is_file():
                    found.append(((*parts, entry.name), path))

    walk(folder, ())
    return [path for _, path in sorted(found, key=lambda item: item[0])]


def graph_name_for(path: Path, data_dir: Path | None = None) -> str:
    """The named graph that a file without graph declarations fills.

    Under the project's ``data/`` folder it is ``graph:`` followed by the
    path relative to that folder, without its extension; elsewhere it is the
    file's ``file:`` URI.

    >>> graph_name_for(Path("/p/data/articles/a.trig"), Path("/p/data"))
    'https://w3id.org/kgraph/graph/articles/a'
    """
    resolved = path.resolve()
    if data_dir is not None:
        try:
            relative = resolved.relative_to(_resolved(str(data_dir)))
        except ValueError:
            pass
        else:
            return GRAPH + relative.with_suffix("").as_posix()
    return resolved.as_uri()


@lru_cache(maxsize=32)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


#: Files at least this large, in a format without graph declarations, are
#: checked and parsed as a stream instead of being held in memory.
STREAM_THRESHOLD = 64 * 1024 * 1024
_STREAMABLE = {ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES}


def _syntax_error(path: Path, exc: SyntaxError) -> RDFSyntaxError:
    text = str(exc.msg if getattr(exc, "msg", None) else exc)
    line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    if line is None:
        match = _SYNTAX_POSITION.search(text)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
    # pyoxigraph phrases the message as "Parser error at line L column C: what";
    # keep only "what", since FILE:LINE:COL already says where.
    message = text.split(": ", 1)[1] if text.startswith("Parser error") and ": " in text else text
    return RDFSyntaxError(path, line, column, message)


def _open(path: Path, data_dir: Path | None):
    """Read and check a file's bytes; return them with its format, the graph
    that triples outside any graph declaration go to, and its base IRI."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF format '{path.suffix}'", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
    check_bytes(path, data)
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_entities(path, data)
    return (data, fmt, *target_of(path, data_dir))


def target_of(path: Path, data_dir: Path | None) -> tuple[ox.NamedNode, str]:
    """The graph a file's triples outside any graph declaration fill, and its base IRI."""
    resolved = path.resolve()
    return ox.NamedNode(graph_name_for(resolved, data_dir)), resolved.as_uri()


def _parser(base_iri: str, data: bytes, fmt: ox.RdfFormat):
    return ox.parse(
        data,
        format=fmt,
        base_iri=base_iri,
        rename_blank_nodes=True,
        without_named_graphs=fmt not in _DATASET_FORMATS,
    )


def _parsing(path: Path, iterate):
    """Run ``iterate`` and turn the parser's errors into kgraph's."""
    try:
        return iterate()
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None
    except ValueError as exc:  # e.g. an invalid JSON-LD document
        raise RDFSyntaxError(path, None, None, str(exc)) from None
    except MemoryError as exc:  # pyoxigraph caps a single token (a literal, an IRI) at 16 MiB
        raise InputError(f"cannot be parsed: {exc} (a single literal or IRI is too large)", path) from None


def _check_not_empty(path: Path, data: bytes | None, count: int, allow_empty: bool) -> None:
    """``data`` is None for a streamed file (which is large, so not blank)."""
    if not count and not allow_empty:
        what = "empty file" if data is not None and not data.strip() else "no RDF statements in file"
        raise EmptyInputError(f"{what} (nothing to validate)", path)


def _in_graphs(parser, default_graph: ox.NamedNode) -> list[ox.Quad]:
    """The parsed quads, those outside any graph declaration put in ``default_graph``."""
    return [q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate, q.object, default_graph)
            for q in parser]


def parse_file(
    path: str | Path,
    *,
    data_dir: Path | None = None,
    allow_empty: bool = False,
) -> ParsedFile:
    """Parse one file strictly into quads, every triple in a named graph.

    Triples outside any graph declaration go into the graph given by
    :func:`graph_name_for`. Blank nodes are renamed so that two files never
    share one by accident.

    Raises
    ------
    InputError
        The file cannot be read.
    EncodingError
        The file is not UTF-8.
    RDFSyntaxError
        The file breaks its format's grammar; the error carries line and column.
    EmptyInputError
        The file holds no triple (unless ``allow_empty``).
    """
    path = Path(path)
    data, fmt, default_graph, base_iri = _open(path, data_dir)
    parser = _parser(base_iri, data, fmt)
    quads = _parsing(path, lambda: _in_graphs(parser, default_graph))
    _check_not_empty(path, data, len(quads), allow_empty)
    graphs = tuple(dict.fromkeys(graph_key(q.graph_name) for q in quads)) or (default_graph.value,)
    refuse_reserved(path, graphs)
    return ParsedFile(path, fmt, quads, dict(parser.prefixes), graphs)


@dataclass
class ScannedFile:
    """A file checked by a full strict parse, ready to be loaded by the engine.

    ``data`` holds its bytes, or is None for a large file that was read as a
    stream (the engine then reads it from ``path`` again).
    """

    path: Path
    format: ox.RdfFormat
    data: bytes | None
    default_graph: ox.NamedNode
    base_iri: str
    triples: int
    prefixes: dict[str, str]
    graphs: tuple[str, ...]
    digest: str | None = None
    #: Some graph is named by a blank node: its name in the store is only known
    #: from the quads kgraph itself stores (see :meth:`load_into`).
    blank_graphs: bool = False
    _quads: list | None = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the file's bytes (what a store records)."""
        if self.digest is None:
            self.digest = hashlib.sha256(self.data).hexdigest()
        return self.digest

    def quads(self) -> list[ox.Quad]:
        """The file's quads, parsed again from the bytes that were scanned (the
        file itself, for a streamed one), once."""
        if self._quads is None:
            if self.data is None:
                parser = ox.parse(path=str(self.path), format=self.format, base_iri=self.base_iri,
                                  without_named_graphs=True)
            else:
                parser = _parser(self.base_iri, self.data, self.format)
            self._quads = _parsing(self.path, lambda: _in_graphs(parser, self.default_graph))
        return self._quads

    def settle_blank_graphs(self) -> list[ox.Quad]:
        """:meth:`quads`, with :attr:`graphs` renamed to match them.

        The engine would give blank-node graph names new ids of its own, so a
        file that has them is stored from these quads instead; call this
        before using :attr:`graphs` of such a file.
        """
        quads = self.quads()
        self.graphs = tuple(dict.fromkeys(graph_key(q.graph_name) for q in quads)) or self.graphs
        return quads

    def quads_by_graph(self) -> dict[str, list[ox.Quad]]:
        """:meth:`quads` grouped by the graph they fill."""
        groups: dict[str, list[ox.Quad]] = {graph: [] for graph in self.graphs}
        for quad in self.quads():
            groups.setdefault(graph_key(quad.graph_name), []).append(quad)
        return groups

    def load_into(self, store: ox.Store) -> None:
        """Have the engine store this file (one transaction)."""
        if self.blank_graphs:
            store.extend(self.settle_blank_graphs())
            return
        if self.data is None:
            store.load(path=str(self.path), format=self.format, to_graph=self.default_graph, base_iri=self.base_iri)
        else:
            store.load(self.data, format=self.format, to_graph=self.default_graph, base_iri=self.base_iri)


def refuse_reserved(path: Path, graphs) -> None:
    """Refuse a file that would fill one of kgraph's own graphs (its records of
    what was loaded, its staging and lock graphs): data must never be able to
    write them, or it could forge what validation trusts."""
    for graph in graphs:
        if graph.startswith(RESERVED_GRAPHS):
            raise InputError(f"the graph <{graph}> is reserved for kgraph's own records (every graph named "
                             f"{RESERVED_GRAPHS}...); name the data's graph otherwise", path)


def streams(path: Path) -> bool:
    """Whether :func:`scan_file` reads ``path`` as a stream (a large Turtle or
    N-Triples file, whose only graph is known before parsing)."""
    try:
        return FORMATS.get(path.suffix.lower()) in _STREAMABLE and path.stat().st_size >= STREAM_THRESHOLD
    except OSError:
        return False


def scan_file(path: str | Path, *, data_dir: Path | None = None, allow_empty: bool = False) -> ScannedFile:
    """Parse a file strictly, keeping only what loading needs: its graphs,
    its size and its prefixes (the quads themselves are not kept)."""
    path = Path(path)
    if streams(path):
        digest = check_stream(path)
        fmt = FORMATS[path.suffix.lower()]
        default_graph, base_iri = target_of(path, data_dir)
        parser = ox.parse(path=str(path), format=fmt, base_iri=base_iri, without_named_graphs=True)
        data = None
    else:
        data, fmt, default_graph, base_iri = _open(path, data_dir)
        parser = _parser(base_iri, data, fmt)
        digest = None

    def graph_names():
        names: dict = {}
        count = 0
        for quad in parser:
            names[quad.graph_name] = None
            count += 1
        return names, count

    names, count = _parsing(path, graph_names)
    _check_not_empty(path, data, count, allow_empty)
    blank_graphs = any(isinstance(g, ox.BlankNode) for g in names)
    graphs = tuple(dict.fromkeys(
        default_graph.value if isinstance(g, ox.DefaultGraph) else graph_key(g) for g in names
    )) or (default_graph.value,)
    refuse_reserved(path, graphs)
    return ScannedFile(path, fmt, data, default_graph, base_iri, count, dict(parser.prefixes), graphs, digest,
                       blank_graphs)


