"""Time limits for a whole command.

Two stages, because long work may be Python or native code:

1. ``SIGALRM`` at the limit raises :class:`TimeLimitError` in the main
   thread. Python code stops there, including a regular expression stuck
   in catastrophic backtracking (CPython's ``re`` checks for signals while it
   matches), so pySHACL's ``sh:pattern`` cannot run forever. The error
   unwinds normally: loads roll back, atomic writes remove their temporary
   files.
2. Native code that releases the GIL but never looks at signals (a
   pyoxigraph query or load) is not interrupted by stage 1; a watchdog thread
   ends the process ``grace`` seconds later with the same message and exit
   code 2, first removing the temporary files of unfinished atomic writes.
   Nothing is half-written even then: outputs are renamed into place only
   when complete, and the on-disk store commits whole transactions (a load
   stopped this way between files keeps the files it had stored, each whole
   and recorded, instead of rolling them back).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import TimeLimitError

__all__ = ["TimeLimitError", "time_limit", "EXIT_TIME_LIMIT"]

#: Exit code of a command stopped by its time limit (the usual error code).
EXIT_TIME_LIMIT = 2


def _message(what: str, seconds: float) -> str:
    return (f"{what} did not finish within {seconds:g} s and was stopped "
            "(raise or disable the limit with --time-limit SECONDS, 0 for none)")


@contextmanager
def time_limit(seconds: float | None, what: str = "the command", grace: float = 2.0) -> Iterator[None]:
    """Stop the work inside the ``with`` block after ``seconds`` (None or 0: no limit).

    Only the main thread can take signals: called from another thread (the
    command line run inside a worker of some host program), it applies no
    limit rather than risk ending the host's process.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitError(_message(what, seconds))

    finished = threading.Event()

    def watchdog() -> None:
        if finished.wait(seconds + grace):
            return
        from .atomic import remove_unfinished

        remove_unfinished()
        sys.stderr.write(f"Error: {_message(what, seconds)}\n")
        sys.stderr.flush()
        os._exit(EXIT_TIME_LIMIT)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    threading.Thread(target=watchdog, name="kgraph-time-limit", daemon=True).start()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        finished.set()
