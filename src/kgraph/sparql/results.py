"""One result object for every query form, serializable to the W3C formats.

SELECT and ASK results serialize to the SPARQL 1.1 Query Results JSON, XML,
CSV and TSV formats; CONSTRUCT and DESCRIBE results to Turtle or N-Triples.
Terms are pyoxigraph terms whichever engine produced them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

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
        if fmt == "tsv":
            return self._tsv()
        if self.kind == "ask" and fmt == "csv":
            raise ValueError("an ASK result has no CSV form; use json, xml or tsv")
        return self._rdflib_result().serialize(format=fmt).decode("utf-8")

    def _tsv(self) -> str:
        if self.kind == "ask":
            return ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join("" if term is None else str(term) for term in row))
        return "\n".join(lines) + "\n"

    def _rdflib_result(self):
        import rdflib
        from rdflib.query import Result

        from ..rdf.convert import to_rdflib_term

        if self.kind == "ask":
            result = Result("ASK")
            result.askAnswer = bool(self.boolean)
            return result
        result = Result("SELECT")
        variables = [rdflib.Variable(v) for v in self.variables]
        result.vars = variables
        result.bindings = [
            {var: to_rdflib_term(term) for var, term in zip(variables, row) if term is not None}
            for row in self.rows
        ]
        return result
