"""The QR payload printed on every voucher (凭证二维码), signed with the hall's secret.

``MDV1|<serial>|<hall code>|<business kind>|<mac>``: the mac is HMAC-SHA256 over the first four
parts with the hall's secret, cut to 80 bits (20 hex digits) so the QR stays small enough to
scan from a crumpled receipt. Another counter of the same hall recomputes it: a voucher whose
serial or kind was altered, or that was made without the secret, fails. No personal data is in
the payload; a counter looks the transaction up by its serial.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from medins_desk.domain.business import BusinessKind, is_serial
from medins_desk.errors import ValidationError

PAYLOAD_VERSION = "MDV1"
MAC_HEX_DIGITS = 20


@dataclass(frozen=True)
class VoucherClaim:
    """What a verified payload says (凭证二维码内容)."""

    serial: str
    hall_code: str
    kind: BusinessKind


def _mac(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), body.encode("ascii"), hashlib.sha256)
    return digest.hexdigest()[:MAC_HEX_DIGITS].upper()


def sign_voucher_payload(secret: str, *, serial: str, hall_code: str, kind: BusinessKind) -> str:
    if not secret:
        raise ValidationError("hall_secret", "未设置大厅凭证密钥（hall_secret），不能签发凭证")
    body = f"{PAYLOAD_VERSION}|{serial}|{hall_code}|{BusinessKind(kind).value}"
    return f"{body}|{_mac(secret, body)}"


def verify_voucher_payload(secret: str, payload: str) -> VoucherClaim:
    """The claim of a genuine payload; a ValidationError in Chinese for anything else."""
    parts = payload.strip().split("|")
    if len(parts) != 5 or parts[0] != PAYLOAD_VERSION:
        raise ValidationError("payload", "不是本系统的凭证二维码（格式不符）")
    _, serial, hall_code, kind_text, mac = parts
    if not is_serial(serial) or not serial.startswith(hall_code):
        raise ValidationError("payload", f"凭证二维码中的业务流水号「{serial}」格式不符")
    try:
        kind = BusinessKind(kind_text)
    except ValueError:
        raise ValidationError("payload", f"凭证二维码中的业务类型「{kind_text}」未知") from None
    expected = _mac(secret, "|".join(parts[:4]))
    # compare_digest refuses non-ASCII text; such a code is forged anyway.
    if not mac.isascii() or not hmac.compare_digest(expected, mac.upper()):
        raise ValidationError(
            "payload", f"凭证 {serial} 的防伪码校验失败：凭证可能被篡改或非本大厅签发"
        )
    return VoucherClaim(serial=serial, hall_code=hall_code, kind=kind)
