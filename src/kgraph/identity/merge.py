"""Merge two IRIs of one actor or place into one, in every data file.

``kgraph actors merge KEEP OTHER`` is what a reviewer runs once a
near-duplicate warning (or a ``kg:SameThing`` judgement) says that two IRIs
name one actor. It rewrites the project's data files so that the registry
describes the actor once:

- every use of OTHER, as subject, predicate or object, in every data file,
  becomes KEEP (written as the file writes IRIs: a prefixed name where one
  of the file's own prefixes fits);
- OTHER's own names are kept as names of KEEP: where OTHER was described,
  ``rdfs:label`` and ``skos:prefLabel`` become ``skos:altLabel`` and
  ``skosxl:prefLabel`` becomes ``skosxl:altLabel``, so that KEEP's label
  stays its label;
- the old IRI stays known: its first description starts with
  ``KEEP owl:sameAs OTHER``, so that a link or a pull request made before
  the merge still points somewhere (the dangling-reference check then says
  "OTHER was merged into KEEP" where a file still uses OTHER);
- judgements (``kg:judged``) and ``owl:sameAs`` links keep naming OTHER:
  they are about the IRI as it was.

The files are edited token by token (:mod:`kgraph.rdf.lines`'s tokenizer),
so comments, layout and every other statement stay as they were. Nothing is
written until the merged data has been validated, in a copy of the data
folder, with the project's shapes and checks; a violation there stops the
merge with the report and every file untouched. The files are then
replaced one by one, each atomically; if one cannot be written, those
already replaced are put back.

Only Turtle, TriG, N-Triples and N-Quads files can be rewritten; a JSON-LD or
RDF/XML file that mentions OTHER stops the merge (edit it by hand).
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MergeError, OutputError
from ..namespaces import KG, OWL, RDF, RDFS, SKOS, SKOSXL, compact
from ..rdf.lines import _TOKEN, _UCHAR

__all__ = ["MergeError", "FileChange", "Merge", "plan_merge", "merge_actors", "rewrite_text"]

#: Where OTHER was described, its labels become alternative labels of KEEP.
_DEMOTED = {RDFS + "label": ("skos", "altLabel"), SKOS + "prefLabel": ("skos", "altLabel"),
            SKOSXL + "prefLabel": ("skosxl", "altLabel")}
_NAMESPACES = {"skos": SKOS, "skosxl": SKOSXL, "owl": OWL}
#: Objects of these properties keep naming OTHER.
_KEPT_OBJECTS = {OWL + "sameAs", KG + "judged"}
_REWRITABLE = {".ttl", ".trig", ".nt", ".nq"}
_LOCAL = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF](?:[\w\-.\u00B7\u00C0-\uFFFF]*[\w\-\u00B7\u00C0-\uFFFF])?$")

_SUBJECT, _PREDICATE, _OBJECT, _AFTER, _QUOTED = "subject", "predicate", "object", "after", "quoted"


@dataclass
class FileChange:
    """What a merge changes in one file."""

    path: Path
    before: str
    after: str
    renamed: int = 0  # uses of OTHER now naming KEEP
    demoted: int = 0  # labels of OTHER kept as alternative labels
    described: bool = False  # OTHER was described here

    def diff(self, relative_to: Path | None = None) -> str:
        name = self.path.relative_to(relative_to).as_posix() if relative_to else str(self.path)
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            fromfile=f"a/{name}", tofile=f"b/{name}"))


@dataclass
class Merge:
    """A planned (or done) merge of ``other`` into ``keep``."""

    keep: str
    other: str
    keep_label: str
    other_label: str
    changes: list[FileChange] = field(default_factory=list)
    report: object = None  # the ValidationReport of the merged data
    trial_root: Path | None = None  # where that data was validated (its files' paths start there)
    written: bool = False

    @property
    def renamed(self) -> int:
        return sum(c.renamed for c in self.changes)

    @property
    def demoted(self) -> int:
        return sum(c.demoted for c in self.changes)

    def summary(self) -> str:
        files = len(self.changes)
        verb = "merged" if self.written else "would merge"
        return (f"{verb} {compact(self.other)} \"{self.other_label}\" into {compact(self.keep)} \"{self.keep_label}\": "
                f"{self.renamed} use{'s' * (self.renamed != 1)} in {files} file{'s' * (files != 1)}, "
                f"{self.demoted} name{'s' * (self.demoted != 1)} kept as "
                f"{'an alternative label' if self.demoted == 1 else 'alternative labels'}, "
                f"{compact(self.keep)} owl:sameAs {compact(self.other)}")


def rewrite_text(text: str, other: str, keep: str, *, base: str = "", add_same_as: bool = True) -> FileChange:
    """``text`` (Turtle, TriG, N-Triples or N-Quads) with ``other`` renamed
    to ``keep`` (see the module's description); ``path`` of the result is
    empty."""
    prefixes: dict[str, str] = {}
    edits: list[tuple[int, int, str]] = []
    change = FileChange(Path(), text, text)
    matches = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "nl", "comment")]
    stack: list[tuple[str, str, str | None, str | None]] = []
    state, subject, predicate = _SUBJECT, None, None
    same_as_added = not add_same_as
    # where each @prefix/PREFIX directive ends, its style and the column its IRI starts at
    directives: list[tuple[int, str, int]] = []
    declare: dict[str, str] = {}  # prefixes to add
    i, n = 0, len(matches)

    def expand(match) -> str | None:
        kind, value = match.lastgroup, match.group()
        if kind == "iri":
            iri = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), value[1:-1])
            from urllib.parse import urljoin

            return urljoin(base, iri) if base else iri
        if kind == "pname":
            prefix, _, local = value.partition(":")
            namespace = prefixes.get(prefix)
            return None if namespace is None else namespace + re.sub(r"\\(.)", r"\1", local)
        if kind == "word" and value == "a":
            return RDF + "type"
        return None

    def written(iri: str, like) -> str:
        """``iri`` as this file would write it: a prefixed name where the token was one and a prefix fits."""
        if like is None or like.lastgroup == "pname":
            for prefix, namespace in sorted(prefixes.items(), key=lambda p: -len(p[1])):
                local = iri[len(namespace):]
                if iri.startswith(namespace) and _LOCAL.match(local):
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def declared(prefix: str, namespace: str, local: str, like) -> str:
        """``namespace + local`` as this file would write it, declaring
        ``prefix`` (after the file's last directive) where the file has
        prefixed names but no prefix for that namespace."""
        iri = written(namespace + local, like)
        if iri.startswith("<") and directives and prefix not in prefixes:
            declare[prefix] = namespace
            return f"{prefix}:{local}"
        return iri

    def rename(match) -> None:
        edits.append((match.start(), match.end(), written(keep, match)))
        change.renamed += 1

    while i < n:
        match = matches[i]
        kind, value = match.lastgroup, match.group()
        if kind == "word" and value.upper() in ("PREFIX", "BASE") or kind == "lang" and value in ("@prefix", "@base"):
            keyword, column = value.lstrip("@").lower(), 0
            if keyword == "prefix" and i + 2 < n and matches[i + 1].lastgroup == "pname" and matches[i + 2].lastgroup == "iri":
                prefixes[matches[i + 1].group()[:-1]] = expand(matches[i + 2])
                column = matches[i + 2].start() - text.rfind("\n", 0, matches[i + 2].start())
                i += 3
            elif keyword == "base" and i + 1 < n and matches[i + 1].lastgroup == "iri":
                base = expand(matches[i + 1])
                i += 2
            else:
                i += 1
            if i < n and matches[i].group() == "." and kind == "lang":
                i += 1
            if keyword == "prefix":
                directives.append((matches[i - 1].end(), "@prefix" if kind == "lang" else "PREFIX", column))
            continue
        if kind == "word" and value.upper() == "GRAPH" and state == _SUBJECT:
            i += 1
            continue
        if value in ("{", "[", "(", "<<", "{|"):
            resume = _PREDICATE if state == _SUBJECT and value in ("[", "(", "<<") else _AFTER
            if value == "{":
                resume = _SUBJECT
            stack.append((resume, {"{": "}", "[": "]", "(": ")", "<<": ">>", "{|": "|}"}[value], subject, predicate))
            state = {"{": _SUBJECT, "[": _PREDICATE, "(": _OBJECT, "<<": _QUOTED, "{|": _PREDICATE}[value]
            subject = None if value in ("[", "{|") else subject
        elif value in ("}", "]", ")", ">>", "|}"):
            if stack:
                state, _, subject, predicate = stack.pop()
            else:
                state = _SUBJECT if value == "}" else _AFTER
        elif value == ".":
            state, subject, predicate = _SUBJECT, None, None
        elif value == ";":
            state = _PREDICATE
        elif value == ",":
            state = _OBJECT
        elif kind in ("iri", "pname", "word", "bnode", "string", "long", "number"):
            iri = expand(match)
            following = matches[i + 1].group() if i + 1 < n else ""
            if state == _SUBJECT:
                if following == "{":  # a graph's name
                    if iri == other:
                        rename(match)
                else:
                    subject = iri
                    if iri == other:
                        rename(match)
                        change.described = True
                        if not same_as_added and following:
                            owl = declared("owl", OWL, "sameAs", None)
                            # the statement now starts "KEEP owl:sameAs OTHER ;", then what OTHER said
                            edits[-1] = (match.start(), matches[i + 1].start(),
                                         f"{edits[-1][2]} {owl} {written(other, match)} ;\n    ")
                            same_as_added = True
                    state = _SUBJECT if following == "{" else _PREDICATE
            elif state == _PREDICATE:
                predicate = iri
                if iri == other:
                    rename(match)
                elif subject == other and iri in _DEMOTED:
                    namespace, local = _DEMOTED[iri]
                    edits.append((match.start(), match.end(), declared(namespace, _NAMESPACES[namespace], local, match)))
                    change.demoted += 1
                state = _OBJECT
            elif state == _OBJECT:
                if iri == other and predicate not in _KEPT_OBJECTS:
                    rename(match)
                state = _OBJECT if stack and stack[-1][1] == ")" else _AFTER
            elif iri == other:  # inside a quoted triple, or an N-Quads graph name
                rename(match)
        i += 1
    if declare:
        end, style, column = directives[-1]
        lines = []
        for prefix, namespace in declare.items():
            head = f"{style} {prefix}:"
            lines.append(f"{head.ljust(column - 2)} <{namespace}>" + (" ." if style == "@prefix" else ""))
        edits.insert(0, (end, end, "".join("\n" + line for line in lines)))
        edits.sort(key=lambda e: e[0])
    out, last = [], 0
    for start, end, replacement in edits:
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    change.after = "".join(out)
    return change


def _mentions(path: Path, iris: tuple[str, ...]) -> bool:
    text = path.read_text(encoding="utf-8")
    return any(iri in text or compact(iri) in text for iri in iris)


def plan_merge(keep: str, other: str, *, project=None, validate: bool = True) -> Merge:
    """Work out (and validate, in a copy of the data) the merge of ``other``
    into ``keep``; nothing is written. Raises :class:`MergeError`."""
    from ..project import find_project
    from ..rdf.parse import collect_files
    from .registry import name_index

    project = project or find_project()
    if keep == other:
        raise MergeError(f"{compact(keep)} and {compact(other)} are the same IRI: nothing to merge")
    graph = project.load()
    index = name_index(graph)
    for iri in (keep, other):
        if iri not in index.things:
            merged = [row["kept"].value for row in graph.query(
                f"SELECT DISTINCT ?kept WHERE {{ ?kept <{OWL}sameAs> <{iri}> . ?kept a ?kind }}")]
            if merged:
                raise MergeError(f"{compact(iri)} was merged into {', '.join(compact(k) for k in sorted(merged))} "
                                 "already")
            found = index.find(iri.rsplit("/", 1)[-1].replace("-", " "), limit=3)
            hint = "; did you mean " + ", ".join(compact(c.iri) for c in found) + "?" if found else ""
            raise MergeError(f"{compact(iri)} is not an actor or place described in the data ({project.data_dir})"
                             f"{hint}")
    a, b = index.things[keep], index.things[other]
    if a.kind != b.kind:
        raise MergeError(f"{compact(keep)} is a {a.kind} and {compact(other)} a {b.kind}: kgraph merges only "
                         "two IRIs of one kind")
    merge = Merge(keep, other, a.label, b.label)
    for path in collect_files([project.data_dir]):
        if path.suffix.lower() not in _REWRITABLE:
            if _mentions(path, (other,)):
                raise MergeError(f"mentions {compact(other)}, but kgraph rewrites only Turtle, TriG, N-Triples and "
                                 "N-Quads files: change it by hand, then merge", path)
            continue
        text = path.read_text(encoding="utf-8")
        change = rewrite_text(text, other, keep, add_same_as=not any(c.described for c in merge.changes))
        if change.renamed:
            change.path = path
            merge.changes.append(change)
    if not any(c.described for c in merge.changes):
        raise MergeError(f"{compact(other)} is described by no Turtle, TriG, N-Triples or N-Quads file in "
                         f"{project.data_dir}")
    if validate:
        _validate_merged(project, merge)
    return merge


def _validate_merged(project, merge: Merge) -> None:
    from ..project import Project
    from ..validation.run import validate

    with tempfile.TemporaryDirectory(prefix="kgraph-merge-") as folder:
        merge.trial_root = Path(folder)
        copy = Path(folder) / "data"
        shutil.copytree(project.data_dir, copy, symlinks=True)
        for change in merge.changes:
            (copy / change.path.relative_to(project.data_dir)).write_text(change.after, encoding="utf-8")
        trial = Project(root=Path(folder), ontology_dir=project.ontology_dir, queries_dir=project.queries_dir,
                        data_dir=copy)
        merge.report = validate(project=trial, errors="report")


def merge_actors(keep: str, other: str, *, project=None, dry_run: bool = False) -> Merge:
    """Merge ``other`` into ``keep`` in every data file of ``project`` (see
    the module's description). With ``dry_run`` nothing is written.

    Raises
    ------
    MergeError
        The IRIs cannot be merged, or the merged data has violations
        (``error.merge.report`` holds the report); nothing is written.
    OutputError
        A file could not be written; every file is as it was before.
    """
    merge = plan_merge(keep, other, project=project)
    if merge.report is not None and (merge.report.failed or not merge.report.conforms):
        error = MergeError(f"merging {compact(other)} into {compact(keep)} would leave the data with "
                           f"{merge.report.count('violation')} violation(s); nothing was changed")
        error.merge = merge
        raise error
    if not dry_run:
        _write_all(merge.changes)
        merge.written = True
    return merge


def _write_all(changes: list[FileChange]) -> None:
    from .._util.atomic import write_text_atomic

    done: list[FileChange] = []
    try:
        for change in changes:
            write_text_atomic(change.path, change.after)
            done.append(change)
    except BaseException as exc:
        for change in reversed(done):
            try:
                write_text_atomic(change.path, change.before)
            except OutputError:
                pass
        if isinstance(exc, OutputError):
            raise OutputError(f"{exc.message}; the files merged before it were put back", exc.path) from None
        raise
