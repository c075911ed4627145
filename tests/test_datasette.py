"""The SQLite knowledge base opens as it is in Datasette and sqlite-utils, ready to publish."""

from __future__ import annotations

import asyncio

import pytest
import sqlite_utils
from datasette.app import Datasette

from awol.store.db import open_store
from test_export import SHA, build_knowledge_base


@pytest.fixture
def kb_path(tmp_path):
    path = tmp_path / "awol.db"
    store = open_store(str(path))
    build_knowledge_base(store)
    store.dispose()
    return path


def datasette_get(path, url: str):
    async def fetch():
        ds = Datasette([str(path)])
        await ds.invoke_startup()
        response = await ds.client.get(url)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(fetch())


def datasette_sql(path, sql: str, params: dict | None = None) -> list[dict]:
    async def run():
        ds = Datasette([str(path)])
        await ds.invoke_startup()
        result = await ds.execute("awol", sql, params or {})
        return [dict(row) for row in result.rows]

    return asyncio.run(run())


def test_datasette_serves_the_figures_table_as_readable_rows(kb_path):
    rows = datasette_get(kb_path, "/awol/figures.json?_shape=array&_sort=id")
    assert {"category", "value", "qualifier", "measure", "unit_id", "quote", "period_start"} <= set(rows[0])
    assert [(r["category"], r["value"], r["unit_id"]) for r in rows] == [
        ("deserted", 151, "ru-255-mrr"), ("awol", 1000, "ru-20-gmrd"), ("killed", 15, None)]
    assert rows[0]["quote"] == "van hen sneuvelden 15, raakten 91 gewond en deserteerden 151"


def test_datasette_serves_the_units_table_with_names_in_every_script(kb_path):
    rows = datasette_get(kb_path, "/awol/units.json?_shape=array&_sort=id")
    assert [r["id"] for r in rows] == ["ru-20-gmrd", "ru-255-mrr"]
    assert rows[0]["name_ru"] == "20-я гвардейская мотострелковая дивизия"
    assert rows[0]["military_unit_number"] == "58550"
    assert rows[1]["parent_id"] == "ru-20-gmrd"


def test_datasette_sql_joins_figures_to_units_and_documents(kb_path):
    rows = datasette_sql(
        kb_path,
        "select units.name_en, figures.value, documents.published from figures "
        "join units on units.id = figures.unit_id join documents on documents.id = figures.document_id "
        "where figures.category = :category",
        {"category": "deserted"},
    )
    assert rows == [{"name_en": "255th Guards Motor Rifle Regiment", "value": 151, "published": "2024-12"}]


def test_datasette_lists_the_knowledge_base_tables(kb_path):
    data = datasette_get(kb_path, "/awol.json")
    tables = {t["name"] for t in data["tables"]}
    assert {"units", "unit_aliases", "outlets", "documents", "figures", "unit_mentions",
            "person_mentions", "cited_sources", "verdicts"} <= tables


def test_sqlite_utils_reads_figures_and_units(kb_path):
    db = sqlite_utils.Database(kb_path)
    assert {"figures", "units", "documents", "verdicts"} <= set(db.table_names())
    figures = list(db["figures"].rows_where(order_by="id"))
    assert figures[0]["category"] == "deserted" and figures[0]["value"] == 151
    units = {row["id"]: row for row in db["units"].rows}
    assert units["ru-255-mrr"]["name_en"] == "255th Guards Motor Rifle Regiment"
    assert db["units"].pks == ["id"]
    assert any(fk.other_table == "units" for fk in db["figures"].foreign_keys)
    [doc] = db["documents"].rows
    assert (doc["sha256"], doc["language"]) == (SHA, "nl")
    db.close()
