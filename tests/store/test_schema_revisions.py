"""The schema revisions the app reads from its version files without Alembic are Alembic's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from csto_editor.services import setup
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import MIGRATIONS, head_revision, known_revisions, open_database


def test_known_and_head_revisions_are_alembics() -> None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    script = ScriptDirectory.from_config(config)
    assert known_revisions() == {revision.revision for revision in script.walk_revisions()}
    assert head_revision() == script.get_current_head()


def test_opening_a_database_imports_no_alembic(tmp_path: Path) -> None:
    """Alembic costs a fifth of a second at every command; only init needs it."""
    database = tmp_path / "editor.sqlite3"
    opened = open_database(database, create=True)
    setup.initialize(ServiceContext(opened, "admin"))
    opened.dispose()
    probe = (
        "import sys\n"
        "from csto_editor.cli import main\n"
        f"code = main(['--db', {str(database)!r}, '--user', 'admin', 'list', '--json'])\n"
        "print('alembic' in sys.modules, 'PIL' in sys.modules, code)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.splitlines()[-1] == "False False 0", run.stderr
