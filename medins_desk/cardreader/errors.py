"""Card reader errors (读卡错误): one type per situation the clerk must tell apart.

Each carries a Chinese message safe to show as it is and an exit status for ``medins-desk card
read``. "No service", "no reader" and "no card" are three different states on screen.
"""

from __future__ import annotations

from medins_desk.domain.identity import mask_identity_number
from medins_desk.errors import UserFacingError

__all__ = [
    "CardMismatch",
    "CardReaderError",
    "CardRemovedDuringRead",
    "MalformedRecord",
    "NoCard",
    "NoReader",
    "PcscServiceUnavailable",
    "PinBlocked",
    "PinWrong",
    "ReaderRemovedDuringRead",
    "SecurityModuleRequired",
    "TransmissionError",
    "UnknownCard",
    "WriteNotVerified",
]


class CardReaderError(UserFacingError):
    """Anything that stops a card read; nothing read so far is returned."""

    exit_code = 10
    default_message = "读卡失败"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class PcscServiceUnavailable(CardReaderError):
    """智能卡服务未运行: pcscd (Linux) or the Smart Card service (Windows) cannot be reached."""

    exit_code = 11
    default_message = (
        "智能卡服务未运行：请启动 PC/SC 服务（Linux 为 pcscd，Windows 为 Smart Card 服务）后重试"
    )


class NoReader(CardReaderError):
    """未连接读卡器."""

    exit_code = 12
    default_message = "未检测到读卡器：请连接读卡器后重试"


class NoCard(CardReaderError):
    """读卡器中没有卡."""

    exit_code = 13
    default_message = "读卡器中没有卡：请插入社会保障卡"


class UnknownCard(CardReaderError):
    """非社会保障卡: the card has no social security environment (SSSE)."""

    exit_code = 14
    default_message = "这不是社会保障卡（卡内没有社会保障应用）：请插入社会保障卡"


class CardRemovedDuringRead(CardReaderError):
    """读卡过程中卡被拔出: everything read so far is discarded."""

    exit_code = 15
    default_message = "读卡过程中卡被拔出：请重新插入社会保障卡，读完前不要拔卡"


class ReaderRemovedDuringRead(CardReaderError):
    """读卡过程中读卡器被拔出."""

    exit_code = 16
    default_message = "读卡过程中读卡器被断开：请重新连接读卡器后再读卡"


class TransmissionError(CardReaderError):
    """与卡通信失败: the reader or the card answered with an error the protocol does not expect."""

    exit_code = 17
    default_message = "与卡通信失败：请重新插卡再试"


class MalformedRecord(CardReaderError):
    """卡内数据格式错误: a record that does not follow the card layout."""

    exit_code = 18
    default_message = "卡内数据格式错误"

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"卡内数据格式错误（{what}）：{reason}")
        self.what = what
        self.reason = reason


class PinWrong(CardReaderError):
    """密码错误, with the tries the card still allows."""

    exit_code = 19

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"社会保障卡密码错误，还可尝试 {tries_left} 次")
        self.tries_left = tries_left


class PinBlocked(CardReaderError):
    """密码已锁定: only the issuing agency can unblock it."""

    exit_code = 20
    default_message = "社会保障卡密码已锁定：请持卡到发卡机构或银行网点解锁"


class SecurityModuleRequired(CardReaderError):
    default_message = (
        "改写社会保障卡须经安全模块（PSAM）认证，本窗口未配置安全模块或认证未通过：卡片未改写"
    )


class CardMismatch(CardReaderError):
    """The card in the reader is not the served citizen's: nothing is written to it."""

    def __init__(self, card_ssn: str, expected: str) -> None:
        super().__init__(
            f"读卡器中的卡（社会保障号码 {mask_identity_number(card_ssn)}）不是当前参保人"
            f"（{mask_identity_number(expected)}）的社会保障卡：卡片未改写"
        )


class WriteNotVerified(CardReaderError):
    """The read-back after a write differs from what was written."""

    def __init__(self, read_back: str, wanted: str) -> None:
        super().__init__(
            f"写卡后读回的参保地为「{read_back or '空'}」，与写入的「{wanted}」不符："
            "改写未完成，请重新插卡后再按改写"
        )
