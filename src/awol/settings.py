"""Settings, read in one place: where the knowledge base lives, and tunables.

Every command takes ``--db``; without it ``AWOL_DB`` is read; without that the embedded
SQLite file sits in the user's data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

DB_ENV = "AWOL_DB"


def default_db_path() -> Path:
    return user_data_path("awol", appauthor=False) / "awol.db"


def database_url(db: str | None = None) -> str:
    """Turn a ``--db`` value (a path or a URL), ``AWOL_DB`` or the default into a SQLAlchemy URL."""
    value = db or os.environ.get(DB_ENV) or str(default_db_path())
    if value.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare postgresql:// means psycopg2.
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


def display_url(url: str) -> str:
    """A URL safe to print: the password, if any, is masked."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
