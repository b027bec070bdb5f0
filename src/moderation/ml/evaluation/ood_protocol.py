"""Out-of-domain evaluation: every scorer trained without the source it is tested on."""

import random
import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import f1_score, roc_auc_score

from moderation.ml.data import (
    DatasetCatalog,
    FunctionalCase,
    FunctionalSuite,
    IdentityBiasSuite,
    LabelledText,
)
from moderation.ml.evaluation.fitted_scorer import FittedScorer, ScorerFactory
from moderation.ml.evaluation.model_evaluator import BIAS_CATEGORIES
from moderation.ml.evaluation.protocol_report import (
    LosoFold,
    LosoScore,
    ObfuscationScore,
    ProtocolReport,
    SuiteScores,
)
from moderation.ml.evaluation.template_split import TemplateSplit
from moderation.ml.evaluation.text_obfuscator import TextObfuscator
from moderation.ml.spans import mean_span_f1
from moderation.ml.vocabulary.category import Category

HARM_CATEGORIES = (
    Category.TOXICITY,
    Category.INSULT,
    Category.PROFANITY,
    Category.THREAT,
    Category.HATE_SPEECH,
    Category.SEXUAL,
)
_BIAS_KEYS = ("final_score", "overall_auc", "mean_subgroup_auc", "mean_bpsn_auc", "mean_bnsp_auc")
# Two perturbed words hardly move a long post; obfuscation is probed on short texts.
_MAX_OBFUSCATION_WORDS = 60

Progress = Callable[[str], None]


class OodProtocol:
    """Judges scorers on data from sources they never trained on.

    Leave-one-source-out: for each selected source, every scorer is trained on all the other
    sources (their train splits; their validation splits for whatever calibration the scorer
    does) and tested on every row of the held-out source, per category that source labels
    with both classes. Obfuscated copies of short held-out texts are scored by the same fold
    models. Then each scorer is trained once on every selected source for the project's own
    suites: functional tests, hard-negative templates in and out of training, identity bias
    and, for scorers that mark spans, span F1 on the given toxic-spans posts.
    """

    def __init__(
        self,
        scorers: Mapping[str, ScorerFactory],
        *,
        seed: int = 13,
        template_holdout: float = 0.3,
        obfuscation_per_fold: int = 60,
        suites: bool = True,
        span_posts: Sequence[tuple[str, Sequence[int]]] = (),
        progress: Progress | None = None,
    ) -> None:
        if not scorers:
            raise ValueError("no scorers to evaluate")
        self._scorers = dict(scorers)
        self._seed = seed
        self._split = TemplateSplit(template_holdout, seed)
        self._obfuscation_per_fold = obfuscation_per_fold
        self._suites = suites
        self._span_posts = list(span_posts)
        self._obfuscator = TextObfuscator()
        self._say: Progress = progress or (lambda _msg: None)

    def run(
        self,
        examples: Sequence[LabelledText],
        sources: Sequence[str] | None = None,
        hold_out: Sequence[str] | None = None,
        max_per_source: int | None = None,
    ) -> ProtocolReport:
        """Run the protocol on `examples` (as `DatasetCatalog.load_all` returns them).

        `sources` restricts the data used (training and testing); `hold_out` the folds run.
        """
        started = time.perf_counter()
        chosen = _chosen_sources(examples, sources)
        folds = [s for s in chosen if hold_out is None or s in hold_out]
        if hold_out is not None and set(hold_out) - set(folds):
            raise ValueError(f"cannot hold out {sorted(set(hold_out) - set(folds))}")
        data = [e for e in examples if e.source in chosen]
        augmentation = self._split.augmentation(self._seed)
        report = ProtocolReport(
            seed=self._seed,
            max_per_source=max_per_source,
            sources=chosen,
            scorers=list(self._scorers),
            template_holdout=self._split.fraction,
        )
        tally: dict[tuple[str, str], NDArray[np.int64]] = {}
        for source in folds:
            self._fold(source, data, augmentation, report, tally)
        report.obfuscation = _obfuscation_scores(tally)
        if self._suites:
            train = [e for e in data if e.split == "train"]
            validation = [e for e in data if e.split == "validation"]
            for name, factory in self._scorers.items():
                self._say(f"suites: training {name} on {len(chosen)} sources")
                report.suites.append(self._suite(name, factory, train, validation, augmentation))
        report.wall_seconds = round(time.perf_counter() - started, 1)
        return report

    def _fold(
        self,
        source: str,
        data: Sequence[LabelledText],
        augmentation: Sequence[LabelledText],
        report: ProtocolReport,
        tally: dict[tuple[str, str], NDArray[np.int64]],
    ) -> None:
        test = [e for e in data if e.source == source]
        train = [e for e in data if e.source != source and e.split == "train"]
        validation = [e for e in data if e.source != source and e.split == "validation"]
        training_sources = sorted({e.source for e in [*train, *validation]})
        if source in training_sources:  # the whole point of the protocol; never let it slip
            raise RuntimeError(f"held-out source {source} leaked into training")
        fold = LosoFold(
            source=source,
            training_sources=training_sources,
            train_texts=len(train),
            validation_texts=len(validation),
            augmentation_texts=len(augmentation),
            test_texts=len(test),
        )
        harmful, clean = self._obfuscation_sample(test, source)
        texts = [e.text for e in test]
        for name, factory in self._scorers.items():
            self._say(f"fold {source}: training {name} on {len(train)} texts")
            began = time.perf_counter()
            scorer = factory(train, validation, augmentation, False)
            probabilities = scorer.probabilities(texts)
            report.loso.extend(_loso_scores(name, source, test, scorer, probabilities))
            for kind, counts in self._obfuscation_counts(scorer, harmful, clean).items():
                tally[(name, kind)] = tally.get((name, kind), np.zeros(5, np.int64)) + counts
            fold.seconds[name] = round(time.perf_counter() - began, 1)
        report.folds.append(fold)

    def _obfuscation_sample(
        self, test: Sequence[LabelledText], source: str
    ) -> tuple[list[str], list[str]]:
        def usable(e: LabelledText) -> bool:
            return len(e.text.split()) <= _MAX_OBFUSCATION_WORDS and bool(
                self._obfuscator.chosen(e.text)
            )

        harmful = [e.text for e in test if _harmful(e) and usable(e)]
        clean = [e.text for e in test if _clean(e) and usable(e)]
        rng = random.Random(f"{self._seed}:{source}:obfuscation")  # noqa: S311 - sampling
        k = self._obfuscation_per_fold
        return (
            rng.sample(harmful, min(k, len(harmful))),
            rng.sample(clean, min(k, len(clean))),
        )

    def _obfuscation_counts(
        self, scorer: FittedScorer, harmful: Sequence[str], clean: Sequence[str]
    ) -> dict[str, NDArray[np.int64]]:
        """Per kind: [detected, retained, clean, clean flagged before, clean flagged after]."""
        if not harmful and not clean:
            return {}
        kinds = TextObfuscator.KINDS
        batch = [*harmful, *clean]
        for kind in kinds:
            batch += [self._obfuscator.obfuscate(t, kind) for t in [*harmful, *clean]]
        flagged = _any_harm(scorer, scorer.decisions(batch))
        size = len(harmful) + len(clean)
        before_harm, before_clean = flagged[: len(harmful)], flagged[len(harmful) : size]
        out: dict[str, NDArray[np.int64]] = {}
        for i, kind in enumerate(kinds, start=1):
            part = flagged[i * size : (i + 1) * size]
            after_harm, after_clean = part[: len(harmful)], part[len(harmful) :]
            out[kind] = np.array(
                [
                    before_harm.sum(),
                    (before_harm & after_harm).sum(),
                    len(clean),
                    before_clean.sum(),
                    after_clean.sum(),
                ],
                dtype=np.int64,
            )
        return out

    def _suite(
        self,
        name: str,
        factory: ScorerFactory,
        train: Sequence[LabelledText],
        validation: Sequence[LabelledText],
        augmentation: Sequence[LabelledText],
    ) -> SuiteScores:
        began = time.perf_counter()
        scorer = factory(train, validation, augmentation, True)
        functional = FunctionalSuite()
        decided = scorer.decisions([c.text for c in functional.cases])
        accuracy = functional.accuracy(_as_predictions(scorer, decided))
        probes = self._split.probes(self._seed)
        bias_suite = IdentityBiasSuite()
        columns = [scorer.categories.index(c) for c in BIAS_CATEGORIES if c in scorer.categories]
        bias_scores = np.nan_to_num(scorer.probabilities(bias_suite.texts())[:, columns], nan=0.0)
        bias = bias_suite.evaluate(bias_scores.max(axis=1))
        span_f1 = None
        if self._span_posts:
            offsets = scorer.char_spans([text for text, _ in self._span_posts])
            if offsets is not None:
                span_f1 = round(mean_span_f1(offsets, [g for _, g in self._span_posts]), 4)
        return SuiteScores(
            scorer=name,
            functional={k: round(v, 4) for k, v in accuracy.items()},
            templates_trained=_template_accuracy(scorer, probes["trained"]),
            templates_held_out=_template_accuracy(scorer, probes["held_out"]),
            bias={k: round(bias[k], 4) for k in _BIAS_KEYS if k in bias},
            span_f1=span_f1,
            seconds=round(time.perf_counter() - began, 1),
        )


def _chosen_sources(examples: Sequence[LabelledText], sources: Sequence[str] | None) -> list[str]:
    present = {e.source for e in examples}
    # Catalog order first, so runs list folds alike; the hard negatives are never a fold.
    known = [s for s in DatasetCatalog.SOURCE_ORDER if s in present]
    known += sorted(present - set(known) - {"hard_negative"})
    if sources is None:
        return known
    missing = sorted(set(sources) - set(known))
    if missing:
        raise ValueError(f"no examples from {missing}; present: {', '.join(known)}")
    return [s for s in known if s in sources]


def _loso_scores(
    name: str,
    source: str,
    test: Sequence[LabelledText],
    scorer: FittedScorer,
    probabilities: NDArray[np.float64],
) -> list[LosoScore]:
    rows: list[LosoScore] = []
    for j, category in enumerate(scorer.categories):
        known = np.array([category in e.labels for e in test], dtype=bool)
        y = np.array([e.labels.get(category, 0) for e in test], dtype=np.int64)[known]
        if y.size == 0 or y.min() == y.max():
            continue  # unlabelled (masked) here, or one class only: nothing to rank
        p = probabilities[known, j]
        # A head no training source could teach is NaN (baseline) or one constant (the
        # engine's zero weights): either way AUC 0.5, and it should be told apart.
        trained = not bool(np.isnan(p).any()) and bool(np.ptp(p) > 0)
        p = np.nan_to_num(p, nan=0.0)
        threshold = scorer.threshold(category)
        rows.append(
            LosoScore(
                scorer=name,
                source=source,
                category=category,
                n=int(y.size),
                positives=int(y.sum()),
                roc_auc=round(float(roc_auc_score(y, p)), 4),
                f1=round(float(f1_score(y, (p >= threshold).astype(int), zero_division=0.0)), 4),
                threshold=threshold,
                trained=trained,
            )
        )
    return rows


def _harmful(e: LabelledText) -> bool:
    return any(e.labels.get(c) == 1 for c in HARM_CATEGORIES)


def _clean(e: LabelledText) -> bool:
    return e.labels.get(Category.TOXICITY) == 0 and not _harmful(e)


def _any_harm(scorer: FittedScorer, decided: NDArray[np.bool_]) -> NDArray[np.bool_]:
    columns = [scorer.categories.index(c) for c in HARM_CATEGORIES if c in scorer.categories]
    return np.asarray(decided[:, columns].any(axis=1), dtype=np.bool_)


def _as_predictions(scorer: FittedScorer, decided: NDArray[np.bool_]) -> list[dict[Category, int]]:
    return [{c: int(row[j]) for j, c in enumerate(scorer.categories)} for row in decided]


def _template_accuracy(
    scorer: FittedScorer, probes: Mapping[str, Sequence[LabelledText]]
) -> dict[str, float]:
    out: dict[str, float] = {}
    passed_all = total = 0
    for functionality, texts in probes.items():
        if not texts:
            continue
        predicted = _as_predictions(scorer, scorer.decisions([t.text for t in texts]))
        cases = [FunctionalCase(t.text, functionality, dict(t.labels)) for t in texts]
        passed = sum(case.passed(p) for case, p in zip(cases, predicted, strict=True))
        out[functionality] = round(passed / len(cases), 4)
        passed_all += passed
        total += len(cases)
    if total:
        out["overall"] = round(passed_all / total, 4)
    return out


def _obfuscation_scores(
    tally: Mapping[tuple[str, str], NDArray[np.int64]],
) -> list[ObfuscationScore]:
    out: list[ObfuscationScore] = []
    for (name, kind), (detected, retained, clean, before, after) in tally.items():
        out.append(
            ObfuscationScore(
                scorer=name,
                kind=kind,
                detected=int(detected),
                retained=round(float(retained / detected), 4) if detected else 0.0,
                clean=int(clean),
                clean_flag_rate_before=round(float(before / clean), 4) if clean else 0.0,
                clean_flag_rate_after=round(float(after / clean), 4) if clean else 0.0,
            )
        )
    return out
