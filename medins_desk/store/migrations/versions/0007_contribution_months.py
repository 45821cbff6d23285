"""缴费月份 and 参保证明: the months on record per person, the certificates as issued

Revision ID: 0007_contribution_months
Revises: 0006_account_inheritance
Create Date: 2026-12-05 11:29:15.960781
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_contribution_months"
down_revision = "0006_account_inheritance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum(
                "enrollment", "contribution", name="certificatescope", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_certificates_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_certificates_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_certificates_transaction_id")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_person_id"), ["person_id"], unique=False)

    op.create_table(
        "contribution_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column(
            "insurance_type",
            sa.Enum("employee", "resident", name="insurancetype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "local",
                "transferred",
                "deemed",
                name="contributionsource",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("base_fen", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("transfer_case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_contribution_months_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["transfer_case_id"],
            ["transfer_cases.id"],
            name=op.f("fk_contribution_months_transfer_case_id_transfer_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_months")),
        sa.UniqueConstraint(
            "person_id",
            "month",
            "insurance_type",
            "region_code",
            name="uq_contribution_months_person_month",
        ),
    )


def downgrade() -> None:
    op.drop_table("contribution_months")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_person_id"))

    op.drop_table("certificates")
