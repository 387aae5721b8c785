"""What a run uses: its settings (BENCH_* variables), its own database, the server's environment."""

import os
import secrets
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from procs import BENCH_DIR, HOST, ROOT, BenchError, free_port, log, port_busy

SQLITE_FILE = BENCH_DIR / "bench.sqlite3"
BENCH_DB_NAME = "participatielab_bench"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass(frozen=True)
class Config:
    quick: bool
    duration: int  # seconds per wrk run
    runs: int  # wrk runs (and export runs) per measurement; the median counts
    admin_requests: int  # timed GETs per admin page; the median counts
    port: int | None
    lighthouse: bool
    profile: bool
    keep_db: bool

    @classmethod
    def from_env(cls) -> "Config":
        quick = env_flag("BENCH_QUICK", default=False)
        port = env_int("BENCH_PORT", 0)
        return cls(
            quick=quick,
            duration=env_int("BENCH_DURATION", 2 if quick else 5),
            runs=max(1, env_int("BENCH_RUNS", 2 if quick else 3)),
            admin_requests=max(1, env_int("BENCH_ADMIN_REQUESTS", 3 if quick else 7)),
            port=port or None,
            lighthouse=env_flag("BENCH_LIGHTHOUSE", default=True),
            profile=env_flag("BENCH_PROFILE", default=True),
            keep_db=env_flag("BENCH_KEEP_DB", default=False),
        )


# THE DATABASE
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """The benchmark's own database: never the one DATABASE_URL names."""

    vendor: str
    url: str
    maintenance_url: str | None = None  # PostgreSQL: where CREATE/DROP DATABASE run

    @classmethod
    def from_env(cls) -> "Database":
        given = os.environ.get("DATABASE_URL", "").strip()
        parts = urllib.parse.urlsplit(given)
        if parts.scheme in POSTGRES_SCHEMES:
            maintenance = parts.path.lstrip("/") or "postgres"
            if maintenance == BENCH_DB_NAME:
                maintenance = "postgres"
            return cls(
                vendor="postgresql",
                url=urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DB_NAME}")),
                maintenance_url=urllib.parse.urlunsplit(
                    parts._replace(scheme="postgresql", path=f"/{maintenance}")
                ),
            )
        if given:
            log(f"DATABASE_URL is not PostgreSQL ({parts.scheme}): using SQLite in bench/")
        return cls(vendor="sqlite", url=f"sqlite:///{SQLITE_FILE}")

    def _maintenance(self, *statements: str) -> None:
        try:
            import psycopg2
        except ImportError as error:
            raise BenchError("psycopg2 is needed for PostgreSQL (pip install .)") from error
        connection = psycopg2.connect(self.maintenance_url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def create(self) -> None:
        if self.vendor == "postgresql":
            log(f"creating PostgreSQL database {BENCH_DB_NAME}")
            self._maintenance(
                f'DROP DATABASE IF EXISTS "{BENCH_DB_NAME}" WITH (FORCE)',
                f'CREATE DATABASE "{BENCH_DB_NAME}"',
            )
        else:
            log(f"using a fresh SQLite file {SQLITE_FILE.relative_to(ROOT)}")
            self.remove_sqlite()

    def drop(self) -> None:
        if self.vendor == "postgresql":
            log(f"dropping PostgreSQL database {BENCH_DB_NAME}")
            self._maintenance(f'DROP DATABASE IF EXISTS "{BENCH_DB_NAME}" WITH (FORCE)')
        else:
            self.remove_sqlite()

    @staticmethod
    def remove_sqlite() -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


# THE SERVER'S ENVIRONMENT
# ------------------------------------------------------------------------------


def choose_port(config: Config) -> int:
    if config.port is not None:
        if port_busy(config.port):
            raise BenchError(f"BENCH_PORT={config.port} is busy: refusing to start")
        return config.port
    for _attempt in range(20):
        port = free_port()
        if port != 8000 and not port_busy(port):
            return port
    raise BenchError("found no free port")


def server_env(port: int, database: Database, password: str, media_root: Path) -> dict[str, str]:
    return os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        # One client address sends every request: the abuse limits would answer 429.
        "SIGNUP_RATE_LIMIT": "1000000/60",
        "LOGIN_RATE_LIMIT": "1000000/60",
        # The load generator posts the form at once; people take longer than the 3 s guard.
        "SIGNUP_MIN_SECONDS": "0",
        # The mail server is outside the measurement (mail is rendered, not sent).
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "GUNICORN_FLAGS": "",  # no access log
        "HOST": HOST,
        "PORT": str(port),
        "WORKERS": "2",
        "DATABASE_URL": database.url,
        # The demo lab's header image (drawn by seed_demo) lives with the run, not in media/.
        "MEDIA_ROOT": str(media_root),
        "BENCH_ADMIN_PASSWORD": password,
    }
