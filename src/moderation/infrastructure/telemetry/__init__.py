"""OpenTelemetry tracing, off unless an OTLP endpoint is configured."""

from moderation.infrastructure.telemetry.tracing import Tracing

__all__ = ["Tracing"]
