"""Database access: engine and sessions, tables, migrations."""

from moderation.infrastructure.database.database import Database
from moderation.infrastructure.database.migrator import Migrator

__all__ = ["Database", "Migrator"]
