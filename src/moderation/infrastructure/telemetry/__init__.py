"""OpenTelemetry tracing, off unless an OTLP endpoint is configured."""

from typing import TYPE_CHECKING

from moderation.infrastructure.telemetry.trace_context import (
    context_from,
    current_traceparent,
    link_to,
)

if TYPE_CHECKING:
    from moderation.infrastructure.telemetry.tracing import Tracing

__all__ = ["Tracing", "context_from", "current_traceparent", "link_to"]


def __getattr__(name: str) -> object:
    # The repositories capture trace contexts; loading the instrumentations (half a second)
    # is left to the processes that install tracing, not every CLI command that stores rows.
    if name == "Tracing":
        from moderation.infrastructure.telemetry.tracing import Tracing

        return Tracing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
