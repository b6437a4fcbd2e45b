"""``kgraph import``: coded statements from a spreadsheet, as articles of ``data/``.

Two layouts are read (the header row tells which):

**The kgraph template** (CSV, UTF-8, one statement a row), as analysts keep
coded statements by hand:

============ ======================================================================
column       meaning
============ ======================================================================
date         when the statement was made: YYYY-MM-DD, or YYYY-MM or YYYY when the
             source gives only a month or a year (may be empty)
speaker      who spoke: a person's (or body's) name, IRI or prefixed name
organization the organization the speaker spoke for; the speaker when ``speaker`` is empty
quote        the exact words, as the text has them (required)
stance       assert, deny, reject, welcome, praise, criticize, decline to comment,
             call for, analyse or predict (or the kg: names: ``kg:CallFor``)
target       what the stance is about: an issue's name, or an actor's, or any IRI
source_url   the article's address (http or https; required): rows with one address
             are one article
source_title the article's title (default: the text's first line)
published    the article's publication date, YYYY-MM-DD
publisher    the outlet, by name or IRI
text_file    the article's text (UTF-8), relative to the CSV (required: every
             quote is checked against it)
============ ======================================================================

**An rDNA export** (Discourse Network Analyzer): the statements as
``dna_getStatements`` returns them (``id, documentId, startCaret, endCaret,
statementTypeId, coder`` and the statement type's variables ``person,
organization, concept, agreement``), written with ``write.csv``, and the
documents as ``dna_getDocuments`` returns them (``id, title, text, coder,
author, source, section, notes, type, date``) in a second file
(``documents``). Each coded span becomes an excerpt at its position (DNA
counts positions in UTF-16 code units; kgraph in code points, and converts);
the span is the statement's ``kg:quote`` when it lies within quotation
marks, else its ``kg:paraphrase`` (the source's reported speech). The
concept is the target (an issue of the registry), and the agreement
qualifier its stance: 1 asserts it, 0 rejects it. The document's ``source``
is the outlet and its date the publication date.

Every name (speaker, organization, target, publisher) goes through the
identity resolver: a name the registry does not hold exactly is an error
naming its candidates, never a guess. Every row is read before anything is
written; every bad row is reported with its line, and then nothing is
stored. Otherwise each article is written as ``data/articles/SLUG.trig`` (its
text to ``data/sources/SLUG.txt``, or, with ``sources``, to the sources
folder with ``kg:textName``), validated together in a copy of the project
first.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..namespaces import BASE, KG, compact
from ..project import Project, find_project

__all__ = ["TEMPLATE", "DNA_STATEMENTS", "DNA_DOCUMENTS", "ImportError_", "Imported", "import_statements"]

#: The kgraph template's columns (``quote``, ``stance``, ``target``,
#: ``source_url``, ``text_file`` and a speaker or organization are required).
TEMPLATE = ("date", "speaker", "organization", "quote", "stance", "target", "source_url", "source_title",
            "published", "publisher", "text_file")
#: The columns of rDNA's statements (before the statement type's variables) and documents.
DNA_STATEMENTS = ("id", "documentId", "startCaret", "endCaret", "statementTypeId", "coder")
DNA_DOCUMENTS = ("id", "title", "text", "coder", "author", "source", "section", "notes", "type", "date")

_STANCES = {
    "assert": "Assert", "asserts": "Assert", "deny": "Deny", "denies": "Deny", "reject": "Reject",
    "rejects": "Reject", "welcome": "Welcome", "welcomes": "Welcome", "praise": "Praise", "praises": "Praise",
    "criticize": "Criticize", "criticise": "Criticize", "criticizes": "Criticize", "criticises": "Criticize",
    "declinetocomment": "DeclineToComment", "declinestocomment": "DeclineToComment",
    "declinestocommenton": "DeclineToComment", "callfor": "CallFor", "callsfor": "CallFor",
    "analyse": "Analyse", "analyze": "Analyse", "analyses": "Analyse", "analyzes": "Analyse",
    "predict": "Predict", "predicts": "Predict",
}
_ATTRIBUTION = {"person": "kg:NamedPerson", "organization": "kg:NamedBody", "actor": "kg:NamedBody",
                "polity": "kg:SideOnly", "group": "kg:SideOnly"}
_OPENING, _CLOSING = "“‘«„\"'‹", "”’»“\"'›"


class ImportError_(InputError):
    """Rows that cannot be imported: ``problems`` holds each, as
    ``(file, line, message)``. Nothing was stored."""

    def __init__(self, problems: list[tuple[Path, int | None, str]]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first[2] + more, first[0], line=first[1])


@dataclass
class _Statement:
    line: int
    speaker: str
    kind: str
    organization: str | None
    words: str
    quoted: bool
    start: int
    end: int
    stance: str
    target: str
    date: tuple[str, str] | None  # (value, xsd datatype)


@dataclass
class _Source:
    key: str
    line: int
    title: str
    url: str | None
    published: str | None
    publisher: str | None
    text: bytes
    statements: list[_Statement] = field(default_factory=list)


@dataclass
class Imported:
    """What :func:`import_statements` wrote (or, with ``dry_run``, would write)."""

    articles: list[Path]
    texts: list[Path]
    statements: int
    report: object = None  # the validation report of the new articles


def import_statements(path: str | Path, *, project: Project | None = None, documents: str | Path | None = None,
                      sources: str | Path | None = None, dry_run: bool = False,
                      validate_result: bool = True) -> Imported:
    """Import coded statements (see the module's description for the layouts).

    ``documents`` is rDNA's documents export, needed with its statements.
    ``sources`` (a folder) keeps the texts outside the repository, named
    with ``kg:textName``. With ``dry_run`` nothing is written.

    Raises :class:`ImportError_` listing every bad row (nothing stored), or
    :class:`~kgraph.errors.InputError` for a file that cannot be read.
    """
    from ..identity.registry import name_index
    from ..drafting.draft import _issue_names

    project = project or find_project()
    path = Path(path)
    header, rows = _read_csv(path)
    registry = project.load_registry()
    names = _Names(name_index(registry), _issue_names(registry))
    if set(DNA_STATEMENTS) <= set(header):
        if documents is None:
            raise InputError("this is an rDNA statements export (documentId, startCaret, endCaret): give the "
                             "documents export as well (--documents FILE)", path)
        found, problems = _from_dna(path, header, rows, Path(documents), names)
    else:
        unknown = [c for c in header if c not in TEMPLATE]
        missing = [c for c in ("quote", "stance", "target", "source_url", "text_file") if c not in header]
        if unknown or missing or not {"speaker", "organization"} & set(header):
            raise InputError(
                "the header row must hold the template's columns (" + ", ".join(TEMPLATE) + "; quote, stance, "
                "target, source_url, text_file and speaker or organization are required), or an rDNA export's"
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                + (f"; missing: {', '.join(missing)}" if missing else ""), path, line=1)
        found, problems = _from_template(path, rows, names)
    if problems:
        raise ImportError_(problems)
    if not found:
        raise InputError("no statement to import: the file has a header row and nothing else", path)
    return _write(project, found, Path(sources).expanduser() if sources is not None else None, dry_run,
                  validate_result)


# -- reading -------------------------------------------------------------------------


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", path) from None
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(content.splitlines(keepends=True) if content else [])
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty: it needs a header row", path) from None
    except csv.Error as exc:
        raise InputError(f"not CSV: {exc}", path, line=1) from None
    header = [h.strip() for h in header]
    rows = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                if len(cells) > len(header):
                    rows.append((start, {"": f"{len(cells)} cells, the header has {len(header)}"}))
                else:
                    rows.append((start, dict(zip(header, (c.strip() for c in cells)))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"not CSV: {exc}", path, line=reader.line_num) from None
    return header, rows


class _Names:
    """Names resolved once each, through the identity resolver."""

    def __init__(self, index, issues: dict[str, list[str]]) -> None:
        self.index = index
        self.issues = {" ".join(n.split()).casefold(): iri for iri, ns in issues.items() for n in ns}
        self.issue_iris = set(issues)
        self.cache: dict[tuple, tuple] = {}

    def actor(self, name: str, kinds=None) -> tuple[str, str]:
        """``(iri, kind)``; raises ValueError with the candidates."""
        key = ("actor", name, kinds)
        if key not in self.cache:
            self.cache[key] = self._actor(name, kinds)
        found = self.cache[key]
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def _actor(self, name: str, kinds):
        from ..identity.registry import resolve_name
        from ..sparql.params import parse_iri

        try:
            iri = parse_iri(name).value
        except ValueError:
            iri = None
        if iri is not None:
            named = self.index.things.get(iri)
            return (iri, named.kind) if named is not None else f"the registry has no actor {compact(iri)}"
        try:
            found = resolve_name(name, index=self.index, kinds=kinds, nothing="no actor of the registry has this name")
        except ValueError as error:
            return str(error)
        return found.iri, found.kind

    def target(self, name: str) -> str:
        from ..sparql.params import parse_iri

        issue = self.issues.get(" ".join(name.split()).casefold())
        if issue is not None:
            return issue
        try:
            return parse_iri(name).value
        except ValueError:
            pass
        try:
            return self.actor(name)[0]
        except ValueError as error:
            raise ValueError(f"no issue of the registry is called {name!r}, and as an actor: {error}") from None


def _stance(value: str) -> str:
    key = re.sub(r"[\s_-]+", "", value.removeprefix("kg:")).casefold()
    if key not in _STANCES:
        raise ValueError(f"stance {value!r} is not one of: assert, deny, reject, welcome, praise, criticize, "
                         "decline to comment, call for, analyse, predict")
    return _STANCES[key]


def _date(value: str, what: str) -> str | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def _statement_date(value: str) -> tuple[str, str] | None:
    """A statement's date with the precision given: ``(value, xsd type)``."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}", value):
        return value, "gYear"
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return value, "gYearMonth"
    try:
        return datetime.date.fromisoformat(value).isoformat(), "date"
    except ValueError:
        raise ValueError(f"date {value!r} is not a date: YYYY-MM-DD, or YYYY-MM or YYYY for a month or a year") from None


def _speaker(names: _Names, person: str, organization: str) -> tuple[str, str, str | None]:
    """``(speaker, kind, organization or None)`` from the two cells."""
    if not person and not organization:
        raise ValueError("a statement needs a speaker or an organization")
    org_iri = names.actor(organization)[0] if organization else None
    if person:
        iri, kind = names.actor(person)
        return iri, kind, org_iri if org_iri != iri else None
    return org_iri, names.actor(organization)[1], None


def _from_template(path: Path, rows, names: _Names):
    problems: list[tuple[Path, int | None, str]] = []
    found: dict[str, _Source] = {}
    texts: dict[str, tuple[bytes, str] | str] = {}
    spans: dict[int, list] = {}
    for line, row in rows:
        if "" in row:
            problems.append((path, line, f"this row has {row['']}"))
            continue
        try:
            url = row.get("source_url", "")
            if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
                raise ValueError(f"source_url {url!r} must be an http or https address" if url
                                 else "source_url is empty: every statement needs its article's address")
            name = row.get("text_file", "")
            if not name:
                raise ValueError("text_file is empty: every quote is checked against its article's text")
            if name not in texts:
                texts[name] = _text_file(path.parent / name)
            if isinstance(texts[name], str):
                raise ValueError(texts[name])
            data, text = texts[name]
            quote = row.get("quote", "")
            if not quote:
                raise ValueError("quote is empty")
            at = text.find(quote)
            if at < 0:
                raise ValueError(f"the quote is not in {name} character for character: {quote[:60]!r}")
            speaker, kind, org = _speaker(names, row.get("speaker", ""), row.get("organization", ""))
            stance = _stance(row.get("stance", ""))
            if not row.get("target"):
                raise ValueError("target is empty: what is the stance about?")
            target = names.target(row["target"])
            if stance == "Deny" and (target in names.issue_iris or target in names.index.things):
                raise ValueError("a denial targets a claim (what is denied), not an issue or an actor: give the "
                                 "claim's IRI, or the stance reject")
            date = _statement_date(row.get("date", ""))
            published = _date(row.get("published", ""), "published")
            publisher = names.actor(row["publisher"], kinds=("organization", "actor"))[0] \
                if row.get("publisher") else None
            title = " ".join((row.get("source_title") or _first_line(text)).split())
            source = found.get(url)
            if source is None:
                source = found[url] = _Source(url, line, title, url, published, publisher, data)
            else:
                for what, mine, theirs in (("text_file", data, source.text), ("published", published, source.published),
                                           ("publisher", publisher, source.publisher)):
                    if mine and theirs and mine != theirs:
                        raise ValueError(f"{what} differs from line {source.line}, which has the same source_url")
            start, end = _sentences_around(text, at, at + len(quote), spans)
            source.statements.append(_Statement(line, speaker, kind, org, quote, True, start, end,
                                                stance, target, date))
        except ValueError as error:
            problems.append((path, line, str(error)))
    return list(found.values()), problems


def _sentences_around(text: str, start: int, end: int, cache: dict) -> tuple[int, int]:
    """The excerpt for a quote: the sentences of the text it lies in."""
    from ..drafting.finders import sentences

    if id(text) not in cache:  # the text is kept with its sentences, so that its id stays its own
        cache[id(text)] = (text, sentences(text))
    found = cache[id(text)][1]
    inside = [s for s in found if s.start < end and start < s.end]
    if not inside:
        return start, end
    return min(start, inside[0].start), max(end, inside[-1].end)


def _text_file(path: Path) -> tuple[bytes, str] | str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read the text {path}: {exc.strerror or exc}"
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the text {path} is not UTF-8 (byte {exc.start})"


def _from_dna(path: Path, header, rows, documents: Path, names: _Names):
    problems: list[tuple[Path, int | None, str]] = []
    doc_header, doc_rows = _read_csv(documents)
    missing = [c for c in DNA_DOCUMENTS if c not in doc_header]
    if missing:
        raise InputError(f"not an rDNA documents export: it lacks {', '.join(missing)}", documents, line=1)
    for needed in ("concept", "agreement"):
        if needed not in header:
            raise InputError(f"the statements have no {needed} column: kgraph reads DNA's default statement type "
                             "(person, organization, concept, agreement)", path, line=1)
    docs: dict[str, tuple[int, dict]] = {}
    for line, row in doc_rows:
        if "" in row:
            problems.append((documents, line, f"this row has {row['']}"))
            continue
        docs[row["id"]] = (line, row)
    found: dict[str, _Source] = {}
    for line, row in rows:
        if "" in row:
            problems.append((path, line, f"this row has {row['']}"))
            continue
        try:
            doc = docs.get(row["documentId"])
            if doc is None:
                raise ValueError(f"documentId {row['documentId']!r} is not in {documents.name}")
            doc_line, meta = doc
            source = found.get(row["documentId"])
            if source is None:
                text = meta["text"]
                publisher = names.actor(meta["source"], kinds=("organization", "actor"))[0] if meta["source"] else None
                source = _Source(row["documentId"], doc_line, " ".join(meta["title"].split()) or _first_line(text),
                                 None, _dna_date(meta["date"]), publisher, text.encode("utf-8"))
                found[row["documentId"]] = source
            text = source.text.decode("utf-8")
            start, end = (_code_points(text, _integer(row[c], c)) for c in ("startCaret", "endCaret"))
            if not 0 <= start < end <= len(text):
                raise ValueError(f"startCaret {row['startCaret']} and endCaret {row['endCaret']} are not a span of "
                                 f"document {row['documentId']}'s text ({len(text)} characters)")
            speaker, kind, org = _speaker(names, row.get("person", ""), row.get("organization", ""))
            agreement = row["agreement"]
            if agreement not in ("0", "1"):
                raise ValueError(f"agreement {agreement!r} must be 1 (agrees) or 0 (disagrees)")
            if not row["concept"]:
                raise ValueError("concept is empty: what is the statement about?")
            target = names.target(row["concept"])
            words, quoted, start, end = _words(text, start, end)
            source.statements.append(_Statement(line, speaker, kind, org, words, quoted, start, end,
                                                "Assert" if agreement == "1" else "Reject", target, None))
        except ValueError as error:
            problems.append((path, line, str(error)))
    return list(found.values()), problems


def _integer(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a whole number") from None


def _code_points(text: str, units: int) -> int:
    """The code-point position of a UTF-16 position (how Java, and DNA, count)."""
    if units <= 0 or text.isascii():
        return units
    seen = 0
    for i, ch in enumerate(text):
        if seen >= units:
            return i
        seen += 2 if ord(ch) > 0xFFFF else 1
    return len(text) if seen >= units else len(text) + 1


def _dna_date(value: str) -> str | None:
    """A DNA document date: ``write.csv``'s ``YYYY-MM-DD[ HH:MM:SS]``, or milliseconds since 1970."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"-?\d{9,}", value):
        return datetime.datetime.fromtimestamp(int(value) / 1000, datetime.timezone.utc).date().isoformat()
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"document date {value!r} is neither YYYY-MM-DD nor milliseconds since 1970") from None


def _words(text: str, start: int, end: int) -> tuple[str, bool, int, int]:
    """A coded span's words and where they are: within quotation marks (the
    marks left out), a quote; else the span itself, a paraphrase."""
    raw = text[start:end]
    span = raw.strip()
    start += len(raw) - len(raw.lstrip())
    end = start + len(span)
    if len(span) > 2 and span[0] in _OPENING and span[-1] in _CLOSING and span[-1] not in span[1:-1]:
        return span[1:-1], True, start + 1, end - 1
    if 0 < start and end < len(text) and text[start - 1] in _OPENING and text[end] in _CLOSING:
        return span, True, start, end
    return span, False, start, end


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "untitled")[:200]


# -- writing -------------------------------------------------------------------------


def _write(project: Project, found: list[_Source], outside: Path | None, dry_run: bool, validate_result: bool):
    from ..drafting.draft import _comment
    from .scaffold import _prefix_block, _turtle_string, slugify

    taken = {p.stem for p in project.articles_dir.glob("*.trig")} if project.articles_dir.is_dir() else set()
    folder = outside if outside is not None else project.sources_dir
    planned: list[tuple[Path, bytes, Path, bytes]] = []
    count = 0
    for source in found:
        base = slugify(source.title)[:60].strip("-") or "imported"
        slug, n = base, 2
        while slug in taken or (folder / f"{slug}.txt").exists():
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        digest = hashlib.sha256(source.text).hexdigest()
        lines = [f"# {_comment(source.title)}", "#", "# Imported by kgraph import: each statement rests on the excerpt",
                 "# at its position in the text, and each name is the registry's.", _prefix_block(slug), "",
                 f"<{BASE}graph/articles/{slug}> {{", "", f"src:{slug} a kg:NewsArticle ;",
                 f"    dcterms:title {_turtle_string(source.title)} ;"]
        if source.url:
            lines.append(f"    dcterms:source <{source.url}> ;")
        if source.published:
            lines.append(f'    dcterms:issued "{source.published}"^^xsd:date ;')
        if source.publisher:
            lines.append(f"    dcterms:publisher {compact(source.publisher)} ;")
        lines.append(f'    kg:textName "{slug}.txt" ;' if outside is not None
                     else f'    kg:textFile "data/sources/{slug}.txt" ;')
        lines += [f'    kg:sha256 "{digest}" .', ""]
        text = source.text.decode("utf-8")
        for i, s in enumerate(source.statements, 1):
            exact = text[s.start:s.end]
            words = "kg:quote" if s.quoted else "kg:paraphrase"
            lines += [f"x:s{i} a kg:Excerpt ; prov:wasQuotedFrom src:{slug} ;",
                      f"    oa:exact {_turtle_string(exact)} ;", f"    oa:start {s.start} ; oa:end {s.end} .",
                      f"stmt:{slug}-{i} a kg:Statement ;", f"    kg:speaker {compact(s.speaker)} ;",
                      f"    kg:attribution {_ATTRIBUTION.get(s.kind, 'kg:NamedBody')} ;"]
            if s.organization:
                lines.append(f"    kg:speakingFor {compact(s.organization)} ;")
            if s.date:
                lines.append(f'    kg:date "{s.date[0]}"^^xsd:{s.date[1]} ;')
            lines += [f"    {words} {_turtle_string(s.words)} ;", f"    kg:evidence x:s{i} ;",
                      f"    kg:stance stance:{slug}-{i} .",
                      f"stance:{slug}-{i} a kg:Stance ; kg:expressedIn stmt:{slug}-{i} ;"]
            if s.quoted and s.words in exact:  # the quote the stance rests on
                lines.append(f"    kg:stanceQuote {_turtle_string(s.words)} ;")
            lines += [f"    kg:stanceType kg:{s.stance} ; kg:target {compact(s.target)} ; kg:evidence x:s{i} .", ""]
            count += 1
        lines.append("}")
        planned.append((project.articles_dir / f"{slug}.trig", ("\n".join(lines) + "\n").encode("utf-8"),
                        folder / f"{slug}.txt", source.text))
    with _Staging(project, outside) as staging:
        staged = [staging.put(article, document, text_path, data) for article, document, text_path, data in planned]
        report = None
        if validate_result:
            report = staging.validate([a for a, _ in staged], [a for a, _, _, _ in planned])
            if not report.conforms:
                raise _Invalid(report)
        imported = Imported([a for a, _, _, _ in planned], [t for _, _, t, _ in planned], count, report)
        if not dry_run:
            staging.land(staged, planned)
    return imported


class _Invalid(InputError):
    """The imported articles do not validate (``report``); nothing was stored."""

    def __init__(self, report) -> None:
        self.report = report
        first = next(v for v in [*report.errors, *report.violations] if v.severity in ("error", "violation"))
        super().__init__(f"the imported articles do not validate: {first.message}", first.file, line=first.line)


class _Staging:
    """A scratch project under ``.kgraph/`` (beside ``data/``, so on the same
    file system): a copy of the project's ontology, queries and registry, and
    the new files, written once. They are validated there and
    then renamed into place, so that nothing is written twice and ``data/``
    never holds half an import."""

    def __init__(self, project: Project, outside: Path | None) -> None:
        self.project = project
        self.outside = outside

    def __enter__(self) -> "_Staging":
        import shutil
        import tempfile

        base = self.project.root / ".kgraph"
        base.mkdir(exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="import-", dir=base))
        for name, folder in (("ontology", self.project.ontology_dir), ("queries", self.project.queries_dir)):
            if folder.is_dir():
                shutil.copytree(folder, self.root / name)
        if self.project.registry_dir.is_dir():
            shutil.copytree(self.project.registry_dir, self.root / "data" / "registry")
        for part in ("data/articles", "data/sources", "kept-outside"):
            (self.root / part).mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        import shutil

        shutil.rmtree(self.root, ignore_errors=True)

    def put(self, article: Path, document: bytes, text_path: Path, data: bytes) -> tuple[Path, Path]:
        staged_article = self.root / "data" / "articles" / article.name
        staged_text = (self.root / "kept-outside" if self.outside is not None
                       else self.root / "data" / "sources") / text_path.name
        staged_article.write_bytes(document)
        staged_text.write_bytes(data)
        return staged_article, staged_text

    def validate(self, files: list[Path], final: list[Path]):
        from dataclasses import replace

        from ..validation.run import validate

        # the staged folder as one path (not a path per file): nothing else is in it
        report = validate([self.root / "data" / "articles"], project=find_project(self.root),
                          sources=self.root / "kept-outside", require_sources=True)
        staged = self.root / "data" / "articles"
        mapping = {f.name: target for f, target in zip(files, final)}  # name the files it would write
        report.violations = [replace(v, file=mapping.get(Path(v.file).name, v.file))
                             if v.file and Path(v.file).parent == staged else v for v in report.violations]
        return report

    def land(self, staged: list[tuple[Path, Path]], planned) -> None:
        """Rename every staged file into place; on any failure, undo."""
        import os
        import shutil

        moves = [(src, dst) for (a, t), (article, _, text_path, _) in zip(staged, planned)
                 for src, dst in ((t, text_path), (a, article))]
        for _, target in moves:
            if target.exists():
                raise InputError("exists already: nothing was imported", target)
        done: list[tuple[Path, Path]] = []
        try:
            for source, target in moves:
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(source, target)  # fails if the target appeared meanwhile; never overwrites
                except OSError as error:
                    if target.exists():
                        raise InputError("exists already: nothing was imported", target) from None
                    if error.errno != 18:  # EXDEV: another file system (a sources folder elsewhere)
                        raise
                    shutil.copyfile(source, target)
                done.append((source, target))
            os.sync()
        except BaseException:
            for _, target in done:
                target.unlink(missing_ok=True)
            raise
