"""The benchmark suite: CSTO Editor against Pelican and ReText, as whole processes.

Run with the project venv from the repository root::

    .venv/bin/python -m benchmarks.run            # the full suite (make bench)
    .venv/bin/python -m benchmarks.run --quick    # a small smoke run, about two minutes

Every timed command is a separate process, timed from outside with a wall clock
(``time.perf_counter`` around a blocking wait for the process). Within a group the sides
alternate run by run (ours, peer, peer, ours, ...), on the same corpus, so that drift of
the machine hits both. The table shows medians with min–max and the ratio per pair; the same goes to
``benchmarks/results/<timestamp>.json``. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

if __package__ in (None, ""):  # run as `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpus, peers

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_WORK = BENCH_DIR / ".work"
BIN = Path(sys.executable).parent
RETEXT_EXTENSIONS = "toc\nsane_lists\nsmarty\n"
CHANGED_ITEMS = 10


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- timing


@dataclass
class Side:
    """One command of a group, timed as a whole process."""

    key: str
    label: str
    command: Callable[[Path], list[str]]
    """The command line, given a fresh empty folder for this run."""
    prepare: Callable[[Path], None] | None = None
    """Untimed set-up inside the run's folder (e.g. copy the database)."""
    cwd: Path | None = None
    env: dict[str, str] | None = None
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    others: list[float] = field(default_factory=list)
    """Per run: cores that other processes on the machine kept busy meanwhile."""

    def stats(self) -> dict[str, Any]:
        if not self.times:
            return {"median": None, "min": None, "max": None, "runs": [], "errors": self.errors}
        return {
            "median": statistics.median(self.times),
            "min": min(self.times),
            "max": max(self.times),
            "runs": [round(t, 4) for t in self.times],
            "other_processes_cores": [round(c, 2) for c in self.others],
            "errors": self.errors,
        }


def _run_timed(
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None,
    stdout: IO[bytes],
    stderr: IO[bytes],
    timeout: float,
) -> int | None:
    """The command's exit code, or None when it was killed after ``timeout`` seconds.

    Waits with a blocking ``waitpid``: ``subprocess.run(timeout=...)`` polls every 50 ms,
    which rounded every time up to the next 50 ms step.
    """
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr
    )
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        process.kill()

    watchdog = threading.Timer(timeout, kill)
    watchdog.start()
    try:
        code = process.wait()
    finally:
        watchdog.cancel()
    return None if timed_out.is_set() else code


def _machine_busy() -> float:
    """CPU seconds all processes on the machine have been busy (from /proc/stat); -inf
    where that is not available."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return float("-inf")
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _our_cpu() -> float:
    """CPU seconds of this harness and the processes it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    itself = resource.getrusage(resource.RUSAGE_SELF)
    return children.ru_utime + children.ru_stime + itself.ru_utime + itself.ru_stime


BUSY_WARNING = 0.15
"""Other processes using more cores than this (median) make a row unreliable."""


class Timer:
    def __init__(self, work: Path, timeout: float, quiet_wait: float = 0) -> None:
        self.scratch = work / "runs"
        self.timeout = timeout
        self.quiet_wait = quiet_wait

    @contextlib.contextmanager
    def folder(self) -> Iterator[Path]:
        self.scratch.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(dir=self.scratch))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def once(self, side: Side) -> float | None:
        with self.folder() as folder:
            if side.prepare is not None:
                side.prepare(folder)
            command = side.command(folder)
            # Untimed: write out what earlier runs and the set-up left dirty (a database
            # copy, a peer's output), so that a command that syncs (our export does, before
            # it swaps the bundle into place) pays only for its own writes.
            os.sync()
            out, err = folder / "stdout.txt", folder / "stderr.txt"
            with out.open("wb") as stdout, err.open("wb") as stderr:
                busy_before, ours_before = _machine_busy(), _our_cpu()
                start = time.perf_counter()
                code = _run_timed(
                    command, side.cwd or folder, side.env, stdout, stderr, self.timeout
                )
                elapsed = time.perf_counter() - start
                busy = _machine_busy() - busy_before
                ours = _our_cpu() - ours_before
            if code != 0:
                tail = err.read_text(errors="replace").strip().splitlines()[-3:]
                what = "timed out" if code is None else f"exit {code}"
                side.errors.append(f"{what}: {' | '.join(tail)[:500]}")
                log(f"    {side.key}: FAILED ({what}) {' | '.join(tail)[:300]}")
                return None
            side.times.append(elapsed)
            if busy >= 0:
                side.others.append(max(0.0, busy - ours) / elapsed)
            return elapsed

    def wait_until_quiet(self) -> None:
        """Wait (up to ``quiet_wait`` seconds) until other processes leave the CPU idle."""
        deadline = time.perf_counter() + self.quiet_wait
        while True:
            busy, ours = _machine_busy(), _our_cpu()
            time.sleep(2)
            others = (_machine_busy() - busy - (_our_cpu() - ours)) / 2
            if others <= BUSY_WARNING or time.perf_counter() >= deadline:
                if others > BUSY_WARNING:
                    log(f"  the machine is busy ({others:.2f} cores used by others); going on")
                return
            log(f"  waiting for a quiet machine ({others:.2f} cores used by others)")
            time.sleep(8)

    def group(self, name: str, sides: list[Side], runs: int, cap_s: float) -> int:
        """Run every side ``runs`` times, alternating; stop early (after 3) past ``cap_s``."""
        self.wait_until_quiet()
        started = time.perf_counter()
        done = 0
        for run in range(runs):
            order = sides if run % 2 == 0 else list(reversed(sides))
            line = []
            for side in order:
                elapsed = self.once(side)
                line.append(f"{side.key} {'FAILED' if elapsed is None else f'{elapsed:.2f}s'}")
            done += 1
            log(f"  {name} run {run + 1}/{runs}: " + ", ".join(line))
            if done >= 3 and done < runs and time.perf_counter() - started > cap_s:
                log(f"  {name}: stopping after {done} runs (over {cap_s:.0f} s)")
                break
        return done


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    """One line of the table: ours against a peer (or against our own other command)."""

    name: str
    ours: Side | None
    peer: Side | None
    target: str
    limit: float | None
    """ours/peer must be at most this (None: for information)."""
    absolute: tuple[str, float | None, float | None] | None = None
    """(unit, value, upper bound) for targets that are not ratios."""
    note: str = ""

    def ratio(self) -> float | None:
        if self.ours is None or self.peer is None or not self.ours.times or not self.peer.times:
            return None
        return statistics.median(self.ours.times) / statistics.median(self.peer.times)

    def holds(self) -> bool | None:
        if self.absolute is not None:
            _unit, value, bound = self.absolute
            return None if value is None or bound is None else value <= bound
        ratio = self.ratio()
        return None if ratio is None or self.limit is None else ratio <= self.limit

    def to_json(self) -> dict[str, Any]:
        ratio = self.ratio()
        return {
            "name": self.name,
            "ours": None if self.ours is None else {"label": self.ours.label, **self.ours.stats()},
            "peer": None if self.peer is None else {"label": self.peer.label, **self.peer.stats()},
            "ours_over_peer": ratio,
            "speedup": None if not ratio else 1 / ratio,
            "target": self.target,
            "limit_ours_over_peer": self.limit,
            "absolute": None
            if self.absolute is None
            else {"unit": self.absolute[0], "value": self.absolute[1], "bound": self.absolute[2]},
            "holds": self.holds(),
            "note": self.note,
        }


def _fmt_side(side: Side | None) -> str:
    if side is None:
        return "—"
    if not side.times:
        return "failed" if side.errors else "not run"
    stats = side.stats()
    return f"{stats['median']:.3f} s ({stats['min']:.3f}–{stats['max']:.3f})"


def _sides(rows: list[Row]) -> list[Side]:
    seen: dict[int, Side] = {}
    for row in rows:
        for side in (row.ours, row.peer):
            if side is not None:
                seen.setdefault(id(side), side)
    return list(seen.values())


def print_table(rows: list[Row], extras: dict[str, Any]) -> str:
    header = (
        "benchmark",
        "ours: median (min–max)",
        "peer: median (min–max)",
        "ours/peer",
        "target",
        "holds",
    )
    lines = []
    for row in rows:
        ratio = row.ratio()
        if row.absolute is not None:
            unit, value, _bound = row.absolute
            ours = "—" if value is None else f"{value:.1f} {unit}"
            ratio_text = "—"
        else:
            ours = _fmt_side(row.ours)
            ratio_text = "—" if ratio is None else f"{ratio:.3f} (×{1 / ratio:.2f})"
        peer = _fmt_side(row.peer) if row.peer is not None else "—"
        if row.peer is not None and row.peer.times:
            peer += f" {row.peer.label}"
        holds = {True: "yes", False: "MISSED", None: "—"}[row.holds()]
        lines.append((row.name, ours, peer, ratio_text, row.target, holds))
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    out = []
    for i, line in enumerate([header, *lines]):
        out.append("  ".join(str(cell).ljust(widths[n]) for n, cell in enumerate(line)))
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    for row in rows:
        if row.note:
            out.append(f"* {row.name}: {row.note}")
    busy = [
        f"{side.key} {statistics.median(side.others):.2f}"
        for side in _sides(rows)
        if side.others and statistics.median(side.others) > BUSY_WARNING
    ]
    if busy:
        out.append(
            "* THE MACHINE WAS BUSY: other processes kept this many cores busy (median) "
            "during these runs, so their times are inflated: " + ", ".join(busy)
        )
    for key, value in extras.items():
        out.append(f"* {key}: {value}")
    text = "\n".join(out)
    print(text)
    return text


# --------------------------------------------------------------------------- set-up


def app_schema() -> str:
    from csto_editor.store.database import head_revision

    return head_revision()


def cached(path: Path, build: Callable[[Path], Any]) -> Path:
    """``path`` if built before; else built under a temporary name and renamed."""
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial")
    if partial.is_dir():
        shutil.rmtree(partial)
    else:
        partial.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    build(partial)
    partial.rename(path)
    return path


def copy_db(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


class Setup:
    """The corpus and databases, cached in the work folder between runs."""

    def __init__(self, work: Path, seed: int) -> None:
        self.seed = seed
        self.cache = work / f"corpus-s{seed}-v{corpus.GENERATOR_VERSION}"
        self.dbs = self.cache / f"schema-{app_schema()}"
        self.derived = work / "derived"
        self.cache.mkdir(parents=True, exist_ok=True)
        self.dbs.mkdir(parents=True, exist_ok=True)

    def files(self, n: int) -> Path:
        """``md/`` (front matter) and ``pelican/`` (content + pelicanconf.py) for N items."""

        def build(path: Path) -> None:
            log(f"  writing {n} Markdown files (front matter and Pelican copies)")
            corpus.write_files(path / "md", n, self.seed, pelican=path / "pelican")

        return cached(self.cache / f"files-{n}", build)

    def big_md(self) -> Path:
        return cached(
            self.cache / "big.md", lambda path: corpus.write_big(path, self.seed) and None
        )

    def pristine_db(self, n: int, big: bool = False) -> Path:
        name = f"{'startup' if big else 'db'}-{n}.sqlite3"

        def build(path: Path) -> None:
            log(f"  filling a database with {n} approved items{' + the big one' if big else ''}")
            filled = corpus.fill_database(path, n, self.seed, big=big, progress=n >= 20_000)
            log(f"  filled in {filled.seconds:.1f} s")

        return cached(self.dbs / name, build)

    def big_item_id(self, n: int) -> int:
        # fill_database numbers items from 1; the big document comes last.
        return n + 1

    def empty_db(self) -> Path:
        return cached(self.dbs / "empty.sqlite3", corpus._accounts_and_sections)

    def warm_db(self, n: int) -> Path:
        """A copy of the pristine database after one full export (bodies cached)."""
        self.derived.mkdir(parents=True, exist_ok=True)
        path = self.derived / f"warm-{n}.sqlite3"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        copy_db(self.pristine_db(n), path)
        out = self.derived / f"warm-{n}-bundle"
        shutil.rmtree(out, ignore_errors=True)
        log(f"  warming: one full export of {n} items (untimed)")
        started = time.perf_counter()
        subprocess.run(
            [*csto(), "--db", str(path), "--user", corpus.EXPORTER, "export", "--out", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log(f"  warmed in {time.perf_counter() - started:.1f} s")
        shutil.rmtree(out, ignore_errors=True)
        return path

    def since_db(self, warm: Path, n: int) -> Path:
        """The warm database with 10 items edited, submitted and approved since."""
        from csto_editor.services import editing, review
        from csto_editor.services.context import ServiceContext
        from csto_editor.services.queries import working_copy
        from csto_editor.store.database import open_database

        path = self.derived / f"since-{n}.sqlite3"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        copy_db(warm, path)
        step = max(1, n // CHANGED_ITEMS)
        ids = [1 + i * step for i in range(CHANGED_ITEMS)]
        database = open_database(path)
        try:
            author = ServiceContext(database, corpus.AUTHOR)
            for item_id in ids:
                content, _section, _version = working_copy(author, item_id)
                editing.edit_item(
                    author, item_id, {"body": content.body + "\n\nUpdated after the export.\n"}
                )
            review.submit(author, ids)
            review.approve(ServiceContext(database, corpus.REVIEWER), ids, "benchmark change")
        finally:
            database.dispose()
        return path


def csto() -> list[str]:
    script = BIN / "csto-editor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "csto_editor"]


def gui_env(folder: Path, *, retext: bool = False) -> dict[str, str]:
    """Offscreen Qt, and a fresh config folder (no remembered window state or file)."""
    config = folder / "config"
    config.mkdir(exist_ok=True)
    if retext:
        (config / "markdown-extensions.txt").write_text(RETEXT_EXTENSIONS, encoding="utf-8")
    return peers.offscreen_env(XDG_CONFIG_HOME=str(config))


# --------------------------------------------------------------------------- groups


@dataclass
class Options:
    quick: bool
    runs: int
    cheap_runs: int
    sizes: list[int]
    startup_items: int
    typing_bursts: int
    typing_runs: int
    search_runs: int
    import_items: int
    md_repeat: int
    cap_s: float
    only: set[str]
    timeout: float


def export_group(setup: Setup, timer: Timer, opts: Options, n: int, rows: list[Row]) -> None:
    log(f"export of {n} items: setting up")
    pristine = setup.pristine_db(n)
    site = setup.files(n) / "pelican"
    warm = setup.warm_db(n)

    def export_cmd(db: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
        return lambda folder: [
            *csto(),
            "--db",
            str(db(folder)),
            "--user",
            corpus.EXPORTER,
            "export",
            "--out",
            str(folder / "bundle"),
        ]

    first = Side(
        f"first-{n}",
        "ours, first",
        export_cmd(lambda folder: folder / "db.sqlite3"),
        prepare=lambda folder: copy_db(pristine, folder / "db.sqlite3") and None,
    )
    second = Side(
        f"warm-{n}",
        "ours, warm",
        export_cmd(lambda _folder: warm),
    )
    pelican = Side(
        f"pelican-{n}",
        "Pelican",
        lambda folder: [
            str(peers.BENCH_VENV / "bin" / "pelican"),
            "content",
            "-o",
            str(folder / "out"),
            "-s",
            "pelicanconf.py",
            "-q",
        ],
        cwd=site,
    )
    log(f"export of {n} items: timing")
    timer.group(f"export-{n}", [first, pelican, second], opts.runs, opts.cap_s)
    applies = n == max(opts.sizes)
    rows.append(
        Row(
            f"export {n:,}: first (nothing rendered) vs Pelican",
            first,
            pelican,
            "ours/peer ≤ 0.667 (≥1.5× faster)" if applies else "(info; target at 5,000)",
            1 / 1.5 if applies else None,
        )
    )
    rows.append(
        Row(
            f"export {n:,}: warm (bodies cached) vs Pelican",
            second,
            pelican,
            "ours/peer ≤ 0.2 (≥5× faster)" if applies else "(info; target at 5,000)",
            0.2 if applies else None,
        )
    )


def since_group(setup: Setup, timer: Timer, opts: Options, rows: list[Row]) -> None:
    n = max(opts.sizes)
    log(f"--since-last, {CHANGED_ITEMS} changed of {n}: setting up")
    warm = setup.derived / f"warm-{n}.sqlite3"
    if not warm.exists():
        warm = setup.warm_db(n)
    since_db = setup.since_db(warm, n)

    def side(key: str, label: str, extra: list[str]) -> Side:
        return Side(
            key,
            label,
            lambda folder: [
                *csto(),
                "--db",
                str(folder / "db.sqlite3"),
                "--user",
                corpus.EXPORTER,
                "export",
                "--out",
                str(folder / "bundle"),
                *extra,
            ],
            prepare=lambda folder: copy_db(since_db, folder / "db.sqlite3") and None,
        )

    since = side(f"since-{n}", "ours, --since-last", ["--since-last"])
    full = side(f"full-{n}", "our full export", [])
    log(f"--since-last of {n}: timing")
    timer.group(f"since-{n}", [since, full], opts.cheap_runs, opts.cap_s)
    rows.append(
        Row(
            f"export --since-last, {CHANGED_ITEMS} changed of {n:,} vs our full export",
            since,
            full,
            "since/full ≤ 0.05",
            0.05,
        )
    )


def gui_works(setup: Setup, timer: Timer) -> str | None:
    """None when ``gui --open ITEM --exit-when-ready`` works, else why not."""
    db = setup.pristine_db(200, big=True)
    probe = Side(
        "gui-probe",
        "probe",
        lambda folder: [
            *csto(),
            "--db",
            str(db),
            "--user",
            corpus.AUTHOR,
            "gui",
            "--open",
            str(setup.big_item_id(200)),
            "--exit-when-ready",
        ],
    )
    with timer.folder() as folder:
        probe.env = gui_env(folder)
        if timer.once(probe) is None:
            return "; ".join(probe.errors)
    return None


def startup_group(setup: Setup, timer: Timer, opts: Options, rows: list[Row]) -> None:
    n = opts.startup_items
    log(f"start-up with {n:,} items: setting up")
    problem = gui_works(setup, timer)
    compile_our_bytecode()
    big = setup.big_md()
    db = setup.pristine_db(n, big=True)
    item = setup.big_item_id(n)

    def ours_cmd(folder: Path) -> list[str]:
        return [
            *csto(),
            "--db",
            str(db),
            "--user",
            corpus.AUTHOR,
            "gui",
            "--open",
            str(item),
            "--exit-when-ready",
        ]

    ours = Side(f"gui-{n}", "ours, gui", ours_cmd)
    retext = Side(
        "retext",
        "ReText",
        lambda _folder: [
            str(peers.bench_python()),
            str(BENCH_DIR / "retext_driver.py"),
            "startup",
            str(big),
        ],
    )
    retext_web = Side(
        "retext-webengine",
        "ReText/WebEngine",
        lambda _folder: [
            str(peers.bench_python()),
            str(BENCH_DIR / "retext_driver.py"),
            "startup",
            str(big),
            "--webengine",
        ],
    )
    # Each run gets a fresh config folder: set the environment in prepare.
    for side, is_retext in ((ours, False), (retext, True), (retext_web, True)):
        side.prepare = _env_setter(side, is_retext)
    sides = [retext, retext_web] if problem else [ours, retext, retext_web]
    # One untimed start of each first: it warms the page cache (a cold 2.9 GB database
    # is another benchmark), and ours makes the day's automatic backup (the first start
    # of each day copies the database into backups/ beside it, and exit waits for it).
    log("start-up: one untimed start of each (page cache, the day's automatic backup)")
    for side in sides:
        warm_up = Side(side.key, side.label, side.command, side.prepare)
        warm_up.prepare = _env_setter(warm_up, side is not ours)
        seconds = timer.once(warm_up)
        log(f"  {side.key}: {'failed' if seconds is None else f'{seconds:.2f} s'} (untimed)")
    log(f"start-up: timing{' (ours not measurable: ' + problem + ')' if problem else ''}")
    timer.group("startup", sides, opts.cheap_runs, opts.cap_s)
    # The app's daily backups of our synthetic databases only fill the cache folder.
    shutil.rmtree(db.parent / "backups", ignore_errors=True)
    note = f"not measurable yet: {problem}" if problem else ""
    rows.append(
        Row(
            f"start-up, {n:,} items, 20,000-word item with preview vs ReText",
            ours,
            retext,
            "ours/peer ≤ 0.7",
            0.7,
            note=note,
        )
    )
    rows.append(
        Row(
            "  same vs ReText with its WebEngine preview",
            ours,
            retext_web,
            "(info)",
            None,
        )
    )


def compile_our_bytecode() -> None:
    """Compile csto_editor's modules to bytecode before timing a start.

    This environment sets PYTHONDONTWRITEBYTECODE, so an editable install would compile
    about 90 modules from source on every start (~85 ms of each). Any real install has
    the bytecode already (pip compiles a wheel's modules when it installs it, and the
    PyInstaller bundle holds bytecode only), as ReText's installed package does here;
    Python reads existing bytecode whatever PYTHONDONTWRITEBYTECODE says."""
    compileall.compile_dir(ROOT / "csto_editor", quiet=1)


def _env_setter(side: Side, retext: bool) -> Callable[[Path], None]:
    def prepare(folder: Path) -> None:
        side.env = gui_env(folder, retext=retext)

    return prepare


def typing_group(setup: Setup, timer: Timer, opts: Options, rows: list[Row], extras: dict) -> None:
    log("typing in the 20,000-word item: setting up")
    db = setup.pristine_db(200, big=True)
    big = setup.big_md()
    results: dict[str, list[dict[str, Any]]] = {"ours": [], "retext": []}
    timer.wait_until_quiet()
    for run in range(opts.typing_runs):
        for who in ("ours", "retext") if run % 2 == 0 else ("retext", "ours"):
            with timer.folder() as folder:
                if who == "ours":
                    copy_db(db, folder / "db.sqlite3")
                    command = [
                        sys.executable,
                        str(BENCH_DIR / "typing_driver.py"),
                        "--db",
                        str(folder / "db.sqlite3"),
                        "--user",
                        corpus.AUTHOR,
                        "--item",
                        str(setup.big_item_id(200)),
                        "--bursts",
                        str(opts.typing_bursts),
                    ]
                    env = gui_env(folder)
                else:
                    command = [
                        str(peers.bench_python()),
                        str(BENCH_DIR / "retext_driver.py"),
                        "typing",
                        str(big),
                        "--bursts",
                        str(opts.typing_bursts),
                    ]
                    env = gui_env(folder, retext=True)
                busy, ours_cpu, start = _machine_busy(), _our_cpu(), time.perf_counter()
                proc = subprocess.run(
                    command,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=opts.timeout,
                    check=False,
                    cwd=folder,
                )
            lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
            if proc.returncode != 0 or not lines:
                tail = " | ".join(proc.stderr.strip().splitlines()[-3:])[:400]
                log(f"  typing {who}: FAILED (exit {proc.returncode}) {tail}")
                results[who].append({"error": f"exit {proc.returncode}: {tail}"})
                continue
            data = json.loads(lines[-1])
            others = _machine_busy() - busy - (_our_cpu() - ours_cpu)
            data["other_processes_cores"] = round(others / (time.perf_counter() - start), 2)
            results[who].append(data)
            log(
                f"  typing {who} run {run + 1}: shown after pause "
                f"{data['preview_shown_after_pause_ms']}, keystroke "
                f"{data['keystroke_total_ms']}, max gap {data['heartbeat_max_gap_ms']} ms"
            )
    extras["typing"] = results

    def pooled(who: str, key: str) -> list[float]:
        raw_key = {"shown": "shown_ms", "total": "total_ms"}[key]
        values = []
        for data in results[who]:
            values += [v for v in data.get("raw", {}).get(raw_key, []) if v is not None]
        return values

    def gaps(who: str) -> list[float]:
        return [d["heartbeat_max_gap_ms"] for d in results[who] if "heartbeat_max_gap_ms" in d]

    for who, label in (("ours", "CSTO Editor"), ("retext", "ReText")):
        shown = pooled(who, "shown")
        keys = pooled(who, "total")
        shown_median = statistics.median(shown) if shown else None
        keys_max = max(keys) if keys else None
        rows.append(
            Row(
                f"typing ({label}): preview shows the word after the pause, median",
                None,
                None,
                "≤ 150 ms" if who == "ours" else "(peer)",
                None,
                absolute=("ms", shown_median, 150.0 if who == "ours" else None),
                note=(
                    f"{label}: shown after pause median/max "
                    f"{_r(shown_median)}/{_r(max(shown) if shown else None)} ms over "
                    f"{len(shown)} bursts; keystroke total median/max "
                    f"{_r(statistics.median(keys) if keys else None)}/{_r(keys_max)} ms over "
                    f"{len(keys)} keys; longest GUI-thread gap while typing "
                    f"{_r(max(gaps(who)) if gaps(who) else None)} ms (1 ms heartbeat)"
                ),
            )
        )
        rows.append(
            Row(
                f"typing ({label}): longest keystroke wait+handling on the GUI thread",
                None,
                None,
                "≤ 16 ms" if who == "ours" else "(peer)",
                None,
                absolute=("ms", keys_max, 16.0 if who == "ours" else None),
            )
        )
        rows.append(
            Row(
                f"typing ({label}): longest GUI-thread stall, pauses included",
                None,
                None,
                "≤ 16 ms" if who == "ours" else "(peer)",
                None,
                absolute=(
                    "ms",
                    max(gaps(who)) if gaps(who) else None,
                    16.0 if who == "ours" else None,
                ),
            )
        )


def _r(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def search_group(setup: Setup, timer: Timer, opts: Options, rows: list[Row], extras: dict) -> None:
    """Target 4 on the start-up database: search, the list's first rows, memory."""
    n = opts.startup_items
    log(f"search and lists with {n:,} items: setting up")
    db = setup.pristine_db(n, big=True)
    timer.wait_until_quiet()
    found: dict[str, list[dict[str, Any]]] = {
        "measure": [],
        "memory": [],
        "bare": [],
        "bare-app-imports": [],
    }
    for run in range(opts.search_runs):
        modes = list(found)
        for mode in modes if run % 2 == 0 else modes[::-1]:
            command = [sys.executable, str(BENCH_DIR / "search_driver.py")]
            command += ["bare", "--app-imports"] if mode == "bare-app-imports" else [mode]
            if mode in ("measure", "memory"):
                command += ["--db", str(db), "--user", corpus.AUTHOR]
                command += ["--item", str(setup.big_item_id(n))]
            if mode == "measure":
                command += ["--repeat", "7"]
            with timer.folder() as folder:
                proc = subprocess.run(
                    command,
                    env=gui_env(folder),
                    capture_output=True,
                    text=True,
                    timeout=opts.timeout,
                    check=False,
                    cwd=folder,
                )
            lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
            if proc.returncode != 0 or not lines:
                tail = " | ".join(proc.stderr.strip().splitlines()[-3:])[:400]
                log(f"  search {mode}: FAILED (exit {proc.returncode}) {tail}")
                continue
            found[mode].append(json.loads(lines[-1]))
            log(f"  search {mode} run {run + 1}: done")
    shutil.rmtree(db.parent / "backups", ignore_errors=True)
    extras["search"] = found

    def median(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    measured = found["measure"]
    first_rows = median([m["search_list_first_rows_median_ms"] for m in measured])
    complete = median([m["search_list_complete_median_ms"] for m in measured])
    all_ids = median([m["search_all_ids_median_ms"] for m in measured])
    first_page = median([m["search_first_page_median_ms"] for m in measured])
    per_word = measured[0]["search"] if measured else {}
    words = ", ".join(f"{word} {data['found']:,}" for word, data in per_word.items())
    counted = all(data["count_known_at_first_rows"] for data in per_word.values())
    ids_read = max((data["ids_read_for_first_rows"] for data in per_word.values()), default=0)
    rows.append(
        Row(
            f"search: full-text word query on {n:,} items, the list's first rows and its "
            "count (median of 6 words)",
            None,
            None,
            "≤ 20 ms",
            None,
            absolute=("ms", first_rows, 20.0),
            note=(
                f"matches per word: {words}; ids read for the first rows: at most "
                f"{ids_read:,}; count known then: {'yes' if counted else 'no (counting)'}"
                if words
                else ""
            ),
        )
    )
    rows.append(
        Row(
            "  the same, until every matching id is listed (read on a worker thread)",
            None,
            None,
            "(info)",
            None,
            absolute=("ms", complete, None),
        )
    )
    rows.append(
        Row(
            "  the service alone: all matching ids (what the list read before paging)",
            None,
            None,
            "(info)",
            None,
            absolute=("ms", all_ids, None),
        )
    )
    rows.append(
        Row(
            "  the service alone: the first page of 200 matches",
            None,
            None,
            "(info)",
            None,
            absolute=("ms", first_page, None),
        )
    )
    for label in measured[0]["lists"] if measured else {}:
        lists = [m["lists"][label] for m in measured]
        rows.append(
            Row(
                f"list: first rows of {label} ({lists[0]['rows']:,} rows)",
                None,
                None,
                "≤ 100 ms",
                None,
                absolute=("ms", median([entry["first_rows_ms"] for entry in lists]), 100.0),
                note=(
                    f"{label}: rows read from the database for the first rows "
                    f"{lists[0]['rows_read_for_first_rows']}, after jumping to the middle and "
                    f"the end {lists[0]['rows_read_after_middle_and_end']} "
                    f"(of {lists[0]['rows']:,})"
                ),
            )
        )
    ours_rss = median([m["rss_mb"] for m in found["memory"]])
    bare_rss = median([b["rss_mb"] for b in found["bare"]])
    flattering_rss = median([b["rss_mb"] for b in found["bare-app-imports"]])
    above = None if ours_rss is None or bare_rss is None else ours_rss - bare_rss
    pss = [m["pss_mb"] for m in found["memory"] if m.get("pss_mb") is not None]
    bare_pss = [b["pss_mb"] for b in found["bare"] if b.get("pss_mb") is not None]
    pss_note = (
        f"; PSS ours {_r(median(pss))} MB, bare {_r(median(bare_pss))} MB"
        if pss and bare_pss
        else ""
    )
    rows.append(
        Row(
            f"memory: window on {n:,} items with the item's preview, above a bare WebEngine window",
            None,
            None,
            "≤ 100 MB",
            None,
            absolute=("MB", above, 100.0),
            note=f"resident memory of the main process, each in a fresh process: ours "
            f"{_r(ours_rss)} MB (list filled, item open, preview painted), bare window with a "
            f"WebEngine preview, PySide6 alone, {_r(bare_rss)} MB{pss_note}; the earlier bare "
            f"baseline made through our ui.main imports {_r(flattering_rss)} MB; after the "
            f"searches above, in their process, ours {_r(median([m['rss_mb'] for m in measured]))}"
            " MB (WebEngine's helper processes left out)",
        )
    )


def import_group(setup: Setup, timer: Timer, opts: Options, rows: list[Row]) -> None:
    n = opts.import_items
    log(f"import of {n} files: setting up")
    files = sorted((setup.files(n) / "md").glob("*.md"))
    empty = setup.empty_db()
    side = Side(
        f"import-{n}",
        "ours, import",
        lambda folder: [
            *csto(),
            "--db",
            str(folder / "db.sqlite3"),
            "--user",
            corpus.AUTHOR,
            "import",
            *map(str, files),
        ],
        prepare=lambda folder: copy_db(empty, folder / "db.sqlite3") and None,
    )
    timer.group(f"import-{n}", [side], min(opts.runs, 3), opts.cap_s)
    median = statistics.median(side.times) if side.times else None
    rows.append(
        Row(
            f"import of {n:,} Markdown files (ours only)",
            side,
            None,
            "< 15 s" if n >= 5000 else "(info; target at 5,000)",
            None,
            absolute=("s", median, 15.0 if n >= 5000 else None),
        )
    )


def markdown_reference(setup: Setup, opts: Options, extras: dict[str, Any]) -> None:
    log("Python-Markdown reference render of the 20,000-word file")
    big = setup.big_md()
    found = {}
    for who, python in (("peer venv", peers.bench_python()), ("project venv", sys.executable)):
        proc = subprocess.run(
            [
                str(python),
                str(BENCH_DIR / "md_reference.py"),
                str(big),
                "--repeat",
                str(opts.md_repeat),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 0:
            found[who] = json.loads(proc.stdout)
        else:
            found[who] = {"error": proc.stderr.strip().splitlines()[-1:]}
    extras["markdown_reference"] = found
    peer = found.get("peer venv", {})
    ours = found.get("project venv", {})

    def ms(data: dict[str, Any], key: str) -> str:
        value = data.get(key, {}).get("median") if isinstance(data.get(key), dict) else None
        return "—" if value is None else f"{value * 1000:.0f} ms"

    extras["markdown_reference_line"] = (
        f"one render of the 20,000-word file: Python-Markdown extra+toc+sane_lists+smarty "
        f"{ms(peer, 'python_markdown_4_extensions')}, without smarty "
        f"{ms(peer, 'python_markdown_without_smarty')}; csto render_markdown "
        f"{ms(ours, 'csto_render_markdown')}, with source lines (preview) "
        f"{ms(ours, 'csto_render_markdown_source_lines')}"
    )


# --------------------------------------------------------------------------- main


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "csto_editor"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    from importlib.metadata import version

    ours = {}
    for name in ("csto-editor", "PySide6", "Markdown", "SQLAlchemy", "nh3"):
        with contextlib.suppress(Exception):
            ours[name] = version(name)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "app_commit": commit + (" (+uncommitted changes in csto_editor/)" if dirty else ""),
        "ours": ours,
        "peers": peers.peer_versions(),
    }


def parse_args(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 items, 2 runs: a smoke test")
    parser.add_argument(
        "--runs",
        type=int,
        help="runs per side (default 3 for export and import, 5 for the groups whose runs take "
        "a few seconds: since and startup; quick 2)",
    )
    parser.add_argument("--sizes", help="export sizes, comma-separated (default 1000,5000)")
    parser.add_argument("--startup-items", type=int, help="items in the start-up database")
    parser.add_argument("--import-items", type=int, help="files to import (default 5000)")
    parser.add_argument(
        "--only",
        help="comma-separated groups: export,since,startup,typing,search,import,markdown "
        "(default all)",
    )
    parser.add_argument(
        "--cap",
        type=float,
        default=300,
        help="seconds per group before stopping early (after at least 3 runs); default 300",
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per timed process")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        help="before each group, wait up to this many seconds for other processes to leave "
        "the CPU idle (default 120; quick 0)",
    )
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="cache folder")
    parser.add_argument("--seed", type=int, default=corpus.SEED)
    parser.add_argument("--no-save", action="store_true", help="do not write results JSON")
    args = parser.parse_args(argv)
    quick = args.quick
    groups = {"export", "since", "startup", "typing", "search", "import", "markdown"}
    only = set(args.only.split(",")) if args.only else groups
    if only - groups:
        parser.error(f"unknown group(s): {', '.join(sorted(only - groups))}")
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else None
    opts = Options(
        quick=quick,
        runs=args.runs or (2 if quick else 3),
        cheap_runs=args.runs or (2 if quick else 5),
        sizes=sizes or ([200] if quick else [1000, 5000]),
        startup_items=args.startup_items or (2000 if quick else 100_000),
        typing_bursts=2 if quick else 6,
        typing_runs=1 if quick else 2,
        search_runs=1 if quick else 2,
        import_items=args.import_items or (200 if quick else 5000),
        md_repeat=3 if quick else 15,
        cap_s=args.cap,
        only=only,
        timeout=args.timeout,
    )
    return opts, args


def main(argv: list[str] | None = None) -> int:
    opts, args = parse_args(argv)
    started = time.perf_counter()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    log("peers: " + str(peers.ensure_peers()))
    args.work.mkdir(parents=True, exist_ok=True)
    setup = Setup(args.work, args.seed)
    quiet_wait = args.quiet_wait if args.quiet_wait is not None else (0 if opts.quick else 120)
    timer = Timer(args.work, opts.timeout, quiet_wait)
    rows: list[Row] = []
    extras: dict[str, Any] = {}
    if "export" in opts.only:
        for n in opts.sizes:
            export_group(setup, timer, opts, n, rows)
    if "since" in opts.only:
        since_group(setup, timer, opts, rows)
    if "startup" in opts.only:
        startup_group(setup, timer, opts, rows)
    if "typing" in opts.only:
        typing_group(setup, timer, opts, rows, extras)
    if "search" in opts.only:
        search_group(setup, timer, opts, rows, extras)
    if "import" in opts.only:
        import_group(setup, timer, opts, rows)
    if "markdown" in opts.only:
        markdown_reference(setup, opts, extras)
    elapsed = time.perf_counter() - started
    shown_extras = {k: v for k, v in extras.items() if k == "markdown_reference_line"}
    shown_extras["suite"] = f"{elapsed:.0f} s{' (--quick)' if opts.quick else ''}"
    print()
    table = print_table(rows, shown_extras)
    if not args.no_save:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{stamp}{'-quick' if opts.quick else ''}.json"
        document = {
            "started": stamp,
            "seconds": round(elapsed, 1),
            "quick": opts.quick,
            "options": {k: sorted(v) if isinstance(v, set) else v for k, v in vars(opts).items()},
            "machine": machine(),
            "rows": [row.to_json() for row in rows],
            "extras": extras,
            "table": table,
        }
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
        log(f"\nresults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
