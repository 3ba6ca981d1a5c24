"""Writing files so a crash never leaves a half-written one: temp file, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step (readers see the old file or the new one)."""
    with staged_files(Path(path).parent) as stage:
        stage(Path(path).name, data)


@contextlib.contextmanager
def staged_files(folder: Path) -> Iterator:
    """Stage several files; they replace the old ones only if the whole block succeeds.

    Files are renamed in the order they were staged, so stage an index last. `stage` takes
    the bytes, or the path of a file already written and synced in `folder` (a database).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []

    def stage(name: str, data: bytes | Path) -> None:
        if isinstance(data, Path):
            staged.append((name, data))
            return
        fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        staged.append((name, Path(temp)))

    try:
        yield stage
    except BaseException:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        raise
    for name, temp in staged:
        os.replace(temp, folder / name)
