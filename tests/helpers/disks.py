"""A disk that fills up, for real: a small tmpfs mounted for one test (needs root)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def small_disk(folder: Path, size_kib: int) -> Iterator[None]:
    """``folder`` made and mounted as a tmpfs of ``size_kib`` KiB while the block runs."""
    folder.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder)], check=True
    )
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Write ``folder/filler`` until the disk refuses another byte."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as stream:
        while True:
            stream.write(b"\0" * 4096)
            stream.flush()
