"""Sending to a broker that is down fails fast, and keeps failing fast for a moment, so that
requests do not each wait on it; the first send after the pause tries the broker again."""

import asyncio
import time

import pytest
from kombu.exceptions import OperationalError

from moderation.core.config import Settings
from moderation.core.exceptions import ServiceUnavailableError
from moderation.domain.models import TaskName
from moderation.workers import CeleryJobQueue
from moderation.workers.celery_app import create_celery_app


@pytest.mark.asyncio
async def test_a_failed_send_opens_the_breaker_for_a_while() -> None:
    # Nothing listens on port 9: the connection is refused at once.
    settings = Settings(broker_url="redis://127.0.0.1:9/0")
    queue = CeleryJobQueue(create_celery_app(settings), open_seconds=0.3)
    try:
        with pytest.raises(OperationalError):
            await queue.submit(TaskName.SWEEP, [])
        await queue.moderate([])  # nothing to send: no error
        started = time.monotonic()
        with pytest.raises(ServiceUnavailableError):
            await queue.submit(TaskName.SWEEP, [])
        assert time.monotonic() - started < 0.05
        await asyncio.sleep(0.35)
        with pytest.raises(OperationalError):
            await queue.submit(TaskName.SWEEP, [])
    finally:
        await queue.close()
