"""One result object for every query form, serializable to the W3C formats.

SELECT and ASK results serialize to the SPARQL 1.1 Query Results JSON, XML,
CSV and TSV formats; CONSTRUCT and DESCRIBE results to Turtle or N-Triples.
Terms are pyoxigraph terms whichever engine produced them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import XSD_STRING

__all__ = ["QueryResult", "RESULT_FORMATS", "GRAPH_FORMATS"]

#: SELECT/ASK result formats and their media types.
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}

#: CONSTRUCT/DESCRIBE result formats and their media types.
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
}


@dataclass
class QueryResult:
    """The answer to a query.

    ``kind`` is ``"select"`` (``variables`` and ``rows``, each row a tuple of
    terms or ``None`` for unbound), ``"ask"`` (``boolean``) or ``"graph"``
    (``triples``, for CONSTRUCT and DESCRIBE).
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def column(self, name: str) -> list:
        """Every value of one column (``None`` where unbound)."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, object]]:
        """Rows as dicts of plain Python values: IRIs and literals as their
        string value, unbound as ``None``."""
        return [
            {name: (term.value if term is not None and not isinstance(term, ox.Triple) else None)
             for name, term in zip(self.variables, row)}
            for row in self.rows
        ]

    def media_type(self, fmt: str) -> str:
        return (GRAPH_FORMATS if self.kind == "graph" else RESULT_FORMATS)[fmt]

    def serialize(self, fmt: str) -> str:
        """The result in ``fmt``: a key of :data:`RESULT_FORMATS` for SELECT and
        ASK, of :data:`GRAPH_FORMATS` for CONSTRUCT and DESCRIBE."""
        if self.kind == "graph":
            if fmt not in GRAPH_FORMATS:
                raise ValueError(f"a graph result is written as {' or '.join(GRAPH_FORMATS)}, not {fmt!r}")
            from ..namespaces import PREFIXES

            store_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
            prefixes = PREFIXES if fmt == "turtle" else None
            return ox.serialize(self.triples, format=store_format, prefixes=prefixes).decode("utf-8")
        if fmt not in RESULT_FORMATS:
            raise ValueError(f"a {self.kind.upper()} result is written as {', '.join(RESULT_FORMATS)}, not {fmt!r}")
        if self.kind == "ask" and fmt == "csv":
            raise ValueError("an ASK result has no CSV form; use json, xml or tsv")
        return {"tsv": self._tsv, "csv": self._csv, "json": self._json, "xml": self._xml}[fmt]()

    # Each writer follows its W3C recommendation; every value, "0" and
    # "false" included, is written as it is (a test reads them back with
    # rdflib's parsers for every datatype).

    def _tsv(self) -> str:
        if self.kind == "ask":
            return ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join("" if term is None else _tsv_term(term) for term in row))
        return "\n".join(lines) + "\n"

    def _csv(self) -> str:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if term is None else _plain(term) for term in row])
        return buffer.getvalue()

    def _json(self) -> str:
        import json

        if self.kind == "ask":
            document: dict = {"head": {}, "boolean": bool(self.boolean)}
        else:
            document = {
                "head": {"vars": list(self.variables)},
                "results": {"bindings": [
                    {name: _json_term(term) for name, term in zip(self.variables, row) if term is not None}
                    for row in self.rows
                ]},
            }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def _xml(self) -> str:
        from xml.etree import ElementTree as ET

        ns = "http://www.w3.org/2005/sparql-results#"
        ET.register_namespace("", ns)
        root = ET.Element(f"{{{ns}}}sparql")
        head = ET.SubElement(root, f"{{{ns}}}head")
        if self.kind == "ask":
            ET.SubElement(root, f"{{{ns}}}boolean").text = "true" if self.boolean else "false"
        else:
            for name in self.variables:
                ET.SubElement(head, f"{{{ns}}}variable", name=name)
            results = ET.SubElement(root, f"{{{ns}}}results")
            for row in self.rows:
                result = ET.SubElement(results, f"{{{ns}}}result")
                for name, term in zip(self.variables, row):
                    if term is not None:
                        _xml_term(ET.SubElement(result, f"{{{ns}}}binding", name=name), term, ns)
        ET.indent(root)
        text = ET.tostring(root, encoding="unicode")
        bad = _XML_FORBIDDEN.search(text)
        if bad:
            raise ValueError(f"a value holds U+{ord(bad.group()):04X}, a control character XML 1.0 cannot carry; "
                             "write the result as json, csv or tsv")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


#: Characters an XML 1.0 document cannot hold, even escaped.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _tsv_term(term) -> str:
    """A term in Turtle form for TSV: only what a Turtle string must escape is
    escaped (and the tab, which separates columns); other characters are
    written as they are, as the W3C TSV format allows."""
    if isinstance(term, ox.Literal):
        text = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype.value != XSD_STRING:
            return f'"{text}"^^<{term.datatype.value}>'
        return f'"{text}"'
    return str(term)


def _plain(term) -> str:
    """A term's CSV form: an IRI or a literal's lexical form, ``_:label`` for a blank node."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"cannot write {term!r} as a SPARQL JSON term")


def _xml_term(parent, term, ns: str) -> None:
    from xml.etree import ElementTree as ET

    if isinstance(term, ox.NamedNode):
        ET.SubElement(parent, f"{{{ns}}}uri").text = term.value
    elif isinstance(term, ox.BlankNode):
        ET.SubElement(parent, f"{{{ns}}}bnode").text = term.value
    elif isinstance(term, ox.Literal):
        attributes = {}
        if term.language:
            attributes["{http://www.w3.org/XML/1998/namespace}lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            attributes["datatype"] = term.datatype.value
        ET.SubElement(parent, f"{{{ns}}}literal", attributes).text = term.value
    elif isinstance(term, ox.Triple):
        triple = ET.SubElement(parent, f"{{{ns}}}triple")
        for part, value in (("subject", term.subject), ("predicate", term.predicate), ("object", term.object)):
            _xml_term(ET.SubElement(triple, f"{{{ns}}}{part}"), value, ns)
    else:
        raise TypeError(f"cannot write {term!r} as a SPARQL XML term")
