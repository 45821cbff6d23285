"""The signed QR payload: genuine ones verify, any altered part or another secret fails."""

from __future__ import annotations

import pytest

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.voucher import sign_voucher_payload, verify_voucher_payload
from medins_desk.errors import ValidationError

SERIAL = "1101052026111800100007"


def test_a_signed_payload_verifies() -> None:
    payload = sign_voucher_payload(
        "s3cret", serial=SERIAL, hall_code="110105", kind=BusinessKind.LOSS_FORMAL
    )
    claim = verify_voucher_payload("s3cret", payload)
    assert (claim.serial, claim.hall_code, claim.kind) == (
        SERIAL, "110105", BusinessKind.LOSS_FORMAL,
    )  # fmt: skip


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p.replace(SERIAL, SERIAL[:-1] + "8"),
        lambda p: p.replace("loss_formal", "loss_unfreeze"),
        lambda p: p[:-1] + ("0" if p[-1] != "0" else "1"),
        lambda p: p.replace("MDV1", "MDV2"),
        lambda p: p + "|x",
    ],
)
def test_an_altered_payload_fails(tamper: object) -> None:
    payload = sign_voucher_payload(
        "s3cret", serial=SERIAL, hall_code="110105", kind=BusinessKind.LOSS_FORMAL
    )
    with pytest.raises(ValidationError):
        verify_voucher_payload("s3cret", tamper(payload))  # type: ignore[operator]


def test_another_halls_secret_fails() -> None:
    payload = sign_voucher_payload(
        "ours", serial=SERIAL, hall_code="110105", kind=BusinessKind.CARD_APPLICATION
    )
    with pytest.raises(ValidationError, match="防伪码校验失败"):
        verify_voucher_payload("theirs", payload)
