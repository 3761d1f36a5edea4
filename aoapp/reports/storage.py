"""Report files under EXPORTS_DIR: safe paths, atomic writes, checksums, orphan clean-up.

Paths are made of the ids of the records a report covers (a slug of their names beside them only
for people), never of text alone: two customers whose CIFs or names look alike once made safe
still get two files.

A workbook is written to a hidden temporary file in its final directory, flushed to disk
(fsync), then renamed over its final name (`os.replace`, atomic on one file system), so a
reader never sees half a file. The temporary name carries the host and process id, so a later
run can tell a leftover of a killed run from a file another process is still writing.
"""

import errno
import hashlib
import os
import re
import secrets
import socket
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from aoapp.common.dates import fs_now
from aoapp.errors import DomainError

TEMP_PREFIX = ".tmp-"
TEMP_SUFFIX = ".part"
# `.tmp-<host>-<pid>-<token>-<final name>.part`
_TEMP = re.compile(r"^\.tmp-(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)-[0-9a-f]{8}-.*\.part$")
ORPHAN_AGE_SECONDS = 6 * 3600  # a temp file of another host this old is surely abandoned
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
SLUG_LENGTH = 40
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
CHUNK = 1024 * 1024


class ReportStorageError(DomainError):
    """A report file could not be written (disk full, permissions); nothing was left behind."""

    status_code = 507
    code = "storage_error"


@dataclass(frozen=True)
class StoredFile:
    """A complete file under EXPORTS_DIR: its relative path, size and SHA-256."""

    path: str
    size: int
    sha256: str


def exports_root() -> Path:
    """The EXPORTS_DIR of the running app, as an absolute path."""
    return Path(current_app.config["EXPORTS_DIR"]).resolve()


def safe_part(text: str | None, fallback: str = "_") -> str:
    """One path component made of letters, digits, `.`, `_` and `-` (never hidden, never `..`)."""
    cleaned = _UNSAFE.sub("_", (text or "").strip()).strip(".") or fallback
    return cleaned[:80]


def slug(text: str | None, length: int = SLUG_LENGTH) -> str:
    """Lowercase ASCII words joined by `-` (accents transliterated), at most `length` chars."""
    # Accents come apart (é → e + ◌́) and the marks are dropped; any other character that is
    # not an ASCII letter or digit (dashes, punctuation, other scripts) separates words.
    letters = "".join(
        ch for ch in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(ch)
    )
    return re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")[:length].strip("-")


def id_part(record_id: int, name: str | None = None) -> str:
    """A path component made from a record's id, with a slug of its name for people reading the
    folder (`12-warung-budi`): unique by the id whatever the name, and never `..` or hidden."""
    words = slug(name)
    return f"{int(record_id)}-{words}" if words else str(int(record_id))


def relative_path(*parts: str) -> str:
    """A path relative to EXPORTS_DIR from safe components, with `/` separators."""
    return "/".join(safe_part(part) for part in parts)


def absolute(path: str) -> Path:
    """The absolute path of a stored file; a path escaping EXPORTS_DIR is refused."""
    root = exports_root()
    full = (root / path).resolve()
    if root != full and root not in full.parents:
        raise ValueError(f"{path!r} is outside the exports folder")
    return full


def is_intact(path: str, size: int) -> bool:
    """True when the file exists with the recorded size (a cheap check of a complete file)."""
    try:
        return absolute(path).stat().st_size == size
    except (OSError, ValueError):
        return False


def sha256_of(full_path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(full_path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _host() -> str:
    return safe_part(socket.gethostname()).replace(".", "_").replace("-", "_")[:40]


def _temp_path(final: Path) -> Path:
    token = secrets.token_hex(4)
    return final.with_name(
        f"{TEMP_PREFIX}{_host()}-{os.getpid()}-{token}-{final.name}{TEMP_SUFFIX}"
    )


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (a crash right after it keeps the new name)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform/file system
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def storage_error(error: OSError, path: str) -> ReportStorageError:
    """A clear message for a failed write; a full disk says so."""
    if error.errno in _DISK_FULL:
        return ReportStorageError(
            _(
                "The report %(path)s could not be written: the disk holding the exports folder "
                "is full. Nothing was saved. Free some space and run the generation again.",
                path=path,
            )
        )
    reason = error.strerror or str(error)
    return ReportStorageError(
        _(
            "The report %(path)s could not be written: %(reason)s. Nothing was saved.",
            path=path,
            reason=reason,
        )
    )


def write_atomic(path: str, write: Callable[[str], None]) -> StoredFile:
    """Write a file through `write(temp_path)`, fsync it and rename it to `path` (relative).

    On any failure the temporary file is removed and the previous file (if any) is untouched;
    an OSError becomes a ReportStorageError, other exceptions propagate unchanged.
    """
    final = absolute(path)
    temp = None
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = _temp_path(final)
        write(str(temp))
        with open(temp, "r+b") as handle:
            os.fsync(handle.fileno())
        size = temp.stat().st_size
        digest = sha256_of(temp)
        os.replace(temp, final)
        temp = None
        _fsync_directory(final.parent)
    except OSError as error:
        raise storage_error(error, path) from error
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return StoredFile(path=path, size=size, sha256=digest)


def remove(path: str) -> None:
    """Delete a stored file if it is there."""
    try:
        absolute(path).unlink(missing_ok=True)
    except (OSError, ValueError):
        current_app.logger.warning("could not remove report file %s", path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_orphan(name: str, mtime: float, now: float | None = None) -> bool:
    """A temp file left by a dead process of this host, or any temp file older than 6 hours."""
    match = _TEMP.match(name)
    if match is None:
        return False
    now = fs_now(exports_root()) if now is None else now
    if now - mtime > ORPHAN_AGE_SECONDS:
        return True
    return match["host"] == _host() and not _pid_alive(int(match["pid"]))


def clean_orphans() -> int:
    """Remove temporary files of interrupted runs under EXPORTS_DIR; returns how many."""
    root = exports_root()
    if not root.is_dir():
        return 0
    removed = 0
    now = fs_now(root)
    for directory, _dirs, files in os.walk(root):
        for name in files:
            if not name.startswith(TEMP_PREFIX):
                continue
            full = Path(directory) / name
            try:
                if is_orphan(name, full.stat().st_mtime, now):
                    full.unlink()
                    removed += 1
            except OSError:
                continue  # gone meanwhile, or not ours to remove
    return removed
