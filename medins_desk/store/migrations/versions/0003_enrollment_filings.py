"""参保登记: categories, benefit start, filings, refunds, guardians

Revision ID: 0003_enrollment_filings
Revises: 0002_voucher_printed_at
Create Date: 2026-12-04 18:11:53.943328
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_enrollment_filings"
down_revision = "0002_voucher_printed_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrollment_filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "resident_child",
                "resident_student",
                "resident_elderly",
                "resident_other",
                "newborn",
                "flexible_employment",
                "employee_continuation",
                name="enrollmentcategory",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("benefit_start", sa.Date(), nullable=False),
        sa.Column("benefit_rule", sa.String(length=200), nullable=False),
        sa.Column("continuous", sa.Boolean(), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("missing_materials", sa.JSON(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.Column("birth_certificate_number", sa.String(length=10), nullable=True),
        sa.Column("last_covered", sa.Date(), nullable=True),
        sa.Column("gap_made_up", sa.Boolean(), nullable=False),
        sa.Column("closed_enrollment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_enrollment_filings_closed_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_enrollment_filings_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["persons.id"], name=op.f("fk_enrollment_filings_guardian_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_enrollment_filings_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_enrollment_filings_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_filings")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_enrollment_filings_transaction_id")),
    )
    with op.batch_alter_table("enrollment_filings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollment_filings_enrollment_id"), ["enrollment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_enrollment_filings_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "refund_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "moved_away",
                "settled_abroad",
                "deceased",
                "employed",
                name="refundreason",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=100), nullable=True),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending", "approved", "rejected", name="refundstate", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_comment", sa.String(length=200), nullable=True),
        sa.Column("review_transaction_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_refund_requests_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_refund_requests_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["review_transaction_id"],
            ["transactions.id"],
            name=op.f("fk_refund_requests_review_transaction_id_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["users.id"], name=op.f("fk_refund_requests_reviewed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["users.id"], name=op.f("fk_refund_requests_submitted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_refund_requests_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_requests")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_refund_requests_transaction_id")),
    )
    with op.batch_alter_table("refund_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_requests_enrollment_id"), ["enrollment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_refund_requests_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_refund_requests_state"), ["state"], unique=False)

    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "category",
                sa.Enum(
                    "resident_child",
                    "resident_student",
                    "resident_elderly",
                    "resident_other",
                    "newborn",
                    "flexible_employment",
                    "employee_continuation",
                    name="enrollmentcategory",
                    native_enum=False,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("benefit_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("end_reason", sa.String(length=100), nullable=True))

    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "household_kind",
                sa.Enum("local", "non_local", name="householdkind", native_enum=False, length=32),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("household_address", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("guardian_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_persons_guardian_id_persons"), "persons", ["guardian_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_persons_guardian_id_persons"), type_="foreignkey")
        batch_op.drop_column("guardian_id")
        batch_op.drop_column("household_address")
        batch_op.drop_column("household_kind")

    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("end_reason")
        batch_op.drop_column("benefit_start")
        batch_op.drop_column("category")

    with op.batch_alter_table("refund_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_requests_state"))
        batch_op.drop_index(batch_op.f("ix_refund_requests_person_id"))
        batch_op.drop_index(batch_op.f("ix_refund_requests_enrollment_id"))

    op.drop_table("refund_requests")
    with op.batch_alter_table("enrollment_filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollment_filings_person_id"))
        batch_op.drop_index(batch_op.f("ix_enrollment_filings_enrollment_id"))

    op.drop_table("enrollment_filings")
