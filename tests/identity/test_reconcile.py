"""kgraph reconcile: the registry as a W3C reconciliation service, asked over
real HTTP on loopback the way OpenRefine asks (a manifest by GET, batches of
queries as a form POST, suggest and preview)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kgraph.identity.reconcile import ReconcileServer, ReconciliationService
from kgraph.project import find_project, load_project

from conftest import ROOT

KG = "https://w3id.org/kgraph/ontology#"
ACTOR = "https://w3id.org/kgraph/actor/"


@pytest.fixture(scope="module")
def service():
    graph = load_project(project=find_project(ROOT))
    with ReconcileServer(lambda url: ReconciliationService.from_graph(graph, url=url), port=0) as running:
        yield running


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read().decode("utf-8")


def _post(url: str, fields: dict[str, str]):
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def _error(url: str, data: bytes | None = None) -> tuple[int, str]:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(urllib.request.Request(url, data), timeout=10)
    return caught.value.code, json.loads(caught.value.read())["error"]


def test_the_manifest_says_what_the_service_is(service):
    status, headers, text = _get(service.url)
    manifest = json.loads(text)
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == "https://w3id.org/kgraph/"
    assert {t["id"] for t in manifest["defaultTypes"]} >= {KG + "Person", KG + "Polity", KG + "Place"}
    assert manifest["preview"]["url"] == f"{service.url}preview?id={{{{id}}}}"
    assert manifest["suggest"]["entity"]["service_url"] + manifest["suggest"]["entity"]["service_path"] \
        == service.url + "suggest/entity"


def test_the_manifest_by_jsonp(service):
    _, headers, text = _get(service.url + "?callback=jsonp123")
    assert headers["Content-Type"].startswith("application/javascript")
    found = re.fullmatch(r"jsonp123\((.*)\);", text, re.S)
    assert found and json.loads(found.group(1))["name"]


def test_a_batch_as_openrefine_posts_it(service):
    """Spellings from other scripts and transliterations find the registry's
    actors; only a certain candidate is a match."""
    queries = {
        "q0": {"query": "Ramin Mamedov", "type": KG + "Person", "type_strict": "should", "limit": 3},
        "q1": {"query": "Рамин Мамедов", "limit": 3},
        "q1b": {"query": "Шахраманян Самвел"},
        "q2": {"query": "Arayik Arutyunyan", "type": "kg:Person"},
        "q3": {"query": "Azerbaijan", "type": "polity"},
        "q4": {"query": "Nobody Atall Zzyzx"},
        "q5": {"query": "Russian Federation", "properties": [{"pid": "wikidata", "v": "Q159"}]},
    }
    answer = _post(service.url, {"queries": json.dumps(queries, ensure_ascii=False)})
    assert set(answer) == set(queries)
    top = {key: answer[key]["result"][0] if answer[key]["result"] else None for key in answer}
    assert top["q0"]["id"] == ACTOR + "ramin-mammadov" and top["q0"]["match"] is True
    assert top["q0"]["type"] == [{"id": KG + "Person", "name": "Person"}]
    assert len(answer["q0"]["result"]) <= 3 and all(
        r["type"][0]["id"] == KG + "Person" for r in answer["q0"]["result"])
    assert top["q1"]["id"] == ACTOR + "ramin-mammadov" and top["q1"]["match"] is True
    # family name first, in Cyrillic: a transliteration variant, for a person to confirm
    assert top["q1b"]["id"] == ACTOR + "samvel-shahramanyan" and top["q1b"]["match"] is False
    assert "same consonants" in top["q1b"]["description"]
    assert top["q2"]["id"] == ACTOR + "arayik-harutyunyan" and top["q2"]["score"] == 100
    assert top["q3"]["id"] == ACTOR + "azerbaijan" and top["q3"]["match"] is True
    assert all(r["type"][0]["id"] == KG + "Polity" for r in answer["q3"]["result"])
    assert top["q4"] is None
    assert top["q5"]["id"] == ACTOR + "russia" and top["q5"]["match"] is True and "Q159" in top["q5"]["description"]
    for results in answer.values():
        scores = [r["score"] for r in results["result"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
        assert sum(r["match"] for r in results["result"]) <= 1


def test_a_family_name_alone_is_a_candidate_never_a_match(service):
    answer = _post(service.url, {"queries": json.dumps({"q0": {"query": "Shakhramanyan"}})})
    best = answer["q0"]["result"][0]
    assert best["id"] == ACTOR + "samvel-shahramanyan" and best["match"] is False and best["score"] < 97


def test_queries_by_get_and_single_queries(service):
    queries = urllib.parse.quote(json.dumps({"a": {"query": "Toivo Klaar"}}))
    _, _, text = _get(f"{service.url}?queries={queries}")
    assert json.loads(text)["a"]["result"][0]["id"] == ACTOR + "toivo-klaar"
    _, _, text = _get(f"{service.url}?query=Ned%20Price")
    assert json.loads(text)["result"][0]["id"] == ACTOR + "ned-price"


def test_suggest_and_preview(service):
    _, _, text = _get(service.url + "suggest/entity?prefix=Toi")
    assert json.loads(text)["result"][0]["id"] == ACTOR + "toivo-klaar"
    iri = urllib.parse.quote(ACTOR + "azerbaijan", safe="")
    _, headers, page = _get(f"{service.url}preview?id={iri}")
    assert headers["Content-Type"].startswith("text/html")
    assert "Azerbaijan" in page and "Q227" in page and "Azərbaycan" in page


@pytest.mark.parametrize("fields,message", [
    ({"queries": "{not json"}, "queries is not valid JSON"),
    ({"queries": json.dumps({"q0": {"limit": 2}})}, "q0: the query has no 'query' string"),
    ({"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}, "q0: 'limit' must be a positive whole number"),
    ({"queries": json.dumps({"q0": {"query": "x", "type": "kg:Banana"}})}, "q0: unknown type 'kg:Banana'"),
    ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})}, "at most 50 queries"),
    ({"queries": "[]"}, "queries must be a JSON object"),
])
def test_bad_requests_get_400_and_say_why(service, fields, message):
    status, error = _error(service.url, urllib.parse.urlencode(fields).encode())
    assert status == 400 and message in error


def test_unknown_paths_and_ids_get_404(service):
    assert _error(service.url + "nothing-here")[0] == 404
    status, error = _error(service.url + "preview?id=" + urllib.parse.quote(ACTOR + "nobody"))
    assert status == 404 and "nobody" in error


def test_the_command_serves_until_sigterm(tmp_path):
    """kgraph reconcile as a user starts it: it prints its URL, answers, and
    stops cleanly on SIGTERM."""
    process = subprocess.Popen([sys.executable, "-m", "kgraph", "reconcile", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "KGRAPH_STORE": "", "KGRAPH_PROJECT": ""})
    try:
        line = process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert found, line + process.stderr.read()
        answer = _post(found.group(1), {"queries": json.dumps({"q0": {"query": "Harutyunyan"}})})
        assert answer["q0"]["result"][0]["id"] == ACTOR + "arayik-harutyunyan"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=10)
        finally:
            process.kill()
    assert code == 0


def test_a_busy_port_is_a_usage_error(service):
    port = urllib.parse.urlsplit(service.url).port
    done = subprocess.run([sys.executable, "-m", "kgraph", "reconcile", "--port", str(port)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "KGRAPH_STORE": "", "KGRAPH_PROJECT": ""})
    assert done.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
