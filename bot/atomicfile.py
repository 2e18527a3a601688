"""Whole-file writes that a crash cannot leave half done, for files holding personal data.

One implementation for the leads store, the conversation state and exports: temp file in the
same directory (created 0600 by mkstemp), fsync, os.replace, fsync of the directory. A crash
at any moment leaves either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def _synced_temp(directory: Path, name: str, data: bytes, mode: int = PRIVATE_FILE) -> str:
    """`data` in a new temp file `.<name>.*.tmp` of `directory`, with `mode`, on disk."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: str | os.PathLike[str], data: bytes, mode: int = PRIVATE_FILE) -> Path:
    """Replaces `path` with `data` atomically; the file gets `mode` (0600 by default)."""
    target = Path(path)
    directory = target.parent
    tmp = _synced_temp(directory, target.name, data, mode)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)
    return target


def fsync_dir(directory: str | os.PathLike[str]) -> None:
    """Makes a rename (or a new file) in `directory` itself durable."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the data itself is already synced
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def private_dir(path: str | os.PathLike[str]) -> Path:
    """`path` as a directory, created 0700 (with its parents) when missing."""
    directory = Path(path)
    if not directory.is_dir():
        directory.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        os.chmod(directory, PRIVATE_DIR)  # mkdir's mode is reduced by the umask
    return directory


def move_aside(path: str | os.PathLike[str], why: str = "bozuk") -> Path:
    """Renames a damaged file to `<name>.<why>-<unix time>` so that nothing is lost and a
    person can look at it; returns the new path."""
    source = Path(path)
    aside = source.with_name(f"{source.name}.{why}-{int(time.time())}")
    os.replace(source, aside)
    return aside


def write_new(directory: str | os.PathLike[str], stem: str, suffix: str, data: bytes) -> Path:
    """Writes `data` to a new file `<stem><suffix>` in `directory` (0600), never replacing
    one that exists: a taken name gets "-2", "-3", … The file appears whole or not at all
    (a temp file hard-linked to its name: link fails when the name is taken)."""
    folder = Path(directory)
    tmp = _synced_temp(folder, stem, data)
    try:
        for n in range(1, 10_000):
            target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            fsync_dir(folder)
            return target
        raise FileExistsError(f"{folder}: {stem}{suffix} için boş ad bulunamadı")
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_exclusive(path: str | os.PathLike[str], data: bytes) -> Path:
    """Writes `data` to `path` (0600) only if no such file exists (FileExistsError)."""
    target = Path(path)
    tmp = _synced_temp(target.parent, target.name, data)
    try:
        os.link(tmp, target)
        fsync_dir(target.parent)
        return target
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
