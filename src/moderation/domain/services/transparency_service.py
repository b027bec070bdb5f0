from datetime import datetime, timedelta

from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import Principal, TransparencyReport
from moderation.domain.repositories import TransparencyRepository

# A report reads every decision of its period: bounded to a little over a year.
MAX_PERIOD = timedelta(days=367)


class TransparencyService:
    """The DSA Art. 15 transparency figures of the caller's tenant over a period."""

    def __init__(self, transparency: TransparencyRepository) -> None:
        self._transparency = transparency

    async def report(
        self, principal: Principal, start: datetime, end: datetime
    ) -> TransparencyReport:
        """Figures over [start, end); both need a UTC offset, and the period may span at most
        367 days."""
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidRequestError("from and to need a UTC offset (e.g. 2026-01-01T00:00:00Z)")
        if end <= start:
            raise InvalidRequestError("to must be after from")
        if end - start > MAX_PERIOD:
            raise InvalidRequestError(f"a report covers at most {MAX_PERIOD.days} days")
        return await self._transparency.report(principal.tenant_id, start, end)
