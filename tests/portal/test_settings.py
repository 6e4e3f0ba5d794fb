import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p8Wq-3vXz_Lr9sKd2Nf7Ym4Tb6Hc1Jg5Qe0Ua8Io3Pl2Zx7Cv9Bn4Mk6Rt1Ys5Wd",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_PUBLIC_URL": "https://portal.example.org",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_with_the_documented_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_rejects_a_malformed_boolean():
    result = manage("check", env={"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_it_keeps_database_connections_persistent_and_health_checked(settings):
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's memory map")
@pytest.mark.django_db
def test_sqlite_reads_the_database_through_a_memory_map(tmp_path):
    # Set on each new connection (the CSV export's speed on SQLite, bench/README.md); the
    # tests' own database is in memory, which has no map, so a file of the same settings.
    default = connections["default"]
    wrapper = type(default)({**default.settings_dict, "NAME": tmp_path / "db.sqlite3"})
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            assert cursor.fetchone()[0] == 2**30
    finally:
        wrapper.close()
