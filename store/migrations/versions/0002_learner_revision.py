"""learner revision

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:40:00.000000

Every change to a learner's record (items, exceptions, name) gives ``learners.revision`` a
new random token in the same transaction, so a process can keep a parsed record and know,
with one small read, whether it is still the stored one. A token rather than a counter: a
learner erased and stored again under the same id must not match what was cached before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.drop_column("revision")
