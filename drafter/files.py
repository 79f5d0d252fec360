"""Safe file output: a write either replaces the whole file or leaves the old one untouched."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from drafter.errors import DrafterError

# Temp names: pid + counter, unique within the process (next() is atomic under the GIL) and across processes;
# O_EXCL below still refuses a stale leftover, and the next number is tried.
_TEMP_NUMBERS = itertools.count()
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_atomic(path: Path, data: bytes | str, force: bool = False) -> Path:
    """Write `data` (str as UTF-8) to `path` via a temp file in the same directory and an atomic rename.

    Refuses to replace an existing file unless `force`: the writer may have edited it by hand.
    """
    path = Path(path)
    if not force and path.exists():
        raise DrafterError(f"{path} exists; use --force to overwrite")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        # Same directory as the target, so os.replace never crosses a file system.
        fd, tmp_name = _create_temp(path)
    except OSError as exc:
        raise DrafterError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # No fsync: the rename makes a write atomic against interruption (Ctrl-C, a crash), which is what a batch
        # needs; surviving power loss would cost an fsync per file, half the throughput of a 1,000-report run.
        with open(fd, "wb", buffering=0, closefd=True) as tmp:
            view = memoryview(payload)
            while view:
                view = view[tmp.write(view):]
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DrafterError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path


def _create_temp(path: Path) -> tuple[int, str]:
    """A new empty temp file next to `path` (its folder made when missing), created with mode 0o666 less the
    umask, the mode a plain open() gives; one open() in the common case, no mkdir, chmod or umask calls."""
    folder = os.fspath(path.parent)
    prefix = os.path.join(folder, f".{path.name}.{os.getpid()}.")
    for _ in range(100):
        tmp_name = f"{prefix}{next(_TEMP_NUMBERS)}.tmp"
        try:
            return os.open(tmp_name, _TEMP_FLAGS, 0o666), tmp_name
        except FileExistsError:
            continue
        except FileNotFoundError:
            if os.path.isdir(folder):
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
    raise FileExistsError(f"no free temp name next to {path}")
