"""The W3C `traceparent` of a span, kept with work that another process (or a later moment)
continues: a stored content item, an outbox event, a webhook delivery.

The string is opaque to the rest of the service; only these functions read or make one, with
OpenTelemetry's own propagator. Without a tracer provider, no span is ever valid, so nothing is
captured and the stored value is NULL."""

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

# "00-<32 hex>-<16 hex>-<2 hex>": what the columns hold at most.
TRACEPARENT_MAX_LENGTH = 55

_PROPAGATOR = TraceContextTextMapPropagator()
_HEADER = "traceparent"


def current_traceparent() -> str | None:
    """The current span's `traceparent`, or None when there is no span worth continuing (none,
    invalid, or not sampled: a trace the backend never receives has nothing to join)."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid or not span_context.trace_flags.sampled:
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    value = carrier.get(_HEADER)
    if value is None or len(value) > TRACEPARENT_MAX_LENGTH:
        return None
    return value


def context_from(traceparent: str | None) -> Context | None:
    """A context whose (remote) parent span is the one `traceparent` names, or None when it is
    missing or malformed, so that a span started with it falls back to the current context."""
    if not traceparent:
        return None
    # Extracted into an empty context: a malformed value must not leave the current span in
    # place and pass for the stored parent.
    context = _PROPAGATOR.extract({_HEADER: traceparent}, context=Context())
    if not trace.get_current_span(context).get_span_context().is_valid:
        return None
    return context


def link_to(traceparent: str | None) -> Link | None:
    """A span link to the span `traceparent` names (a batch that serves several traces), or
    None when it is missing or malformed."""
    context = context_from(traceparent)
    if context is None:
        return None
    return Link(trace.get_current_span(context).get_span_context())
