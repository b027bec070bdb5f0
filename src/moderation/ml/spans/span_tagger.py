"""Fast per-token toxic-span tagger: hashed token features + a linear model."""

import json
import math
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from moderation.ml.spans import _training
from moderation.ml.spans._decode import decode_spans
from moderation.ml.spans._text import WordToken, tokenize
from moderation.ml.spans._toxic_spans_io import read_tsd_csv
from moderation.ml.spans.char_ranges import ranges_to_offsets
from moderation.ml.spans.lexicon_span_baseline import LexiconSpanBaseline
from moderation.ml.spans.span_f1 import mean_span_f1
from moderation.ml.spans.token_featurizer import BOUNDARY, TokenFeaturizer
from moderation.ml.spans.token_score import TokenScore
from moderation.ml.vocabulary import Category, Span

FORMAT_VERSION = 1
NPZ_NAME = "span_tagger.npz"
JSON_NAME = "span_tagger.json"
DEFAULT_C = 0.03
HOLDOUT_FRACTION = 0.1
VOCABULARY_SIZE = 20_000
_CACHE_LIMIT = 50_000
_PIN_BATCH = 4096


class SpanTagger:
    """Marks the characters of a (harmful) text that reviewers should see.

    Each word token gets P(toxic) from a logistic regression over hashed features of the token
    and its +-2 neighbours. The model is linear, so a token's logit is the bias plus one term per
    slot (own, -2, -1, +1, +2), each depending on a single raw token; those terms are cached per
    raw token, so warm inference is a regex pass, dict look-ups and a few additions.
    """

    def __init__(
        self,
        featurizer: TokenFeaturizer,
        coef: NDArray[np.float32],
        intercept: float,
        *,
        threshold: float = 0.5,
        floor: float = 1.0,
        join_function_words: bool = False,
        report: dict[str, float] | None = None,
        vocabulary: Sequence[str] = (),
    ) -> None:
        if coef.shape != (featurizer.n_features,):
            raise ValueError(f"coef shape {coef.shape} != ({featurizer.n_features},)")
        self.featurizer = featurizer
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.floor = float(floor)
        self.join_function_words = bool(join_function_words)
        self.report: dict[str, float] = dict(report or {})
        self.vocabulary = tuple(vocabulary)
        self._boundary = self._slot_terms([BOUNDARY])[0]
        self._pinned: dict[str, tuple[float, ...]] = {}
        self._cache: dict[str, tuple[float, ...]] = {}

    def warm_up(self) -> None:
        """Pre-compute the terms of the frequent training tokens (~0.5 s), so that a cold
        tagger is already fast on the words most comments are made of. Long-running servers
        call this at start-up; one-shot CLI runs skip it and compute words as they come."""
        if self._pinned or not self.vocabulary:
            return
        for i in range(0, len(self.vocabulary), _PIN_BATCH):
            batch = self.vocabulary[i : i + _PIN_BATCH]
            self._pinned.update(zip(batch, self._slot_terms(batch), strict=True))
        self._cache.update(self._pinned)

    # ---------------------------------------------------------------- inference

    def _slot_terms(self, raws: Sequence[str]) -> list[tuple[float, ...]]:
        """Per-slot logit terms of each distinct raw token."""
        return [tuple(r) for r in self.featurizer.slot_scores(raws, self.coef).tolist()]

    def _token_logits(self, raws: Sequence[str]) -> list[float]:
        cache = self._cache
        missing = [raw for raw in dict.fromkeys(raws) if raw not in cache]
        if missing:
            if len(cache) + len(missing) > _CACHE_LIMIT + len(self._pinned):
                cache = self._cache = dict(self._pinned)
            cache.update(zip(missing, self._slot_terms(missing), strict=True))
        window = self.featurizer.window
        pad = [self._boundary] * window
        terms = pad + [cache[raw] for raw in raws] + pad
        neighbours = tuple(enumerate(self.featurizer.offsets[1:], start=1))
        logits = []
        for centre in range(window, window + len(raws)):
            z = self.intercept + terms[centre][0]
            for slot, offset in neighbours:
                z += terms[centre + offset][slot]
            logits.append(z)
        return logits

    def predict_proba_tokens(self, text: str) -> list[TokenScore]:
        """Every word token of `text` with its probability of lying in a toxic span."""
        tokens = tokenize(text)
        logits = self._token_logits([t.text for t in tokens])
        return [
            TokenScore(t.text, t.start, t.end, 1.0 / (1.0 + math.exp(-max(z, -50.0))))
            for t, z in zip(tokens, logits, strict=True)
        ]

    def predict_spans(
        self, text: str, threshold: float | None = None, *, fallback: bool = True
    ) -> list[tuple[int, int]]:
        """Merged [start, end) character ranges of the ORIGINAL text to show reviewers.

        `threshold` defaults to the one tuned on held-back training posts. With `fallback`, a
        text where no token passes it still gets its most probable token when that one reaches
        the tuned floor (0.0 means always): right for texts already judged harmful, which is
        what the tagger was tuned on; pass `fallback=False` for texts that may be clean.
        """
        scores = self.predict_proba_tokens(text)
        return decode_spans(
            text,
            [WordToken(s.text, s.start, s.end) for s in scores],
            [s.probability for s in scores],
            self.threshold if threshold is None else threshold,
            self.floor if fallback else math.inf,
            self.join_function_words,
        )

    def predict_domain_spans(self, text: str, category: Category) -> list[Span]:
        """`predict_spans` as domain `Span`s of the given category (source "model")."""
        return [
            Span(start=a, end=b, category=category, source="model")
            for a, b in self.predict_spans(text)
        ]

    # ---------------------------------------------------------------- training

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        offsets_lists: Sequence[Sequence[int]],
        seed: int = 0,
        *,
        c: float = DEFAULT_C,
        featurizer: TokenFeaturizer | None = None,
        vocabulary_size: int = VOCABULARY_SIZE,
    ) -> "SpanTagger":
        """Fit on all posts; decoding (threshold, fallback floor, joining) is tuned on a held-back
        10 % of them with a model fitted on the other 90 %, then the final model is refitted on
        everything. `report` keeps the held-back figures."""
        if len(texts) != len(offsets_lists):
            raise ValueError(f"{len(texts)} texts but {len(offsets_lists)} offset lists")
        fz = featurizer or TokenFeaturizer()
        order = np.random.default_rng(seed).permutation(len(texts))
        n_hold = max(1, int(len(texts) * HOLDOUT_FRACTION))
        hold, fit = sorted(order[:n_hold].tolist()), sorted(order[n_hold:].tolist())
        started = time.perf_counter()

        x_fit, y_fit, _ = _training.build_dataset(
            fz, [texts[i] for i in fit], [offsets_lists[i] for i in fit]
        )
        hold_texts = [texts[i] for i in hold]
        hold_gold = [offsets_lists[i] for i in hold]
        x_hold, _, hold_tokens = _training.build_dataset(fz, hold_texts, hold_gold)
        coef, intercept = _training.fit_weights(x_fit, y_fit, c, seed)
        probs = _training.split_by_text(_training.token_probs(x_hold, coef, intercept), hold_tokens)
        decoding = _training.tune_decoding(hold_texts, hold_gold, hold_tokens, probs)
        no_floor = _training.mean_f1(
            hold_texts, hold_gold, hold_tokens, probs, decoding.threshold, 1.0, False
        )
        joined = _training.mean_f1(
            hold_texts, hold_gold, hold_tokens, probs, decoding.threshold, decoding.floor, True
        )

        x_all, y_all, all_tokens = _training.build_dataset(fz, texts, offsets_lists)
        counts = Counter(t.text for tokens in all_tokens for t in tokens)
        vocabulary = [w for w, n in counts.most_common(vocabulary_size) if n >= 2]
        coef, intercept = _training.fit_weights(x_all, y_all, c, seed)
        report = {
            "holdout_f1": decoding.f1,
            "holdout_f1_no_floor": no_floor,
            "holdout_f1_join_function_words": joined,
            "holdout_posts": float(len(hold)),
            "train_posts": float(len(texts)),
            "train_tokens": float(len(y_all)),
            "c": c,
            "train_seconds": time.perf_counter() - started,
        }
        return cls(
            fz,
            coef,
            intercept,
            threshold=decoding.threshold,
            floor=decoding.floor,
            join_function_words=decoding.join,
            report=report,
            vocabulary=vocabulary,
        )

    @classmethod
    def train_from_toxic_spans(
        cls, data_dir: Path, seed: int = 0
    ) -> tuple["SpanTagger", dict[str, float]]:
        """Train on `tsd_train.csv`, evaluate on `tsd_trial.csv` (SemEval-2021 Task 5 files).

        Metrics: the tagger's trial span F1 as shipped and with its decoding variants, two
        baselines (a lexicon learned from train; every token), and the held-back train figures.
        """
        train_texts, train_gold = read_tsd_csv(data_dir / "tsd_train.csv")
        trial_texts, trial_gold = read_tsd_csv(data_dir / "tsd_trial.csv")
        tagger = cls.train(train_texts, train_gold, seed=seed)
        scored = [tagger.predict_proba_tokens(t) for t in trial_texts]
        tokens = [[WordToken(s.text, s.start, s.end) for s in row] for row in scored]
        probs = [[s.probability for s in row] for row in scored]

        def trial(threshold: float, floor: float, join: bool) -> float:
            return _training.mean_f1(trial_texts, trial_gold, tokens, probs, threshold, floor, join)

        lexicon = LexiconSpanBaseline.train(train_texts, train_gold)
        metrics = {
            "trial_f1": trial(tagger.threshold, tagger.floor, tagger.join_function_words),
            "trial_f1_no_floor": trial(tagger.threshold, 1.0, False),
            "trial_f1_join_function_words": trial(tagger.threshold, tagger.floor, True),
            "trial_f1_baseline_lexicon": mean_span_f1(
                [ranges_to_offsets(lexicon.predict_spans(t)) for t in trial_texts], trial_gold
            ),
            "trial_f1_baseline_all_tokens": trial(0.0, 1.0, False),
            "trial_posts": float(len(trial_texts)),
            "threshold": tagger.threshold,
            "floor": tagger.floor,
            "join_function_words": float(tagger.join_function_words),
            **tagger.report,
        }
        return tagger, metrics

    # ---------------------------------------------------------------- persistence

    def save(self, directory: Path) -> None:
        """Write `span_tagger.npz` (float16 weights) and `span_tagger.json` (config)."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / NPZ_NAME, coef=self.coef.astype(np.float16))
        meta: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "model": "SpanTagger",
            "hashing": self.featurizer.to_config(),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "floor": self.floor,
            "join_function_words": self.join_function_words,
            "report": self.report,
            "vocabulary": list(self.vocabulary),
        }
        (directory / JSON_NAME).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "SpanTagger":
        """Inverse of `save` (no pickle, no sklearn estimator state)."""
        meta = json.loads((directory / JSON_NAME).read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION or meta.get("model") != "SpanTagger":
            raise ValueError(f"unsupported span tagger artifact in {directory}")
        with np.load(directory / NPZ_NAME, allow_pickle=False) as arrays:
            coef = np.asarray(arrays["coef"], dtype=np.float32)
        return cls(
            TokenFeaturizer.from_config(meta["hashing"]),
            coef,
            float(meta["intercept"]),
            threshold=float(meta["threshold"]),
            floor=float(meta["floor"]),
            join_function_words=bool(meta["join_function_words"]),
            report={str(k): float(v) for k, v in meta["report"].items()},
            vocabulary=[str(w) for w in meta["vocabulary"]],
        )
