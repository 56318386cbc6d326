"""Migrating an empty database gives exactly the schema the models describe."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from billing import db
from tests.conftest import PG_ENV, ROOT, pg_admin, with_database

_SQLITE_SHAPE = """
SELECT m.name AS table_name, p.name, p.type, p."notnull", p.dflt_value, p.pk
FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
ORDER BY 1, 2
"""
_SQLITE_INDEXES = """
SELECT m.name AS table_name, il."unique", group_concat(ii.name, ',') AS columns
FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
WHERE m.type = 'table'
GROUP BY m.name, il.name ORDER BY 1, 3
"""
_SQLITE_KEYS = """
SELECT m.name AS table_name, fk."from", fk."table", fk."to", fk.on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk
WHERE m.type = 'table' ORDER BY 1, 2
"""
_PG_SHAPE = """
SELECT table_name, column_name, data_type, is_nullable, column_default,
       character_maximum_length, numeric_precision, numeric_scale
FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2
"""
_PG_INDEXES = "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"
_PG_KEYS = """
SELECT tc.table_name, tc.constraint_type, kcu.column_name, rc.delete_rule
FROM information_schema.table_constraints tc
JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
LEFT JOIN information_schema.referential_constraints rc USING (constraint_schema, constraint_name)
WHERE tc.table_schema = 'public' ORDER BY 1, 2, 3
"""


async def _describe(url: str) -> dict[str, list[dict]]:
    ctx = await db.open_database(url)
    with ctx:
        conn = ctx.db()
        queries = (
            (_SQLITE_SHAPE, _SQLITE_INDEXES, _SQLITE_KEYS)
            if db.dialect_of(url) == "sqlite"
            else (_PG_SHAPE, _PG_INDEXES, _PG_KEYS)
        )
        shape = {}
        for name, sql in zip(("columns", "indexes", "keys"), queries, strict=True):
            shape[name] = [dict(row) for row in await conn.execute_query_dict(sql)]
        await ctx.close_connections()
    return shape


async def _from_models(url: str) -> None:
    ctx = await db.open_database(url)
    with ctx:
        await ctx.generate_schemas(safe=False)
        await ctx.close_connections()


@pytest.fixture
async def empty_databases(database_kind: str, tmp_path: Path) -> AsyncIterator[Callable[[], str]]:
    """A factory of empty databases of the suite's kind, dropped afterwards."""
    made: list[str] = []
    server = os.environ.get(PG_ENV)
    if database_kind == "postgres" and not server:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")

    def make() -> str:
        if database_kind == "sqlite":
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}"
        name = f"billing_mig_{uuid.uuid4().hex[:12]}"
        made.append(name)
        return with_database(server, name)

    yield make
    for name in made:
        await pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _create(url: str) -> None:
    if db.dialect_of(url) == "postgres":
        name = urlsplit(url).path.lstrip("/")
        await pg_admin(url.rsplit("/", 1)[0] + "/postgres", f'CREATE DATABASE "{name}"')


async def test_migrating_an_empty_database_gives_the_schema_of_the_models(empty_databases):
    migrated, generated = empty_databases(), empty_databases()
    await _create(migrated)
    await _create(generated)

    applied = await db.migrate(migrated)
    await _from_models(generated)

    assert applied, "an empty database should have had migrations to apply"
    assert await _describe(migrated) == await _describe(generated)


async def test_migrating_again_applies_nothing(empty_databases):
    url = empty_databases()
    await _create(url)
    await db.migrate(url)

    assert await db.migrate(url) == []


async def test_two_processes_migrating_one_database_at_once_both_succeed(empty_databases):
    url = empty_databases()
    await _create(url)
    env = {**os.environ, "DATABASE_URL": url}

    async def migrate_in_a_process() -> tuple[int, bytes]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "server.py"),
            "migrate",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
        return process.returncode, output

    results = await asyncio.gather(migrate_in_a_process(), migrate_in_a_process())

    assert [code for code, _ in results] == [0, 0], results
    assert await db.migrate(url) == []
    ctx = await db.open_database(url)
    with ctx:
        rows = await ctx.db().execute_query_dict("SELECT version FROM aerich")
        statuses = await ctx.db().execute_query_dict(
            "SELECT name FROM preset WHERE kind = 'billingRunStatus'"
        )
        await ctx.close_connections()
    assert len(rows) == len({row["version"] for row in rows}), "a migration was applied twice"
    assert sorted(row["name"] for row in statuses) == [
        "Complete",
        "Pending",
        "Requested",
        "Running",
    ]
