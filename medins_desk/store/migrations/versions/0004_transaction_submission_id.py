"""业务流水 submission id: an act asked for again after its answer was lost is found, not redone

Revision ID: 0004_transaction_submission_id
Revises: 0003_enrollment_filings
Create Date: 2026-12-05 08:00:00.644591
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_transaction_submission_id"
down_revision = "0003_enrollment_filings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_id", sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_transactions_submission_id"), ["submission_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_transactions_submission_id"), type_="unique")
        batch_op.drop_column("submission_id")
