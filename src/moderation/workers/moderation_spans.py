"""The spans of the engine's work on claimed content, for both runtimes (the in-process worker
and the Celery `moderate_content` task): each item's decision continues the trace of the
request that stored it, and the batch's scoring, which serves several such traces, links them.

Without a tracer provider the tracer is a no-op: no span is recorded, no attribute built."""

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace

from moderation.domain.models import ContentItem, ModerationResult
from moderation.infrastructure.telemetry import context_from, current_traceparent, link_to

_tracer = trace.get_tracer(__name__)


@contextmanager
def score_span(items: list[ContentItem]) -> Iterator[None]:
    """A `moderation.score` span for scoring `items`, linked to each item's trace (the
    `ScoreScope` of `PendingModeration`)."""
    links = [link for item in items if (link := link_to(item.trace_parent)) is not None]
    with _tracer.start_as_current_span("moderation.score", links=links) as span:
        if span.is_recording():
            span.set_attribute("moderation.batch_size", len(items))
        yield


@contextmanager
def decide_span(item: ContentItem, result: ModerationResult) -> Iterator[str | None]:
    """A `moderation.decide` span for `item`, a child of the span that stored it; yields its
    own trace context for the decision's event (the `DecisionScope` of `apply_many`).

    The attributes say which item and what was decided, never its text."""
    with _tracer.start_as_current_span(
        "moderation.decide", context=context_from(item.trace_parent)
    ) as span:
        if span.is_recording():
            span.set_attributes(
                {
                    "moderation.content_id": str(item.id),
                    "moderation.tenant_id": str(item.tenant_id),
                    "moderation.decision": str(result.decision),
                    "moderation.model_version": result.model_version,
                }
            )
        yield current_traceparent()
