"""A lock on a SPARQL server, so that two loads never write at once.

Two ``kgraph load`` runs against one server would otherwise interleave their
writes (a server need not isolate two replacements of one graph: both
copies end up in it). The lock lives in a small graph, ``graph:kgraph-lock``.

Taking it asks nothing clever of the server, because servers differ exactly
where a conditional update would rely on them (Virtuoso runs two
``DELETE``/``INSERT`` updates at once without isolating them, and evaluates
``OPTIONAL`` over an emptied graph to nothing). A writer:

1. writes a claim with ``INSERT DATA``: who it is, since when, until when;
2. reads every claim back, and ignores the expired ones (by its own clock);
3. holds the lock if its claim is the only one left, and still is after a
   short pause (a claim sent at the same instant may still be landing);
   otherwise it withdraws its claim and waits (``wait`` seconds, with a
   random pause so that two waiters do not collide again), or fails with a
   message naming the holder.

A load refreshes its claim between files, at most every ``interval``
seconds (5, or a tenth of the expiry if that is shorter: two requests a
refresh, not two a file), and, if the claim has gone (the lock was broken)
or expired while another writer took the lock, stops.

What it protects: kgraph loads and repairs against each other. What it does
not: other tools writing to the server, and a holder that stops without
releasing it, whose lock lasts until it expires (``expiry`` seconds after
its last refresh), or until ``kgraph store repair --break-lock``. Writers
on different machines compare expiry times by their own clocks: keep them
synchronised (NTP), or set the expiry well above the clocks' difference.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass

from ..errors import StoreError
from ..namespaces import GRAPH, META

__all__ = ["ServerLock", "Claim", "LOCK_GRAPH"]

LOCK_GRAPH = GRAPH + "kgraph-lock"
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


def _stamp(moment: dt.datetime, *, up: bool = False) -> str:
    """``moment`` as an xsd:dateTime literal in whole seconds (rounded ``up`` for an expiry)."""
    if up and moment.microsecond:
        moment = moment + dt.timedelta(seconds=1)
    return f'"{moment.strftime("%Y-%m-%dT%H:%M:%SZ")}"^^<{_XSD_DATETIME}>'


def _moment(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Claim:
    """One writer's claim on the lock, as the lock graph holds it."""

    node: str
    owner: str
    since: str
    expires: str

    def live(self, now: dt.datetime) -> bool:
        """Unexpired at ``now`` (a claim whose expiry cannot be read counts as live)."""
        until = _moment(self.expires)
        return until is None or until > now

    def describe(self) -> tuple[str, str, str]:
        return self.owner, self.since, self.expires


class ServerLock:
    """The load lock of one server (see the module's description)."""

    def __init__(self, backend, *, expiry: float = 600.0, wait: float = 0.0) -> None:
        self.backend = backend
        self.expiry = expiry
        self.wait = wait
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.node = f"urn:kgraph-lock:{self.owner}"
        self.held = False
        #: How long a writer waits before reading its claim back a second time.
        self.settle = 0.3
        #: The least time between two refreshes of a long load (see :meth:`due`).
        self.interval = min(5.0, expiry / 10)
        self.refreshed = 0.0

    # -- what is written and read ---------------------------------------------

    def _claim(self) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        until = now + dt.timedelta(seconds=self.expiry)
        self.backend.update(
            f"INSERT DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> <{META}holder> <{self.node}> . "
            f"<{self.node}> <{META}owner> \"{self.owner}\" ; <{META}since> {_stamp(now)} ; "
            f"<{META}expires> {_stamp(until, up=True)} . }} }}")

    def claims(self) -> list[Claim]:
        """Every claim the lock graph holds, expired ones included.

        A claim is anything with an expiry: a claim that lost its owner or
        start (an interrupted write) still counts, under its node's name."""
        rows = self.backend.query(
            f"SELECT ?h ?owner ?since ?expires WHERE {{ GRAPH <{LOCK_GRAPH}> {{ ?h <{META}expires> ?expires "
            f"OPTIONAL {{ ?h <{META}owner> ?owner }} OPTIONAL {{ ?h <{META}since> ?since }} }} }}")
        found = []
        for r in rows:
            node = r["h"].value
            owner = r["owner"].value if r["owner"] is not None else node.removeprefix("urn:kgraph-lock:")
            found.append(Claim(node, owner, r["since"].value if r["since"] is not None else "?",
                               r["expires"].value))
        return sorted(set(found), key=lambda c: (c.since, c.node))

    def holders(self) -> list[tuple[str, str, str]]:
        """``(owner, since, expires)`` of every unexpired claim."""
        now = dt.datetime.now(dt.timezone.utc)
        return [c.describe() for c in self.claims() if c.live(now)]

    def _drop(self, node: str) -> None:
        self.backend.update(f"DELETE WHERE {{ GRAPH <{LOCK_GRAPH}> {{ <{node}> ?p ?o }} }} ;\n"
                            f"DELETE WHERE {{ GRAPH <{LOCK_GRAPH}> {{ ?l <{META}holder> <{node}> }} }}")

    def _drop_mine(self) -> None:
        self._drop(self.node)

    def _live_others(self) -> tuple[bool | None, list[Claim]]:
        """Whether my claim is unexpired (None: it is not there), and the other
        unexpired claims; expired claims of others are removed on the way."""
        now = dt.datetime.now(dt.timezone.utc)
        mine, others = None, []
        for claim in self.claims():
            if claim.node == self.node:
                mine = claim.live(now)
            elif claim.live(now):
                others.append(claim)
            else:
                self._drop(claim.node)
        return mine, others

    # -- what a load does -----------------------------------------------------

    def acquire(self) -> None:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                self._claim()
                mine, others = self._live_others()
                if mine and not others:
                    time.sleep(self.settle)
                    mine, others = self._live_others()
                    if mine and not others:
                        self.held = True
                        self.refreshed = time.monotonic()
                        return
                self._drop_mine()
            except BaseException:
                try:  # the claim may have landed: withdraw it rather than leave it until it expires
                    self._drop_mine()
                except Exception:
                    pass
                raise
            if time.monotonic() >= deadline:
                who = others[0].describe() if others else ("another load", "?", "?")
                raise StoreError(f"the store is being loaded by {who[0]} (since {who[1]}; the lock expires at "
                                 f"{who[2]}): try again later, wait for it, or, if that load is gone, break the "
                                 "lock with kgraph store repair --break-lock", option="lock_wait")
            time.sleep(min(0.5 + random.random(), max(deadline - time.monotonic(), 0.05)))

    def due(self) -> bool:
        """Whether a held lock should be refreshed now: ``interval`` seconds
        after it was taken or last refreshed."""
        return self.held and time.monotonic() - self.refreshed >= self.interval

    def refresh(self) -> None:
        """Push the expiry forward (a long load calls this between files,
        when :meth:`due`), or stop if the lock is no longer this writer's."""
        if not self.held:
            return
        live_mine, others = self._live_others()
        if live_mine is None or (not live_mine and others):
            self.held = False
            raise StoreError("this load lost the store's load lock (" + (
                f"{others[0].owner} holds it now" if others else "it was broken") + "): it stops here; "
                "every graph it wrote is whole; run kgraph load again", option="lock_wait")
        until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.expiry)
        self.backend.update(
            f"DELETE {{ GRAPH <{LOCK_GRAPH}> {{ <{self.node}> <{META}expires> ?e }} }}\n"
            f"INSERT {{ GRAPH <{LOCK_GRAPH}> {{ <{self.node}> <{META}expires> {_stamp(until, up=True)} }} }}\n"
            f"WHERE {{ GRAPH <{LOCK_GRAPH}> {{ <{self.node}> <{META}expires> ?e }} }}")
        self.refreshed = time.monotonic()

    def release(self) -> None:
        if self.held:
            self._drop_mine()
            self.held = False

    def break_lock(self) -> list[tuple[str, str, str]]:
        """Remove every claim (``kgraph store repair --break-lock``); returns the unexpired ones."""
        holders = self.holders()
        self.backend.update(f"DROP SILENT GRAPH <{LOCK_GRAPH}>")
        return holders
