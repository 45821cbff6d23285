"""职工医保在职转退休: the retirement cases (缴费年限清算 and outcome)

Revision ID: 0008_retirement_cases
Revises: 0007_contribution_months
Create Date: 2026-12-05 16:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_retirement_cases"
down_revision = "0007_contribution_months"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retirement_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("retirement_date", sa.Date(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "qualified",
                "lump_sum",
                "deferred",
                name="retirementoutcome",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("required_total_months", sa.Integer(), nullable=False),
        sa.Column("required_local_months", sa.Integer(), nullable=False),
        sa.Column("total_months", sa.Integer(), nullable=False),
        sa.Column("local_months", sa.Integer(), nullable=False),
        sa.Column("transferred_months", sa.Integer(), nullable=False),
        sa.Column("deemed_months", sa.Integer(), nullable=False),
        sa.Column("other_months", sa.Integer(), nullable=False),
        sa.Column("deemed_from", sa.String(length=7), nullable=True),
        sa.Column("deemed_to", sa.String(length=7), nullable=True),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.Column(
            "benefit_rule",
            sa.Enum(
                "continuous",
                "next_month",
                "waiting",
                name="benefitrule",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("benefit_start", sa.Date(), nullable=True),
        sa.Column("shortfall_months", sa.Integer(), nullable=False),
        sa.Column("monthly_fen", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_retirement_cases_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_retirement_cases_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_retirement_cases_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retirement_cases")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_retirement_cases_transaction_id")),
    )
    with op.batch_alter_table("retirement_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retirement_cases_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("retirement_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retirement_cases_person_id"))

    op.drop_table("retirement_cases")
