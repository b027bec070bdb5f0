"""The pure decision core: scores plus a tenant policy in, a decision with reasons out."""

from moderation.domain.policy.blocklist_item import BlocklistItem
from moderation.domain.policy.policy_blocklists import PolicyBlocklists
from moderation.domain.policy.tenant_policy import TenantPolicy
from moderation.ml.policy.blocklist_info import BlocklistInfo
from moderation.ml.policy.category_thresholds import CategoryThresholds
from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.policy.policy_evaluator import PolicyEvaluator
from moderation.ml.policy.policy_verdict import PolicyVerdict
from moderation.ml.policy.strike_rule import StrikeRule

__all__ = [
    "BlocklistInfo",
    "BlocklistItem",
    "CategoryThresholds",
    "ModerationPolicy",
    "PolicyBlocklists",
    "PolicyEvaluator",
    "PolicyVerdict",
    "StrikeRule",
    "TenantPolicy",
]
