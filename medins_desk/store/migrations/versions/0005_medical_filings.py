"""异地就医备案: filings for care outside the insuring region, their changes and cancels

Revision ID: 0005_medical_filings
Revises: 0004_transaction_submission_id
Create Date: 2026-12-05 11:32:25.178579
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_medical_filings"
down_revision = "0004_transaction_submission_id"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "medical_filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "long_term_residence",
                "work_elsewhere",
                "retired_elsewhere",
                "referral",
                "temporary_visit",
                name="filingkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("destination_code", sa.String(length=6), nullable=False),
        sa.Column("destination_name", sa.String(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=100), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "active", "changed", "cancelled", name="filingstate", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("ended_transaction_id", sa.Integer(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ended_transaction_id"],
            ["transactions.id"],
            name=op.f("fk_medical_filings_ended_transaction_id_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_medical_filings_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_medical_filings_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["medical_filings.id"],
            name=op.f("fk_medical_filings_replaces_id_medical_filings"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_medical_filings_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_filings")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_medical_filings_transaction_id")),
    )
    with op.batch_alter_table("medical_filings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medical_filings_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("medical_filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medical_filings_person_id"))

    op.drop_table("medical_filings")
