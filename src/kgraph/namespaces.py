"""Namespaces and prefixes, defined in one place.

Every IRI that kgraph mints lives under :data:`BASE`. Data resources are
grouped by what they are (``actor/``, ``event/``, ...) so that an IRI can be
read without looking it up.
"""

from __future__ import annotations

__all__ = ["BASE", "KG", "PREFIXES", "GRAPH", "compact"]

#: Base of every IRI that kgraph mints.
BASE = "https://w3id.org/kgraph/"

#: The ontology's namespace.
KG = BASE + "ontology#"

#: Named graphs derived from file paths live here.
GRAPH = BASE + "graph/"

#: Prefixes used in queries, reports and generated documentation.
#: Order matters for :func:`compact`: longer namespaces come before the
#: shorter ones they extend.
PREFIXES: dict[str, str] = {
    "kg": KG,
    "kgsh": BASE + "shapes#",
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
    "graph": GRAPH,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
}


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
