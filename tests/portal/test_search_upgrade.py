"""A database made before the search had its own tables searches correctly right after
`migrate`: the migration run ends by installing the triggers and building the tables.

The database is tests/backoffice/fixtures/previous_main.sqlite3.gz (the demo data, made with
an older layout), migrated in a subprocess as an upgrade would be.
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

FIXTURE = (
    Path(settings.BASE_DIR) / "tests" / "backoffice" / "fixtures" / "previous_main.sqlite3.gz"
)
QUERIES = ["장쑤", "江苏", "Jiangsu", "경기", "a", "도"]

# Printed by `manage.py shell`: each query's hits, and what a plain Python search finds.
SEARCH = f"""
import json
from portal.search import search
from tests.portal.helpers_search import python_search

found = {{}}
for query in {QUERIES!r}:
    results = search(query=query, language="en", limit_per_kind=1000)
    hits = {{group.kind: sorted(record.pk for record in group.items) for group in results.groups}}
    expected = {{kind: sorted(pks) for kind, pks in python_search(query).items()}}
    found[query] = [hits, expected]
print(json.dumps(found))
"""


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


def test_an_upgraded_database_finds_what_a_substring_search_finds(tmp_path):
    database = tmp_path / "db.sqlite3"
    with gzip.open(FIXTURE) as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    _manage("migrate", "--no-input", database=database)
    printed = _manage("shell", "--no-imports", "-c", SEARCH, database=database)
    found = json.loads(printed.splitlines()[-1])
    assert found["장쑤"][0]["regions"], "the demo's Jiangsu is not found"
    # The announcement has no Chinese text: it is found by its partnership's name.
    assert found["江苏"][0]["news"], "the announcement is not found by its partnership"
    for query, (hits, expected) in found.items():
        assert hits == expected, query
