"""`restore` refuses unsafe, forged and damaged archives before it writes anything.

Each archive here is built by hand and refused before the database is touched, so the command
runs in this process: a test that got as far as the database would fail on pytest-django's
guard (only the test of good archives is let through, to the check that the database is
empty). Restores that go through are in test_backup_restore.py.
"""

import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backoffice.backup_archive import DUMPS

from .helpers_backups import KEY, add_member, entry, sign

DUMP = DUMPS[connection.vendor]
FILES = {DUMP: b"not really a database dump", "media/news/hero.jpg": b"a hero image"}


@pytest.fixture
def media(settings, tmp_path):
    settings.BACKUP_KEY = KEY
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.MEDIA_ROOT.mkdir(parents=True)
    return settings.MEDIA_ROOT


def manifest_of(listed):
    files = [entry(path, data) for path, data in listed.items()]
    return {
        "format": 1,
        "created_at": "2026-11-27T09:30:00+09:00",
        "engine": connection.vendor,
        "migrations": {},
        "files": files,
    }


def special(name, kind, linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


def write_archive(path, files=FILES, *, listed=None, specials=(), manifest=None, key=KEY):
    """Write files and specials as members, with a manifest of listed (default: files).

    The manifest's checksums are right and it is signed with key (None: unsigned), as a
    forger who knows the key would do: only the checks of paths and members stand in the way.
    """
    if manifest is None:
        manifest = json.dumps(manifest_of(files if listed is None else listed)).encode()
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            add_member(tar, name, data)
        for info in specials:
            tar.addfile(info)
        add_member(tar, "manifest.json", manifest)
        if key is not None:
            add_member(tar, "manifest.json.sig", sign(manifest, key))
    return path


def tree(root):
    """Every path under root, with the content of each file; links are not followed."""
    found = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = os.path.join(folder, name)
            regular = os.path.isfile(path) and not os.path.islink(path)
            found[path] = Path(path).read_bytes() if regular else os.path.islink(path)
    return found


def refuse(archive, *options):
    """Run restore and return its refusal, which must be one line and change no file."""
    root = archive.parent
    before = tree(root)
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(archive), "--yes", *options)
    assert tree(root) == before
    message = str(refusal.value)
    assert "\n" not in message
    assert "nothing was" in message.lower()
    return message


# ---- Paths in the manifest


def test_it_refuses_a_manifest_path_that_climbs_out_of_the_media_folder(media, tmp_path):
    listed = {**FILES, "media/../../x": b"a hero image"}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", listed=listed))
    assert "media/../../x: a path that climbs out with `..`" in message


def test_it_refuses_a_manifest_path_that_copies_the_database_next_to_the_media(media, tmp_path):
    listed = {**FILES, f"media/../{DUMP}": FILES[DUMP]}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", listed=listed))
    assert f"media/../{DUMP}: a path that climbs out with `..`" in message


def test_it_refuses_a_manifest_path_that_is_absolute_after_media(media, tmp_path):
    outside = tmp_path / "outside" / "x"
    # pathlib reads media//tmp/... as media/tmp/..., so this member passes for the entry.
    files = {**FILES, f"media{outside}": b"planted"}
    listed = {**files, f"media/{outside}": b"planted"}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", files, listed=listed))
    assert f"media/{outside}: not a plain relative path" in message


def test_it_refuses_a_media_path_through_a_link_that_leaves_media_root(media, tmp_path):
    (tmp_path / "outside").mkdir()
    (media / "news").symlink_to(tmp_path / "outside")
    message = refuse(write_archive(tmp_path / "backup.tar.gz"))
    assert "media/news/hero.jpg: lands outside MEDIA_ROOT" in message


def test_it_refuses_a_manifest_path_outside_database_and_media(media, tmp_path):
    files = {**FILES, "settings.py": b"SECRET_KEY = 'planted'"}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", files))
    assert "settings.py: not under database/ or media/" in message


# ---- Members


def test_it_refuses_an_absolute_member_name(media, tmp_path):
    outside = tmp_path / "outside" / "x"
    files = {**FILES, str(outside): b"planted"}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", files, listed=FILES))
    assert f"{outside}: an absolute path" in message


def test_it_refuses_a_member_name_with_control_characters(media, tmp_path):
    files = {**FILES, "media/news/\x1b[2Jhero\n.jpg": b"planted"}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", files))
    assert "'media/news/\\x1b[2Jhero\\n.jpg': a name with control characters" in message


def test_it_refuses_a_member_that_climbs_out(media, tmp_path):
    files = {**FILES, "media/../../x": b"planted"}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", files, listed=FILES))
    assert "media/../../x: a path that climbs out with `..`" in message


@pytest.mark.parametrize(
    "kind, linkname, described",
    [
        (tarfile.SYMTYPE, f"../{DUMP}", f"a symbolic link to ../{DUMP}"),
        (tarfile.LNKTYPE, DUMP, f"a hard link to {DUMP}"),
    ],
)
def test_it_refuses_a_link_from_the_media_to_the_database(
    media, tmp_path, kind, linkname, described
):
    archive = write_archive(
        tmp_path / "backup.tar.gz",
        listed={**FILES, "media/db": FILES[DUMP]},
        specials=[special("media/db", kind, linkname)],
    )
    message = refuse(archive)
    assert f"media/db: {described}, not a regular file or folder" in message


@pytest.mark.parametrize(
    "kind, described",
    [
        (tarfile.CHRTYPE, "a character device"),
        (tarfile.BLKTYPE, "a block device"),
        (tarfile.FIFOTYPE, "a FIFO"),
    ],
)
def test_it_refuses_a_device_or_fifo(media, tmp_path, kind, described):
    archive = write_archive(
        tmp_path / "backup.tar.gz",
        listed={**FILES, "media/null": b""},
        specials=[special("media/null", kind)],
    )
    message = refuse(archive)
    assert f"media/null: {described}, not a regular file or folder" in message


# ---- Signature


def test_it_refuses_an_unsigned_archive(media, tmp_path):
    message = refuse(write_archive(tmp_path / "backup.tar.gz", key=None))
    assert "not signed" in message
    assert "--allow-unsigned" in message


def test_it_refuses_any_archive_without_a_backup_key(media, tmp_path, settings):
    settings.BACKUP_KEY = ""
    message = refuse(write_archive(tmp_path / "backup.tar.gz"))
    assert "DJANGO_BACKUP_KEY is not set" in message
    assert "Set it to the key the backup was made with, or pass --allow-unsigned" in message


@pytest.mark.parametrize("key", ["another key", KEY[:-1]])
def test_it_refuses_a_wrong_signature_even_when_unsigned_is_allowed(media, tmp_path, key):
    archive = write_archive(tmp_path / "backup.tar.gz", key=key)
    message = refuse(archive, "--allow-unsigned")
    assert "signature does not match DJANGO_BACKUP_KEY" in message


def test_it_refuses_a_signature_that_is_not_hex(media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    manifest = json.dumps(manifest_of(FILES)).encode()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in FILES.items():
            add_member(tar, name, data)
        add_member(tar, "manifest.json", manifest)
        add_member(tar, "manifest.json.sig", "é".encode() * 32)
    assert "signature does not match" in refuse(archive)


@pytest.mark.django_db
@pytest.mark.parametrize("key, options", [(KEY, ()), (None, ("--allow-unsigned",))])
def test_it_goes_on_to_the_database_with_a_good_or_allowed_archive(media, tmp_path, key, options):
    archive = write_archive(tmp_path / "backup.tar.gz", key=key)
    # The test database is migrated: the archive passed every check before this one.
    assert "is not empty" in refuse(archive, *options)


# ---- Damaged archives


def test_it_refuses_a_truncated_archive(media, tmp_path):
    files = {**FILES, "media/agreement.pdf": os.urandom(200_000)}
    archive = write_archive(tmp_path / "backup.tar.gz", files)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    message = refuse(archive)
    assert "is not a readable portal backup" in message
    assert "truncated or damaged" in message


@pytest.mark.parametrize("content", [b"", os.urandom(4096), b"\x1f\x8b\x08\x00garbage"])
def test_it_refuses_a_file_that_is_no_archive(media, tmp_path, content):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(content)
    assert "is not a readable portal backup" in refuse(archive)


def test_it_refuses_an_archive_without_a_manifest(media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        add_member(tar, DUMP, FILES[DUMP])
    assert "has no manifest.json" in refuse(archive)


@pytest.mark.parametrize(
    "manifest, complaint",
    [
        (b"{not json", "manifest.json is not valid JSON"),
        (b"\xff\xfe\x00", "manifest.json is not valid JSON"),
        (b"[" * 100_000, "manifest.json is not valid JSON"),
        (b"[]", "Unknown backup format"),
        (json.dumps({"format": 2}).encode(), "Unknown backup format 2"),
        (json.dumps({"format": 1, "files": []}).encode(), "lacks a valid engine"),
        (
            json.dumps({**manifest_of(FILES), "engine": ["sqlite"]}).encode(),
            "lacks a valid engine",
        ),
        (json.dumps({**manifest_of(FILES), "files": None}).encode(), "lacks its list of files"),
    ],
)
def test_it_refuses_a_manifest_without_its_keys(media, tmp_path, manifest, complaint):
    message = refuse(write_archive(tmp_path / "backup.tar.gz", manifest=manifest))
    assert complaint in message


@pytest.mark.parametrize(
    "bad",
    [
        "media/news/hero.jpg",
        {"path": 5, "size": 1, "sha256": "0" * 64},
        {"path": "media/news/hero.jpg", "size": "12", "sha256": "0" * 64},
        {"path": "media/news/hero.jpg", "size": -1, "sha256": "0" * 64},
        {"path": "media/news/hero.jpg", "size": True, "sha256": "0" * 64},
        {"path": "media/news/hero.jpg", "size": 12, "sha256": "not hex"},
        {"path": "media/news/hero.jpg", "size": 12},
    ],
)
def test_it_refuses_a_manifest_entry_of_the_wrong_types(media, tmp_path, bad):
    manifest = manifest_of({DUMP: FILES[DUMP]})
    manifest["files"].append(bad)
    archive = write_archive(tmp_path / "backup.tar.gz", manifest=json.dumps(manifest).encode())
    assert "not a file entry with a path, a size and a sha256" in refuse(archive)


def test_it_refuses_files_missing_from_the_manifest_or_the_archive(media, tmp_path):
    listed = {DUMP: FILES[DUMP], "media/news/gone.jpg": b"gone"}
    message = refuse(write_archive(tmp_path / "backup.tar.gz", listed=listed))
    assert "media/news/hero.jpg: not listed in the manifest" in message
    assert "media/news/gone.jpg: missing" in message


def test_it_refuses_a_member_that_appears_twice(media, tmp_path):
    archive = write_archive(tmp_path / "backup.tar.gz")
    with tarfile.open(archive, "r:gz") as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for info, data in [members[1], *members]:
            tar.addfile(info, io.BytesIO(data))
    assert "media/news/hero.jpg: appears twice" in refuse(archive)
