"""Configuration read from the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from billing.numbers import OutOfRange, parse_whole

DEFAULT_DATABASE_URL = "sqlite://billing.sqlite3"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_QUERY_COST = 50_000
DEFAULT_MAX_ALIASES = 30
DEFAULT_REQUEST_TIMEOUT_SECONDS = 30.0


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
        behind_pgbouncer(database_url)  # a bad value is refused here, at start
        return "postgres"
    raise SettingsError(
        f"DATABASE_URL {redact(database_url)!r} is not supported: use sqlite://PATH "
        "or postgres://user:password@host:5432/dbname"
    )


#: The query parameter that says a PostgreSQL URL points at PgBouncer in transaction
#: pooling mode (`postgres://user@pgbouncer:6432/billing?pgbouncer=true`).
PGBOUNCER_PARAMETER = "pgbouncer"


def behind_pgbouncer(database_url: str) -> bool:
    """Whether the URL says `?pgbouncer=true` (or 1): no prepared-statement cache then."""
    values = [
        value.lower()
        for key, value in parse_qsl(urlsplit(database_url).query, keep_blank_values=True)
        if key == PGBOUNCER_PARAMETER
    ]
    if not values:
        return False
    if values[-1] in ("true", "1"):
        return True
    if values[-1] in ("false", "0"):
        return False
    raise SettingsError(
        f"DATABASE_URL {redact(database_url)!r}: pgbouncer={values[-1]!r} must be true or false"
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
    #: The zone whose midnight starts a run's cutoff date for calls.
    billing_timezone: str = "UTC"
    #: Customers billed per transaction.
    chunk_size: int = 100
    #: A pause between chunks, in milliseconds, so API requests get a turn (None: 10 on
    #: SQLite, where one connection serves everything; 0 on PostgreSQL).
    chunk_pause_ms: int | None = None
    #: Whether this process bills requested runs in the background.
    run_engine: bool = True
    #: Server processes sharing the port (WORKERS); more than one needs PostgreSQL.
    workers: int = 1
    #: Where the LISTEN connection goes (LISTEN_DATABASE_URL; None: DATABASE_URL). It
    #: must reach PostgreSQL directly: PgBouncer in transaction mode cannot LISTEN.
    listen_database_url: str | None = None
    #: Origins whose pages may call the API from a browser (CORS_ORIGINS); none by default.
    cors_origins: tuple[str, ...] = ()
    #: The most a GraphQL operation may cost (objects it can return; schema/core/cost.py).
    max_query_cost: int = DEFAULT_MAX_QUERY_COST
    #: The most aliases a GraphQL document may hold.
    max_aliases: int = DEFAULT_MAX_ALIASES
    #: How long a request (not a websocket) may run before it is cancelled with 503.
    request_timeout_seconds: float = DEFAULT_REQUEST_TIMEOUT_SECONDS
    #: Requests a second per API key, and failed authentications a second per client
    #: address, in each process (bursts of twice that); 0 turns both limits off.
    rate_limit_per_second: int = 100
    #: LOG_FORMAT: `json` or `text`; None picks text on a terminal, JSON otherwise.
    log_format: str | None = None

    @property
    def chunk_pause(self) -> float:
        if self.chunk_pause_ms is not None:
            return self.chunk_pause_ms / 1000
        return 0.01 if self.dialect == "sqlite" else 0.0

    @property
    def listen_url(self) -> str:
        return self.listen_database_url or self.database_url

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
            billing_timezone=env.get("BILLING_TIMEZONE") or "UTC",
            chunk_size=_int(env, "BILLING_CHUNK_SIZE", 100, 1, 100_000),
            chunk_pause_ms=(
                _int(env, "BILLING_CHUNK_PAUSE_MS", 0, 0, 60_000)
                if env.get("BILLING_CHUNK_PAUSE_MS")
                else None
            ),
            cors_origins=parse_origins(env.get("CORS_ORIGINS") or ""),
            max_query_cost=_int(env, "MAX_QUERY_COST", DEFAULT_MAX_QUERY_COST, 1, 10**12),
            max_aliases=_int(env, "MAX_ALIASES", DEFAULT_MAX_ALIASES, 0, 100_000),
            request_timeout_seconds=_seconds(
                env, "REQUEST_TIMEOUT_SECONDS", DEFAULT_REQUEST_TIMEOUT_SECONDS
            ),
            rate_limit_per_second=_int(env, "RATE_LIMIT_PER_SECOND", 100, 0, 1_000_000),
            log_format=parse_log_format(env.get("LOG_FORMAT") or ""),
            run_engine=_flag(env, "RUN_ENGINE", True),
            workers=_int(env, "WORKERS", 1, 1, 64),
            listen_database_url=env.get("LISTEN_DATABASE_URL") or None,
        )
        if settings.listen_database_url and dialect_of(settings.listen_database_url) != "postgres":
            raise SettingsError("LISTEN_DATABASE_URL must be a postgres:// URL")
        dialect_of(settings.database_url)
        _check_zone(settings.billing_timezone)
        return settings


def _int(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return parse_whole(raw.strip(), low, high)
    except OutOfRange:
        raise SettingsError(f"{name}={raw} is out of range ({low} to {high})") from None
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number of seconds") from None
    if not 0 < value <= 86_400:  # also refuses nan and inf
        raise SettingsError(f"{name}={raw} is out of range (more than 0, at most 86400)")
    return value


LOG_FORMATS = ("json", "text")


def parse_log_format(raw: str) -> str | None:
    value = raw.strip().lower()
    if not value:
        return None
    if value not in LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT={raw!r} is not a log format; use json or text")
    return value


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}={raw!r} is not a switch; use 1 or 0")


def _check_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"BILLING_TIMEZONE={name!r} is not a time zone; use a name like UTC or Europe/London"
        ) from None


_DEFAULT_PORTS = {"http": 80, "https": 443}
#: A DNS name (international ones in their xn-- form), an IPv4 or an IPv6 address.
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]*:[0-9a-f:.]*")


def parse_origins(raw: str) -> tuple[str, ...]:
    """CORS_ORIGINS as browsers write an Origin header (`https://app.example.com:8443`).

    Scheme and host are lowercased and default ports dropped, so a listed origin matches
    what a browser sends. `*` is refused: API keys are credentials, and any page on the
    web could then spend one a user pasted in.
    """
    origins: list[str] = []
    for item in (piece.strip() for piece in raw.split(",")):
        if not item:
            continue
        if item == "*":
            raise SettingsError(
                "CORS_ORIGINS='*' is refused: API keys are credentials, so list the "
                "origins that may call the API, e.g. https://app.example.com"
            )
        origin = normalize_origin(item)
        if origin is None:
            raise SettingsError(
                f"CORS_ORIGINS: {item!r} is not an origin; write scheme://host[:port] "
                "(http or https, no path), e.g. https://app.example.com"
            )
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def normalize_origin(value: str) -> str | None:
    """`value` as a browser's Origin header writes it, or None if it is not an origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    has_more = parts.path not in ("", "/") or parts.query or parts.fragment or parts.username
    hostname = parts.hostname or ""
    if scheme not in _DEFAULT_PORTS or has_more or not _HOST.fullmatch(hostname):
        return None
    host = f"[{hostname}]" if ":" in hostname else hostname
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"
