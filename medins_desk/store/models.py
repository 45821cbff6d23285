"""SQLAlchemy 2.0 models: the one schema shared by SQLite counters and PostgreSQL halls.

Money is in fen (integer), contribution periods in months (integer), times are the counter's local
time (China has one zone and no DST). Enums are stored as their values in plain strings, so a new
value never needs a database enum migration.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from medins_desk.domain.benefits import (
    EnrollmentCategory,
    HouseholdKind,
    RefundReason,
    RefundState,
)
from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import (
    CardApplicationKind,
    CardState,
    ReplacementReason,
    RepresentativeRole,
)
from medins_desk.domain.contributions import CertificateScope, ContributionSource
from medins_desk.domain.correction import CorrectionClass, CorrectionField, CorrectionState
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import IdentityKind
from medins_desk.domain.inheritance import DeathProof, HeirRelation, InheritanceState
from medins_desk.domain.medical_filing import FilingKind, FilingState
from medins_desk.domain.retirement import BenefitRule, RetirementOutcome
from medins_desk.domain.roles import Role
from medins_desk.domain.transfer import (
    TransferDirection,
    TransferLetterKind,
    TransferRuleSet,
    TransferStage,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        enum.Enum: Enum(
            enum.Enum,
            native_enum=False,
            create_constraint=False,
            length=32,
            values_callable=lambda members: [m.value for m in members],
        ),
        dict[str, Any]: JSON,
        list[str]: JSON,
        bytes: LargeBinary,
        datetime: DateTime(timezone=False),
    }


def table_of(model: type[Base]) -> Table:
    """The model's table, for Core statements (the hot paths that write append-only rows or read
    a few columns compile them once and skip the unit of work)."""
    return cast(Table, model.__table__)


class User(Base):
    """经办员/复核员/管理员 account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(30))
    role: Mapped[Role]
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Person(Base):
    """参保人. The identity number exists once; the 15-digit form is found by converting it."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(32), unique=True)
    id_kind: Mapped[IdentityKind]
    passport_country: Mapped[str | None] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(30), index=True)
    name_initials: Mapped[str] = mapped_column(String(60), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(11))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(6))
    household_kind: Mapped[HouseholdKind | None]  # 户籍类别
    household_address: Mapped[str | None] = mapped_column(String(200))  # 户籍地址
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))  # 监护人
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="person", order_by="Enrollment.start_date"
    )
    cards: Mapped[list[Card]] = relationship(back_populates="person", order_by="Card.id")

    __table_args__ = (Index("ix_persons_birth_date_name", "birth_date", "name"),)


class Enrollment(Base):
    """参保记录: one insurance period; at most one per person is not terminated."""

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    insurance_type: Mapped[InsuranceType]
    status: Mapped[EnrollmentStatus]
    region_code: Mapped[str] = mapped_column(String(6))
    employer_credit_code: Mapped[str | None] = mapped_column(String(18))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    actual_months: Mapped[int] = mapped_column(Integer, default=0)
    deemed_months: Mapped[int] = mapped_column(Integer, default=0)
    account_balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    category: Mapped[EnrollmentCategory | None]  # None: enrolled before categories were kept
    benefit_start: Mapped[date | None] = mapped_column(Date)  # 待遇享受起始日
    end_reason: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime]

    person: Mapped[Person] = relationship(back_populates="enrollments")


class EnrollmentFiling(Base):
    """参保登记记录: what the counter took in when a person enrolled, and the benefit start it
    decided, as printed on the 参保登记回执."""

    __tablename__ = "enrollment_filings"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    category: Mapped[EnrollmentCategory]
    paid_on: Mapped[date] = mapped_column(Date)
    benefit_start: Mapped[date] = mapped_column(Date)
    benefit_rule: Mapped[str] = mapped_column(String(200))
    continuous: Mapped[bool] = mapped_column(Boolean, default=False)
    materials: Mapped[list[str]]  # received
    missing_materials: Mapped[list[str]]  # 一次性告知: still to bring
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    birth_certificate_number: Mapped[str | None] = mapped_column(String(10))
    last_covered: Mapped[date | None] = mapped_column(Date)
    gap_made_up: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id"))
    created_at: Mapped[datetime]


class RefundRequest(Base):
    """居民医保退费申请: reviewed by a second person; approval ends the enrollment."""

    __tablename__ = "refund_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    reason: Mapped[RefundReason]
    note: Mapped[str | None] = mapped_column(String(100))
    materials: Mapped[list[str]]
    state: Mapped[RefundState] = mapped_column(index=True)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime]
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(String(200))
    review_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))


class MedicalFiling(Base):
    """异地就医备案: where (就医地) and from when the card settles directly outside the insuring
    region. A change or cancel ends the row (``last_day``, ``state``) and never rewrites it; a
    change's new filing names the one it replaces."""

    __tablename__ = "medical_filings"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"))
    kind: Mapped[FilingKind]
    destination_code: Mapped[str] = mapped_column(String(6))
    # As the table named it on the day of filing: a later rename does not change a voucher.
    destination_name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # a temporary kind's last day
    last_day: Mapped[date | None] = mapped_column(Date)  # set by a change or a cancel
    end_reason: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[FilingState]
    materials: Mapped[list[str]]
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    ended_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("medical_filings.id"))
    created_at: Mapped[datetime]


class AccountInheritance(Base):
    """个人账户余额继承: the death as recorded, the heir paid, and the second person's review.

    The request records what the death changed (the enrollment ended, the card cancelled) so a
    void puts it back; a later request for the same person, after a rejection, changes nothing.
    """

    __tablename__ = "account_inheritances"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)  # the deceased
    death_date: Mapped[date] = mapped_column(Date)
    death_proof: Mapped[DeathProof]
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    heir_id_number: Mapped[str] = mapped_column(String(32))
    heir_name: Mapped[str] = mapped_column(String(30))
    heir_relation: Mapped[HeirRelation]
    heir_phone: Mapped[str] = mapped_column(String(11))
    bank_name: Mapped[str] = mapped_column(String(60))
    bank_account: Mapped[str] = mapped_column(String(19))
    guardian_id_number: Mapped[str | None] = mapped_column(String(32))
    guardian_name: Mapped[str | None] = mapped_column(String(30))
    guardian_relation: Mapped[str | None] = mapped_column(String(20))
    guardian_phone: Mapped[str | None] = mapped_column(String(11))
    materials: Mapped[list[str]]
    # What recording the death changed here (None: recorded by an earlier request, or nothing).
    ended_enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id"))
    enrollment_status_before: Mapped[EnrollmentStatus | None]
    enrollment_end_before: Mapped[date | None] = mapped_column(Date)
    cancelled_card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    card_state_before: Mapped[CardState | None]
    card_loss_expires_before: Mapped[datetime | None]
    state: Mapped[InheritanceState] = mapped_column(index=True)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime]
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(String(200))
    review_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))


class ContributionMonth(Base):
    """缴费月份: a month a person's contributions are on record for, in one 统筹区.

    Base and amount (fen) are kept where the month has them (a 职工医保 month here); a
    resident's yearly contribution and months brought by a 信息表 have neither."""

    __tablename__ = "contribution_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    insurance_type: Mapped[InsuranceType]
    region_code: Mapped[str] = mapped_column(String(6))
    source: Mapped[ContributionSource]
    base_fen: Mapped[int | None] = mapped_column(Integer)  # 缴费基数
    amount_fen: Mapped[int | None] = mapped_column(Integer)  # 缴费金额
    transfer_case_id: Mapped[int | None] = mapped_column(ForeignKey("transfer_cases.id"))

    __table_args__ = (
        # Also the person's months in order, for the panel and the certificate.
        UniqueConstraint(
            "person_id",
            "month",
            "insurance_type",
            "region_code",
            name="uq_contribution_months_person_month",
        ),
    )


class Certificate(Base):
    """参保证明 / 参保缴费证明 as issued: its content is what was printed, kept for reprints
    (months added later do not change a certificate already given)."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    scope: Mapped[CertificateScope]
    content: Mapped[dict[str, Any]]


class RetirementCase(Base):
    """职工医保在职转退休: the 缴费年限清算 as assessed, and its outcome. A qualified or lump-sum
    case whose transaction is not void makes the person a retiree of ``enrollment_id``; a
    deferral (延迟退休登记) records the years still to pay. The row stays when the act is
    voided (its receipt is reprinted as issued); the 视同缴费 months it confirmed
    (``deemed_from`` to ``deemed_to``) are put on record, and taken off by the void."""

    __tablename__ = "retirement_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"))
    retirement_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[RetirementOutcome]
    required_total_months: Mapped[int] = mapped_column(Integer)
    required_local_months: Mapped[int] = mapped_column(Integer)
    total_months: Mapped[int] = mapped_column(Integer)
    local_months: Mapped[int] = mapped_column(Integer)
    transferred_months: Mapped[int] = mapped_column(Integer)
    deemed_months: Mapped[int] = mapped_column(Integer)
    other_months: Mapped[int] = mapped_column(Integer)
    deemed_from: Mapped[str | None] = mapped_column(String(7))  # confirmed at this act
    deemed_to: Mapped[str | None] = mapped_column(String(7))
    covered: Mapped[bool] = mapped_column(Boolean)
    benefit_rule: Mapped[BenefitRule | None]  # None: deferred
    benefit_start: Mapped[date | None] = mapped_column(Date)
    shortfall_months: Mapped[int] = mapped_column(Integer)
    monthly_fen: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # the shortfall's whole payment
    created_at: Mapped[datetime]


class BankDebitAccount(Base):
    """银行扣款账户; the holder may be a relative, whose details are then required."""

    __tablename__ = "bank_debit_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    bank_name: Mapped[str] = mapped_column(String(60))
    account_number: Mapped[str] = mapped_column(String(19))
    holder_relation: Mapped[str] = mapped_column(String(16))
    holder_name: Mapped[str | None] = mapped_column(String(30))
    holder_sex: Mapped[str | None] = mapped_column(String(1))
    holder_phone: Mapped[str | None] = mapped_column(String(11))
    holder_address: Mapped[str | None] = mapped_column(String(200))
    holder_postcode: Mapped[str | None] = mapped_column(String(6))
    updated_at: Mapped[datetime]


class Card(Base):
    """社会保障卡. ``state`` follows the lifecycle table in domain.card."""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    card_number: Mapped[str | None] = mapped_column(String(9), unique=True)
    card_id_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    state: Mapped[CardState]
    region_code: Mapped[str] = mapped_column(String(6))
    issue_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    temp_loss_expires_at: Mapped[datetime | None]
    state_changed_at: Mapped[datetime]

    person: Mapped[Person] = relationship(back_populates="cards")


class Transaction(Base):
    """业务流水: one business act, with its serial 业务流水号."""

    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(22), unique=True)
    hall_code: Mapped[str] = mapped_column(String(6))
    counter_no: Mapped[str] = mapped_column(String(3))
    business_day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[BusinessKind]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    fee_fen: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(String(200))
    status: Mapped[TransactionStatus]
    training: Mapped[bool] = mapped_column(Boolean, default=False)
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(String(200))
    # The counter's id for the clerk's one request (a UUID): asked again after its answer was
    # lost with the connection, the act is found done instead of done twice.
    submission_id: Mapped[str | None] = mapped_column(String(36), unique=True)

    clerk: Mapped[User] = relationship(foreign_keys=[clerk_id])
    person: Mapped[Person | None] = relationship()

    __table_args__ = (
        UniqueConstraint("hall_code", "counter_no", "business_day", "seq"),
        Index("ix_transactions_hall_day", "hall_code", "business_day"),
    )


class SerialCounter(Base):
    """The last sequence used per counter and day; bumped inside the business transaction."""

    __tablename__ = "serial_counters"

    hall_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    counter_no: Mapped[str] = mapped_column(String(3), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class Voucher(Base):
    """A printed document (回执/凭证/联系函) archived as PDF bytes with their SHA-256."""

    __tablename__ = "vouchers"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), index=True)
    document_kind: Mapped[str] = mapped_column(String(40))
    pdf: Mapped[bytes]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    # When the original first came out of a printer; every later paper is a 补打.
    printed_at: Mapped[datetime | None]


class CardApplication(Base):
    """社会保障卡申领: first card, 补领, 换领, optionally 即时制卡."""

    __tablename__ = "card_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"))
    kind: Mapped[CardApplicationKind]
    replacement_reason: Mapped[ReplacementReason | None]
    instant: Mapped[bool] = mapped_column(Boolean, default=False)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    old_card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    fee_fen: Mapped[int] = mapped_column(Integer)
    expected_pickup_date: Mapped[date] = mapped_column(Date)
    manual_personalisation: Mapped[bool] = mapped_column(Boolean, default=False)
    photo: Mapped[bytes | None]
    photo_sha256: Mapped[str | None] = mapped_column(String(64))
    representative_role: Mapped[RepresentativeRole | None]
    representative_id_number: Mapped[str | None] = mapped_column(String(32))
    representative_name: Mapped[str | None] = mapped_column(String(30))
    representative_relation: Mapped[str | None] = mapped_column(String(20))
    representative_phone: Mapped[str | None] = mapped_column(String(11))
    created_at: Mapped[datetime]


class LossReport(Base):
    """挂失/解挂 act on a card: temporary (expires), formal, or unfreeze."""

    __tablename__ = "loss_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"))
    kind: Mapped[str] = mapped_column(String(16))
    reported_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    # An agent (代办人) or guardian is recorded in full, as on a card application (DESIGN §5).
    representative_role: Mapped[RepresentativeRole | None]
    representative_name: Mapped[str | None] = mapped_column(String(30))
    representative_id_number: Mapped[str | None] = mapped_column(String(32))
    representative_relation: Mapped[str | None] = mapped_column(String(20))
    representative_phone: Mapped[str | None] = mapped_column(String(11))


class CorrectionRequest(Base):
    """参保信息变更/更正 request; identity classes wait for a second person's approval."""

    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    correction_class: Mapped[CorrectionClass]
    state: Mapped[CorrectionState] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(String(200))
    documents: Mapped[list[str]]
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(String(200))
    applied_at: Mapped[datetime | None]
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"))

    changes: Mapped[list[FieldChange]] = relationship(
        back_populates="request", order_by="FieldChange.id"
    )


class FieldChange(Base):
    """One field's before/after value in a correction; never overwritten."""

    __tablename__ = "field_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("correction_requests.id"), index=True)
    field: Mapped[CorrectionField]
    before_value: Mapped[str | None] = mapped_column(Text)
    after_value: Mapped[str | None] = mapped_column(Text)

    request: Mapped[CorrectionRequest] = relationship(back_populates="changes")


class TransferCase(Base):
    """基本医疗保险关系转移接续 case, out of or into this region."""

    __tablename__ = "transfer_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(24), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    direction: Mapped[TransferDirection]
    rule_set: Mapped[TransferRuleSet]
    stage: Mapped[TransferStage] = mapped_column(index=True)
    insurance_type: Mapped[InsuranceType]
    other_agency_name: Mapped[str] = mapped_column(String(60))
    other_region_code: Mapped[str] = mapped_column(String(6))
    other_agency_contact: Mapped[str | None] = mapped_column(String(60))
    opened_on: Mapped[date] = mapped_column(Date)
    stage_started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    completed_on: Mapped[date | None] = mapped_column(Date)
    actual_months: Mapped[int | None] = mapped_column(Integer)
    deemed_months: Mapped[int | None] = mapped_column(Integer)
    balance_fen: Mapped[int | None] = mapped_column(BigInteger)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    letters: Mapped[list[TransferLetter]] = relationship(
        back_populates="case", order_by="TransferLetter.id"
    )


class TransferLetter(Base):
    """参保凭证 / 联系函 / 信息表, issued here or received from the other agency."""

    __tablename__ = "transfer_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("transfer_cases.id"), index=True)
    kind: Mapped[TransferLetterKind]
    issued_here: Mapped[bool] = mapped_column(Boolean)
    letter_date: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]]
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"))

    case: Mapped[TransferCase] = relationship(back_populates="letters")


class AuditEntry(Base):
    """Append-only, hash-chained audit log entry (审计日志).

    On a hall's PostgreSQL the application role may only add rows (see store.grants)."""

    __tablename__ = "audit_entries"
    __table_args__ = ({"info": {"app_privileges": ("SELECT", "INSERT")}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row that names the chain's last entry; locked to append in order. The
    migration makes it; the application role may only move it (see store.grants)."""

    __tablename__ = "audit_head"
    __table_args__ = ({"info": {"app_privileges": ("SELECT", "UPDATE")}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class DayClose(Base):
    """日结: after it, the hall's day is read-only and its ledger final."""

    __tablename__ = "day_closes"

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(6))
    business_day: Mapped[date] = mapped_column(Date)
    closed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime]
    transaction_count: Mapped[int] = mapped_column(Integer)
    fee_total_fen: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (UniqueConstraint("hall_code", "business_day"),)
