"""score suggestions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Scores clients suggest for a text through the Perspective-compatible
`comments:suggestscore`, kept as labelled data (`moderation export-suggestions`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "score_suggestions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("scores", _JSON, nullable=False),
        sa.Column("spans", _JSON, nullable=False),
        sa.Column("languages", _JSON, nullable=False),
        sa.Column("detected_language", sa.String(length=16), nullable=True),
        sa.Column("community_id", sa.String(length=256), nullable=True),
        sa.Column("client_token", sa.String(length=256), nullable=True),
        sa.Column("model_version", sa.String(length=100), nullable=False),
        sa.Column("model_scores", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_score_suggestions_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_suggestions")),
    )
    with op.batch_alter_table("score_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_score_suggestions_tenant_created", ["tenant_id", "created_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("score_suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_score_suggestions_tenant_created")

    op.drop_table("score_suggestions")
