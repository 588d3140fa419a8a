"""Set up Django for a benchmark script run from the repository root or bench/."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def database_created(url: str) -> None:
    """Create the PostgreSQL database that `url` names if it does not exist yet, so each
    benchmark's documented command also runs on a fresh machine. SQLite needs nothing."""
    if not url.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup() -> None:
    database_created(os.environ.get("DATABASE_URL", ""))
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "altavoz.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    import django

    django.setup()
