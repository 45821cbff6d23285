"""Where the files shipped beside the code are (``resources/``: fonts, demo cards, icons).

One answer for a source checkout and for the frozen bundle: PyInstaller's onedir build unpacks
nothing, and ``sys._MEIPASS`` is its ``_internal`` folder, where installer/medins-desk.spec puts
``resources/`` beside the packages as they are in the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """``resources/`` beside the packages in a checkout, or inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    base = Path(frozen) if frozen else Path(__file__).resolve().parent.parent
    return base / "resources"
