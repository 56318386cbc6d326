import os

import pytest

from tests.conftest import PG_ENV
from tests.test_engine_process import fresh  # noqa: F401 (a fresh PostgreSQL database)


@pytest.fixture
def postgres_only(database_kind: str) -> None:
    if database_kind != "postgres" or not os.environ.get(PG_ENV):
        pytest.skip("several processes share a database only on PostgreSQL (--db postgres)")
