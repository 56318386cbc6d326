"""`?pgbouncer=true` in DATABASE_URL: what Tortoise and asyncpg are given, and bad values."""

from __future__ import annotations

import pytest

from billing import db
from billing.settings import Settings, SettingsError

POOLED = "postgres://billing:s3cret@pgbouncer:6432/billing?pgbouncer=true"


def test_behind_pgbouncer_tortoise_gets_no_statement_cache():
    assert db.tortoise_url(POOLED) == (
        "postgres://billing:s3cret@pgbouncer:6432/billing?statement_cache_size=0"
    )


def test_behind_pgbouncer_asyncpg_gets_no_statement_cache_and_no_unknown_parameter():
    assert db.asyncpg_dsn(POOLED) == "postgresql://billing:s3cret@pgbouncer:6432/billing"
    assert db.asyncpg_options(POOLED) == {"statement_cache_size": 0}


@pytest.mark.parametrize(
    "url", ["postgres://u@h:5432/b", "postgres://u@h:5432/b?pgbouncer=false", "sqlite://x.db"]
)
def test_without_pgbouncer_the_statement_cache_stays_on(url):
    assert "statement_cache_size" not in db.tortoise_url(url)
    assert db.asyncpg_options(url) == {}


def test_a_value_other_than_true_or_false_is_refused_at_start():
    with pytest.raises(SettingsError, match="pgbouncer='yes please' must be true or false"):
        Settings.from_env({"DATABASE_URL": "postgres://u@h:6432/b?pgbouncer=yes+please"})
