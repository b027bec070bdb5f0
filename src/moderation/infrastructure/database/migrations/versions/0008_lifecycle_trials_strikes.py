"""data lifecycle, shadow trials, strikes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

- `content_items.deleted_at`: a deleted item stays as a tombstone (the append-only audit log
  refers to it) with its text, metadata and tags erased.
- `tenants.retention_days`: a tenant's retention period, applied by the purge job.
- `tenant_audit`: append-only record of tenant-level actions (promotions, rollbacks, erasures,
  purges, deletions) that have no single content item to hang on.
- `shadow_configs` / `shadow_decisions`: a candidate policy or model scoring live traffic beside
  the active one, and what it would have decided.
- `author_strikes` / `author_actions`: strikes against authors for rejected content, and the
  actions strike rules recommended.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_ACTIVE = sa.text("removed_at IS NULL")

_PG_APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION tenant_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'tenant_audit is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER tenant_audit_no_update BEFORE UPDATE OR DELETE ON tenant_audit "
    "FOR EACH ROW EXECUTE FUNCTION tenant_audit_append_only()",
)
_SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER tenant_audit_no_update BEFORE UPDATE ON tenant_audit "
    "BEGIN SELECT RAISE(ABORT, 'tenant_audit is append-only'); END",
    "CREATE TRIGGER tenant_audit_no_delete BEFORE DELETE ON tenant_audit "
    "BEGIN SELECT RAISE(ABORT, 'tenant_audit is append-only'); END",
)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("content_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))

    op.create_table(
        "tenant_audit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("details", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("tenant_audit", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_audit")),
    )
    with op.batch_alter_table("tenant_audit", schema=None) as batch_op:
        batch_op.create_index("ix_tenant_audit_tenant_created", ["tenant_id", "created_at"])

    op.create_table(
        "shadow_configs",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("policy", _JSON, nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        _fk("shadow_configs", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_shadow_configs")),
    )
    op.create_table(
        "shadow_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("active_status", sa.String(length=16), nullable=False),
        sa.Column("candidate_status", sa.String(length=16), nullable=False),
        sa.Column("active_score", sa.Float(), nullable=True),
        sa.Column("candidate_score", sa.Float(), nullable=True),
        sa.Column("active_reasons", _JSON, nullable=False),
        sa.Column("candidate_reasons", _JSON, nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("candidate_model_version", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("shadow_decisions", "tenant_id", "tenants"),
        _fk("shadow_decisions", "content_id", "content_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shadow_decisions")),
    )
    with op.batch_alter_table("shadow_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_shadow_decisions_tenant_created", ["tenant_id", "created_at"])
        batch_op.create_index("ix_shadow_decisions_tenant_content", ["tenant_id", "content_id"])

    op.create_table(
        "author_strikes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.String(length=128), nullable=False),
        sa.Column("content_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=200), nullable=True),
        _fk("author_strikes", "tenant_id", "tenants"),
        _fk("author_strikes", "content_id", "content_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_strikes")),
    )
    with op.batch_alter_table("author_strikes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_author_strikes_author", ["tenant_id", "author_id", "reason", "created_at"]
        )
        batch_op.create_index(
            "uq_author_strikes_active",
            ["tenant_id", "content_id", "reason"],
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        )
    op.create_table(
        "author_actions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.String(length=128), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("evidence", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("author_actions", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_actions")),
    )
    with op.batch_alter_table("author_actions", schema=None) as batch_op:
        batch_op.create_index("ix_author_actions_author", ["tenant_id", "author_id", "created_at"])

    dialect = op.get_bind().dialect.name
    for statement in _PG_APPEND_ONLY if dialect == "postgresql" else _SQLITE_APPEND_ONLY:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tenant_audit_no_update ON tenant_audit")
        op.execute("DROP FUNCTION IF EXISTS tenant_audit_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS tenant_audit_no_update")
        op.execute("DROP TRIGGER IF EXISTS tenant_audit_no_delete")
    with op.batch_alter_table("author_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_author_actions_author")
    op.drop_table("author_actions")
    with op.batch_alter_table("author_strikes", schema=None) as batch_op:
        batch_op.drop_index("uq_author_strikes_active")
        batch_op.drop_index("ix_author_strikes_author")
    op.drop_table("author_strikes")
    with op.batch_alter_table("shadow_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_shadow_decisions_tenant_content")
        batch_op.drop_index("ix_shadow_decisions_tenant_created")
    op.drop_table("shadow_decisions")
    op.drop_table("shadow_configs")
    with op.batch_alter_table("tenant_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_tenant_audit_tenant_created")
    op.drop_table("tenant_audit")
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("retention_days")
    with op.batch_alter_table("content_items", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
