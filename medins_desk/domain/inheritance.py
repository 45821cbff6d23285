"""个人账户余额继承 (001 #54): a deceased holder's medical insurance personal account balance paid
to an heir.

The heir brings the deceased's identity card, the death papers, their own identity card, proof of
kinship and a bank card, and signs the 《申领医保个人账户余额承诺书》 at the counter. The death
ends the enrollment and cancels the card; the payment instruction is final only once a second
person has approved it (复核).

One payee per request: where there are several heirs, the others sign the 承诺书 too, agreeing
that the whole balance is paid to the one named, and settle among themselves.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from medins_desk.domain.benefits import ADULT_AGE
from medins_desk.domain.identity import age_on
from medins_desk.errors import ValidationError

__all__ = [
    "MAX_BALANCE_FEN",
    "DeathProof",
    "HeirRelation",
    "InheritanceState",
    "check_balance",
    "check_death_date",
    "heir_needs_guardian",
    "inheritance_materials",
    "missing_inheritance_materials",
]


class DeathProof(StrEnum):
    """死亡相关材料: the paper the death is recorded on."""

    DEATH_CERTIFICATE = "death_certificate"
    CREMATION_CERTIFICATE = "cremation_certificate"
    HOUSEHOLD_CANCELLATION = "household_cancellation"

    @property
    def label(self) -> str:
        return _PROOF_LABELS[self]


_PROOF_LABELS = {
    DeathProof.DEATH_CERTIFICATE: "居民死亡医学证明（推断）书",
    DeathProof.CREMATION_CERTIFICATE: "火化证明",
    DeathProof.HOUSEHOLD_CANCELLATION: "户口注销证明",
}


class HeirRelation(StrEnum):
    """继承人与死亡参保人的关系, in the order of the statutory heirs (民法典 第一千一百二十七条)."""

    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"  # 代位继承

    @property
    def label(self) -> str:
        return _RELATION_LABELS[self]


_RELATION_LABELS = {
    HeirRelation.SPOUSE: "配偶",
    HeirRelation.CHILD: "子女",
    HeirRelation.PARENT: "父母",
    HeirRelation.SIBLING: "兄弟姐妹",
    HeirRelation.GRANDPARENT: "祖父母、外祖父母",
    HeirRelation.GRANDCHILD: "孙子女、外孙子女",
}


class InheritanceState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"pending": "待复核", "approved": "已核准支付", "rejected": "已驳回"}[self.value]


# 一次性告知: what the heir brings (the seed's list, 001 #54); a guardian's card for a minor heir.
_MATERIALS: tuple[str, ...] = (
    "死亡参保人居民身份证（或社会保障卡）原件及复印件",
    "死亡证明、火化证明或户口注销证明",
    "继承人居民身份证原件及复印件",
    "继承人与死亡参保人的亲属关系证明",
    "收款银行卡（存折）及复印件",
)
_GUARDIAN_MATERIAL = "继承人监护人居民身份证原件及复印件"


def inheritance_materials(*, guardian: bool) -> tuple[str, ...]:
    """一次性告知: the materials a 个人账户余额继承 is applied for with."""
    return (*_MATERIALS, _GUARDIAN_MATERIAL) if guardian else _MATERIALS


def missing_inheritance_materials(received: tuple[str, ...], *, guardian: bool) -> tuple[str, ...]:
    return tuple(m for m in inheritance_materials(guardian=guardian) if m not in received)


def check_death_date(death: date, *, birth: date, today: date) -> None:
    """The death date is neither in the future nor before the person was born."""
    if death > today:
        raise ValidationError("death_date", f"死亡日期 {death:%Y-%m-%d} 晚于今天，请核对死亡证明")
    if death < birth:
        raise ValidationError(
            "death_date", f"死亡日期 {death:%Y-%m-%d} 早于出生日期 {birth:%Y-%m-%d}，请核对"
        )


# A personal account holds a few hundred thousand yuan at the very most; ten million yuan is a
# typing error, not a balance.
MAX_BALANCE_FEN = 1_000_000_000


def check_balance(fen: int) -> int:
    """The balance at death as the settlement system shows it, in fen: 0 up to the bound."""
    if fen < 0:
        raise ValidationError("balance", "个人账户余额不能为负数")
    if fen > MAX_BALANCE_FEN:
        raise ValidationError(
            "balance", f"个人账户余额不能超过 {MAX_BALANCE_FEN // 100:,} 元，请核对结算系统余额"
        )
    return fen


def heir_needs_guardian(birth: date, today: date) -> bool:
    """An heir under 18 receives the money through a guardian (民法典 第十七条: a minor)."""
    return age_on(birth, today) < ADULT_AGE
