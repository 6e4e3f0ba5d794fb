"""Build and forge backup archives for the backup and restore tests."""

import hashlib
import hmac
import io
import json
import tarfile

KEY = "the backup key of the tests"


def sign(manifest, key):
    return hmac.new(key.encode(), manifest, hashlib.sha256).hexdigest().encode()


def add_member(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def entry(path, data):
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def rewrite(archive, path, change=None, *, key=KEY, extra=()):
    """Copy an archive with change(name, bytes) -> bytes applied to each member, and the
    members extra (TarInfo) added; sign its manifest with key (None: leave it unsigned)."""
    with tarfile.open(archive, "r:gz") as original, tarfile.open(path, "w:gz") as copy:
        for member in original.getmembers():
            if member.name == "manifest.json.sig":
                continue
            data = original.extractfile(member).read()
            data = change(member.name, data) if change else data
            if member.name == "manifest.json":
                manifest = data
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
        for member in extra:
            copy.addfile(member)
        if key is not None:
            add_member(copy, "manifest.json.sig", sign(manifest, key))
    return path


def listing(add=None, replace=None):
    """A change for rewrite(): add {path: bytes} to the manifest, or recompute the checksums
    of the files in replace {path: bytes}, whose content it also replaces."""
    add, replace = add or {}, replace or {}

    def change(name, data):
        if name in replace:
            return replace[name]
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        kept = [file for file in manifest["files"] if file["path"] not in replace]
        changed = [entry(path, content) for path, content in {**replace, **add}.items()]
        return json.dumps(dict(manifest, files=kept + changed)).encode()

    return change


def member(archive, name):
    with tarfile.open(archive, "r:gz") as tar:
        return tar.extractfile(name).read()
