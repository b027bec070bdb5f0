"""trace context

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08

The W3C `traceparent` kept with work that is continued later (a content item the worker
decides, an outbox event the relay publishes, a webhook delivery the deliverer sends), so one
request, its decision and its deliveries form one trace. NULL when tracing is off.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("content_items", "outbox_events", "webhook_deliveries")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("trace_parent", sa.String(length=55), nullable=True))


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("trace_parent")
