"""Background processing of stored content."""

from moderation.workers.in_process_worker import InProcessWorker

__all__ = ["InProcessWorker"]
