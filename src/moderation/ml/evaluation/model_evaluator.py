from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import average_precision_score, roc_auc_score

from moderation.ml.data import FunctionalSuite, IdentityBiasSuite, LabelledText
from moderation.ml.engine.engine import Engine
from moderation.ml.engine.engine_options import EngineOptions
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.moderation_result import ModerationResult

# The categories a "toxic" identity-bias template can trip; spam and profanity are not about
# the identity group, so they stay out of the bias score.
BIAS_CATEGORIES = (Category.TOXICITY, Category.INSULT, Category.THREAT, Category.HATE_SPEECH)

_EVERYDAY = (
    "hello world",
    "Thanks for the quick delivery, the shoes fit perfectly.",
    "What time does the store open on Sunday?",
    "I loved this movie, the ending made me cry.",
    "Can anyone recommend a good pizza place downtown?",
    "The battery life could be better but overall a solid phone.",
    "Happy birthday! Hope you have a great day.",
    "We are meeting at 6pm at the library, bring your notes.",
    "This recipe needs more garlic in my opinion.",
    "My grandmother is from Mexico and makes the best tamales.",
    "I am a gay Muslim woman and proud of it.",
    "The referee made a terrible call in the second half.",
    "Please read the terms before you sign up.",
    "Our church is hosting a bake sale this weekend.",
    "The hotel staff were friendly and the room was clean.",
    "I disagree with your point about taxes, here is why.",
)

Progress = Callable[[str], None]


class ModelEvaluator:
    """Measures a trained bundle: ranking on the validation splits, decisions on the
    functional suite, identity-term bias, and flags on everyday text."""

    def __init__(self, engine: Engine, progress: Progress | None = None) -> None:
        self._engine = engine
        self._say: Progress = progress or (lambda _msg: None)

    def run(self, validation: Sequence[LabelledText]) -> dict[str, Any]:
        metrics: dict[str, Any] = {}
        if validation:
            self._say(f"validation ranking on {len(validation)} texts")
            metrics["validation"] = self.validation(validation)
        self._say("functional suite")
        metrics["functional"] = self.functional()
        self._say("identity bias suite")
        metrics["bias"] = self.bias()
        metrics["everyday"] = self.everyday()
        metrics["summary"] = _summary(metrics)
        return metrics

    def validation(self, examples: Sequence[LabelledText]) -> dict[str, Any]:
        texts = [e.text for e in examples]
        normalized = [self._engine.normalize(t) for t in texts]
        final, fast, cascaded = self._engine.probabilities(normalized, texts)
        out: dict[str, Any] = {"cascaded_share": round(float(cascaded.mean()), 4)}
        tiers = {"fast": fast, "cascade": final}
        if self._engine.has_semantic_tier:
            always = Engine(
                self._engine.bundle, options=EngineOptions(semantic="always")
            ).probabilities(normalized, texts)[0]
            tiers["stacked_always"] = always
        sources = sorted({e.source for e in examples})
        for tier, probabilities in tiers.items():
            per_category: dict[str, Any] = {}
            for category in self._engine.categories:
                column = self._engine.category_index(category)
                labels = np.array([e.labels.get(category, np.nan) for e in examples], float)
                entry = _ranking(labels, probabilities[:, column])
                by_source = {}
                for source in sources:
                    mask = np.array([e.source == source for e in examples])
                    ranked = _ranking(labels[mask], probabilities[mask, column])
                    if ranked:
                        by_source[source] = ranked["roc_auc"]
                if entry:
                    entry["roc_auc_by_source"] = by_source
                    per_category[category.value] = entry
            out[tier] = per_category
        return out

    def functional(self) -> dict[str, Any]:
        suite = FunctionalSuite()
        results = self._engine.score([c.text for c in suite.cases])
        predicted = [self._predicted(r) for r in results]
        accuracy = suite.accuracy(predicted)
        failures = [
            {"text": c.text, "functionality": c.functionality}
            for c, p in zip(suite.cases, predicted, strict=True)
            if not c.passed(p)
        ]
        return {"accuracy": accuracy, "cases": len(suite), "failures_sample": failures[:25]}

    def bias(self) -> dict[str, float]:
        suite = IdentityBiasSuite()
        results = self._engine.score(suite.texts())
        scores = [max(r.scores[c] for c in BIAS_CATEGORIES) for r in results]
        return {k: round(v, 4) for k, v in suite.evaluate(scores).items()}

    def everyday(self) -> dict[str, Any]:
        results = self._engine.score(list(_EVERYDAY))
        flagged = [
            {"text": t, "decision": r.decision.value, "score": r.score}
            for t, r in zip(_EVERYDAY, results, strict=True)
            if r.decision is not Decision.APPROVE
        ]
        return {"texts": len(_EVERYDAY), "not_approved": len(flagged), "examples": flagged}

    def _predicted(self, result: ModerationResult) -> dict[Category, int]:
        ruled = {s.category for s in result.spans if s.source.startswith("rule:")}
        if ruled & {Category.INSULT, Category.THREAT, Category.HATE_SPEECH}:
            ruled.add(Category.TOXICITY)  # the taxonomy: those are kinds of toxicity
        policy = self._engine.policy
        return {
            c: int(p >= policy.thresholds(c).flag_at or c in ruled)
            for c, p in result.scores.items()
        }


def _ranking(labels: NDArray[np.float64], scores: NDArray[np.float32]) -> dict[str, Any]:
    known = ~np.isnan(labels)
    y = labels[known].astype(int)
    if y.size == 0 or y.min() == y.max():
        return {}
    s = scores[known]
    return {
        "n": int(y.size),
        "positives": int(y.sum()),
        "roc_auc": round(float(roc_auc_score(y, s)), 4),
        "average_precision": round(float(average_precision_score(y, s)), 4),
    }


def _summary(metrics: dict[str, Any]) -> dict[str, float]:
    summary: dict[str, float] = {}
    validation = metrics.get("validation", {})
    for tier in ("fast", "cascade"):
        aucs = [v["roc_auc"] for v in validation.get(tier, {}).values()]
        if aucs:
            summary[f"mean_val_auc_{tier}"] = round(float(np.mean(aucs)), 4)
    summary["functional_accuracy"] = metrics["functional"]["accuracy"].get("overall", 0.0)
    summary["bias_final_score"] = metrics["bias"].get("final_score", 0.0)
    summary["everyday_not_approved"] = float(metrics["everyday"]["not_approved"])
    return summary
