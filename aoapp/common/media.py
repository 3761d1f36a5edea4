"""Where photos live: a folder of files named by the SHA-256 of their content.

`put(bytes) -> key` writes atomically (a temporary file beside the target, fsync, os.replace, then
the folder's entry is fsynced): a reader never sees half a file, and a crash leaves at most a
stray temporary file. The same content is stored once, under the same key. MEDIA_DIR (default
<instance>/media) may be storage every machine mounts, when several serve the app.
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

KEY = re.compile(r"^[0-9a-f]{64}$")


class MediaStore:
    """Files by content hash under one root folder (two-letter subfolders keep folders small)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file of `key`; anything but a SHA-256 hex digest is refused (no path tricks)."""
        if not isinstance(key, str) or not KEY.match(key):
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key[:2] / key

    def exists(self, key: str) -> bool:
        """True when the file of `key` is stored."""
        return self.path(key).is_file()

    def put(self, data: bytes) -> str:
        """Store `data` (once per content) and return its key."""
        key = hashlib.sha256(data).hexdigest()
        target = self.path(key)
        if target.is_file():
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".put-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_folder(target.parent)
        return key

    def open(self, key: str) -> BinaryIO:
        """The stored file, open for reading (FileNotFoundError when it is gone)."""
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove the file of `key` (nothing when it is already gone)."""
        self.path(key).unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    """Make the new name durable too (a rename is in the folder, not the file)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # a file system without folder handles: the rename is what it offers
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def media_store() -> MediaStore:
    """The app's store: MEDIA_DIR, else the `media` folder of the instance folder."""
    root = current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media"
    return MediaStore(root)
