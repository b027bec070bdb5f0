import pytest
from prometheus_client import CollectorRegistry

from moderation.infrastructure.metrics import ServiceMetrics


def test_instances_have_independent_registries() -> None:
    first, second = ServiceMetrics(), ServiceMetrics()
    first.count_rate_limited()

    assert first.registry is not second.registry
    assert first.registry.get_sample_value("moderation_rate_limited_total") == 1
    assert second.registry.get_sample_value("moderation_rate_limited_total") == 0


def test_a_given_registry_is_used() -> None:
    registry = CollectorRegistry()
    ServiceMetrics(registry).count_redis_error()

    assert registry.get_sample_value("moderation_redis_errors_total") == 1


def test_record_decision_counts_decision_reasons_and_flags() -> None:
    metrics = ServiceMetrics()
    metrics.record_decision("engine", "reject", ["harassment", "harassment"], ["insult", "threat"])
    metrics.record_decision("human", "approve", [], [])
    sample = metrics.registry.get_sample_value

    assert sample("moderation_decisions_total", {"source": "engine", "decision": "reject"}) == 1
    assert sample("moderation_decisions_total", {"source": "human", "decision": "approve"}) == 1
    reason = {"source": "engine", "reason": "harassment"}
    assert sample("moderation_decision_reasons_total", reason) == 1
    assert sample("moderation_category_flags_total", {"category": "insult"}) == 1
    assert sample("moderation_category_flags_total", {"category": "threat"}) == 1


def test_record_decision_refuses_unknown_source() -> None:
    with pytest.raises(ValueError, match="source"):
        ServiceMetrics().record_decision("robot", "approve", [], [])


def test_inference_queue_and_counters() -> None:
    metrics = ServiceMetrics()
    metrics.observe_inference("fast", 0.0007, 12)
    metrics.set_queue_depth(7)
    metrics.set_queue_depth(3)
    metrics.count_worker_failure()
    metrics.count_worker_failure()
    sample = metrics.registry.get_sample_value

    inference = {"tier": "fast", "le": "0.001"}
    assert sample("moderation_model_inference_seconds_bucket", inference) == 1
    assert sample("moderation_model_inference_seconds_bucket", {**inference, "le": "0.0005"}) == 0
    assert sample("moderation_model_batch_size_bucket", {"le": "16.0"}) == 1
    assert sample("moderation_model_batch_size_bucket", {"le": "8.0"}) == 0
    assert sample("moderation_queue_depth") == 3
    assert sample("moderation_worker_failures_total") == 2


def test_observe_request_and_render() -> None:
    metrics = ServiceMetrics()
    metrics.observe_request("POST", "/api/v1/moderate", 201, 0.003)

    body, content_type = metrics.render()
    text = body.decode()
    assert content_type.startswith("text/plain")
    assert (
        'moderation_http_requests_total{method="POST",route="/api/v1/moderate",status="201"} 1.0'
        in text
    )
    assert "# TYPE moderation_http_request_duration_seconds histogram" in text
    assert 'moderation_http_request_duration_seconds_bucket{le="0.0005"' in text
