from datetime import datetime, timedelta
from uuid import UUID

from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import (
    AutomatedDecision,
    ModerationReason,
    Principal,
    RestrictionRecord,
    StatementOfReasons,
)
from moderation.domain.repositories import RestrictionRepository

# What the Transparency Database's batch endpoint takes at once.
BATCH = 100
MAX_PERIOD = timedelta(days=367)

# Our reasons onto the database's categories; the first reason that maps decides.
_CATEGORY: dict[ModerationReason, str] = {
    ModerationReason.HATE_SPEECH: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    ModerationReason.HARASSMENT: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    ModerationReason.PROFANITY: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    ModerationReason.VIOLENCE: "STATEMENT_CATEGORY_VIOLENCE",
    ModerationReason.ADULT_CONTENT: "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
    ModerationReason.SPAM: "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
    ModerationReason.MISINFORMATION: (
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
    ),
}
_OTHER = "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"


class StatementService:
    """Statements of reasons for the tenant's removals, derived from the append-only audit
    log and the reports before each decision, so the same period always gives the same
    statements; in batches of at most 100, as the Transparency Database takes them."""

    def __init__(self, restrictions: RestrictionRepository) -> None:
        self._restrictions = restrictions

    async def batch(
        self,
        principal: Principal,
        start: datetime,
        end: datetime,
        *,
        after: tuple[datetime, UUID] | None = None,
        limit: int = BATCH,
    ) -> tuple[list[StatementOfReasons], tuple[datetime, UUID] | None]:
        """One batch of statements, and the cursor of the next (None after the last)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidRequestError("from and to need a UTC offset (e.g. 2026-01-01T00:00:00Z)")
        if end <= start or end - start > MAX_PERIOD:
            raise InvalidRequestError(f"to must be after from, at most {MAX_PERIOD.days} days on")
        records = await self._restrictions.page(
            principal.tenant_id, start, end, after=after, limit=min(limit, BATCH)
        )
        cursor = (records[-1].entry.created_at, records[-1].entry.id) if records else None
        more = cursor if len(records) == min(limit, BATCH) else None
        return [statement(record) for record in records], more


def statement(record: RestrictionRecord) -> StatementOfReasons:
    """The statement of reasons of one removal."""
    entry, item = record.entry, record.item
    reasons = [str(r) for r in entry.reasons] or ["policy"]
    if record.reported_for is not None:
        category = record.reported_for.dsa_category
    else:
        category = next((_CATEGORY[r] for r in entry.reasons if r in _CATEGORY), _OTHER)
    automated: AutomatedDecision
    if entry.source == "engine":
        automated = "AUTOMATED_DECISION_FULLY"
        who = f"the automated classifier (model {entry.model_version or 'unknown'})"
    elif record.engine_decided_before:
        automated = "AUTOMATED_DECISION_PARTIALLY"
        who = "a human reviewer after automated screening"
    else:
        automated = "AUTOMATED_DECISION_NOT_AUTOMATED"
        who = "a human reviewer"
    source = "user report" if record.reported_for is not None else "the platform's own screening"
    score = f", risk score {entry.score:.2f}" if entry.score is not None else ""
    facts = (
        f"Removed by {who} on {entry.created_at.date().isoformat()} following {source}; "
        f"reasons: {', '.join(reasons)}{score}"
        + (f"; policy version {entry.policy_version}" if entry.policy_version is not None else "")
        + "."
    )
    language = (item.language or "").upper()
    detected = entry.source == "engine" or record.engine_decided_before
    return StatementOfReasons(
        incompatible_content_ground="Terms of service: content policy (" + ", ".join(reasons) + ")",
        incompatible_content_explanation=(
            "The content breaches the platform's content policy on " + ", ".join(reasons) + "."
        ),
        category=category,
        content_language=language if len(language) == 2 and language.isalpha() else None,
        content_date=item.created_at.date().isoformat(),
        application_date=entry.created_at.date().isoformat(),
        decision_facts=facts,
        source_type="SOURCE_ARTICLE_16" if record.reported_for is not None else "SOURCE_VOLUNTARY",
        automated_detection="Yes" if detected else "No",
        automated_decision=automated,
        puid=str(item.id),
    )
