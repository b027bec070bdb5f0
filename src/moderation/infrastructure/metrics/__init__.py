"""Prometheus metrics."""

from moderation.infrastructure.metrics.service_metrics import ServiceMetrics

__all__ = ["ServiceMetrics"]
