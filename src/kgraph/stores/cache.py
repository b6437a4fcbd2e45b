"""The project cache: the parsed project kept on disk, so that a command on
an unchanged corpus opens it instead of reading every file again.

The cache lives in ``.kgraph/cache/`` under the project (git-ignored): a
pyoxigraph (RocksDB) store holding every data and ontology graph, and a
manifest (``manifest.json``) recording, for each file, its SHA-256, the graphs
it filled, its format, triple count and prefixes. A command hashes the files
it would read and compares them with the manifest: when they agree, the store
is opened read-only and used as it is; when a file changed, was added or was
removed, only that file is parsed (strictly, as always) and its graphs
replaced, then the manifest is rewritten.

It is always correct:

* the manifest is written (atomically) only after the store holds what it
  says, and the entries of the files about to change are taken out of it
  first, so an interruption leaves graphs the manifest does not vouch for,
  which the next update drops or replaces;
* a cache written by another kgraph or pyoxigraph version is rebuilt;
* readers hold a shared lock, the one command that updates holds it
  exclusively; a command that cannot get the lock it needs (another command
  is updating, or reading while this one would update) does not wait and
  reads the files itself, as without a cache.

``--no-cache`` (or ``KGRAPH_CACHE=off``) turns it off; ``kgraph cache``
shows and clears it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from .._version import __version__
from ..errors import GraphConflictError, InputError, KGraphError, LimitError
from ..project import Project, ProjectGraph
from ..rdf.dataset import Dataset, SourceFile, graph_term
from ..rdf.fits import check_fits
from ..rdf.parse import FORMATS, EmptyInputError, collect_files, refuse_reserved, scan_file
from ..rdf.load import scanned

__all__ = ["ProjectCache", "CacheStatus", "cache_enabled", "cache_mode", "MEMORY_LIMIT"]

#: Bumped when what the cache stores, or how, changes.
FORMAT = 1
_ENV = "KGRAPH_CACHE"


#: Up to this many triples, a query loads the cache into memory; above it, a
#: query opens the on-disk store (no load, little memory, but each pattern
#: read 4 to 6 times slower), unless it reads most of the graph (a saved
#: query with ``scans: true``). ``KGRAPH_CACHE_MEMORY_LIMIT`` changes it.
MEMORY_LIMIT = 200_000


def cache_enabled(default: bool = True) -> bool:
    """Whether the cache is on: ``KGRAPH_CACHE=off`` (or 0, no, false) turns it off."""
    value = os.environ.get(_ENV, "").strip().lower()
    if value in ("0", "off", "no", "false"):
        return False
    return default


def cache_mode(scans: bool = False) -> str:
    """How a command uses the cache: ``"memory"`` or ``"disk"``, from
    ``KGRAPH_CACHE`` when it says so, else ``"auto"`` (memory for work that
    scans, see :data:`MEMORY_LIMIT` for the rest)."""
    value = os.environ.get(_ENV, "").strip().lower()
    if value in ("memory", "disk"):
        return value
    return "memory" if scans else "auto"


def _memory_limit() -> int:
    try:
        return int(os.environ.get("KGRAPH_CACHE_MEMORY_LIMIT", MEMORY_LIMIT))
    except ValueError:
        return MEMORY_LIMIT


def _stamp() -> dict:
    return {"format": FORMAT, "kgraph": __version__, "pyoxigraph": ox.__version__}


#: A file's recorded stat is trusted only if it was taken this long after the
#: file last changed (a change within the same clock tick would not show).
_RACY_NS = 2_000_000_000


def _stat(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _unchanged(path: Path, entry: dict) -> bool:
    try:
        return _stat(path) == entry["stat"]
    except OSError:
        return False


def _trusted(path: Path, entry: dict) -> bool:
    try:
        now = _stat(path)
    except OSError:
        return False
    return now == entry.get("stat") and entry["checked_ns"] - now[2] > _RACY_NS


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                hasher.update(chunk)  # hashlib releases the GIL on large chunks
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
    return hasher.hexdigest()


@dataclass
class CacheStatus:
    """How the cache stands against the files (see :meth:`ProjectCache.status`)."""

    folder: Path
    exists: bool
    files: int = 0
    changed: list[Path] = field(default_factory=list)
    new: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    #: written by another kgraph or pyoxigraph version, or its last update was interrupted
    outdated: bool = False

    @property
    def fresh(self) -> bool:
        return self.exists and not (self.changed or self.new or self.removed or self.outdated)


class ProjectCache:
    """The cache of one project's data (``data/``) and ontology.

    Examples
    --------
    >>> from kgraph import find_project
    >>> cache = ProjectCache(find_project())
    >>> graph = cache.graph()   # brings the cache up to date, then opens it
    >>> len(graph.data_graphs)
    5

    Most callers use ``Project.load(cache=True)``, which falls back to
    reading the files when the cache cannot be used.
    """

    def __init__(self, project: Project, folder: str | Path | None = None) -> None:
        self.project = project
        self.folder = Path(folder) if folder else project.root / ".kgraph" / "cache"
        self.store_dir = self.folder / "store"
        self.manifest_file = self.folder / "manifest.json"
        self._lock = None
        self._keys: dict[Path, str] = {}

    # -- what it would read -----------------------------------------------

    def files(self) -> list[Path]:
        """The files a default load reads: ``data/`` and the ontology."""
        data = collect_files([self.project.data_dir])
        given = {self._key(p) for p in data}
        return data + [p for p in self.project.ontology_files() if self._key(p) not in given]

    def _key(self, path: Path) -> str:
        """How the manifest names a file: relative to the project's root when
        inside it (so the cache moves with its project), else absolute."""
        key = self._keys.get(path)
        if key is None:
            full = os.path.abspath(path)
            root = self._root
            key = self._keys[path] = full[len(root) + 1:] if full.startswith(root + os.sep) else full
        return key

    @cached_property
    def _root(self) -> str:
        return os.path.abspath(self.project.root)

    def _path(self, key: str) -> Path:
        path = Path(key)
        return path if path.is_absolute() else self.project.root / path

    def _manifest(self) -> dict:
        try:
            manifest = json.loads(self.manifest_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return manifest if isinstance(manifest, dict) else {}

    def _write_manifest(self, entries: dict, *, complete: bool) -> None:
        """Record ``entries``; ``complete`` only once the store holds exactly
        their graphs (an update in progress, or one interrupted, is not)."""
        from .._util.atomic import write_text_atomic

        write_text_atomic(self.manifest_file, json.dumps(
            {"stamp": _stamp(), "root": self._root, "complete": complete, "files": entries}))

    def _digests(self, files: Sequence[Path], entries: dict | None = None) -> dict[str, str]:
        """Each file's SHA-256. A file whose size, times and inode are those
        recorded when it was last hashed, well after its last change, keeps
        its recorded digest without being read again (as git's index does;
        any write to a file changes its ctime, which no tool can set back)."""
        entries = entries or {}
        digests: dict[str, str] = {}
        to_hash: list[tuple[str, Path]] = []
        for path in files:
            key = self._key(path)
            entry = entries.get(key)
            if entry is not None and entry.get("stat") and _trusted(path, entry):
                digests[key] = entry["sha256"]
            else:
                digests[key] = ""  # keeps the order
                to_hash.append((key, path))
        if len(to_hash) > 8:
            with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
                digests.update(zip((k for k, _ in to_hash), pool.map(_digest, (p for _, p in to_hash))))
        else:
            digests.update((k, _digest(p)) for k, p in to_hash)
        return digests  # in the order of files

    def status(self) -> CacheStatus:
        """Compare the cache with the files (reads and hashes them, changes nothing)."""
        status = CacheStatus(self.folder, self.manifest_file.is_file() and self.store_dir.is_dir())
        entries, complete = self._entries()
        entries = entries or {}
        status.outdated = status.exists and not complete
        status.files = len(entries)
        current = self._digests(self.files())  # every file read: what status reports is checked
        for key, digest in current.items():
            if key not in entries:
                status.new.append(self._path(key))
            elif entries[key]["sha256"] != digest:
                status.changed.append(self._path(key))
        status.removed = [self._path(k) for k in entries if k not in current]
        return status

    def clear(self) -> bool:
        """Delete the cache (waits for no one: refuses while a command uses it)."""
        if not (self.manifest_file.exists() or self.store_dir.exists()):
            return False
        if not self._take(fcntl.LOCK_EX):
            raise InputError("the cache is in use by another kgraph command; try again when it ends", self.folder)
        try:
            self.manifest_file.unlink(missing_ok=True)  # first: a store without it is never trusted
            shutil.rmtree(self.store_dir, ignore_errors=True)
        finally:
            self._release()
        return True

    # -- locking ------------------------------------------------------------

    def _take(self, mode: int) -> bool:
        """Take the cache's lock in ``mode`` (shared or exclusive) without
        waiting; False when another command holds it the other way."""
        if self._lock is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.folder / "lock", "a+b")
        try:
            fcntl.flock(self._lock, mode | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        return True

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    # -- opening ------------------------------------------------------------

    def graph(self, *, allow_empty: bool = False, in_memory: bool | None = False) -> ProjectGraph | None:
        """The project's graph from the cache, brought up to date first; None
        when the cache cannot be used now (another command holds it, or the
        folder cannot be written), so the caller reads the files itself.

        By default the on-disk store is opened read-only: nothing is loaded,
        which suits selective queries. ``in_memory`` loads every file into
        memory with the engine alone, skipping the strict parse that the
        manifest vouches each file has passed with these very bytes (parse
        once): full scans (networks, validation) run far faster in memory.
        ``None`` chooses: memory up to :data:`MEMORY_LIMIT` triples.

        Raises
        ------
        InputError
            A file that had to be read cannot be parsed; the cache keeps every
            other file, and the command fails as it would without a cache.
        """
        files = self.files()  # before the cache folder is made: no data, no cache
        try:
            if not self._take(fcntl.LOCK_SH):
                return None
        except OSError:
            return None  # cannot create .kgraph/: no cache here
        try:
            try:
                entries = self._current(files)
            except (InputError, KeyboardInterrupt, LimitError):
                raise  # the files' own problems, and the user's: as without a cache
            except (OSError, KGraphError, UnicodeError, ValueError):
                # the cache cannot be written or read (a full disk, a read-only
                # folder, a damaged store): the command reads the files itself
                self._release()
                return None
            if entries is None:
                return None
            _refuse_empty(entries, files, self._key, allow_empty)
            if in_memory is None:
                in_memory = sum(e["triples"] for e in entries.values()) <= _memory_limit()
            if in_memory:
                graph = self._memory_graph(files, entries)
                self._release()
                return graph
            store = ox.Store.read_only(str(self.store_dir))
        except BaseException:
            self._release()
            raise
        graph = self._project_graph(Dataset(store), files, entries)
        # the shared lock is held for as long as the graph or its dataset is in use
        graph.cache = graph.dataset.cache = self
        return graph

    def _entries(self) -> tuple[dict | None, bool]:
        """The manifest's entries (None: none usable) and whether it is complete."""
        manifest = self._manifest()
        if manifest.get("stamp") != _stamp() or manifest.get("root") != self._root:
            return None, False
        return manifest.get("files", {}), manifest.get("complete") is True and self.store_dir.is_dir()

    def _current(self, files: Sequence[Path]) -> dict | None:
        """The manifest's entries once the store holds exactly ``files``
        (updated if need be), with the shared lock held; None (and no lock)
        when that cannot be had now."""
        entries, complete = self._entries()
        digests = self._digests(files, entries)
        for _ in range(3):
            fresh = complete and {k: e["sha256"] for k, e in entries.items()} == digests
            restat = fresh and any(not _trusted(p, entries[self._key(p)]) for p in files)
            if fresh and not restat:
                return entries
            # Something to write. flock turns a shared lock into an exclusive
            # one by letting go first, so the lock may be lost here either way.
            if not self._take(fcntl.LOCK_EX):
                if fresh and self._take(fcntl.LOCK_SH) and self._entries() == (entries, True):
                    return entries  # readable as it is; the new times are recorded another time
                self._release()
                return None
            try:
                entries, complete = self._entries()  # another command may have updated it meanwhile
                fresh = complete and {k: e["sha256"] for k, e in entries.items()} == digests
                if fresh:  # same bytes, new times (a checkout, a touch): record them
                    written = self._restat(files, entries)
                else:
                    written = self._update(files, digests, entries)
            finally:
                fcntl.flock(self._lock, fcntl.LOCK_SH)  # a reader again, for as long as the graph lives
            entries, complete = self._entries()
            if complete and entries == written:
                return entries
            # another command updated it between the two locks: look again
        self._release()
        return None

    def _restat(self, files: Sequence[Path], entries: dict) -> dict:
        """Record the times of files whose bytes are what the manifest says:
        each is stat'ed, then hashed again, and its stat kept only if it did
        not change meanwhile (the time is taken before the stat)."""
        for path in files:
            entry = entries[self._key(path)]
            if not _trusted(path, entry):
                try:
                    checked, before = time.time_ns(), _stat(path)
                    same = _digest(path) == entry["sha256"] and _stat(path) == before
                except (OSError, InputError):
                    same = False
                entry["stat"], entry["checked_ns"] = (before, checked) if same else (None, 0)
        self._write_manifest(entries, complete=True)
        return entries

    def _memory_graph(self, files: Sequence[Path], entries: dict) -> ProjectGraph | None:
        """Every file loaded into memory by the engine alone (see :meth:`graph`)."""
        check_fits(files)
        dataset = Dataset()
        settled: dict[str, tuple[str, ...]] = {}
        for path in files:
            entry = entries[self._key(path)]
            if entry.get("blank_graphs"):  # their names are settled by the scan, not the engine
                item = scan_file(path, data_dir=self.project.graph_root(path), allow_empty=True)
                item.load_into(dataset.store)
                settled[self._key(path)] = item.graphs
            else:
                dataset.store.load(path=str(path), format=FORMATS[path.suffix.lower()],
                                   to_graph=ox.NamedNode(entry["graph"]), base_iri=entry["base"])
        # a file that changed while it was read is read again, strictly
        if any(not _unchanged(path, entries[self._key(path)]) for path in files):
            return None
        return self._project_graph(dataset, files, entries, settled)

    def _project_graph(self, dataset: Dataset, files: Sequence[Path], entries: dict,
                       settled: dict[str, tuple[str, ...]] | None = None) -> ProjectGraph:
        """``dataset`` (filled from ``files``) with each file registered from its
        entry, in load order, as Project.load registers them; ``settled``: the
        graph names a scan gave files whose graphs blank nodes name."""
        ontology = {self._key(p) for p in self.project.ontology_files()}
        data, schema = [], []
        for path in files:
            key = self._key(path)
            entry = entries[key]
            graphs = (settled or {}).get(key) or tuple(entry["graphs"])
            dataset.register(SourceFile(path, entry["format"], graphs, entry["triples"], entry["prefixes"]))
            (schema if key in ontology else data).extend(graphs)
        return ProjectGraph(self.project, dataset, data, schema)

    def _update(self, files: Sequence[Path], digests: dict[str, str], entries: dict | None) -> dict:
        """Bring the store in line with ``files``; returns the new manifest entries."""
        entries = entries or {}
        keep = {k: e for k, e in entries.items() if digests.get(k) == e["sha256"]}
        stale = [g for k, e in entries.items() if k not in keep for g in e["graphs"]]
        todo = [p for p in files if self._key(p) not in keep]
        # From here on the manifest vouches only for what is untouched, and
        # says the store may hold more.
        self._write_manifest(keep, complete=False)
        if not keep:  # nothing worth keeping (first run, another version, or an interrupted build)
            shutil.rmtree(self.store_dir, ignore_errors=True)
        owners = {g: k for k, e in keep.items() for g in e["graphs"]}
        # each file's stat before it is read: kept only if the same after it is loaded
        before = {self._key(p): _stat_before(p) for p in todo}
        # Many files are parsed into memory and written in one bulk load (far
        # faster than a transaction per file); a few go straight in, each file
        # one transaction.
        bulk = len(todo) > _BULK
        store = ox.Store(str(self.store_dir))
        staging = ox.Store() if bulk else store
        loaded: dict[str, dict] = {}
        try:
            for graph in stale:
                store.remove_graph(graph_term(graph))
            check_fits(todo)
            try:
                for item in scanned(todo, data_dir=self.project.graph_root, allow_empty=True):
                    key = self._key(item.path)
                    if item.blank_graphs:
                        item.settle_blank_graphs()
                    refuse_reserved(item.path, item.graphs)
                    for graph in item.graphs:
                        if graph in owners and owners[graph] != key:
                            raise GraphConflictError(
                                f"graph <{graph}> is already filled by {self._path(owners[graph])}; "
                                "each file must have a graph of its own", item.path)
                    for graph in item.graphs:  # may be left by an interrupted update
                        store.remove_graph(graph_term(graph))
                    # blank-node graph names would be renamed by the bulk load: such files go in directly
                    item.load_into(store if item.blank_graphs else staging)
                    owners.update((g, key) for g in item.graphs)
                    loaded[key] = _entry(item, digests[key], before[key])
                    if not bulk:
                        keep[key] = loaded[key]
                if bulk:
                    store.bulk_load(staging.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
                    keep.update(loaded)
            finally:
                # what passed is kept, whatever stopped the update; graphs no
                # entry vouches for go
                claimed = {g for e in keep.values() for g in e["graphs"]}
                for name in list(store.named_graphs()):
                    key = name.value if isinstance(name, ox.NamedNode) else f"_:{name.value}"
                    if key not in claimed:
                        store.remove_graph(name)
                store.flush()
                self._write_manifest(keep, complete=True)
        finally:
            del store, staging  # closes the store: it is opened read-only next
        return keep


#: Above this many files to parse, an update is written as one bulk load.
_BULK = 64


def _stat_before(path: Path) -> tuple[list[int] | None, int]:
    checked = time.time_ns()
    try:
        return _stat(path), checked
    except OSError:
        return None, checked


def _entry(item, digest: str, before: tuple[list[int] | None, int]) -> dict:
    """A file's manifest entry, from its strict scan. Its stat (taken before
    the file was read) is kept only if the file is still the same and its
    bytes are those hashed, so that it can be trusted next time."""
    stat, checked = before
    # the digest of the bytes that were parsed (the file may have changed since it was hashed)
    sha = item.sha256 if item.data is not None else (item.digest or digest)
    try:
        unchanged = stat is not None and _stat(item.path) == stat and sha == digest
    except OSError:
        unchanged = False
    if item.data is None and item.digest is None:
        unchanged = False  # a streamed file whose bytes were not hashed as they were read
    return {"sha256": sha, "graphs": list(item.graphs), "format": item.format.name, "triples": item.triples,
            "prefixes": dict(item.prefixes), "graph": item.default_graph.value, "base": item.base_iri,
            "blank_graphs": item.blank_graphs, "stat": stat if unchanged else None,
            "checked_ns": checked if unchanged else 0}


def _refuse_empty(entries: dict, files: Sequence[Path], key, allow_empty: bool) -> None:
    """What the strict load says of a file without triples, unless allowed."""
    if allow_empty:
        return
    for path in files:
        if not entries[key(path)]["triples"]:
            what = "empty file" if not path.read_bytes().strip() else "no RDF statements in file"
            raise EmptyInputError(f"{what} (nothing to validate)", path)
