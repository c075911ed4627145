"""One way into the knowledge base: an engine, a session factory, and migrations."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from awol.errors import AwolError
from awol.settings import database_url, display_url

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Wait for a concurrent writer instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL: readers (Datasette, a second `awol`) never block the writer, and a commit costs one
    # append instead of a journal rewrite; NORMAL sync is still crash-safe in WAL mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    """The knowledge base at one URL (SQLite file or PostgreSQL)."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = Path(url.split("///", 1)[1])
            path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        return display_url(self.url)

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            reason = " ".join(str(exc.orig).split())  # drivers write several lines
            raise AwolError(f"cannot open the knowledge base at {self.display_url}: {reason}") from exc

    def is_initialised(self) -> bool:
        try:
            return inspect(self.engine).has_table("alembic_version")
        except SQLAlchemyError:
            return False

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or not at all."""
        with self._sessions() as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(db: str | None = None, *, migrate: bool = True) -> Store:
    """Open the knowledge base named by ``--db``/``AWOL_DB``/the default, migrating it."""
    store = Store(database_url(db))
    if migrate:
        store.migrate()
    return store
