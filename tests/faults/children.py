"""Child processes that do real work on a real database file, for the tests to kill.

A child is ``python -c PRELUDE + code``: it prints ``ACK …`` after each step the app
acknowledged (the service returned, the command exited 0), and ``COMMITTING`` when a
unit of work has written its rows but not yet committed them (the slow-commit hook
pauses there, so a kill lands mid-transaction).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PRELUDE = r"""
import io, json, os, sys, time
from contextlib import redirect_stdout
from sqlalchemy import event
from sqlalchemy.orm import Session

def say(*parts):
    # The real stdout, also while cli() captures the command's own output.
    print(*parts, file=sys.__stdout__, flush=True)

ACKS = {"n": 0}

def ack(*parts):
    ACKS["n"] += 1
    say("ACK", *parts)

SLOW = {"commit": 0.0, "after_acks": int(os.environ.get("SLOW_AFTER_ACKS", "0"))}

@event.listens_for(Session, "before_commit")
def _pause_before_commit(session):
    # Write the unit's rows now; then, if it took the write lock, wait before COMMIT
    # (once SLOW_AFTER_ACKS steps were acknowledged at full speed).
    session.flush()
    raw = session.connection().connection.driver_connection
    slow = SLOW["commit"] and ACKS["n"] >= SLOW["after_acks"]
    if slow and raw.in_transaction:
        say("COMMITTING")
        time.sleep(SLOW["commit"])

def cli(*argv):
    # The command line in-process; its stdout is captured so only ACK lines reach ours.
    from csto_editor.cli import main
    captured = io.StringIO()
    with redirect_stdout(captured):
        code = main([str(arg) for arg in argv])
    return code, captured.getvalue()

def as_json(text):
    return json.loads(text)
"""


@dataclass
class Child:
    """A running child process and the lines it printed."""

    process: subprocess.Popen[str]
    log: Path
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def next(self, timeout: float = 30) -> str | None:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the child said nothing for {timeout} s:\n{self.stderr()}")
        if line is not None:
            self.seen.append(line)
        return line

    def wait_for(
        self, prefix: str | tuple[str, ...], count: int = 1, timeout: float = 30
    ) -> list[str]:
        """Read until ``count`` lines starting with ``prefix`` came; return them."""
        found: list[str] = []
        while len(found) < count:
            line = self.next(timeout)
            if line is None:
                pytest.fail(
                    f"the child ended before {count} x {prefix!r} "
                    f"(saw {self.seen!r}):\n{self.stderr()}"
                )
            if line.startswith(prefix):
                found.append(line)
        return found

    def kill(self) -> None:
        """SIGKILL: no handler, no clean-up, no flush runs in the child."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL, self.stderr()
        self.drain()

    def finish(self, timeout: float = 60) -> int:
        """Let the child end by itself; its exit code."""
        code = self.process.wait(timeout=timeout)
        self.drain()
        return code

    def drain(self) -> None:
        """Every line printed before the end (an ACK just before a kill still counts)."""
        while True:
            line = self.next(timeout=30)
            if line is None:
                return

    def acks(self) -> list[list[str]]:
        return [line.split()[1:] for line in self.seen if line.startswith("ACK")]

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()


RUNNING: list[subprocess.Popen[str]] = []
"""Every child started; a test that fails half-way leaves none running (see conftest)."""


def kill_leftovers() -> None:
    while RUNNING:
        process = RUNNING.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def start(code: str, *args: object, log: Path, env: dict[str, str] | None = None) -> Child:
    """Run PRELUDE + ``code`` with ``args`` in ``sys.argv[1:]``."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-c", PRELUDE + code, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log.open("w", encoding="utf-8"),
        text=True,
        encoding="utf-8",
        env=environment,
    )
    child = Child(process, log)
    RUNNING.append(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            child.lines.put(line.rstrip("\n"))
        child.lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return child
