"""Namespaces and prefixes, defined in one place.

Every IRI that kgraph mints lives under :data:`BASE`. Data resources are
grouped by what they are (``actor/``, ``event/``, ...) so that an IRI can be
read without looking it up. Code names namespaces through the constants
here, never as string literals of its own.
"""

from __future__ import annotations

__all__ = [
    "BASE", "KG", "KGSH", "KGFN", "GRAPH", "META", "META_GRAPH", "STAGING_GRAPHS", "RESERVED_GRAPHS", "SKOLEM",
    "RDF", "RDFS", "OWL", "XSD", "SH", "SKOS", "PROV", "ORG", "DCTERMS", "FOAF", "SCHEMA", "TIME", "OA", "SKOSXL", "WIKIDATA",
    "RDF_TYPE", "XSD_STRING", "XSD_DATE", "RDF_LANGSTRING", "LABELS",
    "PREFIXES", "compact", "sparql_prefixes",
]

#: Base of every IRI that kgraph mints.
BASE = "https://w3id.org/kgraph/"

#: The ontology's namespace.
KG = BASE + "ontology#"
#: The shapes' namespace.
KGSH = BASE + "shapes#"
#: SPARQL extension functions used by the checks.
KGFN = BASE + "function#"
#: Named graphs derived from file paths live here.
GRAPH = BASE + "graph/"
#: kgraph's own bookkeeping in a store (which file filled which graph, its SHA-256).
META = BASE + "meta#"
META_GRAPH = GRAPH + "kgraph-meta"
#: Where a server load stages a graph before moving it onto its target.
STAGING_GRAPHS = GRAPH + "kgraph-staging/"
#: Every graph whose name starts so is kgraph's own; data may never fill one.
RESERVED_GRAPHS = GRAPH + "kgraph-"
#: Where a remote store's skolem IRIs for blank nodes live (RDF 1.1 Concepts, 3.5).
SKOLEM = BASE + ".well-known/genid/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
TIME = "http://www.w3.org/2006/time#"
OA = "http://www.w3.org/ns/oa#"
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
#: Where Wikidata's items live (linked to, never fetched).
WIKIDATA = "http://www.wikidata.org/entity/"

RDF_TYPE = RDF + "type"
RDF_LANGSTRING = RDF + "langString"
XSD_STRING = XSD + "string"
XSD_DATE = XSD + "date"

#: The properties that give a thing a name a person may type.
LABELS = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")

#: Prefixes used in queries, reports and generated documentation.
PREFIXES: dict[str, str] = {
    "kg": KG,
    "kgsh": KGSH,
    "actor": BASE + "actor/",
    "post": BASE + "post/",
    "place": BASE + "place/",
    "issue": BASE + "issue/",
    "event": BASE + "event/",
    "stmt": BASE + "statement/",
    "claim": BASE + "claim/",
    "stance": BASE + "stance/",
    "part": BASE + "participation/",
    "tenure": BASE + "tenure/",
    "excerpt": BASE + "excerpt/",
    "src": BASE + "source/",
    "judgement": BASE + "judgement/",
    "graph": GRAPH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
    "skos": SKOS,
    "prov": PROV,
    "org": ORG,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "schema": SCHEMA,
    "time": TIME,
    "oa": OA,
    "skosxl": SKOSXL,
    "wd": WIKIDATA,
}


def sparql_prefixes() -> str:
    """``PREFIX`` declarations for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


def compact(iri: str) -> str:
    """Return ``iri`` as a prefixed name when a known prefix fits, else ``<iri>``.

    Meant for display: the local part may contain ``/`` (``graph:articles/x``),
    which Turtle would need escaped.

    >>> compact("https://w3id.org/kgraph/actor/ramin-mammadov")
    'actor:ramin-mammadov'
    >>> compact("https://w3id.org/kgraph/graph/articles/x")
    'graph:articles/x'
    >>> compact("http://example.org/x")
    '<http://example.org/x>'
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace):]
            if local and all(c.isalnum() or c in "-_./" for c in local) and not local.endswith("."):
                best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]):]}"
    return f"<{iri}>"
