"""Shared fixtures: a real knowledge base on SQLite, and on PostgreSQL when it answers.

PostgreSQL tests use the server at 127.0.0.1:5432 (trust auth). Each test gets a database of
its own, created from scratch and dropped afterwards. Set ``AWOL_TEST_PG`` to another server
URL, or ``AWOL_REQUIRE_PG=1`` to fail (rather than skip) when it does not answer — CI does.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from awol.store.db import Store, open_store

REPO = Path(__file__).resolve().parent.parent
SEED_DIR = REPO / "examples" / "reports"
PG_ADMIN_URL = os.environ.get("AWOL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except Exception:
        return False


_PG = None


def pg_available() -> bool:
    global _PG
    if _PG is None:
        _PG = _pg_available()
    return _PG


def _new_pg_database() -> tuple[str, str]:
    import psycopg

    name = "awol_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A URL of an empty knowledge base: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'awol.db'}"
        return
    if not pg_available():
        if os.environ.get("AWOL_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL does not answer at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    name, url = _new_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture
def store(db_url) -> Store:
    """A migrated, empty knowledge base (no units loaded)."""
    st = open_store(db_url)
    yield st
    st.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'awol.db'}"
