from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from moderation.ml.artifacts.model_bundle import ModelBundle
from moderation.ml.artifacts.model_registry import ModelRegistry
from moderation.ml.embeddings import FinetunedScorer, MiniLMEncoder
from moderation.ml.engine.engine_options import EngineOptions
from moderation.ml.engine.parallel_scorer import ParallelScorer
from moderation.ml.engine.rule_book import RuleBook
from moderation.ml.engine.span_explainer import SpanExplainer
from moderation.ml.features.fast_featurizer import FastFeaturizer
from moderation.ml.features.identity_term_masker import IdentityTermMasker
from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.policy.policy_evaluator import PolicyEvaluator
from moderation.ml.rules import SpamSignalExtractor
from moderation.ml.spans import SpanTagger
from moderation.ml.text import LanguageDetector, SentimentAnalyzer, TextNormalizer, TextSplitter
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.moderation_result import ModerationResult

_ACTIONS = {"flag": Decision.FLAG, "reject": Decision.REJECT}
_TOXICITY_SUBTYPES = (Category.INSULT, Category.THREAT, Category.HATE_SPEECH)


class Engine:
    """The moderation engine: text in, calibrated scores and an explained decision out.

    A fast tier (hashed n-grams, linear heads) scores every text; a semantic tier (MiniLM
    fine-tuned end to end when the bundle carries it, else heads over frozen MiniLM
    embeddings; stacked with the fast tier) re-scores the texts the fast tier is unsure
    about. Term rules, spam signals, language and sentiment run beside the models.
    Pure library: no web, database or network access; loads only its own artifacts.
    """

    def __init__(
        self,
        bundle: ModelBundle,
        policy: ModerationPolicy | None = None,
        options: EngineOptions | None = None,
        span_tagger: SpanTagger | Callable[[], SpanTagger | None] | None = None,
    ) -> None:
        self.bundle = bundle
        self.options = options or EngineOptions()
        self.policy = policy or ModerationPolicy()
        self.categories = bundle.manifest.categories
        self._normalizer = TextNormalizer()
        self._featurizer = FastFeaturizer(bundle.manifest.featurizer, bundle.idf)
        self._spam = SpamSignalExtractor()
        self._language = LanguageDetector()
        self._sentiment = SentimentAnalyzer()
        self._rules = RuleBook(self._normalizer)
        self._masker = IdentityTermMasker()
        part_chars = self.options.part_chars
        self._splitter = TextSplitter(part_chars) if part_chars is not None else None
        self._explainer = SpanExplainer(
            self._featurizer,
            bundle.fast_heads,
            span_tagger,
            self._normalizer.normalize_for_features,
        )

    @classmethod
    def load(
        cls,
        model: str | Path | None = None,
        policy: ModerationPolicy | None = None,
        options: EngineOptions | None = None,
    ) -> "Engine":
        """Load a model bundle: a directory, a registered name, or the shipped default."""
        directory = ModelRegistry().resolve(model)
        tagger_dir = directory / "spans"

        def tagger() -> SpanTagger | None:
            return SpanTagger.load(tagger_dir) if tagger_dir.exists() else None

        return cls(ModelBundle.load(directory), policy, options, tagger)

    @property
    def model_version(self) -> str:
        return self.bundle.manifest.full_version

    @property
    def has_semantic_tier(self) -> bool:
        if self.options.semantic == "never" or self.bundle.stack_calibrator is None:
            return False
        return self.bundle.finetuned_dir is not None or self.bundle.semantic_heads is not None

    @cached_property
    def _encoder(self) -> MiniLMEncoder:
        # Loaded on first use: most texts never reach the semantic tier, and start-up of
        # one-line CLI runs must stay fast.
        return MiniLMEncoder.load(max_tokens=self.bundle.manifest.semantic_max_tokens)

    @cached_property
    def _finetuned(self) -> FinetunedScorer | None:
        return self.bundle.load_finetuned_scorer()

    def warm_up(self) -> None:
        """Load lazily built parts now (servers call this before reporting ready)."""
        if self.has_semantic_tier:
            self._semantic_logits(["warm up"])
        self._explainer.warm_up()

    def _semantic_logits(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """The second tier's raw scores: the fine-tuned encoder's heads when the bundle has
        one, else the heads over frozen MiniLM embeddings."""
        batch = self.options.semantic_batch_size
        finetuned = self._finetuned
        if finetuned is not None:
            return finetuned.logits(texts, batch_size=batch)
        heads = self.bundle.semantic_heads
        if heads is None:
            raise RuntimeError("this bundle has no semantic tier")
        return heads.logits(self._encoder.encode(texts, batch_size=batch))

    def score(
        self, texts: Sequence[str], policy: ModerationPolicy | None = None
    ) -> list[ModerationResult]:
        """Score a batch of texts; one result per text, same order."""
        if not texts:
            return []
        if self.options.workers > 1:
            return self._parallel.score(texts, policy)
        return self._score(texts, policy)

    @cached_property
    def _parallel(self) -> ParallelScorer:
        return ParallelScorer(self._score, self.options.workers)

    def close(self) -> None:
        """Stop worker processes, if any were started."""
        if "_parallel" in self.__dict__:
            self._parallel.close()

    def _score(
        self, texts: Sequence[str], policy: ModerationPolicy | None = None
    ) -> list[ModerationResult]:
        policy = policy or self.policy
        evaluator = PolicyEvaluator(policy)
        limit = self.options.max_text_chars
        truncated = [len(t) > limit for t in texts]
        texts = [t[:limit] for t in texts]
        deadline = self.options.rule_deadline_ms
        seconds = None if deadline is None else deadline / 1000
        matches = [self._rules.match(text, policy, seconds) for text in texts]
        probabilities, fast_probabilities, cascaded = self._worst_parts(
            [m.features_text for m in matches], [m.model_text for m in matches]
        )
        languages = self._language.detect_many(texts)
        results: list[ModerationResult] = []
        for i, text in enumerate(texts):
            scores = {
                c: round(float(p), 4)
                for c, p in zip(self.categories, probabilities[i], strict=True)
            }
            rule_actions = [(h.category, _ACTIONS[h.action]) for h in matches[i].blocking]
            language, language_p = languages[i]
            verdict = evaluator.evaluate(
                scores, rule_actions, language, language_p, rules_complete=matches[i].complete
            )
            spans = []
            if verdict.decision is not Decision.APPROVE:
                spans = self._explainer.explain(
                    verdict.triggered,
                    matches[i],
                    self._spam.hits(text) if Category.SPAM in verdict.triggered else [],
                )
            top = int(np.argmax(probabilities[i]))
            agreement = 1.0 - abs(float(fast_probabilities[i, top] - probabilities[i, top]))
            confidence = max(verdict.score, 1.0 - verdict.score) * agreement
            results.append(
                ModerationResult(
                    scores=scores,
                    score=round(verdict.score, 4),
                    confidence=round(confidence, 4),
                    decision=verdict.decision,
                    reasons=verdict.reasons,
                    spans=spans,
                    language=language,
                    language_confidence=round(language_p, 4),
                    sentiment=self._sentiment_of(text, verdict.decision),
                    tier="cascade" if cascaded[i] else "fast",
                    model_version=self.model_version,
                    truncated=truncated[i],
                )
            )
        return results

    def _worst_parts(
        self, features: Sequence[str], model_texts: Sequence[str]
    ) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.bool_]]:
        """`probabilities` of each text, each category the worst of the whole text and of its
        parts (see TextSplitter); all parts of the batch are scored in one pass."""
        owners: list[int] = []
        part_features: list[str] = []
        part_texts: list[str] = []
        if self._splitter is not None:
            for index, text in enumerate(model_texts):
                for start, end in self._splitter.parts(text):
                    piece = text[start:end]
                    owners.append(index)
                    part_texts.append(piece)
                    part_features.append(self._normalizer.normalize_for_features(piece))
        if not owners:
            return self.probabilities(features, model_texts)
        final, fast, cascaded = self.probabilities(
            [*features, *part_features], [*model_texts, *part_texts]
        )
        count = len(features)
        rows = np.asarray(owners)
        whole_final, whole_fast, whole_cascaded = final[:count], fast[:count], cascaded[:count]
        np.maximum.at(whole_final, rows, final[count:])
        np.maximum.at(whole_fast, rows, fast[count:])
        np.logical_or.at(whole_cascaded, rows, cascaded[count:])
        return whole_final, whole_fast, whole_cascaded

    def probabilities(
        self, features: Sequence[str], originals: Sequence[str] | None = None
    ) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.bool_]]:
        """(final, fast-only, cascaded-mask) category probabilities for normalised texts."""
        originals = originals if originals is not None else features
        extras = np.stack([self._spam.extract(t).as_vector() for t in originals])
        matrix = self._featurizer.transform(features, extras)
        fast_logits = self.bundle.fast_heads.logits(matrix)
        fast = self.bundle.fast_calibrator.probabilities(fast_logits)
        group = np.array([self._masker.mentions_group(t) for t in features], dtype=bool)
        fast = self._consistent(fast, group)
        final = fast.copy()
        cascaded = np.zeros(len(features), dtype=bool)
        stack = self.bundle.stack_calibrator
        if not self.has_semantic_tier or stack is None:
            return final, fast, cascaded
        if self.options.semantic == "always":
            cascaded[:] = True
        else:
            low, high = self.bundle.manifest.cascade_band
            cascaded = np.asarray(((fast >= low) & (fast <= high)).any(axis=1), dtype=bool)
        rows = np.flatnonzero(cascaded)
        if rows.size:
            semantic = self._semantic_logits([features[int(i)] for i in rows])
            final[rows] = self._consistent(
                stack.probabilities(fast_logits[rows], semantic), group[rows]
            )
        return final, fast, cascaded

    def _sentiment_of(self, text: str, decision: Decision) -> float | None:
        mode = self.options.sentiment
        if mode == "never" or (mode == "flagged" and decision is Decision.APPROVE):
            return None
        return round(self._sentiment.polarity(text), 4)

    def _consistent(
        self, probabilities: NDArray[np.float32], mentions_group: NDArray[np.bool_]
    ) -> NDArray[np.float32]:
        """Apply the taxonomy the separate heads do not know: insults, threats and hate speech
        are kinds of toxicity, so a text is at least as likely toxic as any of them; and a
        threat against an identity group ("X should all be shot") is hate speech."""
        if Category.TOXICITY in self.categories:
            subtypes = [self.category_index(c) for c in _TOXICITY_SUBTYPES if c in self.categories]
            column = self.category_index(Category.TOXICITY)
            probabilities[:, column] = np.max(probabilities[:, [column, *subtypes]], axis=1)
        if Category.THREAT in self.categories and Category.HATE_SPEECH in self.categories:
            hate = self.category_index(Category.HATE_SPEECH)
            threat = probabilities[mentions_group, self.category_index(Category.THREAT)]
            probabilities[mentions_group, hate] = np.maximum(
                probabilities[mentions_group, hate], threat
            )
        return probabilities

    def category_index(self, category: Category) -> int:
        return self.categories.index(category)

    def normalize(self, text: str) -> str:
        """The normalised form the classifiers see."""
        return self._normalizer.normalize_for_features(text[: self.options.max_text_chars])
