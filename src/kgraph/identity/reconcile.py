"""A reconciliation service over the registry (``kgraph reconcile``).

OpenRefine, and other tools that speak the W3C Reconciliation Service API
(version 0.2, the one OpenRefine sends), match a spreadsheet's column of
names against a service. This one answers from the project's actors and
places through the same resolver as ``kgraph actors find``, so "Арутюнян"
or "Shakhramanyan" find the registry's entries, and the reason each
candidate matched is given as its description.

What it serves, at the service URL (``http://127.0.0.1:8000/`` by default):

- ``GET /``: the manifest (the service's name, its identifier and schema
  spaces, the types it knows: the kinds of the resolver as ontology
  classes, and where its preview and suggest services are);
- ``GET /?queries=...`` and ``POST /`` with the form field ``queries``: a
  batch of queries (``{"q0": {"query": "Mamedov", "type": "...", "limit":
  3, "properties": [...]}}``), answered as ``{"q0": {"result": [...]}}``;
  each candidate has ``id`` (its IRI), ``name``, ``type``, ``score`` (0 to
  100), ``match`` and ``description``;
- ``GET /suggest/entity?prefix=...``: names as they are typed (OpenRefine's
  "search for match");
- ``GET /preview?id=...``: a small HTML card of one actor: its kind, every
  name with its language, and its Wikidata link where the registry has one.

A query's ``type`` (an ontology class IRI, a prefixed name such as
``kg:Person``, or a kind: person, polity, organization, group, place,
actor) keeps only things of that kind. A property ``wikidata`` (or
``owl:sameAs``) whose value is a Wikidata id (``Q227`` or its IRI) is
matched against the registry's links: the actor that has it scores 100.

``match`` is true only where one candidate is certain: the same name (or
the same name in Latin letters) and no other candidate as good, or the
Wikidata id given. Everything else is left for a person to choose in
OpenRefine. GET answers honour ``callback`` (JSONP); every answer allows
any origin (CORS), as the API asks. The service reads; it never writes.
"""

from __future__ import annotations

import html
import json
import re
import threading
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ..errors import ParameterError
from ..namespaces import BASE, KG, OWL, PREFIXES, SKOS, compact
from .registry import KINDS
from .resolver import SCORES, Candidate, NameIndex

__all__ = ["ReconciliationService", "ReconcileServer", "WIKIDATA"]

WIKIDATA = "http://www.wikidata.org/entity/"
_QID = re.compile(r"^(?:https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$")
_TYPE_NAMES = {"person": "Person", "polity": "Polity", "organization": "Organization", "group": "Group of actors",
               "place": "Place", "actor": "Actor"}
_CLASS_KIND = {cls: kind for kind, cls in KINDS}
#: Candidates scoring less (0 to 1) are left out: below it, the resolver's guesses are noise.
MIN_SCORE = 0.75
#: The most candidates one query may ask for.
MAX_LIMIT = 50
#: The most queries one batch may hold (the manifest says so).
BATCH_SIZE = 50

_LINKS = f"""
SELECT ?thing ?link WHERE {{
  {{ ?thing <{OWL}sameAs> ?link }} UNION {{ ?thing <{SKOS}exactMatch> ?link }}
  FILTER(isIRI(?thing) && STRSTARTS(STR(?link), "{WIKIDATA}"))
}}"""


class ReconciliationService:
    """The answers of the service, without HTTP (see the module's description).

    ``index`` is the registry's :class:`NameIndex`; ``links`` maps an IRI
    to its Wikidata ids (``Q...``); ``url`` is where the service is served,
    for the manifest's preview and suggest addresses.
    """

    def __init__(self, index: NameIndex, links: dict[str, set[str]] | None = None, *, url: str = "",
                 name: str = "kgraph actors and places") -> None:
        self.index = index
        self.links = links or {}
        self.by_qid: dict[str, set[str]] = defaultdict(set)
        for iri, qids in self.links.items():
            for qid in qids:
                self.by_qid[qid].add(iri)
        self.url = url.rstrip("/")
        self.name = name

    @classmethod
    def from_graph(cls, graph, *, url: str = "") -> ReconciliationService:
        """The service over the actors and places of ``graph`` (a project graph)."""
        from .registry import name_index

        links: dict[str, set[str]] = defaultdict(set)
        for row in graph.query(_LINKS):
            found = _QID.match(row["link"].value)
            if found:
                links[row["thing"].value].add(found.group(1))
        return cls(name_index(graph), dict(links), url=url)

    # -- the manifest -------------------------------------------------------

    def manifest(self) -> dict:
        kinds = sorted({named.kind for named in self.index.things.values()},
                       key=lambda k: [kind for kind, _ in KINDS].index(k))
        return {
            "versions": ["0.2"],
            "name": self.name,
            "identifierSpace": BASE,
            "schemaSpace": KG,
            "defaultTypes": [self._type(kind) for kind in kinds],
            "batchSize": BATCH_SIZE,
            "view": {"url": f"{self.url}/preview?id={{{{id}}}}"},
            "preview": {"url": f"{self.url}/preview?id={{{{id}}}}", "width": 400, "height": 200},
            "suggest": {"entity": {"service_url": self.url, "service_path": "/suggest/entity"}},
        }

    # -- queries ------------------------------------------------------------

    def reconcile(self, queries: dict) -> dict:
        """Answers to a batch of queries, by the batch's own keys."""
        if not isinstance(queries, dict) or not queries:
            raise ParameterError("queries must be a JSON object of queries by key, e.g. "
                                 '{"q0": {"query": "Ramin Mamedov"}}', parameter="queries")
        if len(queries) > BATCH_SIZE:
            raise ParameterError(f"a batch holds at most {BATCH_SIZE} queries, not {len(queries)}", parameter="queries")
        return {key: {"result": self.answer(query, key=key)} for key, query in queries.items()}

    def answer(self, query, *, key: str = "query") -> list[dict]:
        """The candidates for one query (a dict, or a bare string)."""
        if isinstance(query, str):
            query = {"query": query}
        if not isinstance(query, dict):
            raise ParameterError(f"{key}: a query is a JSON object with a 'query' string", parameter="queries")
        text = query.get("query")
        if not isinstance(text, str) or not text.strip():
            raise ParameterError(f"{key}: the query has no 'query' string to look up", parameter="queries")
        limit = query.get("limit", 5)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ParameterError(f"{key}: 'limit' must be a positive whole number, not {limit!r}", parameter="queries")
        limit = min(limit, MAX_LIMIT)
        kinds = self._kinds(query.get("type"), key)
        qids = self._qids(query.get("properties"), key)
        found = self.index.find(text, kinds=kinds, limit=limit, min_score=MIN_SCORE)
        by_iri: dict[str, tuple[float, str, bool]] = {}  # iri -> (score, why, certain)
        for candidate in found:
            by_iri[candidate.iri] = (candidate.score * 100, _why(candidate), False)
        if qids:
            for qid in qids:
                for iri in self.by_qid.get(qid, ()):
                    named = self.index.things.get(iri)
                    if named is not None and (kinds is None or named.kind in kinds):
                        by_iri[iri] = (100.0, f"the same Wikidata id ({qid})", True)
        ranked = sorted(by_iri.items(), key=lambda item: (-item[1][0], self.index.things[item[0]].label, item[0]))
        ranked = ranked[:limit]
        results = []
        for position, (iri, (score, why, certain)) in enumerate(ranked):
            named = self.index.things[iri]
            if not certain and position == 0:
                # certain: the same name (or in Latin letters) and nothing else as good
                rival = ranked[1][1][0] if len(ranked) > 1 else -1.0
                certain = score >= SCORES["romanised"] * 100 and rival < score
            results.append({"id": iri, "name": named.label, "type": [self._type(named.kind)],
                            "score": round(score, 1), "match": bool(certain), "description": why})
        return results

    def suggest(self, prefix: str, *, limit: int = 10) -> dict:
        """Entities for a name being typed (the suggest API's answer)."""
        prefix = prefix.strip()
        if not prefix:
            return {"result": []}
        starts = [named for named in self.index.things.values()
                  if any(name.casefold().startswith(prefix.casefold()) for name, _ in named.names)]
        starts.sort(key=lambda n: (n.label.casefold(), n.iri))
        seen = {n.iri for n in starts}
        more = [c for c in self.index.find(prefix, limit=limit, min_score=MIN_SCORE) if c.iri not in seen]
        entries = [{"id": n.iri, "name": n.label, "description": _TYPE_NAMES[n.kind]} for n in starts]
        entries += [{"id": c.iri, "name": c.label, "description": f"{_TYPE_NAMES[c.kind]}: {_why(c)}"} for c in more]
        return {"result": entries[:limit]}

    def preview(self, iri: str) -> str | None:
        """A small HTML card for ``iri``, or None if the registry has no such thing."""
        named = self.index.things.get(iri)
        if named is None:
            return None
        names = "".join(f"<li>{html.escape(name)}{f' <small>({html.escape(tag)})</small>' if tag else ''}</li>"
                        for name, tag in named.names)
        links = "".join(f'<li><a href="{WIKIDATA}{qid}" target="_blank" rel="noopener">Wikidata {qid}</a></li>'
                        for qid in sorted(self.links.get(iri, ())))
        return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + html.escape(named.label) +
                "</title></head><body style=\"font-family:sans-serif;font-size:13px;margin:6px\">"
                f"<b>{html.escape(named.label)}</b> <span>({_TYPE_NAMES[named.kind]})</span>"
                f"<div><code>{html.escape(compact(iri))}</code></div>"
                f"<div>Names:</div><ul>{names}</ul>{f'<ul>{links}</ul>' if links else ''}</body></html>")

    # -- helpers ------------------------------------------------------------

    def _type(self, kind: str) -> dict:
        return {"id": dict(KINDS)[kind], "name": _TYPE_NAMES[kind]}

    def _kinds(self, wanted, key: str) -> set[str] | None:
        if wanted in (None, "", []):
            return None
        kinds = set()
        for item in wanted if isinstance(wanted, list) else [wanted]:
            if isinstance(item, dict):  # {"id": ..., "name": ...}, as some clients send
                item = item.get("id")
            if not isinstance(item, str):
                raise ParameterError(f"{key}: 'type' must be a class IRI or a kind, not {item!r}", parameter="queries")
            if item in _TYPE_NAMES:
                kinds.add(item)
                continue
            prefix, _, local = item.partition(":")
            iri = PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else item
            kind = _CLASS_KIND.get(iri)
            if kind is None:
                known = ", ".join(compact(cls) for _, cls in KINDS)
                raise ParameterError(f"{key}: unknown type {item!r}; the types are {known} "
                                     f"(or the kinds {', '.join(_TYPE_NAMES)})", parameter="queries")
            kinds.add(kind)
        if "actor" in kinds:  # every actor, whatever its kind
            kinds |= {"person", "polity", "organization", "group"}
        return kinds

    def _qids(self, properties, key: str) -> set[str]:
        if not properties:
            return set()
        if not isinstance(properties, list):
            raise ParameterError(f"{key}: 'properties' must be a list of {{\"pid\": ..., \"v\": ...}}",
                                 parameter="queries")
        qids = set()
        for prop in properties:
            if not isinstance(prop, dict):
                raise ParameterError(f"{key}: each property is {{\"pid\": ..., \"v\": ...}}, not {prop!r}",
                                     parameter="queries")
            pid = prop.get("pid", prop.get("p"))
            if pid not in ("wikidata", "owl:sameAs", OWL + "sameAs", "skos:exactMatch", SKOS + "exactMatch"):
                continue  # a property this service does not compare: it cannot change the score
            values = prop.get("v")
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, dict):
                    value = value.get("id")
                found = _QID.match(str(value).strip()) if value is not None else None
                if found:
                    qids.add(found.group(1))
        return qids


def _why(candidate: Candidate) -> str:
    if candidate.matched == candidate.label:
        return candidate.reason
    return f"{candidate.reason}: {candidate.matched!r}"


# -- HTTP ---------------------------------------------------------------------


class ReconcileServer:
    """The service on ``host:port`` (port 0: any free port), in a thread or in the foreground."""

    def __init__(self, make_service: Callable[[str], ReconciliationService], host: str = "127.0.0.1",
                 port: int = 8000) -> None:
        handler = type("Handler", (_Handler,), {})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.httpd.server_address[1]}/"
        handler.service = make_service(self.url)
        self.service = handler.service
        self._thread: threading.Thread | None = None

    def start(self) -> ReconcileServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> ReconcileServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    service: ReconciliationService
    server_version = "kgraph-reconcile"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the quiet default
        pass

    def do_OPTIONS(self) -> None:  # a browser's CORS preflight
        self._send(204, b"", "text/plain", extra={"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                                  "Access-Control-Allow-Headers": "Content-Type"})

    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(parsed.query)
        self._route(parsed.path, fields, fields.get("callback", [None])[0])

    def do_POST(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(400, "Content-Length is not a number")
        if length < 0 or length > 10_000_000:
            return self._error(413, "the request is larger than 10 MB")
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        fields = urllib.parse.parse_qs(parsed.query)
        if kind == "application/json":
            fields["queries"] = [body]
        else:
            fields |= urllib.parse.parse_qs(body)
        self._route(parsed.path, fields, None)

    def _route(self, path: str, fields: dict[str, list[str]], callback: str | None) -> None:
        if callback is not None and not re.fullmatch(r"[A-Za-z_$][\w$.]*", callback):
            return self._error(400, "callback must be a JavaScript name")
        try:
            if path in ("/", "/reconcile"):
                if "queries" in fields:
                    answer = self.service.reconcile(_json_field(fields["queries"][0], "queries"))
                elif "query" in fields:  # a single query, as version 0.1 clients send it
                    raw = fields["query"][0]
                    query = _json_field(raw, "query") if raw.lstrip().startswith("{") else raw
                    answer = {"result": self.service.answer(query)}
                else:
                    answer = self.service.manifest()
                return self._json(answer, callback)
            if path == "/suggest/entity":
                return self._json(self.service.suggest(fields.get("prefix", [""])[0]), callback)
            if path == "/preview":
                iri = fields.get("id", [""])[0]
                page = self.service.preview(iri)
                if page is None:
                    return self._error(404, f"no actor or place has the id {iri!r}")
                return self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
        except ParameterError as error:
            return self._error(400, str(error))
        self._error(404, f"no such service: {path} (the manifest is at /)")

    def _json(self, answer, callback: str | None) -> None:
        text = json.dumps(answer, ensure_ascii=False)
        if callback:
            self._send(200, f"{callback}({text});".encode(), "application/javascript; charset=utf-8")
        else:
            self._send(200, text.encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._send(status, json.dumps({"error": message}, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _json_field(raw: str, name: str):
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise ParameterError(f"{name} is not valid JSON: {error.msg} at character {error.pos}", parameter=name) from None
