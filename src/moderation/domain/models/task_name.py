from enum import StrEnum


class TaskName(StrEnum):
    """Background tasks, by the name they carry on the broker and in the dead-letter table.

    Arguments are always JSON strings (ids), so a dead letter can be replayed as it was sent.
    """

    MODERATE_CONTENT = "moderation.moderate_content"
    """Args: content ids. Auto-moderates those still pending; a no-op for the others."""
    RUN_JOB = "moderation.run_job"
    """Args: one job id. Runs (or resumes) an import / rescore / backfill job."""
    DELIVER_WEBHOOKS = "moderation.deliver_webhooks"
    """No args. Sends the webhook deliveries that are due (leased rows, so idempotent)."""
    SWEEP = "moderation.sweep"
    """No args. Re-enqueues pending items and jobs whose task was lost."""
