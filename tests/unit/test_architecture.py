"""The layering contracts of pyproject.toml (import-linter) hold, and say what STYLE.md says."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _contracts() -> list[dict[str, Any]]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        config: dict[str, Any] = tomllib.load(f)["tool"]["importlinter"]
    return list(config["contracts"])


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.is_file(), f"{lint_imports} missing: `make test` installs import-linter"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in output


def test_the_core_may_import_neither_qt_nor_ui_nor_printing() -> None:
    core_contracts = [
        contract
        for contract in _contracts()
        if contract["type"] == "forbidden" and "medins_desk" in contract["source_modules"]
    ]
    assert core_contracts, "no forbidden-imports contract has medins_desk as its source"
    forbidden = set().union(*(set(c["forbidden_modules"]) for c in core_contracts))
    assert {"PySide6", "ui", "printing"} <= forbidden
    # Indirect imports count too (import-linter's default): the core must not reach Qt through a
    # third package.
    assert all(
        str(c.get("allow_indirect_imports", False)).lower() == "false" for c in core_contracts
    )


def test_the_layers_put_ui_above_printing_above_the_core() -> None:
    layers = [c["layers"] for c in _contracts() if c["type"] == "layers"]
    assert ["ui", "printing", "medins_desk"] in layers
