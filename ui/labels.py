"""The core's Chinese names of kinds and states (``BusinessKind.label``, ``CardState.label``,
the ``*_label`` fields of service results) in the language of the user interface.

The core speaks Chinese only and never imports Qt, so its labels are translated here, by their
Chinese text, in the "label" context of the catalogue. The tuple below is where lupdate finds
them; tests/gui/test_translations.py checks that it lists every label of every domain enum.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

LABELS = (
    # BusinessKind
    QT_TRANSLATE_NOOP("label", "参保登记"),
    QT_TRANSLATE_NOOP("label", "社保卡申领"),
    QT_TRANSLATE_NOOP("label", "社保卡领取"),
    QT_TRANSLATE_NOOP("label", "临时挂失"),
    QT_TRANSLATE_NOOP("label", "正式挂失"),
    QT_TRANSLATE_NOOP("label", "解挂"),
    QT_TRANSLATE_NOOP("label", "参保信息变更"),
    QT_TRANSLATE_NOOP("label", "信息变更复核"),
    QT_TRANSLATE_NOOP("label", "险种参保登记"),
    QT_TRANSLATE_NOOP("label", "参保状态变更"),
    QT_TRANSLATE_NOOP("label", "居民医保退费申请"),
    QT_TRANSLATE_NOOP("label", "退费复核"),
    QT_TRANSLATE_NOOP("label", "医保关系转出"),
    QT_TRANSLATE_NOOP("label", "医保关系转入"),
    QT_TRANSLATE_NOOP("label", "办理进度告知"),
    QT_TRANSLATE_NOOP("label", "社保卡信息改写"),
    QT_TRANSLATE_NOOP("label", "异地就医备案"),
    QT_TRANSLATE_NOOP("label", "异地就医备案变更"),
    QT_TRANSLATE_NOOP("label", "取消异地就医备案"),
    QT_TRANSLATE_NOOP("label", "个人账户余额继承申请"),
    QT_TRANSLATE_NOOP("label", "个人账户继承复核"),
    QT_TRANSLATE_NOOP("label", "参保缴费证明开具"),
    QT_TRANSLATE_NOOP("label", "职工医保在职转退休"),
    # TransactionStatus
    QT_TRANSLATE_NOOP("label", "正常"),
    QT_TRANSLATE_NOOP("label", "已作废"),
    # CardState
    QT_TRANSLATE_NOOP("label", "申领受理"),
    QT_TRANSLATE_NOOP("label", "制卡中"),
    QT_TRANSLATE_NOOP("label", "待领取"),
    QT_TRANSLATE_NOOP("label", "注销"),
    # CardEvent
    QT_TRANSLATE_NOOP("label", "制卡"),
    QT_TRANSLATE_NOOP("label", "制卡完成"),
    QT_TRANSLATE_NOOP("label", "领卡"),
    QT_TRANSLATE_NOOP("label", "即时制卡"),
    QT_TRANSLATE_NOOP("label", "临时挂失到期"),
    QT_TRANSLATE_NOOP("label", "补领/换领"),
    # CardApplicationKind
    QT_TRANSLATE_NOOP("label", "首次申领"),
    QT_TRANSLATE_NOOP("label", "补领"),
    QT_TRANSLATE_NOOP("label", "换领"),
    # ReplacementReason
    QT_TRANSLATE_NOOP("label", "卡片故障"),
    QT_TRANSLATE_NOOP("label", "个人信息变更"),
    QT_TRANSLATE_NOOP("label", "有效期满"),
    QT_TRANSLATE_NOOP("label", "人为损坏"),
    QT_TRANSLATE_NOOP("label", "其他"),
    # RepresentativeRole
    QT_TRANSLATE_NOOP("label", "代办人"),
    QT_TRANSLATE_NOOP("label", "监护人"),
    # DebitHolderRelation
    QT_TRANSLATE_NOOP("label", "本人"),
    QT_TRANSLATE_NOOP("label", "配偶"),
    QT_TRANSLATE_NOOP("label", "父母"),
    QT_TRANSLATE_NOOP("label", "子女"),
    # CorrectionClass
    QT_TRANSLATE_NOOP("label", "即时生效"),
    QT_TRANSLATE_NOOP("label", "身份信息（需复核）"),
    # CorrectionField
    QT_TRANSLATE_NOOP("label", "联系电话"),
    QT_TRANSLATE_NOOP("label", "联系地址"),
    QT_TRANSLATE_NOOP("label", "邮政编码"),
    QT_TRANSLATE_NOOP("label", "银行扣款账户"),
    QT_TRANSLATE_NOOP("label", "姓名"),
    QT_TRANSLATE_NOOP("label", "社会保障号码"),
    QT_TRANSLATE_NOOP("label", "性别"),
    QT_TRANSLATE_NOOP("label", "出生日期"),
    QT_TRANSLATE_NOOP("label", "民族"),
    # SupportingDocument
    QT_TRANSLATE_NOOP("label", "户口簿"),
    QT_TRANSLATE_NOOP("label", "居民身份证"),
    QT_TRANSLATE_NOOP("label", "公安机关证明"),
    QT_TRANSLATE_NOOP("label", "出生医学证明"),
    QT_TRANSLATE_NOOP("label", "结婚证"),
    QT_TRANSLATE_NOOP("label", "其他证明材料"),
    # CorrectionState
    QT_TRANSLATE_NOOP("label", "草稿"),
    QT_TRANSLATE_NOOP("label", "待复核"),
    QT_TRANSLATE_NOOP("label", "已通过"),
    QT_TRANSLATE_NOOP("label", "已生效"),
    QT_TRANSLATE_NOOP("label", "已驳回"),
    QT_TRANSLATE_NOOP("label", "已撤销"),
    # CorrectionAction
    QT_TRANSLATE_NOOP("label", "提交复核"),
    QT_TRANSLATE_NOOP("label", "复核通过"),
    QT_TRANSLATE_NOOP("label", "生效"),
    QT_TRANSLATE_NOOP("label", "驳回"),
    QT_TRANSLATE_NOOP("label", "撤销"),
    # InsuranceType
    QT_TRANSLATE_NOOP("label", "职工医保"),
    QT_TRANSLATE_NOOP("label", "城乡居民医保"),
    # EnrollmentStatus
    QT_TRANSLATE_NOOP("label", "参保缴费"),
    QT_TRANSLATE_NOOP("label", "暂停"),
    QT_TRANSLATE_NOOP("label", "终止"),
    # Sex
    QT_TRANSLATE_NOOP("label", "男"),
    QT_TRANSLATE_NOOP("label", "女"),
    # IdentityKind
    QT_TRANSLATE_NOOP("label", "港澳台居民居住证"),
    QT_TRANSLATE_NOOP("label", "外国人永久居留身份证"),
    # DocumentType
    QT_TRANSLATE_NOOP("label", "护照"),
    # Role
    QT_TRANSLATE_NOOP("label", "经办员"),
    QT_TRANSLATE_NOOP("label", "复核员/主管"),
    QT_TRANSLATE_NOOP("label", "管理员"),
    # Permission
    QT_TRANSLATE_NOOP("label", "办理业务"),
    QT_TRANSLATE_NOOP("label", "查询参保人"),
    QT_TRANSLATE_NOOP("label", "复核信息变更"),
    QT_TRANSLATE_NOOP("label", "作废业务"),
    QT_TRANSLATE_NOOP("label", "日结"),
    QT_TRANSLATE_NOOP("label", "导出台账"),
    QT_TRANSLATE_NOOP("label", "管理用户"),
    # TransferRuleSet
    QT_TRANSLATE_NOOP("label", "医保办发〔2021〕43号"),
    QT_TRANSLATE_NOOP("label", "人社部发〔2009〕191号（2016 规程）"),
    # TransferDirection
    QT_TRANSLATE_NOOP("label", "转出"),
    QT_TRANSLATE_NOOP("label", "转入"),
    # TransferStage
    QT_TRANSLATE_NOOP("label", "参保凭证已开具"),
    QT_TRANSLATE_NOOP("label", "联系函已收到"),
    QT_TRANSLATE_NOOP("label", "联系函已发出"),
    QT_TRANSLATE_NOOP("label", "信息表已收到"),
    QT_TRANSLATE_NOOP("label", "办结"),
    # TransferAction
    QT_TRANSLATE_NOOP("label", "登记联系函"),
    QT_TRANSLATE_NOOP("label", "出具信息表并划转个人账户"),
    QT_TRANSLATE_NOOP("label", "登记信息表及划转资金"),
    QT_TRANSLATE_NOOP("label", "转入办结（记入缴费年限及个人账户）"),
    # TransferLetterKind
    QT_TRANSLATE_NOOP("label", "参保凭证"),
    QT_TRANSLATE_NOOP("label", "联系函"),
    QT_TRANSLATE_NOOP("label", "信息表"),
    # DocumentKind
    QT_TRANSLATE_NOOP("label", "社会保障卡申领受理回执"),
    QT_TRANSLATE_NOOP("label", "社会保障卡申领受理回执（小票）"),
    QT_TRANSLATE_NOOP("label", "社会保障卡领取凭证"),
    QT_TRANSLATE_NOOP("label", "参保登记回执"),
    QT_TRANSLATE_NOOP("label", "参保状态变更回执"),
    QT_TRANSLATE_NOOP("label", "居民医保退费申请回执"),
    QT_TRANSLATE_NOOP("label", "办理进度告知单"),
    QT_TRANSLATE_NOOP("label", "社会保障卡信息改写回执"),
    QT_TRANSLATE_NOOP("label", "申领医保个人账户余额承诺书"),
    QT_TRANSLATE_NOOP("label", "个人账户余额继承支付通知（复核结果）"),
    QT_TRANSLATE_NOOP("label", "挂失回执"),
    QT_TRANSLATE_NOOP("label", "参保信息变更确认单"),
    QT_TRANSLATE_NOOP("label", "基本医疗保险参保凭证"),
    QT_TRANSLATE_NOOP("label", "基本医疗保险关系转移接续联系函"),
    QT_TRANSLATE_NOOP("label", "参保人员基本医疗保险类型变更信息表"),
    QT_TRANSLATE_NOOP("label", "异地就医备案回执"),
    QT_TRANSLATE_NOOP("label", "参保（缴费）证明"),
    QT_TRANSLATE_NOOP("label", "职工医保在职转退休审核回执"),
    # EnrollmentCategory
    QT_TRANSLATE_NOOP("label", "城乡居民（少年儿童）"),
    QT_TRANSLATE_NOOP("label", "城乡居民（在校学生）"),
    QT_TRANSLATE_NOOP("label", "城乡居民（老年居民）"),
    QT_TRANSLATE_NOOP("label", "城乡居民（其他居民）"),
    QT_TRANSLATE_NOOP("label", "城乡居民（新生儿）"),
    QT_TRANSLATE_NOOP("label", "职工医保（灵活就业人员）"),
    QT_TRANSLATE_NOOP("label", "职工医保（离职后个人续保）"),
    # HouseholdKind
    QT_TRANSLATE_NOOP("label", "本地户籍"),
    QT_TRANSLATE_NOOP("label", "外地户籍"),
    # RefundReason
    QT_TRANSLATE_NOOP("label", "户口迁出本统筹区"),
    QT_TRANSLATE_NOOP("label", "出国（境）定居"),
    QT_TRANSLATE_NOOP("label", "参保人死亡"),
    QT_TRANSLATE_NOOP("label", "就业参加职工医保"),
    # RefundState (待复核, 已驳回 above)
    QT_TRANSLATE_NOOP("label", "已核准退费"),
    # FilingKind
    QT_TRANSLATE_NOOP("label", "异地长期居住"),
    QT_TRANSLATE_NOOP("label", "常驻异地工作"),
    QT_TRANSLATE_NOOP("label", "异地安置退休"),
    QT_TRANSLATE_NOOP("label", "异地转诊"),
    QT_TRANSLATE_NOOP("label", "临时外出就医"),
    # FilingState, and 已到期 (an active filing past its validity)
    QT_TRANSLATE_NOOP("label", "有效"),
    QT_TRANSLATE_NOOP("label", "已变更"),
    QT_TRANSLATE_NOOP("label", "已取消"),
    QT_TRANSLATE_NOOP("label", "已到期"),
    # DeathProof
    QT_TRANSLATE_NOOP("label", "居民死亡医学证明（推断）书"),
    QT_TRANSLATE_NOOP("label", "火化证明"),
    QT_TRANSLATE_NOOP("label", "户口注销证明"),
    # HeirRelation (配偶, 子女, 父母 above)
    QT_TRANSLATE_NOOP("label", "兄弟姐妹"),
    QT_TRANSLATE_NOOP("label", "祖父母、外祖父母"),
    QT_TRANSLATE_NOOP("label", "孙子女、外孙子女"),
    # InheritanceState (待复核, 已驳回 above)
    QT_TRANSLATE_NOOP("label", "已核准支付"),
    # CertificateScope
    QT_TRANSLATE_NOOP("label", "参保证明"),
    QT_TRANSLATE_NOOP("label", "参保缴费证明"),
    # ContributionSource (转入 above)
    QT_TRANSLATE_NOOP("label", "本地缴费"),
    QT_TRANSLATE_NOOP("label", "视同缴费"),
    # CertificatePeriod.status of a period brought by a transfer-in
    QT_TRANSLATE_NOOP("label", "已转入本地"),
    # RetirementOutcome
    QT_TRANSLATE_NOOP("label", "符合条件，办理在职转退休"),
    QT_TRANSLATE_NOOP("label", "一次性趸缴后办理在职转退休"),
    QT_TRANSLATE_NOOP("label", "延迟退休登记（逐年缴纳）"),
    # BenefitRule
    QT_TRANSLATE_NOOP("label", "退休时处于享受待遇状态且按时办理，待遇连续享受"),
    QT_TRANSLATE_NOOP("label", "退休时处于享受待遇状态但超期办理，自办理次月起享受"),
    QT_TRANSLATE_NOOP("label", "退休时未处于享受待遇状态，办理后等待期满起享受"),
)


def tr_label(text: str) -> str:
    """A core label as the user's language shows it (itself in Chinese)."""
    return QCoreApplication.translate("label", text)
