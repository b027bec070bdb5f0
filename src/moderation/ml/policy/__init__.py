"""The engine's pure policy: scores plus a policy document in, a decision with reasons out.

Versioning, storage and tenants are the domain's (`moderation.domain.policy.TenantPolicy`)."""

from moderation.ml.policy.blocklist_info import BlocklistInfo
from moderation.ml.policy.category_thresholds import CategoryThresholds
from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.policy.policy_evaluator import PolicyEvaluator
from moderation.ml.policy.policy_verdict import PolicyVerdict
from moderation.ml.policy.strike_rule import StrikeRule

__all__ = [
    "BlocklistInfo",
    "CategoryThresholds",
    "ModerationPolicy",
    "PolicyEvaluator",
    "PolicyVerdict",
    "StrikeRule",
]
