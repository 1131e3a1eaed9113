"""`backup` on a PostgreSQL server: a pg_dump archive that restores to the same database."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from csto_editor.core.errors import InvalidInput
from csto_editor.services import assets, backup, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.server_backup import postgres_tool
from csto_editor.store.database import open_database
from tests.postgres_support import PostgresServer

As = Callable[[str], ServiceContext]


# A SQLite backup is a copy of the file: see test_import_backup_checks.
pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def on_server(database_kind: str) -> Iterator[None]:
    assert database_kind == "postgresql"
    if postgres_tool("pg_dump") is None:
        pytest.fail("pg_dump is not installed, although a PostgreSQL server is")
    yield


def test_a_backup_restores_to_the_same_items_and_assets(
    on_server: None,
    as_user: As,
    new_item: Callable[..., object],
    tmp_path: Path,
    postgres_server: PostgresServer,
) -> None:
    new_item("Committed before the backup")
    new_item("Заявление министров")
    author = as_user("author")
    Image.new("RGB", (8, 8), (1, 2, 3)).save(tmp_path / "hall.png")
    image = assets.add_asset(author, tmp_path / "hall.png", alt_text="Hall")
    out = tmp_path / "team.dump"
    result = backup.backup(as_user("admin"), out)
    assert result.path == str(out) and result.size == out.stat().st_size and result.assets == 1
    assert not list(tmp_path.glob(".csto-backup-*"))

    copy = postgres_server.create()
    try:
        _pg_restore(postgres_server, copy, out)
        restored = open_database(postgres_server.url_of(copy))
        try:
            ctx = ServiceContext(restored, "author")
            titles = sorted(item.title for item in queries.list_items(ctx, queries.ItemFilter()))
            assert titles == ["Committed before the backup", "Заявление министров"]
            assets_dir = assets.asset_folder(ctx)
            assert assets_dir is not None
            fetched = assets.local_asset_file(ctx, image.sha256)
            assert fetched is not None
            assert fetched.read_bytes() == (tmp_path / "hall.png").read_bytes()
        finally:
            restored.dispose()
    finally:
        postgres_server.drop(copy)


def _pg_restore(server: PostgresServer, database: str, archive: Path) -> None:
    pg_restore = postgres_tool("pg_restore")
    assert pg_restore is not None
    target = server.url.set(drivername="postgresql", password=None, database=database)
    into = f"--dbname={target.render_as_string(hide_password=False)}"
    subprocess.run(
        [pg_restore, "--no-owner", into, str(archive)],
        check=True,
        env={**os.environ, "PGPASSWORD": str(server.url.password)},
        capture_output=True,
    )


def test_a_zip_name_and_a_missing_folder_are_refused(
    on_server: None, as_user: As, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="pg_dump archive"):
        backup.backup(as_user("admin"), tmp_path / "team.zip")
    with pytest.raises(InvalidInput, match="does not exist"):
        backup.backup(as_user("admin"), tmp_path / "absent" / "team.dump")
    assert not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".csto-backup-*"))


def test_no_automatic_backup_beside_a_server(on_server: None, as_user: As) -> None:
    assert backup.automatic_backup(as_user("admin")) is None
