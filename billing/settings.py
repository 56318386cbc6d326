"""Configuration read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite://billing.sqlite3"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class SettingsError(ValueError):
    """A configuration value that cannot work; the message says which and why."""


def dialect_of(database_url: str) -> str:
    """Return `sqlite` or `postgres` for a Tortoise database URL, or raise SettingsError."""
    scheme = urlsplit(database_url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "asyncpg", "psycopg"):
        parts = urlsplit(database_url)
        if not parts.hostname or not parts.path.strip("/"):
            raise SettingsError(
                f"DATABASE_URL {redact(database_url)!r} needs a host and a database name, "
                "e.g. postgres://user:password@127.0.0.1:5432/billing"
            )
        return "postgres"
    raise SettingsError(
        f"DATABASE_URL {redact(database_url)!r} is not supported: use sqlite://PATH "
        "or postgres://user:password@host:5432/dbname"
    )


def redact(database_url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    parts = urlsplit(database_url)
    if parts.password:
        return database_url.replace(f":{parts.password}@", ":***@", 1)
    return database_url


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @property
    def dialect(self) -> str:
        return dialect_of(self.database_url)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        settings = cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            host=env.get("HOST") or "127.0.0.1",
            port=_int(env, "PORT", 8000, 0, 65535),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1, 2**31),
        )
        dialect_of(settings.database_url)
        return settings


def _int(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={raw} is out of range ({low} to {high})")
    return value
