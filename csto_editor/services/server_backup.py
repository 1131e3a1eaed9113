"""Backups of a database on a PostgreSQL server (team mode): a ``pg_dump`` archive.

``pg_dump`` reads the whole database in one snapshot, so the copy is consistent while
editors keep working; asset bytes live in the database and come with it. The archive is
written beside its destination under a temporary name, checked with ``pg_restore --list``
and moved into place only when complete. Restore it with
``pg_restore --dbname=NEW_DATABASE FILE``.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from csto_editor.core.errors import EditorError, InvalidInput
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import BackupResult
from csto_editor.store.models import AssetContent

STAGING_PREFIX = ".csto-backup-"
DUMP_TIMEOUT_S = 3600


def postgres_tool(name: str) -> str | None:
    """The newest installed ``pg_dump``/``pg_restore`` (a dump needs one at least as new as
    the server), else the one on PATH."""
    installed = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(re.sub(r"\D", "", Path(path).parts[-3]) or 0),
    )
    return installed[-1] if installed else shutil.which(name)


def backup_server(ctx: ServiceContext, out: Path) -> BackupResult:
    """Write a consistent ``pg_dump`` archive of the database to ``out``, atomically."""
    with ctx.database.session() as session:
        ctx.actor(session)
        assets = int(session.scalar(select(func.count()).select_from(AssetContent)) or 0)
    destination = out.expanduser().absolute()
    if destination.suffix.lower() == ".zip":
        raise InvalidInput(
            "a PostgreSQL backup is one pg_dump archive holding the assets too; "
            "give a file name that does not end in .zip (e.g. team.dump)"
        )
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder; give a file name for the backup")
    if not destination.parent.is_dir():
        raise InvalidInput(f"folder {destination.parent} does not exist")
    pg_dump, pg_restore = postgres_tool("pg_dump"), postgres_tool("pg_restore")
    if pg_dump is None or pg_restore is None:
        raise EditorError(
            "backing up a PostgreSQL database needs pg_dump and pg_restore "
            "(Debian: apt-get install postgresql-client); nothing was written"
        )
    url = ctx.database.engine.url
    with tempfile.TemporaryDirectory(
        dir=destination.parent, prefix=f"{STAGING_PREFIX}{os.getpid()}-"
    ) as work:
        staged = Path(work) / "backup.dump"
        _run([pg_dump, "--format=custom", f"--file={staged}", _libpq_url(url)], url)
        _run([pg_restore, "--list", str(staged)], url)
        with staged.open("rb") as stream:
            os.fsync(stream.fileno())
        os.replace(staged, destination)
    return BackupResult(str(destination), destination.stat().st_size, assets)


def _libpq_url(url: URL) -> str:
    # The password goes through the environment, never the command line (`ps` shows that).
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], url: URL) -> None:
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    try:
        finished = subprocess.run(
            command,
            env=environment,
            capture_output=True,
            text=True,
            timeout=DUMP_TIMEOUT_S,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise EditorError(f"backup failed, nothing was written: {error}") from None
    if finished.returncode != 0:
        reason = (finished.stderr.strip().splitlines() or ["no message"])[0]
        raise EditorError(f"backup failed, nothing was written: {reason}")
