"""A database made before the back office was an app of its own migrates without losing a record.

fixtures/previous_main.sqlite3.gz was made with the code of commit ec901aa, where the roles'
migration was portal 0001_roles:

    git archive ec901aa | tar -x -C /tmp/old && cd /tmp/old
    export DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/old.sqlite3 STAFF_PASSWORD=...
    python manage.py migrate && python manage.py seed_demo
    python manage.py createstaff alice --role editor --password-env STAFF_PASSWORD
    python manage.py createstaff bob --role publisher --password-env STAFF_PASSWORD
    gzip -9 -n -c /tmp/old.sqlite3 > tests/backoffice/fixtures/previous_main.sqlite3.gz

The test migrates a copy in a subprocess, as an upgrade would: on SQLite, whatever database the
suite itself runs on.
"""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from backoffice.roles import ROLES

FIXTURE = Path(__file__).parent / "fixtures" / "previous_main.sqlite3.gz"
# Bookkeeping that a newer layout may add rows to: new models' types and permissions.
MAY_GROW = {"auth_permission", "django_content_type", "auth_group_permissions", "auth_group"}

# Printed by `manage.py shell` in the migrated database: what the ORM finds there now.
FOUND = """
import json
from django.apps import apps
from django.contrib.auth.models import Group, User
from relations.models import Partnership

print(json.dumps({
    "rows": {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    },
    "groups": {
        group.name: sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        )
        for group in Group.objects.all()
    },
    "roles_of": {
        user.username: sorted(user.groups.values_list("name", flat=True))
        for user in User.objects.all()
    },
    "levels": sorted(Partnership.objects.values_list("slug", "level")),
}))
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """Return (rows before, what the ORM finds after `migrate`, migrations recorded after)."""
    path = tmp_path_factory.mktemp("previous_main") / "db.sqlite3"
    with gzip.open(FIXTURE) as packed, path.open("wb") as database:
        shutil.copyfileobj(packed, database)
    before = _rows(path)
    _manage("migrate", "--no-input", database=path)
    printed = _manage("shell", "--no-imports", "-c", FOUND, database=path)
    found = json.loads(printed.splitlines()[-1])
    with sqlite3.connect(path) as connection:
        applied = set(connection.execute("SELECT app, name FROM django_migrations"))
    return before, found, applied


def _manage(*args, database):
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _rows(path):
    """Return {table: row count} of every table that holds rows, read with sqlite3 itself."""
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if name not in ("django_migrations", "sqlite_sequence")
        ]
        counts = {
            t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables
        }
    return {table: count for table, count in counts.items() if count}


def test_it_runs_the_roles_migration_of_the_back_office(migrated):
    _before, _found, applied = migrated
    assert ("portal", "0001_roles") in applied  # recorded by the previous layout, left alone
    assert ("backoffice", "0001_roles") in applied


def test_it_finds_every_record_of_the_previous_layout(migrated):
    before, found, _applied = migrated
    assert before["relations_agreement"] == 7  # the fixture holds the demo data
    for table, count in before.items():
        assert table in found["rows"], f"no model reads {table} any more"
        if table in MAY_GROW:
            assert found["rows"][table] >= count, table
        else:
            assert found["rows"][table] == count, table


def test_it_keeps_the_levels_and_the_staff_roles(migrated):
    _before, found, _applied = migrated
    assert found["levels"] == [
        ["guangdong", "sisterhood"],
        ["jiangsu", "sisterhood"],
        ["liaoning", "sisterhood"],
        ["shandong", "sisterhood"],
    ]
    assert found["roles_of"] == {"alice": ["editor"], "bob": ["publisher"]}


def test_it_gives_each_role_group_exactly_its_permissions(migrated):
    _before, found, _applied = migrated
    for role in ROLES:
        assert found["groups"][role.code] == sorted(role.permissions), role.code
