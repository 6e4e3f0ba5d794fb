"""`backup` and `restore` end to end, on the engine of the current DATABASE_URL.

The commands run in subprocesses against databases of their own (a SQLite file, or fresh
PostgreSQL databases), because the test database of pytest-django is in memory on SQLite
and a restore needs a database that nothing else holds open.
"""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

from backoffice.backup_archive import DUMPS

from .helpers_backups import KEY, listing, member, rewrite, sign

ENGINE = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
KOREAN_TITLE = "우호에서 자매결연으로: 경기도와 장쑤성"
MEDIA = {
    "news/hero-jiangsu.jpg": b"\xff\xd8\xff\xe0 not really a JPEG, but real bytes",
    "agreements/sisterhood-2024.pdf": b"%PDF-1.4\n% signed at Dodamso\n",
    "news/renditions/경기도.webp": bytes(range(256)) * 64,
}
HERO = "media/news/hero-jiangsu.jpg"

# Runs a management command with MEDIA_ROOT pointed at a test folder.
RUNNER = """
import sys
import django
from django.core.management import call_command
from django.test.utils import override_settings

django.setup()
with override_settings(MEDIA_ROOT=sys.argv[1]):
    call_command(*sys.argv[2:])
"""


def manage(database_url, media_root, *args, key=KEY):
    environment = dict(os.environ, DJANGO_DEBUG="1", DATABASE_URL=database_url)
    environment["DJANGO_BACKUP_KEY"] = key
    return subprocess.run(
        [sys.executable, "-c", RUNNER, str(media_root), *map(str, args)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def succeed(database_url, media_root, *args, key=KEY):
    result = manage(database_url, media_root, *args, key=key)
    assert result.returncode == 0, result.stderr
    return result.stdout


def records(database_url, media_root):
    """Every row of the database, as dumpdata writes it."""
    output = succeed(database_url, media_root, "dumpdata", "--indent", "0")
    return json.loads(output)


# ---- Databases of the current engine


class SQLiteDatabases:
    def __init__(self, folder):
        self.folder = folder

    def new(self):
        return f"sqlite:///{self.folder / f'{uuid.uuid4().hex}.sqlite3'}"

    def drop_all(self):
        pass


class PostgreSQLDatabases:
    def __init__(self):
        self.server = urlsplit(os.environ["DATABASE_URL"])
        self.names = []

    def new(self):
        name = f"portal_backup_{uuid.uuid4().hex[:12]}"
        self.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return urlunsplit(self.server._replace(path=f"/{name}"))

    def drop_all(self):
        for name in self.names:
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def execute(self, sql):
        import psycopg2

        url = urlunsplit(self.server._replace(path="/postgres"))
        connection = psycopg2.connect(url)
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    if ENGINE == "sqlite":
        pool = SQLiteDatabases(tmp_path_factory.mktemp("databases"))
    else:
        pool = PostgreSQLDatabases()
    yield pool
    pool.drop_all()


@pytest.fixture(scope="module")
def source(databases, tmp_path_factory):
    """A database with the demo data and media files, and one backup of both."""
    url, media = databases.new(), tmp_path_factory.mktemp("source-media")
    for name, content in MEDIA.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    succeed(url, media, "migrate", "--no-input", "-v0")
    succeed(url, media, "seed_demo")
    output = succeed(url, media, "backup", "--output-dir", media.parent / "backups")
    backup = {"url": url, "media": media, "archive": Path(output.splitlines()[0])}
    return {**backup, "output": output, "records": records(url, media)}


@pytest.fixture
def target(databases, tmp_path):
    """An empty database and an empty MEDIA_ROOT."""
    return {"url": databases.new(), "media": tmp_path / "media"}


def restore(target, archive, *options):
    return manage(target["url"], target["media"], "restore", archive, "--yes", *options)


def files_under(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


# ---- Backup


def test_it_writes_one_timestamped_archive_with_a_manifest(source):
    archive = source["archive"]
    assert archive.parent.name == "backups"
    assert archive.name.startswith("portal-") and archive.name.endswith(".tar.gz")
    assert list(archive.parent.iterdir()) == [archive]  # no temporary file left behind
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["engine"] == ENGINE
    (last,) = MigrationLoader(None).graph.leaf_nodes("relations")
    assert manifest["migrations"]["relations"] == last[1]
    assert "news" in manifest["migrations"] and "auth" in manifest["migrations"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert names == set(listed) | {"manifest.json", "manifest.json.sig"}
    assert {f"media/{name}" for name in MEDIA} < set(listed)
    hero = listed["media/news/hero-jiangsu.jpg"]
    assert hero["size"] == len(MEDIA["news/hero-jiangsu.jpg"])
    assert len(hero["sha256"]) == 64


def test_it_signs_the_manifest_with_the_backup_key(source):
    archive = source["archive"]
    signature = member(archive, "manifest.json.sig")
    assert signature == sign(member(archive, "manifest.json"), KEY)
    assert "Signed with DJANGO_BACKUP_KEY" in source["output"]


def test_it_says_when_a_backup_is_not_signed(source, tmp_path):
    output = succeed(source["url"], source["media"], "backup", "--output-dir", tmp_path, key="")
    with tarfile.open(output.splitlines()[0]) as tar:
        assert "manifest.json.sig" not in tar.getnames()
    assert "Not signed: DJANGO_BACKUP_KEY is not set" in output
    assert "--allow-unsigned" in output


# ---- Restore


def test_it_restores_the_same_records_and_files(source, target):
    result = restore(target, source["archive"])
    assert result.returncode == 0, result.stderr

    restored = records(target["url"], target["media"])
    assert restored == source["records"]
    agreements = [row for row in restored if row["model"] == "relations.agreement"]
    jiangsu = next(
        row["pk"]
        for row in restored
        if row["model"] == "relations.partnership" and row["fields"]["slug"] == "jiangsu"
    )
    signed = sorted(
        (row["fields"]["signed_on"], row["fields"]["kind"])
        for row in agreements
        if row["fields"]["partnership"] == jiangsu
    )
    assert signed == [("2011-01-01", "friendship"), ("2024-06-19", "sisterhood")]
    (article,) = [row for row in restored if row["model"] == "news.article"]
    assert article["fields"]["title_ko"] == KOREAN_TITLE
    assert files_under(target["media"]) == MEDIA


def test_it_refuses_a_database_that_holds_data(source, target):
    assert restore(target, source["archive"]).returncode == 0
    before = records(target["url"], target["media"])

    result = restore(target, source["archive"])
    assert result.returncode != 0
    assert "holds data" in result.stderr
    assert "7 agreements" in result.stderr
    assert records(target["url"], target["media"]) == before


def test_it_refuses_a_migrated_database_without_records(source, target):
    succeed(target["url"], target["media"], "migrate", "--no-input", "-v0")
    result = restore(target, source["archive"])
    assert result.returncode != 0
    assert "not empty" in result.stderr


def test_it_refuses_a_tampered_archive_and_changes_nothing(source, target, tmp_path):
    def change(name, data):
        return b"a different hero" if name == "media/news/hero-jiangsu.jpg" else data

    tampered = rewrite(source["archive"], tmp_path / "tampered.tar.gz", change)
    result = restore(target, tampered)
    assert result.returncode != 0
    assert "media/news/hero-jiangsu.jpg: checksum mismatch" in result.stderr
    assert not target["media"].exists()
    # Still empty: a restore after the refusal goes through.
    assert restore(target, source["archive"]).returncode == 0


def test_it_refuses_a_backup_of_another_engine(source, target, tmp_path):
    other = "sqlite" if ENGINE == "postgresql" else "postgresql"

    def change(name, data):
        if name != "manifest.json":
            return data
        return json.dumps(dict(json.loads(data), engine=other)).encode()

    result = restore(target, rewrite(source["archive"], tmp_path / "other.tar.gz", change))
    assert result.returncode != 0
    assert f"made from a {other} database" in result.stderr


def test_it_restores_an_unsigned_archive_only_when_told_to(source, target, tmp_path):
    unsigned = rewrite(source["archive"], tmp_path / "unsigned.tar.gz", key=None)

    result = restore(target, unsigned)
    assert result.returncode != 0
    assert "This backup is not signed" in result.stderr
    assert not target["media"].exists()

    assert restore(target, unsigned, "--allow-unsigned").returncode == 0
    assert records(target["url"], target["media"]) == source["records"]


@pytest.mark.parametrize(
    "key, refusal",
    [(None, "This backup is not signed"), ("a guessed key", "signature does not match")],
)
def test_it_refuses_a_forged_archive_with_recomputed_checksums(
    source, target, tmp_path, key, refusal
):
    forged = rewrite(
        source["archive"],
        tmp_path / "forged.tar.gz",
        listing(replace={HERO: b"a forged hero"}),
        key=key,
    )
    result = restore(target, forged)
    assert result.returncode != 0
    assert refusal in result.stderr
    assert not target["media"].exists()
    # Still empty: a restore after the refusal goes through.
    assert restore(target, source["archive"]).returncode == 0


# ---- Restore: nothing lands outside MEDIA_ROOT, even from an archive signed with the key


def test_it_refuses_to_copy_the_database_out_of_the_media_folder(source, target, tmp_path):
    dump = DUMPS[ENGINE]
    copy = f"media/../{dump}"
    change = listing(add={copy: member(source["archive"], dump)})
    archive = rewrite(source["archive"], tmp_path / "escape.tar.gz", change)
    before = files_under(tmp_path)

    result = restore(target, archive)
    assert result.returncode != 0
    assert f"{copy}: a path that climbs out with `..`" in result.stderr
    assert files_under(tmp_path) == before
    assert restore(target, source["archive"]).returncode == 0  # the database was left empty


def test_it_refuses_a_link_from_the_media_folder_to_the_database(source, target, tmp_path):
    dump = DUMPS[ENGINE]
    link = tarfile.TarInfo("media/db")
    link.type, link.linkname = tarfile.LNKTYPE, dump
    change = listing(add={"media/db": member(source["archive"], dump)})
    archive = rewrite(source["archive"], tmp_path / "link.tar.gz", change, extra=[link])
    before = files_under(tmp_path)

    result = restore(target, archive)
    assert result.returncode != 0
    assert f"media/db: a hard link to {dump}, not a regular file or folder" in result.stderr
    assert files_under(tmp_path) == before
    assert restore(target, source["archive"]).returncode == 0  # the database was left empty


def test_it_refuses_to_overwrite_a_different_media_file(source, target):
    existing = target["media"] / "news" / "hero-jiangsu.jpg"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"someone else's picture")

    result = restore(target, source["archive"])
    assert result.returncode != 0
    assert str(existing) in result.stderr
    assert existing.read_bytes() == b"someone else's picture"
    assert files_under(target["media"]) == {"news/hero-jiangsu.jpg": b"someone else's picture"}


def test_it_refuses_when_a_file_stands_where_a_media_folder_goes(source, target):
    target["media"].mkdir()
    (target["media"] / "news").write_bytes(b"a file, not a folder")

    result = restore(target, source["archive"])
    assert result.returncode != 0
    assert str(target["media"] / "news") in result.stderr
    assert files_under(target["media"]) == {"news": b"a file, not a folder"}
    (target["media"] / "news").unlink()
    assert restore(target, source["archive"]).returncode == 0  # the database was left empty
