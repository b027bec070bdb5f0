from pathlib import Path

import pytest

from moderation.domain.models import Category, Decision, ModerationReason, TermRule
from moderation.domain.policy import CategoryThresholds, ModerationPolicy
from moderation.ml.engine import Engine, EngineOptions


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path) -> Engine:
    return Engine.load(tiny_model_dir)


class TestEngineScoring:
    def test_batch_in_batch_out_same_order(self, engine: Engine) -> None:
        texts = ["hello there, nice photo", "you are a stupid idiot", "Win a FREE prize call now"]
        results = engine.score(texts)
        assert len(results) == 3
        assert results[1].scores[Category.INSULT] > results[0].scores[Category.INSULT]
        assert results[2].scores[Category.SPAM] > results[0].scores[Category.SPAM]
        assert engine.score([]) == []

    def test_result_shape(self, engine: Engine) -> None:
        result = engine.score(["I will kill you, you worthless piece of shit"])[0]
        assert set(result.scores) == set(Category)
        assert all(0.0 <= p <= 1.0 for p in result.scores.values())
        assert result.score >= max(result.scores.values()) - 1e-3
        harms = (Category.INSULT, Category.THREAT, Category.HATE_SPEECH)
        assert result.scores[Category.TOXICITY] >= max(result.scores[c] for c in harms)
        assert 0.0 <= result.confidence <= 1.0
        assert result.decision is not Decision.APPROVE
        assert result.model_version.startswith("0.0.1+")
        assert result.sentiment is not None
        assert -1.0 <= result.sentiment < 0.0

    def test_threat_against_a_group_counts_as_hate(self, engine: Engine) -> None:
        normalized = [engine.normalize(t) for t in ("Muslims should all be shot", "the cake")]
        final, fast, _ = engine.probabilities(normalized)
        hate, threat = (
            engine.category_index(Category.HATE_SPEECH),
            engine.category_index(Category.THREAT),
        )
        assert final[0, hate] >= final[0, threat]
        assert fast[0, hate] >= fast[0, threat]

    def test_spans_point_into_the_original_text(self, engine: Engine) -> None:
        text = "ok so ｆｕｃｋ this and f.u.c.k that"
        # Profanity alone acts (and so is explained) only where the tenant asks for it.
        assert engine.score([text])[0].decision is Decision.APPROVE
        result = engine.score([text], ModerationPolicy(flag_profanity=True))[0]
        rule_spans = [s for s in result.spans if s.source.startswith("rule:")]
        found = {text[s.start : s.end] for s in rule_spans}
        assert "ｆｕｃｋ" in found
        assert "f.u.c.k" in found
        assert ModerationReason.PROFANITY in result.reasons

    def test_an_ambiguous_mask_is_explained_by_the_common_word(self, engine: Engine) -> None:
        # "f4cking" fits the lexicon's "fucking" and "fecking": one span, the common word.
        text = "ur a f4cking idiot"
        result = engine.score([text], ModerationPolicy(flag_profanity=True))[0]
        profane = [s for s in result.spans if s.category is Category.PROFANITY]
        assert [(text[s.start : s.end], s.source) for s in profane] == [
            ("f4cking", "rule:profanity:fucking")
        ]

    def test_tenant_rules_on_the_same_characters_all_explain(self, engine: Engine) -> None:
        rules = [
            TermRule(id=f"r{i}", pattern="widget", category=Category.SPAM, action="reject")
            for i in (1, 2)
        ]
        result = engine.score(["buy a widget"], ModerationPolicy(term_rules=rules))[0]
        assert {s.source for s in result.spans if s.source.startswith("rule:r")} == {
            "rule:r1",
            "rule:r2",
        }

    def test_allow_list_suppresses_block_terms(self, engine: Engine) -> None:
        policy = ModerationPolicy(
            term_rules=[
                TermRule(
                    id="block-widget", pattern="widget", category=Category.SPAM, action="reject"
                ),
                TermRule(
                    id="ok-widget", pattern="widget factory", category=Category.SPAM, action="allow"
                ),
            ]
        )
        blocked = engine.score(["buy a widget"], policy)[0]
        allowed = engine.score(["visit the widget factory tour"], policy)[0]
        assert blocked.decision is Decision.REJECT
        assert not any(s.source == "rule:block-widget" for s in allowed.spans)

    def test_reclaimable_slurs_are_left_to_the_models_unless_asked(self, engine: Engine) -> None:
        text = "I'm queer and proud."
        default = engine.score([text])[0]
        strict = engine.score([text], ModerationPolicy(flag_reclaimable_slurs=True))[0]
        assert not any(s.source.startswith("rule:slurs") for s in default.spans)
        assert any(s.source == "rule:slurs:queer" for s in strict.spans)
        assert strict.decision is not Decision.APPROVE

    def test_policy_override_changes_the_decision(self, engine: Engine) -> None:
        text = "you are a stupid idiot"
        strict = ModerationPolicy(default_thresholds=CategoryThresholds(flag_at=0.0, reject_at=0.0))
        lenient = ModerationPolicy(
            default_thresholds=CategoryThresholds(enabled=False), use_builtin_lexicon=False
        )
        assert engine.score([text], strict)[0].decision is Decision.REJECT
        assert engine.score([text], lenient)[0].decision is Decision.APPROVE

    def test_unsupported_language_is_flagged(self, engine: Engine) -> None:
        text = "Das ist ein sehr schöner Tag und wir gehen heute in den Park spazieren."
        result = engine.score([text])[0]
        assert result.language == "de"
        assert ModerationReason.UNSUPPORTED_LANGUAGE in result.reasons
        assert result.decision is not Decision.APPROVE

    def test_semantic_modes(self, tiny_model_dir: Path) -> None:
        texts = ["you people are disgusting", "lovely weather today"]
        always = Engine.load(tiny_model_dir, options=EngineOptions(semantic="always"))
        never = Engine.load(tiny_model_dir, options=EngineOptions(semantic="never"))
        assert {r.tier for r in always.score(texts)} == {"cascade"}
        assert {r.tier for r in never.score(texts)} == {"fast"}
        always.warm_up()

    def test_sentiment_modes(self, tiny_model_dir: Path, engine: Engine) -> None:
        assert engine.score(["What a lovely, happy day"])[0].sentiment is None
        always = Engine.load(tiny_model_dir, options=EngineOptions(sentiment="always"))
        assert (always.score(["What a lovely, happy day"])[0].sentiment or 0.0) > 0.5
        never = Engine.load(tiny_model_dir, options=EngineOptions(sentiment="never"))
        assert never.score(["I will kill you, idiot"])[0].sentiment is None

    def test_a_text_within_the_limit_is_scored_whole(self, engine: Engine) -> None:
        result = engine.score(["Nice weather today. " * 2_500 + "You stupid idiot."])[0]
        assert result.truncated is False
        assert result.decision is not Decision.APPROVE

    def test_a_text_over_the_limit_says_it_was_cut(self, tiny_model_dir: Path) -> None:
        short = Engine.load(tiny_model_dir, options=EngineOptions(max_text_chars=100))
        results = short.score(["nice " * 100, "nice"])
        assert [r.truncated for r in results] == [True, False]

    def test_benign_padding_does_not_dilute_abuse(self, engine: Engine) -> None:
        abuse = "You are a stupid worthless idiot."
        padding = (
            " I went to the store yesterday and bought some apples, a loaf of bread, and a "
            "bottle of milk for the week because we were running low on groceries at home."
        )
        whole_only = Engine(engine.bundle, options=EngineOptions(part_chars=None))
        alone, padded = engine.score([abuse, abuse + padding])
        diluted = whole_only.score([abuse + padding])[0]
        assert padded.decision is alone.decision is not Decision.APPROVE
        assert padded.scores[Category.INSULT] >= alone.scores[Category.INSULT] - 0.02
        assert diluted.scores[Category.INSULT] < padded.scores[Category.INSULT]


class TestParallelScoring:
    def test_worker_processes_give_the_same_results_in_order(self, tiny_model_dir: Path) -> None:
        texts = [
            f"comment number {i}: you are {'an idiot' if i % 3 else 'lovely'}" for i in range(600)
        ]
        serial = Engine.load(tiny_model_dir, options=EngineOptions(semantic="never"))
        parallel = Engine.load(tiny_model_dir, options=EngineOptions(semantic="never", workers=2))
        try:
            expected = serial.score(texts)
            got = parallel.score(texts)
        finally:
            parallel.close()
        assert [r.scores for r in got] == [r.scores for r in expected]
        assert [r.decision for r in got] == [r.decision for r in expected]


class TestModelCard:
    def test_card_and_metrics_are_written(
        self, tiny_model_dir: Path, training_data_dir: Path
    ) -> None:
        import json

        from moderation.ml.training import ModelCardWriter, TrainingConfig

        config = TrainingConfig(
            data_dir=training_data_dir, out_dir=tiny_model_dir, version="0.0.1", max_per_source=40
        )
        metrics = ModelCardWriter(config).write()
        card = (tiny_model_dir / "model_card.md").read_text()
        assert "## Functional suite" in card
        assert 0.0 <= metrics["summary"]["functional_accuracy"] <= 1.0
        stored = json.loads((tiny_model_dir / "manifest.json").read_text())
        assert stored["metrics"]["summary"] == metrics["summary"]
        assert "stacked_always" in metrics["validation"]


class TestRobustness:
    def test_random_unicode_never_crashes_and_spans_stay_in_bounds(self, engine: Engine) -> None:
        import random

        rng = random.Random(7)
        pieces = [
            "fuck",
            "f.u.c.k",
            "ｆｕｃｋ",
            "\u200b",
            "\u0301",
            "idiot",
            "😡",
            "👨\u200d👩\u200d👧",
            "kill you",
            "\n",
            "\x00",
            "ß",
            "İ",
            "ǅ",
            "Σ",
            "ﬁ",
            "bit.ly/x",
            "555-123-4567",
            " ",
            "Ⓕⓤⓒⓚ",
            "\ufeff",
            "\U0001d41f\U0001d42e\U0001d41c\U0001d424",
        ]
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(300)]
        strict = ModerationPolicy(default_thresholds=CategoryThresholds(flag_at=0.0, reject_at=1.0))
        for result, text in zip(engine.score(texts, strict), texts, strict=True):
            for span in result.spans:
                assert 0 <= span.start < span.end <= len(text)
