"""Back up the database and the uploaded media into one archive, and restore it.

An archive `portal-<YYYYmmdd-HHMMSS>.tar.gz` holds:

- `database/db.sqlite3` (SQLite, a consistent copy by SQLite's online backup API) or
  `database/portal.dump` (PostgreSQL, `pg_dump --format=custom`);
- `media/...`, every file under MEDIA_ROOT;
- `manifest.json`: when, which engine, the migration state, and each file's size and sha256;
- `manifest.json.sig`: the manifest's HMAC-SHA256 with DJANGO_BACKUP_KEY, when that is set.

A restore goes only into an empty database and never overwrites a different media file; it
checks the whole archive (backoffice.backup_archive) before it writes anything.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from core.cache import content_changed

from .backup_archive import (
    DUMPS,
    FORMAT,
    MANIFEST,
    SIGNATURE,
    BackupError,
    archive_unpack,
    manifest_sign,
    media_target,
)

# The apps whose rows make a database "not empty": the records, the news and the accounts.
CONTENT_APPS = ("relations", "news")


# ---- Backup


def backup_create(*, output_dir: Path) -> Path:
    """Write a timestamped archive of the database and the media into output_dir."""
    engine = _engine()
    output_dir = Path(output_dir).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = output_dir / f"portal-{stamp}.tar.gz"
    if path.exists():
        raise BackupError(f"{path} exists already; run the backup again in a second.")
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        dump = Path(work) / "database"
        _dump_database(engine, dump)
        temporary = output_dir / f".{path.name}.partial"
        try:
            _write_archive(temporary, engine, dump, skip=output_dir)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path


def _engine():
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _dump_database(engine, dump):
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as target:
            connection.connection.backup(target)
        target.close()
    else:
        _run_pg(["pg_dump", "--format=custom", f"--file={dump}"])


def _write_archive(temporary, engine, dump, *, skip):
    # The archive holds password hashes and internal notes: readable by its owner only.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        files = [_add_file(archive, DUMPS[engine], dump)]
        for name, source in _media_files(skip=skip):
            files.append(_add_file(archive, name, source))
        manifest = json.dumps(_manifest(engine, files), indent=2, ensure_ascii=False).encode()
        _add_bytes(archive, MANIFEST, manifest)
        if settings.BACKUP_KEY:
            signature = manifest_sign(manifest, key=settings.BACKUP_KEY)
            _add_bytes(archive, SIGNATURE, signature.encode())


def _add_file(archive, name, source):
    """Add one file, hashing the very bytes that go into the archive."""
    with open(source, "rb") as file:
        info = archive.gettarinfo(fileobj=file, arcname=name)
        digest = hashlib.sha256()
        archive.addfile(info, _HashingReader(file, digest))
    return {"path": name, "size": info.size, "sha256": digest.hexdigest()}


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, _BytesReader(data))


def _media_files(*, skip):
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_file() and not path.resolve().is_relative_to(skip):
            yield f"media/{path.relative_to(root).as_posix()}", path


def _manifest(engine, files):
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "django": django.get_version(),
        "migrations": _migration_state(),
        "files": files,
    }


def _migration_state():
    """Return the last applied migration of each app. Runs a query."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied = recorder.migration_qs.order_by("applied", "id").values_list("app", "name")
    return dict(applied)


class _HashingReader:
    def __init__(self, file, digest):
        self.file, self.digest = file, digest

    def read(self, size=-1):
        chunk = self.file.read(size)
        self.digest.update(chunk)
        return chunk


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], end
        return chunk


# ---- Restore


def backup_restore(*, archive: Path, allow_unsigned: bool = False) -> dict:
    """Restore an archive into the empty database and MEDIA_ROOT; return its manifest."""
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        work = Path(work)
        manifest = archive_unpack(
            archive=Path(archive), work=work, engine=engine, allow_unsigned=allow_unsigned
        )
        _check_checksums(manifest, work)
        _check_database_empty()
        media = _media_to_copy(manifest, work)
        _restore_database(engine, work / DUMPS[engine])
        for source, target in media:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    content_changed()  # pages cached before the restore show none of it
    return manifest


def _check_checksums(manifest, work):
    """Refuse files that differ from the manifest (archive_unpack checked the list)."""
    damaged = [
        f"{entry['path']}: checksum mismatch"
        for entry in manifest["files"]
        if not _matches(work / entry["path"], entry)
    ]
    if damaged:
        raise BackupError(
            f"The backup is damaged or was altered; nothing was restored: {'; '.join(damaged)}."
        )


def _matches(path, entry):
    return path.stat().st_size == entry["size"] and _sha256(path) == entry["sha256"]


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_database_empty():
    """Refuse a database with records in it, or with any table at all. Runs queries."""
    tables = set(connection.introspection.table_names())
    counts = {
        model._meta.verbose_name_plural: model._base_manager.count()
        for model in _content_models()
        if model._meta.db_table in tables
    }
    held = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    name = settings.DATABASES["default"]["NAME"]
    if held:
        raise BackupError(
            f"The database {name} holds data ({held}). A backup is restored only into an "
            "empty database; nothing was changed. See README, Backups."
        )
    if tables:
        raise BackupError(
            f"The database {name} is not empty: it has tables (was it migrated?). Restore "
            "into a new, empty database; nothing was changed. See README, Backups."
        )


def _content_models():
    for label in CONTENT_APPS:
        yield from apps.get_app_config(label).get_models()
    yield get_user_model()


def _media_to_copy(manifest, work):
    """Return (source, target) pairs; refuse a different file already in MEDIA_ROOT."""
    pairs, conflicts = [], []
    for entry in manifest["files"]:
        if not entry["path"].startswith("media/"):
            continue
        # archive_unpack refused any media path that lands outside MEDIA_ROOT.
        target = media_target(entry["path"])
        shown = Path(settings.MEDIA_ROOT) / entry["path"].removeprefix("media/")
        if target.exists():
            if not target.is_file() or _sha256(target) != entry["sha256"]:
                conflicts.append(str(shown))
        elif blocker := _file_above(target):
            conflicts.append(str(blocker))
        else:
            pairs.append((work / entry["path"], target))
    if conflicts:
        raise BackupError(
            "These media files exist and differ from the backup; move them away first. "
            "Nothing was restored.\n" + "\n".join(conflicts)
        )
    return pairs


def _file_above(target):
    """Return the file that stands where a folder above target must go, if any."""
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    return None if parent.is_dir() else parent


def _restore_database(engine, dump):
    if engine == "sqlite":
        connection.close()
        with (
            sqlite3.connect(dump) as source,
            sqlite3.connect(connection.settings_dict["NAME"]) as target,
        ):
            source.backup(target)
        source.close()
        target.close()
    else:
        connection.close()
        _run_pg(
            [
                "pg_restore",
                "--no-owner",
                # All or nothing: a failed restore leaves the database empty.
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ]
        )


# ---- PostgreSQL tools


def _run_pg(command):
    """Run a PostgreSQL client with the connection in the environment, never in argv."""
    try:
        result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed:\n{result.stderr.strip()}")


def _pg_environment():
    database = connection.settings_dict
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", database.get("HOST")),
        ("PGPORT", database.get("PORT")),
        ("PGUSER", database.get("USER")),
        ("PGPASSWORD", database.get("PASSWORD")),
        ("PGDATABASE", database.get("NAME")),
        ("PGSSLMODE", database.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            environment[variable] = str(value)
    return environment
