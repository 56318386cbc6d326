from tests.test_engine_process import fresh  # noqa: F401 (a fresh PostgreSQL database)
