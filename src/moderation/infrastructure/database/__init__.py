"""Database access: engine and sessions, tables, migrations."""

from moderation.infrastructure.database.after_commit_actions import AfterCommitActions
from moderation.infrastructure.database.database import Database
from moderation.infrastructure.database.migrator import Migrator
from moderation.infrastructure.database.pending_effects import PendingEffects
from moderation.infrastructure.database.sql_unit_of_work import SqlUnitOfWork
from moderation.infrastructure.database.tracked_session import TrackedSession, effects_of

__all__ = [
    "AfterCommitActions",
    "Database",
    "Migrator",
    "PendingEffects",
    "SqlUnitOfWork",
    "TrackedSession",
    "effects_of",
]
