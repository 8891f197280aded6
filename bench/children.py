"""The bench's child processes (gunicorn, its Redis, the worker, wrk, the editor, the tools it runs)
and their end: however the bench stops, none of them is left running.

Each child starts in a process group of its own, so that stopping it stops what it started too
(gunicorn's workers, Lighthouse's Chromium), and so that a Ctrl-C in the terminal reaches the bench
alone, which then stops them in order. `stop_all()` runs when the bench exits by any way Python
sees: a normal end, an exception, Ctrl-C, SIGTERM or SIGHUP (turned into SystemExit by
`stop_on_signals()`), from bench/run.py's last `finally`. Should the bench itself be killed outright (SIGKILL), the kernel sends each
direct child SIGTERM (PR_SET_PDEATHSIG), which gunicorn and Redis take as "shut down".
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

_children: list[subprocess.Popen] = []
# Looked up here, not in the child between fork and exec, where as little as possible may run.
_prctl = ctypes.CDLL(None, use_errno=True).prctl
_PR_SET_PDEATHSIG = 1


def _die_with_the_bench() -> None:
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(command: list, **options) -> subprocess.Popen:
    """Starts a child in its own process group, to be stopped with the bench at the latest."""
    process = subprocess.Popen(
        [str(part) for part in command],
        start_new_session=True,
        preexec_fn=_die_with_the_bench,
        **options,
    )
    _children.append(process)
    return process


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the child's group, then SIGKILL if it has not ended within `timeout` seconds.

    Only while the child is not yet reaped: its id, which is also its group's, is then still its
    own and cannot have been given to another process."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def stop_all() -> None:
    """Every child still running, the last started first (the servers before their Redis).

    Called once, at the very end: a second Ctrl-C or SIGTERM meanwhile would cut it short."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    while _children:
        stop(_children.pop())


def _exit_on(signum, _frame) -> None:
    raise SystemExit(128 + signum)


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP end the bench as Ctrl-C does: through every `finally`."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on)


def run(command: list, *, check: bool = True, capture: bool = False, **options):
    """A child run to its end (a manage.py command, Lighthouse); stopped early if the bench is."""
    stdout = subprocess.PIPE if capture else None
    process = spawn(command, stdout=stdout, text=True, **options)
    try:
        output, _errors = process.communicate()
    finally:
        stop(process)
        _children.remove(process)
    if check and process.returncode:
        sys.exit(f"{' '.join(str(part) for part in command)} failed ({process.returncode})")
    return subprocess.CompletedProcess(process.args, process.returncode, output)
