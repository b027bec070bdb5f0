from enum import StrEnum


class JobKind(StrEnum):
    """What a long-running job does."""

    IMPORT = "import"
    """Create content items from an uploaded CSV or JSONL file."""
    RESCORE = "rescore"
    """Re-run the engine on a tenant's items (after a policy or model change)."""
    BACKFILL = "backfill"
    """Like rescore, started from the command line (`moderation backfill`)."""
