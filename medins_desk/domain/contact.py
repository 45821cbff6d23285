"""Contact and payment data: mobile numbers, postcodes, addresses, bank cards, ethnicity (民族)."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from stdnum import luhn

from medins_desk.errors import Notice, ValidationError

__all__ = [
    "ETHNICITIES",
    "MAX_ADDRESS_LENGTH",
    "MAX_ORGANISATION_NAME_LENGTH",
    "DebitHolderRelation",
    "parse_address",
    "parse_bank_card",
    "parse_ethnicity",
    "parse_mobile",
    "parse_organisation_name",
    "parse_postcode",
]

MAX_ADDRESS_LENGTH = 200
MAX_ORGANISATION_NAME_LENGTH = 60
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_POSTCODE = re.compile(r"[0-9]{6}")
_BANK_CARD = re.compile(r"[0-9]{16,19}")


def _fold_digits(text: str) -> str:
    # NFKC folds full-width digits, '＋', '－' and U+3000 as typed with a Chinese IME.
    return unicodedata.normalize("NFKC", text)


def parse_mobile(text: str, *, field: str = "phone") -> str:
    """An 11-digit mainland mobile number; spaces, dashes and a +86 / 0086 prefix are removed."""
    digits = re.sub(r"[\s\-()]", "", _fold_digits(text))
    if not digits:
        raise ValidationError(field, "手机号码不能为空")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            field, f"手机号码应为以 13-19 开头的11位数字，输入为「{text.strip()}」"
        )
    return digits


def parse_postcode(text: str, *, field: str = "postcode") -> str:
    code = "".join(_fold_digits(text).split())
    if not _POSTCODE.fullmatch(code):
        raise ValidationError(field, f"邮政编码应为6位数字，输入为「{text.strip()}」")
    return code


def parse_address(text: str, *, field: str = "address") -> str:
    address = text.strip()
    if not address:
        raise ValidationError(field, "联系地址不能为空")
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValidationError(
            field, f"联系地址不能超过 {MAX_ADDRESS_LENGTH} 个字符，输入为 {len(address)} 个"
        )
    for ch in address:
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
            # Line breaks and control characters break vouchers and CSV exports.
            raise ValidationError(field, f"联系地址不能包含换行或控制字符（U+{ord(ch):04X}）")
    return address


def parse_organisation_name(text: str, *, field: str, what: str) -> str:
    """The name of a bank or an agency (开户银行, 经办机构) as printed on letters: letters, digits,
    punctuation and spaces only, so an emoji or a control character never reaches a voucher."""
    name = " ".join(text.split())
    if not name:
        raise ValidationError(field, f"{what}不能为空")
    if len(name) > MAX_ORGANISATION_NAME_LENGTH:
        raise ValidationError(
            field,
            f"{what}不能超过 {MAX_ORGANISATION_NAME_LENGTH} 个字符，输入为 {len(name)} 个",
        )
    for ch in name:
        if unicodedata.category(ch)[0] not in "LNP" and ch != " ":
            raise ValidationError(field, f"{what}不能包含字符「{ch}」（U+{ord(ch):04X}）")
    return name


def parse_bank_card(text: str, *, field: str = "bank_account") -> tuple[str, list[Notice]]:
    """16 to 19 digits. A Luhn failure is only a warning: some Chinese debit cards do not use it."""
    digits = re.sub(r"[\s\-]", "", _fold_digits(text))
    if not digits:
        raise ValidationError(field, "银行卡号不能为空")
    if not _BANK_CARD.fullmatch(digits):
        if not digits.isascii() or not digits.isdigit():
            raise ValidationError(field, f"银行卡号只能包含数字，输入为「{text.strip()}」")
        raise ValidationError(field, f"银行卡号应为16至19位数字，输入为 {len(digits)} 位")
    notices: list[Notice] = []
    if not luhn.is_valid(digits):
        notices.append(
            Notice(
                code="bank_luhn",
                message=(
                    f"银行卡号 {digits} 未通过 Luhn 校验（部分借记卡不使用该校验），请与卡面核对"
                ),
                field=field,
            )
        )
    return digits, notices


class DebitHolderRelation(StrEnum):
    """Relation of the bank debit account's holder to the insured person (扣款账户持有人关系)."""

    SELF = "self"
    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _RELATION_LABELS[self]


_RELATION_LABELS = {
    DebitHolderRelation.SELF: "本人",
    DebitHolderRelation.SPOUSE: "配偶",
    DebitHolderRelation.PARENT: "父母",
    DebitHolderRelation.CHILD: "子女",
    DebitHolderRelation.OTHER: "其他",
}

# GB 3304-91 (民族代码), the codes on the card chip (EF06 tag 0B).
ETHNICITIES: dict[str, str] = {
    "01": "汉族",
    "02": "蒙古族",
    "03": "回族",
    "04": "藏族",
    "05": "维吾尔族",
    "06": "苗族",
    "07": "彝族",
    "08": "壮族",
    "09": "布依族",
    "10": "朝鲜族",
    "11": "满族",
    "12": "侗族",
    "13": "瑶族",
    "14": "白族",
    "15": "土家族",
    "16": "哈尼族",
    "17": "哈萨克族",
    "18": "傣族",
    "19": "黎族",
    "20": "傈僳族",
    "21": "佤族",
    "22": "畲族",
    "23": "高山族",
    "24": "拉祜族",
    "25": "水族",
    "26": "东乡族",
    "27": "纳西族",
    "28": "景颇族",
    "29": "柯尔克孜族",
    "30": "土族",
    "31": "达斡尔族",
    "32": "仫佬族",
    "33": "羌族",
    "34": "布朗族",
    "35": "撒拉族",
    "36": "毛南族",
    "37": "仡佬族",
    "38": "锡伯族",
    "39": "阿昌族",
    "40": "普米族",
    "41": "塔吉克族",
    "42": "怒族",
    "43": "乌孜别克族",
    "44": "俄罗斯族",
    "45": "鄂温克族",
    "46": "德昂族",
    "47": "保安族",
    "48": "裕固族",
    "49": "京族",
    "50": "塔塔尔族",
    "51": "独龙族",
    "52": "鄂伦春族",
    "53": "赫哲族",
    "54": "门巴族",
    "55": "珞巴族",
    "56": "基诺族",
    "97": "其他",
    "98": "外国血统中国籍人士",
}


def _ethnicity_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in ETHNICITIES.items():
        names[name] = code
        if name.endswith("族"):
            names[name[:-1]] = code  # clerks often type "汉" for 汉族
    # Names used before the 1986/1985 renamings still appear on old documents.
    names.update({"毛难族": "36", "毛难": "36", "崩龙族": "46", "崩龙": "46", "外国血统": "98"})
    return names


_ETHNICITY_BY_NAME = _ethnicity_names()


def parse_ethnicity(text: str, *, field: str = "ethnicity") -> str:
    """The GB 3304 two-digit code, from a code ("01", "1") or a name ("汉族", "汉")."""
    key = "".join(_fold_digits(text).split())
    if not key:
        raise ValidationError(field, "民族不能为空")
    if key.isascii() and key.isdigit() and len(key) <= 2:
        code = key.zfill(2)
        if code in ETHNICITIES:
            return code
    elif key in _ETHNICITY_BY_NAME:
        return _ETHNICITY_BY_NAME[key]
    raise ValidationError(field, f"民族「{text.strip()}」不在 GB 3304 民族代码表中")
