"""``medins-desk card emulate`` and ``card read`` as real processes on the real PC/SC stack."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from medins_desk.cardreader import JSON_KEYS, NoCard, PcscServiceUnavailable
from tests.helpers.pcsc import READER, PcscStack, wait_reader_state

EXE = shutil.which("medins-desk") or str(Path(sys.executable).with_name("medins-desk"))


def _cli(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


@pytest.fixture
def emulated(pcsc_stack: PcscStack) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [EXE, "card", "emulate", "--profile", "ordinary", "--remove-after", "30"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        wait_reader_state(READER, present=True, timeout_s=15)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
        wait_reader_state(READER, present=False)


def test_card_read_json(emulated: subprocess.Popen[str]) -> None:
    result = _cli("card", "read", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert tuple(data) == JSON_KEYS
    assert data["name"] == "张伟" and data["sex"] == "男" and data["birth_date"] == "1980-05-17"
    assert data["ssn"] == "110105198005170033" and data["ef06_available"] is True


def test_card_read_bas(emulated: subprocess.Popen[str]) -> None:
    result = _cli("card", "read", "--bas", "--reader", READER)
    assert result.returncode == 0, result.stderr
    fields = result.stdout.strip().split("|")
    assert fields[:5] == [
        "110105",
        "110105198005170033",
        "X00000019",
        "110105D156000005000054ABBF61002D",
        "张伟",
    ]
    assert fields[6:9] == ["3.00", "20210601", "20310601"]


def test_card_read_errors(pcsc_stack: PcscStack) -> None:
    result = _cli("card", "read")
    assert result.returncode == NoCard.exit_code
    assert "读卡器中没有卡" in result.stderr
    result = _cli("card", "read", PCSCLITE_CSOCK_NAME=str(pcsc_stack.workdir / "no-such-socket"))
    assert result.returncode == PcscServiceUnavailable.exit_code
    assert "智能卡服务未运行" in result.stderr


def test_card_read_pin_stdin(pcsc_stack: PcscStack) -> None:
    pcsc_stack.insert("pin")
    result = _cli("card", "read", "--json", "--pin-stdin", stdin="123456\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "欧阳娜娜"


def test_card_read_uses_the_counters_configured_reader(emulated: subprocess.Popen[str]) -> None:
    other = READER[:-1] + "1"  # the second virtual reader, empty
    result = _cli("card", "read", MEDINS_CARD_READER=other)
    assert result.returncode == NoCard.exit_code, result.stdout
    result = _cli("card", "read", "--json", MEDINS_CARD_READER=READER)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["card_number"] == "X00000019"
