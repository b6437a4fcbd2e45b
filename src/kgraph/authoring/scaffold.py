"""Scaffolding a new article: its TriG file, and its text with a SHA-256.

:func:`new_article` writes ``data/sources/SLUG.txt`` (the article's text) and
``data/articles/SLUG.trig`` (its named graph with the source described, and
commented examples of an event, a statement with a quote, a claim and a
denial to copy from). The scaffold passes ``kgraph validate`` as written.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .._util.atomic import write_bytes_atomic
from ..errors import ScaffoldError
from ..namespaces import BASE, PREFIXES
from ..project import Project, find_project

__all__ = ["new_article", "slugify", "NewArticle"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class NewArticle:
    """What :func:`new_article` wrote: the article's TriG file and its text."""

    slug: str
    article: Path
    text: Path
    sha256: str


def slugify(title: str) -> str:
    """A file-safe slug from a title: ASCII letters, digits and hyphens, other
    scripts transliterated (python-slugify).

    >>> slugify('"Integration with Azerbaijan is out of the question." Opinion')
    'integration-with-azerbaijan-is-out-of-the-question-opinion'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("Встреча в Ханкенди")
    'vstrecha-v-khankendi'
    """
    from slugify import slugify as transliterate

    return transliterate(title, max_length=80, word_boundary=True, lowercase=True) or ""


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def new_article(
    title: str,
    text: bytes,
    *,
    project: Project | None = None,
    slug: str | None = None,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    actors: Sequence[str] = (),
    sources: str | Path | None = None,
) -> NewArticle:
    """Scaffold a new article in the project's ``data/``.

    With ``sources`` (the sources folder, see :func:`kgraph.validate`), the
    text is one that may not be redistributed: it is written to
    ``SOURCES/SLUG.txt``, not ``data/sources/``, and the source names it
    with ``kg:textName``.

    ``publisher`` (the outlet's name, IRI or prefixed name) and ``actors``
    (names the article uses) are looked up in the registry by the identity
    resolver: the publisher becomes ``dcterms:publisher``, each actor a
    comment naming the IRI to use, or, for a name the registry does not
    have, the candidates it may be (never a silent guess).

    Raises
    ------
    ScaffoldError
        The slug is not of ``[a-z0-9-]`` (no paths, no dots), an article or
        text with that slug exists already, the text is empty or not UTF-8,
        the date is not YYYY-MM-DD, or the URL is not an absolute http(s) IRI.

    Examples
    --------
    >>> import shutil, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = shutil.copytree(find_project().ontology_dir, root / "ontology")
    >>> made = new_article("Talks resume", "Written for this example.".encode(), project=find_project(root))
    >>> made.slug, made.article.name, made.text.read_text()
    ('talks-resume', 'talks-resume.trig', 'Written for this example.')
    """
    project = project or find_project()
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("the title is empty", option="title")
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:
        raise ScaffoldError("the title is not valid text: it holds bytes that are not UTF-8 (check the terminal's "
                            "encoding)", option="title") from None
    slug = slug if slug is not None else slugify(title)
    if not slug:
        raise ScaffoldError("the title has no letters or digits to make a file name from; give a slug", option="slug")
    if not _SLUG.match(slug):
        raise ScaffoldError(f"slug {slug!r} must be 1-80 lower-case letters, digits and hyphens (no '/', '.' or '..')",
                            option="slug")
    if published is not None:
        try:
            datetime.date.fromisoformat(published)
        except ValueError:
            raise ScaffoldError(f"publication date {published!r} is not a date (YYYY-MM-DD)", option="published") from None
    if url is not None:
        import pyoxigraph as ox

        if not re.match(r"^https?://", url):
            raise ScaffoldError(f"URL {url!r} must be an http or https address", option="url")
        try:
            ox.NamedNode(url)
        except ValueError as exc:
            raise ScaffoldError(f"URL {url!r} is not a valid IRI: {exc}", option="url") from None
    if not text.strip():
        raise ScaffoldError("the article text is empty")
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScaffoldError(f"the article text is not UTF-8 (byte {exc.start})") from None

    publisher_iri, named = _look_up(project, publisher, actors)

    articles = project.articles_dir
    outside = sources is not None
    sources = Path(sources).expanduser() if outside else project.sources_dir
    article_path, text_path = articles / f"{slug}.trig", sources / f"{slug}.txt"
    for path in (article_path, text_path):
        if path.exists() or path.is_symlink():
            raise ScaffoldError("already exists; choose another slug", path, option="slug")
    # every path is checked before anything is created: a symbolic link
    # (data/ itself, data/articles, data/sources) must not lead out of the project
    root = project.root.resolve()
    inside = (project.data_dir, articles, article_path) + (() if outside else (sources, text_path))
    for path in inside:
        if root not in path.resolve().parents:
            raise ScaffoldError("leads out of the project (a symbolic link?); kgraph writes only inside "
                                f"{project.root}", path)
    for folder in (articles, sources):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScaffoldError(f"cannot create the folder: {exc.strerror or exc}", folder) from None

    digest = hashlib.sha256(text).hexdigest()
    relative = f"data/sources/{slug}.txt"
    where = f'kg:textName "{slug}.txt"' if outside else f'kg:textFile "{relative}"'
    shown = f"{slug}.txt in your sources folder" if outside else relative
    extra = ""
    if url:
        extra += f"\n    dcterms:source <{url}> ;"
    if published:
        extra += f'\n    dcterms:issued "{published}"^^xsd:date ;'
    if publisher_iri:
        extra += f"\n    dcterms:publisher {_written(publisher_iri)} ;"
    document = _TEMPLATE.format(
        prefixes=_prefix_block(slug) + named,
        slug=slug, title=_turtle_string(title), extra=extra, text_file=shown, text_line=where, sha256=digest, base=BASE,
    )
    write_bytes_atomic(text_path, text)
    try:
        write_bytes_atomic(article_path, document.encode("utf-8"))
    except BaseException:
        text_path.unlink(missing_ok=True)
        raise
    return NewArticle(slug, article_path, text_path, digest)


def _look_up(project: Project, publisher: str | None, actors: Sequence[str]) -> tuple[str | None, str]:
    """The publisher's IRI, and a comment block on the names the article uses."""
    if publisher is None and not actors:
        return None, ""
    from ..identity.registry import name_index, resolve_name
    from ..namespaces import compact
    from ..sparql.params import parse_iri

    index = name_index(project.load_registry())
    iri = None
    if publisher is not None:
        wanted = publisher.strip()
        try:
            iri = parse_iri(wanted).value
        except ValueError:
            pass  # a name
        if iri is not None:
            if iri not in index.things:
                raise ScaffoldError(f"publisher {wanted!r}: the registry has no actor {compact(iri)}", option="publisher")
        else:
            try:
                iri = resolve_name(wanted, index=index, kinds=("organization", "actor"),
                                   nothing="no actor of the registry has this name").iri
            except ValueError as error:
                raise ScaffoldError(f"publisher {wanted!r}: {error}", option="publisher") from None
    lines = []
    for name in dict.fromkeys(" ".join(a.split()) for a in actors if a.strip()):
        try:
            found = resolve_name(name, index=index)
            lines.append(f"#   {name}: {_written(found.iri)}  ({found.label})")
        except ValueError:
            candidates = index.find(name, limit=3)
            if candidates:
                lines.append(f"#   {name}: not in the registry under this name; it may be "
                             + ", or ".join(f"{_written(c.iri)} ({c.label}: {c.reason})" for c in candidates)
                             + ". Use that IRI if it is the same actor (a new spelling of a whole name goes in as skos:altLabel), "
                             "or describe a new one.")
            else:
                lines.append(f"#   {name}: not in the registry; describe it in data/registry/ (kgraph actors find "
                             "lists near names)")
    block = ("\n# The names this article uses, looked up in the registry:\n" + "\n".join(lines) + "\n") if lines else ""
    return iri, block


def _written(iri: str) -> str:
    """``iri`` as the scaffold writes it: a prefixed name where one of its prefixes fits."""
    for name in _SCAFFOLD_PREFIXES:
        namespace = PREFIXES[name]
        local = iri[len(namespace):]
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", local) and not local.endswith("."):
            return f"{name}:{local}"
    return f"<{iri}>"


#: The prefixes a scaffold declares (``x:`` is added for the article's excerpts).
_SCAFFOLD_PREFIXES = ("kg", "actor", "post", "place", "issue", "event", "stmt", "stance", "claim", "part",
                      "tenure", "src", "rdfs", "skos", "xsd", "dcterms", "prov", "oa")


def _prefix_block(slug: str) -> str:
    namespaces = {name: PREFIXES[name] for name in _SCAFFOLD_PREFIXES}
    namespaces["x"] = f"{PREFIXES['excerpt']}{slug}/"
    ordered = [*list(namespaces.items())[:12], ("x", namespaces.pop("x")), *list(namespaces.items())[12:]]
    return "\n".join(f"@prefix {name + ':':<8} <{namespace}> ." for name, namespace in ordered)


_TEMPLATE = """\
# {title}
#
# Encode the article below, inside its GRAPH. Every event, participation,
# tenure, statement, stance and claim needs kg:evidence: an excerpt whose
# oa:exact is copied character for character from {text_file}.
# Actors, places, posts and issues are described once, in data/registry/.
# Check your work with:  kgraph validate data/articles/{slug}.trig
{prefixes}
<{base}graph/articles/{slug}> {{

src:{slug} a kg:NewsArticle ;
    dcterms:title {title} ;{extra}
    {text_line} ;
    kg:sha256 "{sha256}" .

# --- Examples: uncomment, then replace every part in CAPITALS. ------------------
#
# The outlet that published the article (describe it in data/registry/actors.ttl
# as a kg:MediaOutlet), added to src:{slug} above:
#     dcterms:publisher actor:THE-OUTLET ;
#
# An excerpt: the exact words of the article that something rests on.
# x:met a kg:Excerpt ; prov:wasQuotedFrom src:{slug} ;
#     oa:exact "EXACT WORDS FROM THE ARTICLE" .
#
# A meeting with two parties, a representative and a mediator.
# event:{slug}-meeting a kg:Meeting ;
#     rdfs:label "MEETING OF ... IN ..., D MONTH YYYY" ;
#     kg:date "YYYY-MM-DD"^^xsd:date ; kg:dateAsWritten "THE ARTICLE'S WORDS FOR THE DATE" ;
#     kg:place place:A-PLACE ;
#     kg:participation part:{slug}-side-a, part:{slug}-side-b, part:{slug}-envoy, part:{slug}-mediator,
#         part:{slug}-observer, part:{slug}-unnamed ;
#     kg:evidence x:met .
# part:{slug}-side-a a kg:Participation ; kg:participant actor:SIDE-A ; kg:role kg:Party ; kg:evidence x:met .
# part:{slug}-side-b a kg:Participation ; kg:participant actor:SIDE-B ; kg:role kg:Party ; kg:evidence x:met .
# part:{slug}-envoy a kg:Participation ; kg:participant actor:A-PERSON ; kg:role kg:Representative ;
#     kg:onBehalfOf actor:SIDE-A ; kg:evidence x:met .
# part:{slug}-mediator a kg:Participation ; kg:participant actor:A-MEDIATOR ; kg:role kg:Mediator ; kg:evidence x:met .
# Someone who only attended, and a representative the article does not name:
# part:{slug}-observer a kg:Participation ; kg:participant actor:AN-OBSERVER ; kg:role kg:Observer ; kg:evidence x:met .
# part:{slug}-unnamed a kg:Participation ; kg:role kg:Representative ; kg:onBehalfOf actor:SIDE-B ;
#     kg:participantDescription "THE ARTICLE'S WORDS, E.G. A REPRESENTATIVE OF ..." ; kg:evidence x:met .
#
# A statement with a quote, and the stance it takes.
# x:said a kg:Excerpt ; prov:wasQuotedFrom src:{slug} ;
#     oa:exact "THE SENTENCE THAT REPORTS THE QUOTE" .
# stmt:{slug}-said a kg:Statement ;
#     kg:speaker actor:A-PERSON ; kg:attribution kg:NamedPerson ;
#     kg:channel actor:AN-OUTLET ;        # "told the news agency ...": who the words went through
#     kg:quote "THE QUOTED WORDS, EXACTLY" ;
#     kg:evidence x:said ;
#     kg:stance stance:{slug}-said .
# stance:{slug}-said a kg:Stance ; kg:expressedIn stmt:{slug}-said ;
#     kg:stanceType kg:Welcome ; kg:target event:{slug}-meeting ;
#     kg:stanceQuote "THE QUOTED WORDS, EXACTLY" ;  # the statement's quote that x:said holds
#     kg:evidence x:said .
#
# A claim that one side reports and the other denies (never a fact: the event a
# denied claim is about is a kg:ProposedEvent or kg:ProposedMeeting, and topics
# discussed are recorded only on claims).
# claim:{slug}-claim a kg:Claim ; kg:claimKind kg:TopicDiscussed ;
#     kg:proposition "WHAT THE CLAIM SAYS, IN ONE SENTENCE." ;
#     kg:aboutEvent event:{slug}-meeting ; kg:topic issue:AN-ISSUE ;
#     kg:evidence x:said .
# stmt:{slug}-denial a kg:Statement ;
#     kg:speaker actor:SIDE-B ; kg:attribution kg:SideOnly ;
#     kg:paraphrase "SIDE B DENIES ..." ;
#     kg:evidence x:said ;
#     kg:stance stance:{slug}-denial .
# stance:{slug}-denial a kg:Stance ; kg:expressedIn stmt:{slug}-denial ;
#     kg:stanceType kg:Deny ; kg:target claim:{slug}-claim ; kg:evidence x:said .
}}
"""
