"""Safe file output: a write either replaces the whole file or leaves the old one untouched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from drafter.errors import DrafterError


def write_atomic(path: Path, data: bytes | str, force: bool = False) -> Path:
    """Write `data` (str as UTF-8) to `path` via a temp file in the same directory and an atomic rename.

    Refuses to replace an existing file unless `force`: the writer may have edited it by hand.
    """
    path = Path(path)
    if path.exists() and not force:
        raise DrafterError(f"{path} exists; use --force to overwrite")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Same directory as the target, so os.replace never crosses a file system.
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise DrafterError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # mkstemp creates the file 0600; give the result the mode a plain open() would have.
        os.chmod(tmp_name, 0o666 & ~_current_umask())
        # No fsync: the rename makes a write atomic against interruption (Ctrl-C, a crash), which is what a batch
        # needs; surviving power loss would cost an fsync per file, half the throughput of a 1,000-report run.
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DrafterError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
