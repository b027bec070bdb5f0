import pytest

from moderation.domain.models import Category, Decision, ModerationReason
from moderation.domain.policy import CategoryThresholds, ModerationPolicy, PolicyEvaluator

CLEAN = dict.fromkeys(Category, 0.01)


def scores(**overrides: float) -> dict[Category, float]:
    return {**CLEAN, **{Category(k): v for k, v in overrides.items()}}


class TestCategoryThresholds:
    def test_seed_defaults(self) -> None:
        t = CategoryThresholds()
        assert t.decide(0.29) is Decision.APPROVE
        assert t.decide(0.3) is Decision.FLAG
        assert t.decide(0.7) is Decision.FLAG
        assert t.decide(0.71) is Decision.REJECT

    def test_max_action_caps(self) -> None:
        assert CategoryThresholds(max_action=Decision.FLAG).decide(0.99) is Decision.FLAG

    def test_disabled_always_approves(self) -> None:
        assert CategoryThresholds(enabled=False).decide(1.0) is Decision.APPROVE

    def test_rejects_inverted_thresholds(self) -> None:
        with pytest.raises(ValueError, match="reject_at"):
            CategoryThresholds(flag_at=0.8, reject_at=0.2)


class TestPolicyEvaluator:
    def test_clean_text_is_approved(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(CLEAN, language="en")
        assert verdict.decision is Decision.APPROVE
        assert verdict.reasons == []
        assert verdict.score == pytest.approx(0.01)

    def test_worst_category_decides_and_maps_reasons(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            scores(threat=0.9, insult=0.5, toxicity=0.5)
        )
        assert verdict.decision is Decision.REJECT
        assert verdict.reasons == [ModerationReason.HARASSMENT, ModerationReason.VIOLENCE]
        assert verdict.score == pytest.approx(0.9)

    def test_per_category_override(self) -> None:
        policy = ModerationPolicy(
            categories={Category.PROFANITY: CategoryThresholds(flag_at=0.9, reject_at=0.95)}
        )
        verdict = PolicyEvaluator(policy).evaluate(scores(profanity=0.8))
        assert verdict.decision is Decision.APPROVE

    def test_disabled_category_does_not_count_in_score(self) -> None:
        policy = ModerationPolicy(categories={Category.SPAM: CategoryThresholds(enabled=False)})
        verdict = PolicyEvaluator(policy).evaluate(scores(spam=0.99))
        assert verdict.decision is Decision.APPROVE
        assert verdict.score < 0.1

    def test_rule_hit_raises_decision_and_score(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            CLEAN, rule_actions=[(Category.SEXUAL, Decision.REJECT)]
        )
        assert verdict.decision is Decision.REJECT
        assert verdict.reasons == [ModerationReason.ADULT_CONTENT]
        assert verdict.score >= 0.7

    def test_unsupported_language_is_flagged_not_approved(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            CLEAN, language="de", language_confidence=0.99
        )
        assert verdict.decision is Decision.FLAG
        assert verdict.reasons == [ModerationReason.UNSUPPORTED_LANGUAGE]

    def test_unsure_language_call_is_ignored(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            CLEAN, language="de", language_confidence=0.4
        )
        assert verdict.decision is Decision.APPROVE

    def test_tenant_can_support_more_languages(self) -> None:
        policy = ModerationPolicy(supported_languages=["en", "de"])
        verdict = PolicyEvaluator(policy).evaluate(CLEAN, language="de", language_confidence=0.99)
        assert verdict.decision is Decision.APPROVE


class TestModerationReason:
    @pytest.mark.parametrize(
        ("category", "reason"),
        [
            (Category.HATE_SPEECH, ModerationReason.HATE_SPEECH),
            (Category.THREAT, ModerationReason.VIOLENCE),
            (Category.SEXUAL, ModerationReason.ADULT_CONTENT),
            (Category.SPAM, ModerationReason.SPAM),
            (Category.INSULT, ModerationReason.HARASSMENT),
            (Category.TOXICITY, ModerationReason.HARASSMENT),
            (Category.PROFANITY, ModerationReason.PROFANITY),
        ],
    )
    def test_category_maps_to_seed_reason(
        self, category: Category, reason: ModerationReason
    ) -> None:
        assert ModerationReason.for_category(category) is reason


class TestIncompleteRules:
    def test_skipped_rules_flag_the_text_and_say_so(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            CLEAN, language="en", rules_complete=False
        )
        assert verdict.decision is Decision.FLAG
        assert verdict.reasons == [ModerationReason.RULES_INCOMPLETE]

    def test_a_worse_decision_stands(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            scores(threat=0.95), language="en", rules_complete=False
        )
        assert verdict.decision is Decision.REJECT
        assert verdict.reasons[-1] is ModerationReason.RULES_INCOMPLETE


class TestProfanitySemantics:
    """Swearing is not an attack: by default it keeps its score and acts on nothing."""

    def test_untargeted_profanity_is_approved_by_default(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            scores(profanity=0.95, toxicity=0.9),
            rule_actions=[(Category.PROFANITY, Decision.FLAG)],
        )
        assert verdict.decision is Decision.APPROVE
        assert verdict.reasons == []
        assert verdict.score < 0.1

    def test_profanity_with_an_insult_still_acts_through_the_insult(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(
            scores(profanity=0.95, toxicity=0.9, insult=0.8)
        )
        assert verdict.decision is Decision.REJECT
        assert verdict.reasons == [ModerationReason.HARASSMENT]
        assert verdict.triggered == [Category.TOXICITY, Category.INSULT]

    def test_toxicity_without_profanity_still_acts(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(scores(toxicity=0.9))
        assert verdict.decision is Decision.REJECT

    def test_a_tenant_can_turn_profanity_flagging_on(self) -> None:
        policy = ModerationPolicy(flag_profanity=True)
        verdict = PolicyEvaluator(policy).evaluate(scores(profanity=0.95, toxicity=0.2))
        assert verdict.decision is Decision.REJECT
        assert verdict.reasons == [ModerationReason.PROFANITY]

    def test_a_profanity_cap_also_caps_toxicity_on_profane_text(self) -> None:
        policy = ModerationPolicy(
            flag_profanity=True,
            categories={Category.PROFANITY: CategoryThresholds(max_action=Decision.FLAG)},
        )
        verdict = PolicyEvaluator(policy).evaluate(
            scores(profanity=0.95, toxicity=0.95),
            rule_actions=[(Category.PROFANITY, Decision.REJECT)],
        )
        assert verdict.decision is Decision.FLAG
        assert verdict.reasons == [ModerationReason.HARASSMENT, ModerationReason.PROFANITY]

    def test_profanity_below_its_threshold_leaves_toxicity_alone(self) -> None:
        verdict = PolicyEvaluator(ModerationPolicy()).evaluate(scores(profanity=0.1, toxicity=0.9))
        assert verdict.decision is Decision.REJECT
