"""Check a backup archive before anything is restored from it; sign the manifest of a new one.

Every name in an archive is untrusted. Its members must be regular files (or folders) with
plain relative names under `database/` or `media/`, and each path of its manifest must be the
database dump or a media file that lands inside MEDIA_ROOT. The manifest holds each file's size
and sha256, so an HMAC of the manifest with DJANGO_BACKUP_KEY authenticates the whole archive.
"""

import hashlib
import hmac
import json
import re
import tarfile
import zlib
from collections import Counter
from pathlib import Path

from django.conf import settings

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
DUMPS = {"sqlite": "database/db.sqlite3", "postgresql": "database/portal.dump"}
FOLDERS = ("database", "media")
SHA256 = re.compile(r"[0-9a-f]{64}")
KINDS = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO",
}
IF_TRUSTED = "pass --allow-unsigned (make restore ... ALLOW_UNSIGNED=1) if you trust this file"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def manifest_sign(manifest: bytes, *, key: str) -> str:
    """Return the HMAC-SHA256 of the manifest's bytes, in hex."""
    return hmac.new(key.encode(), manifest, hashlib.sha256).hexdigest()


def archive_unpack(*, archive: Path, work: Path, engine: str, allow_unsigned: bool) -> dict:
    """Check the archive and extract its files into work; return its manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = _checked_manifest(tar, engine=engine, allow_unsigned=allow_unsigned)
            listed = {entry["path"] for entry in manifest["files"]}
            files = [member for member in tar.getmembers() if member.name in listed]
            # Defence in depth: the "data" filter refuses what _check_members refused already.
            tar.extractall(work, members=files, filter="data")
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise BackupError(
            f"{archive} is not a readable portal backup ({reason}); it may be truncated or "
            "damaged. Nothing was restored."
        ) from None
    return manifest


def _checked_manifest(tar, *, engine, allow_unsigned):
    """Check the members, the signature and the manifest; return the manifest."""
    members = tar.getmembers()
    _check_members(members)
    manifest = _read(tar, MANIFEST)
    if manifest is None:
        raise BackupError(
            f"The archive has no {MANIFEST}: not a portal backup. Nothing was restored."
        )
    _check_signature(manifest, _read(tar, SIGNATURE), allow_unsigned=allow_unsigned)
    manifest = _parse_manifest(manifest)
    if manifest["engine"] != engine:
        raise BackupError(
            f"This backup was made from a {manifest['engine']} database; the portal now uses "
            f"{engine}. Restore it into a {manifest['engine']} database. Nothing was restored."
        )
    _check_entries(manifest)
    _check_listing(manifest, members)
    return manifest


def media_target(path: str) -> Path | None:
    """Return where a manifest's media path lands, resolved; None if outside MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        # resolve() follows links already in MEDIA_ROOT: one pointing outside is caught here.
        target = (root / path.removeprefix("media/")).resolve()
    except (OSError, RuntimeError):
        return None
    return target if target.is_relative_to(root) else None


def _read(tar, name):
    try:
        member = tar.getmember(name)
    except KeyError:
        return None
    return tar.extractfile(member).read()


def _refuse(problems, why):
    if problems:
        raise BackupError(f"{why}; nothing was restored: {'; '.join(problems)}.")


def _shown(name):
    """Return name as a message may print it: on one line, with no terminal escapes."""
    return name if name.isprintable() else repr(name)


# ---- Members


def _check_members(members):
    counts = Counter(member.name for member in members)
    problems = [f"{_shown(name)}: appears twice" for name, count in counts.items() if count > 1]
    for member in members:
        if problem := _member_problem(member):
            problems.append(f"{_shown(member.name)}: {problem}")
    _refuse(problems, "The archive holds entries that a portal backup never has")


def _member_problem(member):
    if not (member.isreg() or member.isdir()):
        kind = KINDS.get(member.type, "a special file")
        if member.issym() or member.islnk():
            kind = f"{kind} to {_shown(member.linkname)}"
        return f"{kind}, not a regular file or folder"
    if problem := _path_problem(member.name):
        return problem
    if member.name in (MANIFEST, SIGNATURE) and member.isreg():
        return None
    if member.name.split("/")[0] in FOLDERS and ("/" in member.name or member.isdir()):
        return None
    return f"not under {' or '.join(f'{folder}/' for folder in FOLDERS)}"


def _path_problem(path):
    if any(ord(character) < 32 or 127 <= ord(character) < 160 for character in path):
        return "a name with control characters"
    if path.startswith("/"):
        return "an absolute path"
    parts = path.split("/")
    if ".." in parts:
        return "a path that climbs out with `..`"
    if "" in parts or "." in parts:
        return "not a plain relative path (`//`, `/./` or a trailing `/`)"
    return None


# ---- Signature


def _check_signature(manifest, signature, *, allow_unsigned):
    key = settings.BACKUP_KEY
    if key and signature is not None:
        if hmac.compare_digest(signature.strip(), manifest_sign(manifest, key=key).encode()):
            return
        raise BackupError(
            "The manifest's signature does not match DJANGO_BACKUP_KEY: the archive was "
            "altered, or made with another key. Set DJANGO_BACKUP_KEY to the key the backup "
            "was made with. Nothing was restored."
        )
    if allow_unsigned:
        return
    if not key:
        raise BackupError(
            "DJANGO_BACKUP_KEY is not set, so this backup cannot be authenticated; nothing was "
            f"restored. Set it to the key the backup was made with, or {IF_TRUSTED}."
        )
    raise BackupError(
        f"This backup is not signed, so it cannot be authenticated; nothing was restored. "
        f"Restore a backup made with DJANGO_BACKUP_KEY set, or {IF_TRUSTED}."
    )


# ---- Manifest


def _parse_manifest(data):
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise BackupError(
            f"{MANIFEST} is not valid JSON ({error}); nothing was restored."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"Unknown backup format {found!r}; nothing was restored.")
    engine = manifest.get("engine")
    valid = isinstance(engine, str) and engine in DUMPS
    if not (valid and isinstance(manifest.get("created_at"), str)):
        raise BackupError(f"{MANIFEST} lacks a valid engine or date; nothing was restored.")
    if not isinstance(manifest.get("files"), list):
        raise BackupError(f"{MANIFEST} lacks its list of files; nothing was restored.")
    return manifest


def _check_entries(manifest):
    dump = DUMPS[manifest["engine"]]
    problems = [_entry_problem(entry, dump=dump) for entry in manifest["files"]]
    _refuse([problem for problem in problems if problem], f"{MANIFEST} has unsafe entries")


def _entry_problem(entry, *, dump):
    if not _is_entry(entry):
        return f"{repr(entry)[:80]}: not a file entry with a path, a size and a sha256"
    path = entry["path"]
    problem = _path_problem(path)
    if not problem and path != dump and not path.startswith("media/"):
        problem = f"neither {dump} nor under media/"
    if not problem and path.startswith("media/") and media_target(path) is None:
        problem = "lands outside MEDIA_ROOT"
    return problem and f"{_shown(path)}: {problem}"


def _is_entry(entry):
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and type(entry.get("size")) is int
        and entry["size"] >= 0
        and isinstance(entry.get("sha256"), str)
        and SHA256.fullmatch(entry["sha256"]) is not None
    )


def _check_listing(manifest, members):
    """Refuse unless the archive's files and the manifest's list are the same."""
    stored = {member.name for member in members if member.isreg()} - {MANIFEST, SIGNATURE}
    counts = Counter(entry["path"] for entry in manifest["files"])
    problems = [f"{_shown(path)}: listed twice" for path, count in counts.items() if count > 1]
    problems += [f"{name}: not listed in the manifest" for name in sorted(stored - set(counts))]
    problems += [f"{_shown(path)}: missing" for path in sorted(set(counts) - stored)]
    if DUMPS[manifest["engine"]] not in counts:
        problems.append(f"{DUMPS[manifest['engine']]}: missing")
    _refuse(problems, "The backup is damaged or was altered")
