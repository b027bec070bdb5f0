"""The stored trace context: a sampled span's traceparent, and the parent it names again."""

import re

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

from moderation.infrastructure.telemetry import context_from, current_traceparent, link_to
from moderation.infrastructure.telemetry.trace_context import TRACEPARENT_MAX_LENGTH

# A provider of the test's own: the global one (if any test installed it) is not involved.
TRACER = TracerProvider().get_tracer(__name__)
TRACEPARENT = re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


def test_no_span_no_traceparent() -> None:
    assert current_traceparent() is None


def test_a_sampled_span_gives_its_traceparent() -> None:
    with TRACER.start_as_current_span("stored") as span:
        value = current_traceparent()
    assert value is not None
    assert TRACEPARENT.fullmatch(value)
    assert len(value) == TRACEPARENT_MAX_LENGTH
    ids = span.get_span_context()
    assert value == f"00-{ids.trace_id:032x}-{ids.span_id:016x}-{ids.trace_flags:02x}"


def test_a_span_that_is_not_sampled_gives_none() -> None:
    tracer = TracerProvider(sampler=ALWAYS_OFF).get_tracer(__name__)
    with tracer.start_as_current_span("dropped") as span:
        assert span.get_span_context().is_valid
        assert current_traceparent() is None


def test_the_context_names_the_stored_span_as_a_remote_parent() -> None:
    with TRACER.start_as_current_span("request") as request:
        stored = current_traceparent()
    context = context_from(stored)
    assert context is not None
    parent = trace.get_current_span(context).get_span_context()
    assert parent.trace_id == request.get_span_context().trace_id
    assert parent.span_id == request.get_span_context().span_id
    assert parent.is_remote
    with TRACER.start_as_current_span("decide", context=context) as child:
        assert child.get_span_context().trace_id == request.get_span_context().trace_id
        assert isinstance(child, ReadableSpan)
        assert child.parent is not None
        assert child.parent.span_id == request.get_span_context().span_id


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "garbage",
        "00-00000000000000000000000000000000-0000000000000000-01",
        "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7",
    ],
)
def test_a_missing_or_malformed_value_gives_no_context(stored: str | None) -> None:
    # Not even inside another span: the current span must not pass for the stored parent.
    with TRACER.start_as_current_span("current"):
        assert context_from(stored) is None
        assert link_to(stored) is None


def test_a_link_points_at_the_stored_span() -> None:
    with TRACER.start_as_current_span("request") as request:
        stored = current_traceparent()
    link = link_to(stored)
    assert link is not None
    assert link.context.trace_id == request.get_span_context().trace_id
    assert link.context.span_id == request.get_span_context().span_id
