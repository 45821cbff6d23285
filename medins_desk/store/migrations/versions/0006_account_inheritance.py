"""个人账户余额继承: the death recorded, the heir paid after a second person's review

Revision ID: 0006_account_inheritance
Revises: 0005_medical_filings
Create Date: 2026-12-05 11:30:28.419346
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_account_inheritance"
down_revision = "0005_medical_filings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_inheritances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column(
            "death_proof",
            sa.Enum(
                "death_certificate",
                "cremation_certificate",
                "household_cancellation",
                name="deathproof",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("balance_fen", sa.BigInteger(), nullable=False),
        sa.Column("heir_id_number", sa.String(length=32), nullable=False),
        sa.Column("heir_name", sa.String(length=30), nullable=False),
        sa.Column(
            "heir_relation",
            sa.Enum(
                "spouse",
                "child",
                "parent",
                "sibling",
                "grandparent",
                "grandchild",
                name="heirrelation",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("heir_phone", sa.String(length=11), nullable=False),
        sa.Column("bank_name", sa.String(length=60), nullable=False),
        sa.Column("bank_account", sa.String(length=19), nullable=False),
        sa.Column("guardian_id_number", sa.String(length=32), nullable=True),
        sa.Column("guardian_name", sa.String(length=30), nullable=True),
        sa.Column("guardian_relation", sa.String(length=20), nullable=True),
        sa.Column("guardian_phone", sa.String(length=11), nullable=True),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("ended_enrollment_id", sa.Integer(), nullable=True),
        sa.Column(
            "enrollment_status_before",
            sa.Enum(
                "active",
                "suspended",
                "terminated",
                name="enrollmentstatus",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("enrollment_end_before", sa.Date(), nullable=True),
        sa.Column("cancelled_card_id", sa.Integer(), nullable=True),
        sa.Column(
            "card_state_before",
            sa.Enum(
                "accepted",
                "in_production",
                "ready",
                "active",
                "temp_lost",
                "formal_lost",
                "cancelled",
                name="cardstate",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("card_loss_expires_before", sa.DateTime(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="inheritancestate",
                native_enum=False,
                length=32,
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
            ["cancelled_card_id"],
            ["cards.id"],
            name=op.f("fk_account_inheritances_cancelled_card_id_cards"),
        ),
        sa.ForeignKeyConstraint(
            ["ended_enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_account_inheritances_ended_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_account_inheritances_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["review_transaction_id"],
            ["transactions.id"],
            name=op.f("fk_account_inheritances_review_transaction_id_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["users.id"], name=op.f("fk_account_inheritances_reviewed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["users.id"], name=op.f("fk_account_inheritances_submitted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_account_inheritances_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_inheritances")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_account_inheritances_transaction_id")),
    )
    with op.batch_alter_table("account_inheritances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_inheritances_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_account_inheritances_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_inheritances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_inheritances_state"))
        batch_op.drop_index(batch_op.f("ix_account_inheritances_person_id"))

    op.drop_table("account_inheritances")
