"""Drafting many texts in one run: ``kgraph draft`` over folders, lists of
files and a metadata file.

A *metadata file* gives, for each text, what the text itself does not: its
title, address, publication date and outlet. It is CSV with a header row, or
JSON lines (one object per line), with these fields:

========== =====================================================================
field      meaning
========== =====================================================================
file       the text (UTF-8), relative to the metadata file's folder (required)
title      the title as published (default: the text's first line)
url        where it was published (http or https)
published  publication date, YYYY-MM-DD (dates without a year are read against it)
publisher  the outlet, by name or IRI, looked up in the registry
slug       the draft's file name stem (default: from the title)
========== =====================================================================

:func:`read_metadata` reads one, refusing a file with an unknown field, a
row without ``file`` or a line that is not JSON, naming the line.
:func:`draft_many` drafts each text with :func:`~kgraph.drafting.draft.draft`
(the registry read once for all of them): one text that cannot be drafted is
reported with its reason and does not stop the others; each draft is
written whole or not at all.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, ScaffoldError
from ..project import Project, find_project
from .draft import Draft, Names, draft

__all__ = ["FIELDS", "Item", "Batch", "read_metadata", "batch_items", "draft_many"]

#: The fields of a metadata file, ``file`` first.
FIELDS = ("file", "title", "url", "published", "publisher", "slug")


@dataclass
class Item:
    """One text to draft, with what its metadata says (``where``: the
    metadata file and line it comes from, if any)."""

    path: Path
    title: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    slug: str | None = None
    where: str | None = None

    @property
    def label(self) -> str:
        return self.where or str(self.path)


@dataclass
class Batch:
    """What :func:`draft_many` did: the drafts written, the texts skipped
    (their draft or article exists already) and those that failed, each
    with its reason."""

    drafted: list[tuple[Item, Draft]] = field(default_factory=list)
    skipped: list[tuple[Item, str]] = field(default_factory=list)
    failed: list[tuple[Item, str]] = field(default_factory=list)

    @property
    def todos(self) -> int:
        return sum(d.todos for _, d in self.drafted)


def read_metadata(path: str | Path) -> list[Item]:
    """The texts a metadata file (CSV, or JSON lines for ``.jsonl``/``.ndjson``)
    lists, their paths taken relative to its folder.

    Raises :class:`~kgraph.errors.InputError` naming the line of the first
    row that is not right, before anything is drafted.
    """
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the metadata file: {getattr(exc, 'strerror', None) or exc}", path) from None
    rows: list[tuple[int, dict]] = []
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for number, line in enumerate(content.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not a JSON object: {exc.msg}", path, line=number, column=exc.colno) from None
            if not isinstance(row, dict):
                raise InputError("each line must be one JSON object (with at least \"file\")", path, line=number)
            rows.append((number, row))
    else:
        reader = csv.DictReader(content.splitlines())
        if not reader.fieldnames:
            raise InputError("the metadata file is empty: it needs a header row (file,title,url,published,"
                             "publisher,slug)", path)
        unknown = [f for f in reader.fieldnames if f not in FIELDS]
        if unknown or "file" not in reader.fieldnames:
            raise InputError(f"the header row must name the column file, and only {', '.join(FIELDS)}; "
                             f"it has {', '.join(repr(f) for f in reader.fieldnames)}", path, line=1)
        for row in reader:
            if None in row:
                raise InputError(f"this row has more cells than the header ({len(reader.fieldnames)})", path,
                                 line=reader.line_num)
            rows.append((reader.line_num, row))
    items = []
    for number, row in rows:
        unknown = [k for k in row if k not in FIELDS]
        if unknown:
            raise InputError(f"unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS)}", path, line=number)
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
        for key, value in values.items():
            if value is not None and not isinstance(value, str):
                raise InputError(f"{key} must be text, not {json.dumps(value)}", path, line=number)
        if not values.get("file"):
            raise InputError("this row names no file", path, line=number)
        items.append(Item(path.parent / values["file"], **{k: values.get(k) or None for k in FIELDS[1:]},
                          where=f"{path}:{number}"))
    if not items:
        raise InputError("the metadata file lists no text", path)
    return items


def batch_items(texts: Sequence[str | Path] = (), metadata: str | Path | None = None) -> list[Item]:
    """The texts to draft: each file given, every ``*.txt`` under each folder
    given (in name order), and the metadata file's rows. A text that the
    metadata lists takes its row's fields; each text comes once."""
    listed = read_metadata(metadata) if metadata is not None else []
    by_path = {item.path.resolve(): item for item in listed}
    items: dict[Path, Item] = {}
    for given in texts:
        given = Path(given)
        found = sorted(given.rglob("*.txt")) if given.is_dir() else [given]
        if given.is_dir() and not found:
            raise InputError("the folder holds no .txt file", given)
        for path in found:
            items.setdefault(path.resolve(), by_path.get(path.resolve(), Item(path)))
    if not texts:
        for item in listed:
            items.setdefault(item.path.resolve(), item)
    return list(items.values())


def draft_many(items: Iterable[Item], *, project: Project | None = None, skip_existing: bool = False,
               progress: Callable[[Item], None] | None = None) -> Batch:
    """Draft every item; ``progress`` is called after each one.

    With ``skip_existing``, a text whose draft (or accepted article) exists
    already is skipped, so that a batch can be run again after an
    interruption; otherwise it fails, with the reason.
    """
    project = project or find_project()
    names = Names.of(project)
    batch = Batch()
    slugs: dict[str, Item] = {}
    for item in items:
        try:
            made = draft(item.path, title=item.title, url=item.url, published=item.published, slug=item.slug,
                         publisher=item.publisher, project=project, names=names)
        except ScaffoldError as error:
            reason = error.message
            exists = reason.startswith("already exists")
            earlier = next((slugs[s] for s in slugs if error.path is not None and error.path.stem == s), None)
            if exists and earlier is not None:
                batch.failed.append((item, f"gives the same slug as {earlier.label} in this batch: give it a slug"))
            elif exists and skip_existing:
                batch.skipped.append((item, f"{_shown(error.path, project)} exists already"))
            else:
                batch.failed.append((item, str(error) if error.path not in (None, item.path) else reason))
        else:
            slugs[made.slug] = item
            batch.drafted.append((item, made))
        if progress is not None:
            progress(item)
    return batch


def _shown(path: Path | None, project: Project) -> str:
    if path is None:
        return "the draft"
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)
