"""appeals

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Authors' appeals against the rejection of their items (`content_appeals`, one open appeal per
item), and on each item when its open appeal was filed (the review queue's `kind=appealed`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("content_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("appealed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "content_appeals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.String(length=128), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("appealed_status", sa.String(length=16), nullable=False),
        sa.Column("appealed_actor", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decision_notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["content_items.id"],
            name=op.f("fk_content_appeals_content_id_content_items"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_content_appeals_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_appeals")),
    )
    with op.batch_alter_table("content_appeals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_content_appeals_tenant_content",
            ["tenant_id", "content_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "uq_content_appeals_open",
            ["tenant_id", "content_id"],
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("content_appeals", schema=None) as batch_op:
        batch_op.drop_index("uq_content_appeals_open")
        batch_op.drop_index("ix_content_appeals_tenant_content")
    op.drop_table("content_appeals")
    with op.batch_alter_table("content_items", schema=None) as batch_op:
        batch_op.drop_column("appealed_at")
