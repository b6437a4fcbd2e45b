"""Talking to a SPARQL server over HTTP: one request at a time, every failure
a clear :class:`~kgraph.errors.RemoteError`, credentials never sent anywhere
but the server's own address and never printed.

Credentials come from the environment (``$KGRAPH_SPARQL_TOKEN`` for a bearer
token, or ``$KGRAPH_SPARQL_USER`` and ``$KGRAPH_SPARQL_PASSWORD``) or from the
URL's userinfo (``https://user:password@host/query``), which is taken out of
the URL before anything is sent. No redirect is followed.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..errors import RemoteError

__all__ = ["Client", "Response", "without_userinfo"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: a SPARQL endpoint is given by its own URL, and
    credentials must never travel to an address the server names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def without_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without ``user:password@`` (which never appears in a message),
    and the user and password it held.

    >>> without_userinfo("https://ann:s%40cret@sparql.example/kg/query")
    ('https://sparql.example/kg/query', 'ann', 's@cret')
    """
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, urllib.parse.unquote(parts.username or ""), urllib.parse.unquote(parts.password or "")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Client:
    """HTTP requests to one server, with its credentials and timeout."""

    def __init__(self, user: str | None = None, password: str | None = None, timeout: float = 30.0) -> None:
        self._url_user, self._url_password = user, password
        self.timeout = timeout

    def headers(self) -> dict[str, str]:
        headers = {"User-Agent": "kgraph"}
        token = os.environ.get("KGRAPH_SPARQL_TOKEN")
        user, password = os.environ.get("KGRAPH_SPARQL_USER"), os.environ.get("KGRAPH_SPARQL_PASSWORD")
        if user is None and self._url_user is not None:
            user, password = self._url_user, self._url_password
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            credentials = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {credentials}"
        return headers

    def scrub(self, text: str) -> str:
        """``text`` with any credential kgraph holds blanked out."""
        for secret in (os.environ.get("KGRAPH_SPARQL_TOKEN"), os.environ.get("KGRAPH_SPARQL_PASSWORD"),
                       self._url_password):
            if secret:
                text = text.replace(secret, "***")
        return text

    def request(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
                accept: str | None = None, timeout: float | None = None) -> Response:
        """Send one request; the answer, or a :class:`RemoteError` (with
        ``timed_out`` set when the server did not answer in time)."""
        headers = self.headers()
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        wait = self.timeout if timeout is None else timeout
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with _OPENER.open(request, timeout=wait) as response:
                data = response.read()
                expected = response.headers.get("Content-Length")
                if expected is not None and len(data) != int(expected):
                    raise RemoteError(f"{url}: the response was cut short ({len(data)} of {expected} bytes)")
                return Response(response.status, dict(response.headers.items()), data)
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                target, _, _ = without_userinfo(exc.headers.get("Location") or "")
                raise RemoteError(f"{url}: the server redirects ({exc.code}) to {target or 'elsewhere'}; kgraph "
                                  "follows no redirect (credentials must never go to another address): give it "
                                  "the endpoint's own URL") from None
            message = self.scrub(exc.read().decode("utf-8", "replace").strip()[:500])
            error = RemoteError(f"{url}: HTTP {exc.code} {exc.reason}: {message}")
            error.status = exc.code
            raise error from None
        except (TimeoutError, socket.timeout):
            raise _timed_out(url, wait) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise _timed_out(url, wait) from None
            raise RemoteError(f"{url}: cannot connect: {exc.reason}") from None
        except http.client.IncompleteRead as exc:
            raise RemoteError(f"{url}: the response was cut short ({len(exc.partial)} bytes, "
                              f"{exc.expected} missing)") from None
        except (ConnectionError, OSError, http.client.HTTPException) as exc:
            raise RemoteError(f"{url}: the connection failed: {exc}") from None


def _timed_out(url: str, seconds: float) -> RemoteError:
    error = RemoteError(f"{url}: no answer within {seconds:g} s", option="timeout")
    error.timed_out = True
    return error
